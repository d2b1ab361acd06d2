"""Duplicates across Chinese characters and other scripts: the bridge keys.

A name in characters shares no whole-name match key with the same name in Cyrillic or
Latin (its readings differ in vowels and in h/k), so without the bridge keys such a pair is
never even compared: the duplicate benchmark's main loss of recall."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.dedup import scan
from aigaq.names import match_keys
from aigaq.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db

# (name in characters, the same name in another script): no whole-name match key in common.
PAIRS = [
    ("哈比提·铁木尔别克", "Ғабит Темірбекұлы"),
    ("卡米拉·哈力木别克", "Kamila Galymbekqyzy"),
    ("海拉提·伊斯拉木哈力", "Qairat Islamgaliuly"),
    ("阿扎马提·哈纳提", "Azamat Kanat"),
    ("沙亮", "Ша Лян"),  # a Hui name in one word, and in Palladius Cyrillic
]


def _whole(name: str) -> set[str]:
    return {k for k in match_keys(name) if k.startswith(("n:", "s:", "x:"))}


@pytest.mark.parametrize(("han", "other"), PAIRS)
def test_a_name_in_characters_and_in_cyrillic_or_latin_are_paired(
    coordinator: Any, han: str, other: str
) -> None:
    assert not _whole(han) & _whole(other)  # what the bridge is for
    gender = "female" if other.endswith(("қызы", "qyzy")) else "male"
    a = factories.person(han, actor=coordinator, birth_year=1971, gender=gender)
    b = factories.person(other, actor=coordinator, birth_year=1971, gender=gender)
    pair = scan.ordered(a.pk, b.pk)
    stored, _s = scan.find_candidates()  # keys from the search index
    computed, _c = scan.find_candidates(use_index=False)  # keys computed from the names
    targeted, _t = scan.find_candidates_for([b.pk])  # the check after an entry or import
    for found in (stored, computed, targeted):
        assert [(f.a, f.b) for f in found] == [pair]
        assert found[0].score >= scan.DEFAULT_MIN_SCORE


def test_two_names_outside_characters_are_never_paired_by_the_bridge(coordinator: Any) -> None:
    # Жанар and Санар have one coarse skeleton (zh = s), as do their bridge keys, but they
    # are two names: only a name in characters is read that loosely.
    factories.person("Жанар Серікқызы", actor=coordinator, birth_year=1980, gender="female")
    factories.person("Sanar Serikqyzy", actor=coordinator, birth_year=1980, gender="female")
    assert Person.objects.count() == 2
    found, stats = scan.find_candidates(min_score=0.0)
    assert found == [] and stats.pairs_blocked == 0


def test_a_bridge_block_beyond_the_cap_pairs_only_within_a_birth_year() -> None:
    facts = [
        scan.Facts(pk=i, gender="male", birth_low=y, birth_high=y, hometown=None, chinese_id="")
        for i, y in enumerate([1970, 1971, 1970, 1971, 1970])
    ]
    # 0 and 1 in characters; 2, 3 and 4 in Cyrillic; 0 also in Cyrillic (so paired with 1).
    rows = [("c:kpt tmrpk", i) for i in (0, 2, 3, 4)] + [("h:kpt tmrpk", i) for i in (0, 1)]
    assert set(scan.block_pairs(facts, sorted(rows))) == {
        (0, 1),
        (0, 2),
        (0, 3),
        (0, 4),
        (1, 2),
        (1, 3),
        (1, 4),
    }
    stats = scan.ScanStats()
    split = scan.block_pairs(facts, sorted(rows), hub_cap=4, stats=stats)
    assert stats.hubs_split == 1
    assert set(split) == {(0, 2), (0, 4), (1, 3)}
    assert scan.counterpart_keys(["c:a b", "n:x"]) == {"c:a b", "h:a b", "n:x"}
