"""Similarity of names: range, symmetry, order, patronymics (its speed: bench/names_bench.py)."""

from __future__ import annotations

import pytest

from aigaq.names import (
    SAME_PERSON_THRESHOLD,
    best_similarity,
    role_relation,
    similarity,
    to_comparison,
)

GULNAR = ["Гүлнар Серікқызы", "Gulnar Serikkyzy", "Gulnar Serikqizi", "古丽娜尔·赛力克"]


def test_the_issue_example_is_one_woman_in_four_spellings() -> None:
    for a in GULNAR:
        for b in GULNAR:
            assert similarity(a, b) >= SAME_PERSON_THRESHOLD, (a, b)


def test_similarity_is_one_for_identical_names_and_zero_for_empty_ones() -> None:
    assert similarity("Gulnar Serikqyzy", "Gulnar Serikqyzy") == 1.0
    assert similarity("", "") == 0.0
    assert similarity("Gulnar", "") == 0.0
    assert similarity("🌸", "🌸") == 0.0


def test_similarity_stays_between_zero_and_one() -> None:
    names = [*GULNAR, "Nurlan Asanuly", "马明", "Abdu Rahman", "a", "x" * 300]
    for a in names:
        for b in names:
            assert 0.0 <= similarity(a, b) <= 1.0


def test_similarity_is_symmetric() -> None:
    names = [*GULNAR, "Gulnar", "Serikova Gulnara", "Nurlan Serikuly", "Abdu Rahman Ali"]
    for a in names:
        for b in names:
            assert similarity(a, b) == similarity(b, a), (a, b)


def test_order_of_name_parts_does_not_matter() -> None:
    assert similarity("Gulnar Serikova", "Serikova Gulnar") == 1.0
    assert similarity("Nurlan Asanuly", "Асанов Нурлан") == similarity(
        "Nurlan Asanuly", "Нурлан Асанов"
    )


def test_patronymic_suffix_on_one_side_still_matches() -> None:
    assert similarity("Erlan Maksutkhan", "Erlan Maksutkhanuly") >= SAME_PERSON_THRESHOLD
    assert similarity("Maksutkhan", "Maksutkhanuly") >= SAME_PERSON_THRESHOLD


def test_patronymic_on_both_sides_scores_higher_than_on_one() -> None:
    both = similarity("Erlan Maksutkhanuly", "Ерлан Мақсұтханұлы")
    one = similarity("Erlan Maksutkhanuly", "Ерлан Мақсұтхан")
    assert both > one


def test_kazakh_patronymic_matches_russian_surname_and_patronymic() -> None:
    assert similarity("Гүлнар Серікқызы", "Гульнар Серикова") >= SAME_PERSON_THRESHOLD
    assert similarity("Гүлнар Серікқызы", "Гульнара Сериковна") >= SAME_PERSON_THRESHOLD
    assert similarity("Нұрлан Асанұлы", "Нурлан Асанович") >= SAME_PERSON_THRESHOLD


def test_son_and_daughter_of_the_same_father_differ() -> None:
    assert similarity("Askar Serikuly", "Askar Serikqyzy") < SAME_PERSON_THRESHOLD


def test_father_and_son_with_swapped_names_differ() -> None:
    assert similarity("Serik Nurlanuly", "Nurlan Serikuly") < SAME_PERSON_THRESHOLD


def test_different_fathers_differ_even_when_one_letter_apart() -> None:
    assert similarity("Gulnar Serikqyzy", "Gulnar Berikqyzy") < SAME_PERSON_THRESHOLD


def test_a_given_name_alone_is_not_enough() -> None:
    assert similarity("Gulnar", "Gulnar Serikqyzy") < SAME_PERSON_THRESHOLD


def test_a_name_split_or_joined_differently_still_matches() -> None:
    assert similarity("Abdurahman Ali", "Abdu Rahman Ali") >= SAME_PERSON_THRESHOLD
    assert similarity("Ehmetjan", "Ehmet Jan") >= SAME_PERSON_THRESHOLD


def test_best_similarity_takes_the_best_of_the_known_names() -> None:
    names = ["Nurlan Asanuly", "古丽娜尔·赛力克", "Ма Мин"]
    assert best_similarity("Gulnar Serikqyzy", names) == similarity("Gulnar Serikqyzy", names[1])
    assert best_similarity("Gulnar Serikqyzy", []) == 0.0


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        # A patronymic suffix on one side, or in front, does not change who is named.
        ("Асхат Мұратжан", "Асхат Мұратжанұлы", "same"),
        ("Muratzhanuly Askhat", "Асхат Мұратжанұлы", "same"),
        ("Ахметов Турсын", "Тұрсын Ахметұлы", "same"),
        ("Искәндәр Рәшит", "Искәндәр Рәшит улы", "same"),
        ("Гүлнар Серікқызы", "Gulnar Serikqyzy", "same"),
        ("马宝忠", "Ma Baozhong", "same"),
        # The father's name as the own name: a son and his father.
        ("Tursyn Akhmetuly", "Akhmet Tursynuly", "swapped"),
        ("Bolat Kenzhezhan", "Kenzhezhan Bolatuly", "swapped"),
        ("Асхат Мұратжан", "Мұратжан Асхатұлы", "swapped"),
        ("Baozhong Ma", "Ma Baozhong", "swapped"),
        # Spelt differently: pinyin against the characters' Turkic reading.
        ("HAILATI BIEKESULITAN", "别克苏力坦·海拉提", "swapped"),
        ("HAILATI BIEKESULITAN", "海拉提·别克苏力坦", None),
        ("Asan Asanov", "Asanov Asan", "same"),
        # A son's suffix against a daughter's, other names, other lengths: neither.
        ("Гүлнар Серікқызы", "Гүлнар Серікұлы", None),
        ("Асхат Мұратжан", "Асхат Мұратбекұлы", None),
        ("Асхат", "Асхат Мұратжанұлы", None),
        ("", "Асхат", None),
    ],
)
def test_role_relation_tells_the_same_name_from_a_son_and_his_father(
    a: str, b: str, relation: str | None
) -> None:
    ca, cb = to_comparison(a), to_comparison(b)
    assert role_relation(ca, cb, spelt=True) == relation
    assert role_relation(cb, ca, spelt=True) == relation


def test_role_relation_compares_parts_spelt_otherwise_only_when_asked() -> None:
    pinyin, characters = to_comparison("HAILATI BIEKESULITAN"), to_comparison("别克苏力坦·海拉提")
    assert role_relation(pinyin, characters) is None
    assert role_relation(pinyin, characters, spelt=True) == "swapped"
