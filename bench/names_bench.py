"""Names benchmark: the cost of the name functions on ordinary and hostile input, and the
precision and recall of name matching on the variant-pair table, tuning and held-out parts.

    .venv/bin/python bench/names_bench.py

Pure Python, no database. Times are the best of BENCH_ROUNDS (default 5) runs, so a busy
machine shows less in them (for long input, the first run, caches cold, too); the load
average is printed beside. Prints:
- pinyin segmentation of hostile words (very long, almost-pinyin): µs per word; it must stay
  bounded (a backtracking segmenter would be exponential in the word's length);
- normalize on 10,000+ characters of mixed scripts, invisible characters and emoji; to_comparison
  and match_keys on 14,000 characters (cut at a word boundary): ms;
- similarity per pair, caches warm (as a search over the index runs it): µs;
- tests/names/variant_pairs.tsv: precision and recall at SAME_PERSON_THRESHOLD and the recall
  of the candidate keys, for the tuning part, the held-out part (never tuned on: its misses are
  not listed) and the whole table.
No assertions: the tests (tests/names) check the answers, this prints the figures.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def best_of(fn: Callable[[], Any], rounds: int = ROUNDS) -> float:
    """Seconds of the fastest of `rounds` runs of fn()."""
    return min(timed(fn, rounds))


def timed(fn: Callable[[], Any], rounds: int = ROUNDS) -> list[float]:
    """Seconds of each of `rounds` runs of fn(), the first one first (caches cold)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def first_and_best(fn: Callable[[], Any]) -> str:
    times = timed(fn)
    return f"first {times[0] * 1e3:7.2f} ms, best {min(times) * 1e3:7.2f} ms"


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_pinyin() -> None:
    from aigaq.names.pinyin import segment

    print(f"-- pinyin segmentation of hostile words ({load()})")
    for word in ("ai" * 100, "ai" * 15 + "x", "a" * 31, "maimaiti" * 4, "gulinaer" * 40):
        seconds = best_of(lambda w=word: segment(w))
        shown = word if len(word) <= 24 else word[:20] + f"… ({len(word)} letters)"
        print(f"   {shown:<36} {seconds * 1e6:9.1f} µs")


def bench_long_text() -> None:
    from aigaq.names import match_keys, normalize, to_comparison

    print(f"-- long input ({load()})")
    text = ("Гүлнар\u200d🌸\u202e Serik·古丽 ") * 600
    print(f"   normalize, {len(text):,} characters: {first_and_best(lambda: normalize(text))}")
    long_name = "Gulnar " * 2000

    def keys_and_form() -> None:
        to_comparison(long_name)
        match_keys(long_name)

    print(
        f"   to_comparison + match_keys, {len(long_name):,} characters: "
        f"{first_and_best(keys_and_form)}"
    )


def bench_similarity() -> None:
    from aigaq.names import similarity

    pairs = [
        ("Гүлнар Серікқызы", "Gulnar Serikkyzy"),
        ("古丽娜尔·赛力克", "Gulnar Serikqizi"),
        ("Nurlan Asanuly", "Asanov Nurlan"),
        ("Memet Tursun", "买买提·吐尔逊"),
    ]
    for a, b in pairs:  # warm the caches, as a search over an index would
        similarity(a, b)
    repeat = 2000

    def run() -> None:
        for _ in range(repeat):
            for a, b in pairs:
                similarity(a, b)

    per_pair = best_of(run) / (repeat * len(pairs))
    print(f"-- similarity ({load()}): {per_pair * 1e6:.1f} µs per pair (caches warm)")


def bench_variant_table() -> None:
    from aigaq.names import SAME_PERSON_THRESHOLD, match_keys, similarity
    from tests.names.variant_pairs import (
        HELD_OUT,
        TUNING,
        WHOLE,
        Pair,
        figures,
        load_pairs,
        split,
    )

    pairs = load_pairs()
    parts = {**split(pairs), WHOLE: pairs}

    def same_person(pair: Pair) -> tuple[bool, str]:
        score = similarity(pair.a, pair.b)
        return score >= SAME_PERSON_THRESHOLD, f"{score:.3f}"

    def shares_a_key(pair: Pair) -> tuple[bool, str]:
        return bool(match_keys(pair.a) & match_keys(pair.b)), "no shared key"

    print("-- tests/names/variant_pairs.tsv (held-out part: never tuned on)")
    for part in (TUNING, HELD_OUT, WHOLE):
        print(
            "   "
            + figures(part, parts[part], same_person).line(
                f"same person (similarity >= {SAME_PERSON_THRESHOLD})"
            )
        )
    for part in (TUNING, HELD_OUT, WHOLE):
        true_pairs = [p for p in parts[part] if p.same]
        result = figures(part, true_pairs, shares_a_key)
        where = "whole table" if part == WHOLE else f"{part} part"
        print(
            f"   candidate keys, {where}: recall {result.recall:.3f} "
            f"({result.tp} of {result.rows} true pairs share a key)"
        )


def main() -> None:
    print(f"names bench: best of {ROUNDS} runs per figure")
    bench_pinyin()
    bench_long_text()
    bench_similarity()
    bench_variant_table()


if __name__ == "__main__":
    main()
