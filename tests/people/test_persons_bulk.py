"""persons_create_bulk: many persons at once, by the same rules as person_create (the one way
the spreadsheet import and the field-bundle merge create persons)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from aigaq.core.models import AuditEntry
from aigaq.people import hooks
from aigaq.people.models import Person, PersonName, Place, StatusEvent, Tag
from aigaq.people.services import (
    EventInput,
    NameInput,
    NewPerson,
    PersonsInvalid,
    person_create,
    persons_create_bulk,
    place_save,
)
from aigaq.people.validators import chinese_id_check_char
from aigaq.search.models import NameKey
from tests import factories

pytestmark = pytest.mark.django_db

ID17 = "65400119800101123"
GOOD_ID = ID17 + chinese_id_check_char(ID17)


def test_bulk_persons_get_names_events_status_audit_and_search_keys(coordinator) -> None:
    before = factories.person(actor=coordinator)
    place = place_save(Place(code="tekes", kind="county", name="Tekes"))
    imam = Tag.objects.create(slug="imam", label="Imam")
    created = persons_create_bulk(
        actor=coordinator,
        persons=[
            NewPerson(
                names=[NameInput(" Гүлнар Серікқызы "), NameInput("Gulnar Serikqyzy")],
                fields={"gender": "female", "hometown": place, "chinese_id": GOOD_ID},
                events=[EventInput("detained", "2017"), EventInput("camp", "spring 2018")],
                tags=[imam],
                facts={"row": 2},
            ),
            NewPerson(names=[NameInput("马明")]),
        ],
        action=AuditEntry.Action.IMPORT,
        note="list.csv",
    )
    assert [c.entry_no for c in created] == [before.entry_no + 1, before.entry_no + 2]
    gulnar = Person.objects.get(pk=created[0].pk)
    assert gulnar.primary_name == "Гүлнар Серікқызы" and gulnar.current_status == "camp"
    assert gulnar.first_detained_year == 2017
    assert Person.objects.get(pk=created[1].pk).first_detained_year is None
    assert gulnar.hometown == place and list(gulnar.tags.all()) == [imam]
    assert dict(PersonName.objects.filter(person=gulnar).values_list("full_name", "script")) == {
        "Гүлнар Серікқызы": "cyrillic",
        "Gulnar Serikqyzy": "latin",
    }
    event = StatusEvent.objects.get(person=gulnar, kind="camp")
    assert event.date_start.isoformat() == "2018-03-01" and event.created_by == coordinator
    entry = AuditEntry.objects.get(object_id=str(gulnar.pk))
    assert entry.action == "import" and entry.person_id == gulnar.pk and entry.note == "list.csv"
    assert entry.changes["chinese_id"] == ["", "[restricted]"] and GOOD_ID not in str(entry.changes)
    assert entry.changes["row"] == [None, 2] and entry.changes["tags"] == [None, ["imam"]]
    assert NameKey.objects.filter(person_id=created[1].pk).exists()
    # The sequence moved past the block: the next person gets the next number.
    assert factories.person(actor=coordinator).entry_no == before.entry_no + 3


def test_an_entry_number_asked_for_is_kept_when_free_and_never_handed_out_again(
    coordinator,
) -> None:
    taken = factories.person(actor=coordinator)
    created = persons_create_bulk(
        actor=None,
        persons=[
            NewPerson(names=[NameInput("A")], entry_no=500),
            NewPerson(names=[NameInput("B")], entry_no=taken.entry_no),
            NewPerson(names=[NameInput("C")]),
        ],
    )
    numbers = [c.entry_no for c in created]
    assert numbers[0] == 500 and numbers[1] > 500 and numbers[2] > 500
    assert len(set(numbers)) == 3
    later = person_create(actor=coordinator, names=[NameInput("D")])
    assert later.entry_no > max(numbers)


def test_every_bad_row_is_reported_and_nothing_is_written(coordinator) -> None:
    seen: list[object] = []
    hooks.PERSONS_CREATED.append(seen.append)
    try:
        with pytest.raises(PersonsInvalid) as exc:
            persons_create_bulk(
                actor=coordinator,
                persons=[
                    NewPerson(names=[NameInput("Good")]),
                    NewPerson(names=[NameInput("Bad gender")], fields={"gender": "robot"}),
                    NewPerson(names=[NameInput("  ")]),
                    NewPerson(names=[NameInput("Bad id")], fields={"chinese_id": ID17 + "0"}),
                    NewPerson(names=[NameInput("Bad event")], events=[EventInput("vanished")]),
                ],
            )
    finally:
        hooks.PERSONS_CREATED.remove(seen.append)
    assert [(p.index, p.field) for p in exc.value.problems] == [
        (1, "gender"),
        (2, ""),
        (3, ""),
        (4, ""),
    ]
    assert not Person.objects.exists() and not AuditEntry.objects.exists() and not seen


def test_an_interviewer_cannot_make_persons_public_in_bulk(interviewer) -> None:
    with pytest.raises(PermissionDenied):
        persons_create_bulk(
            actor=interviewer,
            persons=[NewPerson(names=[NameInput("A")], fields={"visibility": "public"})],
        )
    assert not Person.objects.exists()
