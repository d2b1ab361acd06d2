"""The hand-written table of name variant pairs (variant_pairs.tsv), split once and for all
into a tuning part and a held-out part, and the figures of name matching on each.

The split is a fixed rule, not a choice: a row is held out when the SHA-256 of its first
column (the name the row's variants are written against), read as a number, is divisible by
five. So about a fifth of the names, with every variant of each, are held out, and a row added
later falls on its side by the same rule. Ranking and matching changes are tuned on the
tuning part only: its misses are printed to be read; the held-out part reports its figures
and never lists its misses, so that no change is fitted to them.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

TABLE = Path(__file__).with_name("variant_pairs.tsv")
TUNING, HELD_OUT, WHOLE = "tuning", "held-out", "whole"


class Pair(NamedTuple):
    a: str
    b: str
    same: bool
    note: str

    @property
    def part(self) -> str:
        digest = hashlib.sha256(self.a.encode("utf-8")).hexdigest()
        return HELD_OUT if int(digest, 16) % 5 == 0 else TUNING


def load_pairs() -> list[Pair]:
    with TABLE.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Pair(r["a"], r["b"], r["same"] == "1", r["note"]) for r in rows]


def split(pairs: Iterable[Pair]) -> dict[str, list[Pair]]:
    parts: dict[str, list[Pair]] = {TUNING: [], HELD_OUT: []}
    for pair in pairs:
        parts[pair.part].append(pair)
    return parts


@dataclass
class Figures:
    """Precision and recall of one yes/no decision over one part of the table."""

    part: str
    rows: int
    tp: int
    fp: int
    fn: int
    misses: list[str]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, what: str) -> str:
        where = "whole table" if self.part == WHOLE else f"{self.part} part"
        return (
            f"{what}, {where} ({self.rows} pairs): precision {self.precision:.3f}, "
            f"recall {self.recall:.3f} (tp {self.tp}, fp {self.fp}, fn {self.fn})"
        )


def figures(part: str, pairs: list[Pair], decide: Callable[[Pair], tuple[bool, str]]) -> Figures:
    """`decide(pair)` answers (predicted same, a few words on why) for one pair."""
    tp = fp = fn = 0
    misses: list[str] = []
    for pair in pairs:
        predicted, why = decide(pair)
        if predicted and pair.same:
            tp += 1
        elif predicted:
            fp += 1
            misses.append(f"FP {why} {pair.a} / {pair.b} ({pair.note})")
        elif pair.same:
            fn += 1
            misses.append(f"FN {why} {pair.a} / {pair.b} ({pair.note})")
    return Figures(part, len(pairs), tp, fp, fn, misses)
