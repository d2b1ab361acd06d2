"""The entry being typed (not saved yet) is compared with the live entries as the scan would
compare it once saved: the new-person form's warning (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.dedup import scan
from aigaq.dedup.selectors import look_alikes_for
from aigaq.people.models import Place
from aigaq.people.services import place_save
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tekes(db: Any) -> Place:
    return place_save(Place(code="cn-xj-tekes", kind="county", name="Tekes"))


@pytest.fixture
def gulnar(tekes: Place) -> Any:
    return factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female", hometown=tekes)


@pytest.mark.parametrize(
    "typed",
    ["Гульнар Сериккызы", "Gulnar Serikqyzy", "古丽娜尔·赛力克", "Гүлнар Серікқызы"],
)
def test_the_same_person_in_another_spelling_or_script_is_found(
    gulnar: Any, tekes: Place, typed: str
) -> None:
    found = scan.find_look_alikes(
        names=[typed], gender="female", birth_year=1975, hometown=tekes.pk
    )
    assert [f.pk for f in found] == [gulnar.pk]
    assert found[0].score >= scan.DEFAULT_MIN_SCORE
    codes = {r["code"] for r in found[0].reasons}
    assert {"birth_same", "hometown_same"} <= codes


def test_another_birth_year_far_away_or_another_gender_is_not_a_look_alike(
    gulnar: Any, tekes: Place
) -> None:
    assert scan.find_look_alikes(names=["Gulnar Serikqyzy"], birth_year=1995) == []
    assert scan.find_look_alikes(names=["Gulnar Serikqyzy"], gender="male") == []
    assert scan.find_look_alikes(names=["Асқар Бекұлы"], birth_year=1975) == []


def test_a_merged_entry_is_not_offered(gulnar: Any, coordinator: Any) -> None:
    from aigaq.dedup.services import person_merge

    other = factories.person("Gulnar Serikqyzy", birth_year=1975, gender="female")
    person_merge(actor=coordinator, survivor=other, retired=gulnar)
    found = scan.find_look_alikes(names=["Гүлнар Серікқызы"], birth_year=1975)
    assert [f.pk for f in found] == [other.pk]


def test_only_entries_the_user_may_see_are_named(
    gulnar: Any, translator: Any, coordinator: Any
) -> None:
    hidden = factories.person(
        "Gulnar Serikqyzy", birth_year=1975, gender="female", visibility="restricted"
    )
    facts = {"names": ["Гүлнар Серікқызы"], "birth_year": 1975, "gender": "female"}
    seen = {p.pk for p, _s, _r in look_alikes_for(user=coordinator, **facts)}
    assert seen == {gulnar.pk, hidden.pk}
    seen = {p.pk for p, _s, _r in look_alikes_for(user=translator, **facts)}
    assert seen == {gulnar.pk}
