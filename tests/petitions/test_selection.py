"""The selection a batch of petitions and a dossier share (petitions.selection): one set of
fields, flags and one selector; each page and command keeps the parts and flags it had."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError
from django.test import Client

from aigaq.people.models import Person
from aigaq.petitions.management.commands.dossier import Command as DossierCommand
from aigaq.petitions.management.commands.petitions import Command as PetitionsCommand
from aigaq.petitions.selection import (
    BATCH_FIELDS,
    DOSSIER_FIELDS,
    Selection,
    SelectionRefused,
    selection_from,
    selection_from_options,
)
from aigaq.search.filters import SYSTEM
from tests import factories

pytestmark = pytest.mark.django_db


def _parse(command: Any, *argv: str) -> dict[str, Any]:
    parser = command.create_parser("aigaq", "x")
    return vars(parser.parse_args(list(argv)))


def test_the_commands_keep_their_flags() -> None:
    batch = _parse(
        PetitionsCommand(),
        *("batch", "--form", "wgeid", "--format", "pdf", "-o", "x.zip"),
        *("--person", "4", "--person", "2", "--place", "Tekes", "--detained-year", "2018"),
        *("--status", "camp", "--ethnicity", "kazakh", "--tag", "imams", "--grade", "reported"),
    )
    assert batch["person"] == [4, 2] and batch["detained_year"] == 2018
    assert (batch["place"], batch["status"], batch["ethnicity"], batch["tag"], batch["grade"]) == (
        "Tekes",
        "camp",
        "kazakh",
        "imams",
        "reported",
    )
    dossier = _parse(
        DossierCommand(),
        *("--title", "T", "--language", "en", "-o", "x.pdf", "--place", "Tekes"),
        *("--tag", "imams", "--status", "camp", "--citizenship", "kz", "--person", "7"),
    )
    assert (dossier["place"], dossier["tag"], dossier["status"]) == ("Tekes", "imams", "camp")
    assert dossier["citizenship"] == "kz" and dossier["person"] == [7]
    # Neither grew the other's flags.
    with pytest.raises(CommandError, match="--grade"):
        _parse(DossierCommand(), "--title", "T", "--language", "en", "-o", "x", "--grade", "x")


def test_the_pages_show_the_parts_they_offered(coordinator: Any) -> None:
    c = Client()
    c.force_login(coordinator)
    batch = c.get("/petitions/batch/?form=wgeid").content.decode()
    dossier = c.get("/petitions/dossier/").content.decode()
    for name in ("fmt", "place", "detained_year", "status", "numbers"):
        assert f'name="{name}"' in batch
    for name in ("ethnicity", "grade", "citizenship", "tag"):
        assert f'name="{name}"' not in batch
    for name in ("place", "tag", "status", "citizenship", "numbers", "title", "language"):
        assert f'name="{name}"' in dossier
    for name in ("detained_year", "ethnicity", "grade"):
        assert f'name="{name}"' not in dossier
    # In the order each page always had.
    assert [batch.index(f'name="{n}"') for n in ("fmt", "place", "detained_year", "status")] == (
        sorted(batch.index(f'name="{n}"') for n in ("fmt", "place", "detained_year", "status"))
    )
    order = [dossier.index(f'name="{n}"') for n in ("place", "tag", "status", "citizenship")]
    assert order == sorted(order)


def test_the_selector_narrows_by_every_part(coordinator: Any, tekes: Any) -> None:
    held = factories.person(actor=coordinator, status="detained", date="2018-05", hometown=tekes)
    Person.objects.filter(pk=held.pk).update(citizenships=["KZ", "CN"])
    other_year = factories.person(
        actor=coordinator, status="detained", date="2017-02", hometown=tekes
    )
    elsewhere = factories.person(actor=coordinator, status="detained", date="2018-03")

    def entries(selection: Selection) -> list[int]:
        return list(selection.persons(SYSTEM).values_list("entry_no", flat=True))

    assert entries(selection_from(place="test-tekes", detained_year=2018)) == [held.entry_no]
    assert entries(selection_from(detained_year=2018, citizenship="kz")) == [held.entry_no]
    assert entries(selection_from(place="test-tekes")) == sorted(
        [held.entry_no, other_year.entry_no]
    )
    assert entries(selection_from(numbers=[elsewhere.entry_no, held.entry_no])) == sorted(
        [held.entry_no, elsewhere.entry_no]
    )
    record = selection_from(place="test-tekes", citizenship="kz", numbers=[5, 3, 5]).as_record()
    assert record == {"place": "test-tekes", "citizenship": "KZ", "entries": [3, 5]}


@pytest.mark.parametrize(
    ("opts", "message"),
    [
        ({"person": [999999]}, "There is no entry #999999"),
        ({"place": "Nowhere-xyz-at-all"}, "No place of the gazetteer"),
        ({"detained_year": 18}, "--detained-year must be a year"),
        ({"citizenship": "KAZ"}, "two-letter country code"),
    ],
)
def test_bad_options_are_refused_saying_why(opts: dict[str, Any], message: str) -> None:
    parts = tuple(set(BATCH_FIELDS) | set(DOSSIER_FIELDS))
    with pytest.raises(SelectionRefused, match=message):
        selection_from_options(opts, parts)


def test_a_merged_entry_number_names_the_entry_kept(coordinator: Any) -> None:
    kept = factories.person(actor=coordinator)
    gone = factories.person(actor=coordinator)
    Person.objects.filter(pk=gone.pk).update(merged_into=kept)
    with pytest.raises(SelectionRefused, match="use that number"):
        selection_from_options({"person": [gone.entry_no]}, DOSSIER_FIELDS)
