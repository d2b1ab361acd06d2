"""Person.first_detained_year follows the timeline through every service that changes it,
and the migration fills it for persons recorded before it existed."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.people.models import Person, StatusEvent
from aigaq.people.services import (
    first_detained_year_of,
    status_event_add,
    status_event_remove,
    status_event_update,
)
from tests import factories

pytestmark = pytest.mark.django_db


def year(person: Person) -> int | None:
    person.refresh_from_db()
    return person.first_detained_year


def test_it_follows_the_timeline(coordinator: Any) -> None:
    person = factories.person("Ақан Сәрсенұлы", actor=coordinator, status="lost_contact")
    assert year(person) is None  # losing contact is not a detention
    status_event_add(actor=coordinator, person=person, kind="camp", date_text="2019-04")
    assert year(person) == 2019
    status_event_add(actor=coordinator, person=person, kind="detained", date_text="spring 2017")
    assert year(person) == 2017
    status_event_add(actor=coordinator, person=person, kind="released", date_text="2015")
    assert year(person) == 2017  # a release is not a detention either
    first = StatusEvent.objects.get(person=person, kind="detained")
    status_event_update(
        actor=coordinator,
        event=first,
        expected_version=first.version,
        reason="the relative corrected the year",
        date_text="2018-01",
    )
    assert year(person) == 2018
    status_event_remove(
        actor=coordinator,
        event=StatusEvent.objects.get(person=person, kind="detained"),
        reason="entered twice",
    )
    assert year(person) == 2019


def test_undated_detentions_give_no_year() -> None:
    assert first_detained_year_of([("detained", None), ("released", None)]) is None


def test_the_migration_fills_existing_persons(coordinator: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    person = factories.person("Ақан", actor=coordinator, status="prison", date="2016-05")
    Person.objects.filter(pk=person.pk).update(first_detained_year=None)
    migration = import_module("aigaq.people.migrations.0010_first_detained_year")
    migration.fill(apps, None)
    assert year(person) == 2016
