"""Testimonies have a number a volunteer can say aloud ("T12"): allocated in order, never
reused, shown on the pages, searchable, and given to the testimonies that existed before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aigaq.core.models import Sequence
from aigaq.testimonies.models import NUMBER_SEQUENCE, Testimony
from aigaq.testimonies.selectors import parse_testimony_number
from tests import factories

pytestmark = pytest.mark.django_db


def test_numbers_are_allocated_in_order_and_never_reused_after_a_deletion() -> None:
    person = factories.person("Ербол Серікұлы")
    first = factories.testimony(person)
    second = factories.testimony(person)
    assert second.number == first.number + 1
    assert first.label == f"T{first.number}"
    Testimony.objects.filter(pk=second.pk).delete()
    third = factories.testimony(person)
    assert third.number == second.number + 1


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12),
        ("T12", 12),
        ("t-12", 12),
        (" #7 ", 7),
        ("T", None),
        ("0", None),
        ("", None),
        ("12a", None),
        ("١٢", None),
        ("99999999999", None),
    ],
)
def test_a_number_is_read_as_people_write_it(text: str, number: int | None) -> None:
    assert parse_testimony_number(text) == number


def test_the_page_is_reached_by_number_and_shows_it(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    testimony = factories.testimony(factories.person("Ербол Серікұлы"), actor=coordinator)
    page = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert f'data-testid="testimony-number">T{testimony.number}<' in page
    assert client.get(f"/testimonies/{testimony.pk}/").status_code == 404


def test_the_list_finds_a_testimony_by_its_number(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    person = factories.person("Ербол Серікұлы")
    wanted = factories.testimony(person, actor=coordinator)
    other = factories.testimony(person, actor=coordinator)
    listed = client.get("/testimonies/", {"q": f"T{wanted.number}"}).context["page"]
    assert [t.pk for t in listed.object_list] == [wanted.pk]
    assert other.pk not in [t.pk for t in listed.object_list]


def test_the_demo_numbers_its_testimonies_and_moves_the_counter_past_them() -> None:
    from aigaq.demo.records import generate_demo

    generate_demo(people=30, seed=3)
    numbers = sorted(Testimony.objects.values_list("number", flat=True))
    assert numbers and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert Sequence.objects.get(name=NUMBER_SEQUENCE).last_value == numbers[-1]


BEFORE = [("testimonies", "0007_normalise_stored_phones")]


@pytest.mark.django_db(transaction=True)
def test_existing_testimonies_are_numbered_in_the_order_they_were_made() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old: Any = executor.loader.project_state(BEFORE).apps
        who = old.get_model("testimonies", "Testifier").objects.create(full_name="A")
        made = old.get_model("testimonies", "Testimony").objects
        now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        later = made.create(testifier=who, recorded_on=dt.date(2019, 3, 1), created_at=now)
        earlier = made.create(
            testifier=who, recorded_on=dt.date(2021, 3, 1), created_at=now - dt.timedelta(days=1)
        )

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new: Any = executor.loader.project_state(leaves).apps
        numbered = new.get_model("testimonies", "Testimony").objects
        assert numbered.get(pk=earlier.pk).number == 1
        assert numbered.get(pk=later.pk).number == 2
        seq = new.get_model("core", "Sequence").objects.get(name="testimony.number")
        assert seq.last_value == 2
    finally:
        MigrationExecutor(connection).migrate(leaves)


def test_drafts_made_in_bulk_by_an_import_get_numbers_too() -> None:
    from aigaq.testimonies.services import NewTestifier, testifiers_create_bulk

    person = factories.person("Ербол Серікұлы")
    before = factories.testimony(person)
    made = testifiers_create_bulk(
        actor=None,
        testifiers=[
            NewTestifier(full_name="Айгүл Сәрсенқызы", concerns=[(person.pk, "mother")]),
            NewTestifier(full_name="Бақыт Серікұлы", concerns=[(person.pk, "brother")]),
        ],
        summary="From a list.",
    )
    assert made == 2
    numbers = sorted(Testimony.objects.exclude(pk=before.pk).values_list("number", flat=True))
    assert numbers == [before.number + 1, before.number + 2]
