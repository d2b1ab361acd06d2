from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aigaq.core.locking import EditConflict
from aigaq.core.models import AuditEntry
from aigaq.people.models import Person, PersonName
from aigaq.people.services import NameInput, person_create, person_update, status_event_add
from aigaq.people.validators import chinese_id_check_char
from tests import factories

pytestmark = pytest.mark.django_db


def valid_id(prefix: str = "65400119800101123") -> str:
    return prefix + chinese_id_check_char(prefix)


def test_person_with_names_in_several_scripts_round_trips_exactly(coordinator) -> None:
    names = [
        "Гүлнар Серікқызы",
        "Gulnar Serikqyzy",
        "古丽娜尔·赛力克",
        "گۇلنار سەرىكقىزى",
        "  Ａｂｃ 🙂 ",
    ]
    p = person_create(actor=coordinator, names=[NameInput(n) for n in names])
    stored = list(PersonName.objects.filter(person=p).values_list("full_name", flat=True))
    assert stored == [n.strip() for n in names]
    assert p.primary_name == "Гүлнар Серікқызы"
    scripts = dict(PersonName.objects.filter(person=p).values_list("full_name", "script"))
    assert scripts["Гүлнар Серікқызы"] == "cyrillic"
    assert scripts["古丽娜尔·赛力克"] == "han"


def test_entry_numbers_are_sequential_and_never_reused(coordinator) -> None:
    a = factories.person(actor=coordinator)
    b = factories.person(actor=coordinator)
    assert b.entry_no == a.entry_no + 1
    # A retired (merged) entry keeps its number; the next person gets a new one.
    Person.objects.filter(pk=b.pk).update(merged_into=a)
    c = factories.person(actor=coordinator)
    assert c.entry_no == b.entry_no + 1
    # Even the highest number, once its row is gone altogether, is not given again (a count
    # or a maximum of the table would give it again).
    number = c.entry_no
    PersonName.objects.filter(person=c).delete()
    Person.objects.filter(pk=c.pk).delete()
    assert not Person.objects.filter(entry_no=number).exists()
    d = factories.person(actor=coordinator)
    assert d.entry_no == number + 1
    numbers = list(Person.objects.values_list("entry_no", flat=True))
    assert len(numbers) == len(set(numbers))


def test_person_without_any_name_is_refused_and_nothing_is_written(coordinator) -> None:
    with pytest.raises(ValidationError):
        person_create(actor=coordinator, names=[NameInput("   ")])
    assert Person.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_viewer_cannot_create_a_person(viewer) -> None:
    with pytest.raises(PermissionDenied):
        person_create(actor=viewer, names=[NameInput("Серік")])


def test_every_change_is_audited_with_before_and_after(coordinator) -> None:
    p = factories.person("Нұрлан Маратұлы", actor=coordinator, occupation="teacher")
    person_update(actor=coordinator, person=p, expected_version=p.version, occupation="imam")
    entry = AuditEntry.objects.filter(object_id=str(p.pk), action="update").latest("id")
    assert entry.changes["occupation"] == ["teacher", "imam"]
    assert entry.actor == coordinator
    assert entry.person_id == p.pk


def test_restricted_field_contents_never_enter_the_audit_log(coordinator) -> None:
    cid = valid_id()
    p = factories.person(actor=coordinator, chinese_id=cid)
    person_update(
        actor=coordinator,
        person=p,
        expected_version=p.version,
        chinese_id=valid_id("65400119900101123"),
    )
    blob = " ".join(str(e.changes) for e in AuditEntry.objects.all())
    assert cid not in blob
    assert "[restricted]" in blob


def test_bad_chinese_id_is_refused_with_a_clear_message(coordinator) -> None:
    with pytest.raises(ValidationError) as exc:
        factories.person(actor=coordinator, chinese_id="65400119800101123X0")
    assert "18 characters" in " ".join(exc.value.messages)
    bad_check = "65400119800101123" + (
        "0" if chinese_id_check_char("65400119800101123") != "0" else "1"
    )
    with pytest.raises(ValidationError) as exc:
        factories.person(actor=coordinator, chinese_id=bad_check)
    assert "does not match" in " ".join(exc.value.messages)


def test_two_volunteers_editing_the_same_person_get_a_conflict(coordinator, interviewer) -> None:
    p = factories.person(actor=coordinator)
    first_version = p.version
    person_update(actor=coordinator, person=p, expected_version=first_version, occupation="driver")
    with pytest.raises(EditConflict) as exc:
        person_update(
            actor=interviewer, person=p, expected_version=first_version, occupation="herder"
        )
    assert exc.value.current.occupation == "driver"
    p.refresh_from_db()
    assert p.occupation == "driver"


def test_current_status_is_derived_from_the_timeline_and_official_denials_do_not_override(
    coordinator,
) -> None:
    p = factories.person(actor=coordinator)
    status_event_add(actor=coordinator, person=p, kind="detained", date_text="spring 2017")
    status_event_add(actor=coordinator, person=p, kind="camp", date_text="2018-03")
    status_event_add(
        actor=coordinator, person=p, kind="released", date_text="2019", report="official_claim"
    )
    p.refresh_from_db()
    assert p.current_status == "camp"
    assert p.events.count() == 3


def test_status_with_an_impossible_date_is_refused_and_not_written(coordinator) -> None:
    p = factories.person(actor=coordinator)
    with pytest.raises(ValidationError) as exc:
        status_event_add(actor=coordinator, person=p, kind="detained", date_text="2018-13")
    assert "no month 13" in " ".join(exc.value.messages)
    assert p.events.count() == 0


def test_a_precise_date_inside_a_vaguer_one_counts_as_later(coordinator) -> None:
    p = factories.person(actor=coordinator)
    status_event_add(actor=coordinator, person=p, kind="detained", date_text="2018")
    status_event_add(
        actor=coordinator, person=p, kind="prison", date_text="2018-03", sentence="10 years"
    )
    p.refresh_from_db()
    assert p.current_status == "prison"
