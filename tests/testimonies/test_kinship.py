"""The relationship read from both sides: TestimonyPerson.relationship is what the testifier IS
to the person ("mother"), so beside the testifier it reads "mother of #401" and beside the
person "her son"."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from aigaq.testimonies import kinship
from aigaq.testimonies.models import Relationship
from tests import factories


@pytest.mark.parametrize(
    ("relationship", "person_gender", "testifier_gender", "beside_person"),
    [
        ("mother", "male", "", "her son"),
        ("mother", "female", "", "her daughter"),
        ("mother", "unknown", "", "her child"),
        ("father", "male", "", "his son"),
        ("son", "female", "", "his mother"),
        ("daughter", "unknown", "", "her parent"),
        ("wife", "male", "", "her husband"),
        ("husband", "female", "", "his wife"),
        ("sister", "male", "", "her brother"),
        ("brother", "unknown", "", "his brother or sister"),
        ("uncle", "female", "", "his niece"),
        ("niece", "male", "", "her uncle"),
        ("grandparent", "male", "female", "her grandson"),
        ("grandchild", "unknown", "", "the testifier's grandparent"),
        ("neighbour", "male", "male", "his neighbour"),
        ("self", "male", "", "the testifier themself"),
    ],
)
def test_the_person_is_named_from_the_testifiers_side(
    relationship: str, person_gender: str, testifier_gender: str, beside_person: str
) -> None:
    with translation.override("en"):
        assert (
            kinship.person_is(
                relationship, person_gender=person_gender, testifier_gender=testifier_gender
            )
            == beside_person
        )


def test_the_testifier_is_named_from_the_persons_side() -> None:
    with translation.override("en"):
        assert kinship.testifier_is("mother", person="#401") == "mother of #401"
        assert kinship.testifier_is("grandparent", person="#7", testifier_gender="female") == (
            "grandmother of #7"
        )
        assert kinship.testifier_is("self", person="#7") == "#7 themself"


def test_every_relationship_has_words_for_both_sides() -> None:
    for value in Relationship.values:
        for gender in ("female", "male", "unknown"):
            assert kinship.person_is(value, person_gender=gender, testifier_gender=gender)
            assert kinship.testifier_is(value, person="#1", testifier_gender=gender)


@pytest.mark.parametrize(
    ("language", "testifier_side", "person_side"),
    [
        ("kk", "#401 анасы", "оның ұлы"),
        ("ru", "мать #401", "её сын"),
    ],
)
def test_kazakh_and_russian_say_it_in_their_own_order(
    language: str, testifier_side: str, person_side: str
) -> None:
    with translation.override(language):
        assert kinship.testifier_is("mother", person="#401") == testifier_side
        assert kinship.person_is("mother", person_gender="male") == person_side


@pytest.mark.django_db
def test_pages_read_the_relationship_from_both_sides(client: Any, coordinator: Any) -> None:
    son = factories.person("Ақан Серікұлы", actor=coordinator, gender="male")
    mother = factories.testifier("Гүлжан Тоқтарқызы", actor=coordinator)
    testimony = factories.testimony(
        son, actor=coordinator, relationship="mother", testifier_obj=mother
    )
    client.force_login(coordinator)
    person_page = client.get(f"/persons/{son.entry_no}/").content.decode()
    assert f"mother of #{son.entry_no}" in person_page
    assert "testifier: Son" not in person_page
    testimony_page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert "her son" in testimony_page
    listing = client.get("/testimonies/").content.decode()
    assert "(her son)" in listing
