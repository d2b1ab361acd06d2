"""Precision and recall of name matching on the hand-written table of variant pairs."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

import pytest

from aigaq.names import SAME_PERSON_THRESHOLD, match_keys, similarity

TABLE = Path(__file__).with_name("variant_pairs.tsv")
TARGET = 0.95


class Pair(NamedTuple):
    a: str
    b: str
    same: bool
    note: str


def load_pairs() -> list[Pair]:
    with TABLE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Pair(r["a"], r["b"], r["same"] == "1", r["note"]) for r in rows]


PAIRS = load_pairs()


def test_the_table_has_at_least_three_hundred_rows_of_both_kinds() -> None:
    assert len(PAIRS) >= 300
    assert sum(p.same for p in PAIRS) >= 100
    assert sum(not p.same for p in PAIRS) >= 100
    assert all(p.a and p.b and p.note for p in PAIRS)


def test_every_row_scores_within_zero_and_one_both_ways() -> None:
    for pair in PAIRS:
        forward, backward = similarity(pair.a, pair.b), similarity(pair.b, pair.a)
        assert 0.0 <= forward <= 1.0
        assert forward == pytest.approx(backward), pair


def test_precision_and_recall_of_the_same_person_threshold() -> None:
    tp = fp = fn = 0
    misses: list[str] = []
    for pair in PAIRS:
        score = similarity(pair.a, pair.b)
        predicted = score >= SAME_PERSON_THRESHOLD
        if predicted and pair.same:
            tp += 1
        elif predicted:
            fp += 1
            misses.append(f"FP {score:.3f} {pair.a} / {pair.b} ({pair.note})")
        elif pair.same:
            fn += 1
            misses.append(f"FN {score:.3f} {pair.a} / {pair.b} ({pair.note})")
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    report = (
        f"names: {len(PAIRS)} pairs, threshold {SAME_PERSON_THRESHOLD}: "
        f"precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    print("\n" + report)
    print("\n".join(misses))
    assert precision >= TARGET and recall >= TARGET, report + "\n" + "\n".join(misses)


def test_true_pairs_share_a_match_key() -> None:
    true_pairs = [p for p in PAIRS if p.same]
    any_key = whole_name_key = 0
    missed: list[str] = []
    for pair in true_pairs:
        shared = match_keys(pair.a) & match_keys(pair.b)
        if shared:
            any_key += 1
        else:
            missed.append(f"{pair.a} / {pair.b} ({pair.note})")
        if any(key[0] in "xnsj" for key in shared):
            whole_name_key += 1
    recall = any_key / len(true_pairs)
    whole_recall = whole_name_key / len(true_pairs)
    report = (
        f"names: candidate key recall {recall:.3f} (any key), "
        f"{whole_recall:.3f} (whole-name x:/n:/s:/j: keys only) over {len(true_pairs)} true pairs"
    )
    print("\n" + report)
    print("\n".join(missed))
    assert recall >= TARGET, report + "\n" + "\n".join(missed)
