from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aigaq.core.models import AuditEntry
from aigaq.intake import services
from aigaq.intake.models import Room, Visit
from aigaq.people.models import Person
from aigaq.testimonies.models import Testifier, Testimony
from aigaq.testimonies.services import RelationInput
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(coordinator):
    return services.room_create(actor=coordinator, name="Room 1")


def test_registering_a_visitor_gives_the_next_ticket_of_the_day(coordinator) -> None:
    a = services.visit_register(actor=coordinator, visitor_name="Гүлнар Серікқызы")
    b = services.visit_register(actor=coordinator, visitor_name="Ерлан Нұрлан")
    assert (a.ticket, b.ticket) == (1, 2)
    assert a.status == Visit.Status.WAITING
    assert a.arrived_at is not None


def test_tickets_start_again_at_one_on_a_new_day(coordinator) -> None:
    services.visit_register(actor=coordinator, visitor_name="A", day=dt.date(2026, 1, 1))
    v = services.visit_register(actor=coordinator, visitor_name="B", day=dt.date(2026, 1, 2))
    assert v.ticket == 1


def test_registering_is_audited_with_the_phone_masked(coordinator) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="Айгүл", phone="+7 (701) 234-56-78")
    assert v.phone == "+77012345678"
    entry = AuditEntry.objects.get(object_id=str(v.pk), action=AuditEntry.Action.CREATE)
    assert "7012345678" not in str(entry.changes)
    assert entry.changes["phone"] == ["", "[restricted]"]


def test_empty_name_is_refused_with_a_clear_message_and_nothing_written(coordinator) -> None:
    with pytest.raises(ValidationError) as exc:
        services.visit_register(actor=coordinator, visitor_name="   ")
    assert "name" in str(exc.value.message_dict["visitor_name"][0]).lower()
    assert Visit.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="intake.visit").exists()


def test_unknown_reason_is_refused(coordinator) -> None:
    with pytest.raises(ValidationError):
        services.visit_register(actor=coordinator, visitor_name="A", reason="shopping")
    assert Visit.objects.count() == 0


def test_a_translator_may_not_work_at_the_desk(translator) -> None:
    with pytest.raises(PermissionDenied):
        services.visit_register(actor=translator, visitor_name="A")


def test_relatives_on_record_and_new_names_are_kept(coordinator) -> None:
    p = factories.person("Серік Ахмет", actor=coordinator)
    v = services.visit_register(
        actor=coordinator,
        visitor_name="Гүлнар",
        relatives=[p],
        new_relatives=["Нұрлан Серік; Айжан Серікқызы", "  "],
    )
    assert list(v.relatives.all()) == [p]
    assert v.new_relatives == ["Нұрлан Серік", "Айжан Серікқызы"]


def test_assigning_sends_the_visitor_to_a_room_with_an_interviewer(
    coordinator, interviewer, room
) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="A")
    v = services.visit_assign(actor=coordinator, visit=v, room=room, interviewer=interviewer)
    assert v.status == Visit.Status.IN_ROOM
    assert v.room == room and v.interviewer == interviewer
    assert v.called_at is not None


def test_assigning_to_an_unknown_room_is_refused(coordinator) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="A")
    with pytest.raises(ValidationError) as exc:
        services.visit_assign(actor=coordinator, visit=v, room=None)
    assert "room" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.visit_assign(actor=coordinator, visit=v, room=Room(name="ghost"))
    v.refresh_from_db()
    assert v.status == Visit.Status.WAITING and v.room is None


def test_assigning_to_a_room_out_of_use_is_refused(coordinator, room) -> None:
    room = services.room_set_active(actor=coordinator, room=room, active=False)
    v = services.visit_register(actor=coordinator, visitor_name="A")
    with pytest.raises(ValidationError):
        services.visit_assign(actor=coordinator, visit=v, room=room)


def test_a_translator_cannot_be_made_the_interviewer(coordinator, translator, room) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="A")
    with pytest.raises(ValidationError):
        services.visit_assign(actor=coordinator, visit=v, room=room, interviewer=translator)


def test_finishing_twice_is_refused(coordinator, room) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="A")
    services.visit_assign(actor=coordinator, visit=v, room=room)
    v = services.visit_finish(actor=coordinator, visit=v)
    assert v.status == Visit.Status.DONE and v.finished_at is not None
    with pytest.raises(ValidationError) as exc:
        services.visit_finish(actor=coordinator, visit=v)
    assert "already finished" in " ".join(exc.value.messages)


def test_a_visitor_who_left_cannot_be_assigned(coordinator, room) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="A")
    services.visit_mark_left(actor=coordinator, visit=v)
    with pytest.raises(ValidationError):
        services.visit_assign(actor=coordinator, visit=v, room=room)


def test_starting_the_interview_makes_the_actor_the_interviewer(
    coordinator, interviewer, room
) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="A")
    services.visit_assign(actor=coordinator, visit=v, room=room)
    v = services.visit_start(actor=interviewer, visit=v)
    assert v.interviewer == interviewer and v.started_at is not None
    with pytest.raises(ValidationError):
        services.visit_start(actor=interviewer, visit=v)


def test_recording_a_testimony_creates_everything_and_closes_the_visit(
    coordinator, interviewer, room
) -> None:
    known = factories.person("Серік Ахмет", actor=coordinator)
    v = services.visit_register(
        actor=coordinator,
        visitor_name="Гүлнар Серікқызы",
        phone="+77010000001",
        relatives=[known],
        new_relatives=["Нұрлан Серік"],
        language="kk",
    )
    services.visit_assign(actor=coordinator, visit=v, room=room, interviewer=interviewer)
    before = Person.objects.count()
    t = services.visit_record_testimony(
        actor=interviewer,
        visit=v,
        testifier_name="Гүлнар Серікқызы",
        phone="+77010000001",
        recorded_on=dt.date(2026, 3, 1),
        relations=[RelationInput(known, "father")],
        new_relatives=[services.NewRelative("Нұрлан Серік", "brother")],
    )
    v.refresh_from_db()
    assert v.status == Visit.Status.DONE and v.testimony == t and v.testifier == t.testifier
    assert t.interviewer == interviewer and t.location == Testimony.Location.OFFICE
    assert t.testifier.phone == "+77010000001"
    assert Person.objects.count() == before + 1
    assert sorted(t.relations.values_list("relationship", flat=True)) == ["brother", "father"]


def test_a_failed_recording_writes_nothing(coordinator, interviewer, room) -> None:
    known = factories.person("Серік Ахмет", actor=coordinator)
    v = services.visit_register(actor=coordinator, visitor_name="Гүлнар")
    counts = (Person.objects.count(), Testifier.objects.count(), Testimony.objects.count())
    with pytest.raises(ValidationError):
        services.visit_record_testimony(
            actor=interviewer,
            visit=v,
            testifier_name="Гүлнар",
            relations=[RelationInput(known, "father"), RelationInput(known, "son")],
            new_relatives=[services.NewRelative("Жаңа Адам", "brother")],
        )
    assert (Person.objects.count(), Testifier.objects.count(), Testimony.objects.count()) == counts
    v.refresh_from_db()
    assert v.status == Visit.Status.WAITING and v.testimony is None


def test_recording_needs_a_name_and_at_least_one_relative(coordinator, interviewer) -> None:
    v = services.visit_register(actor=coordinator, visitor_name="Гүлнар")
    with pytest.raises(ValidationError):
        services.visit_record_testimony(
            actor=interviewer,
            visit=v,
            testifier_name=" ",
            new_relatives=[services.NewRelative("A", "son")],
        )
    with pytest.raises(ValidationError):
        services.visit_record_testimony(actor=interviewer, visit=v, testifier_name="Гүлнар")
    assert Testimony.objects.count() == 0


def test_a_returning_visitor_is_recognised_by_phone(coordinator, interviewer) -> None:
    first = services.visit_register(
        actor=coordinator, visitor_name="Гүлнар", phone="+7 701 000 0002"
    )
    t = services.visit_record_testimony(
        actor=interviewer,
        visit=first,
        testifier_name="Гүлнар",
        phone="+77010000002",
        new_relatives=[services.NewRelative("Серік", "father")],
    )
    again = services.visit_register(
        actor=coordinator, visitor_name="Gulnar", phone="+7-701-000-00-02"
    )
    assert again.testifier == t.testifier


def test_a_returning_visitor_is_recognised_by_name_in_another_spelling(
    coordinator, interviewer
) -> None:
    first = services.visit_register(actor=coordinator, visitor_name="Гүлнар Серікқызы")
    t = services.visit_record_testimony(
        actor=interviewer,
        visit=first,
        testifier_name="Гүлнар Серікқызы",
        new_relatives=[services.NewRelative("Серік", "father")],
    )
    again = services.visit_register(actor=coordinator, visitor_name="Gulnar Serikqizi")
    assert again.testifier == t.testifier


def test_a_phone_typed_in_any_spelling_is_stored_in_one_form(coordinator) -> None:
    spellings = ["8 (701) 000-00-02", "+7 701 000 0002", "701 000 00 02", "+7-701-000-00-02"]
    stored = {
        services.visit_register(actor=coordinator, visitor_name="Гүлнар", phone=p).phone
        for p in spellings
    }
    assert stored == {"+77010000002"}


def test_a_bad_phone_at_the_desk_is_refused_with_a_clear_message_and_nothing_written(
    coordinator,
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.visit_register(actor=coordinator, visitor_name="Гүлнар", phone="12 34")
    assert "country code" in exc.value.message_dict["phone"][0]
    assert Visit.objects.count() == 0


def test_a_returning_visitor_is_recognised_by_a_phone_imported_with_a_testifier(
    coordinator,
) -> None:
    from aigaq.testimonies.services import testifier_create

    known = testifier_create(actor=coordinator, full_name="Айгүл", phone="+7 700 111 2233")
    assert known.phone == "+77001112233"
    visit = services.visit_register(actor=coordinator, visitor_name="Aigul", phone="87001112233")
    assert visit.testifier == known


def test_phones_stored_before_are_normalised_by_the_data_migration(coordinator) -> None:
    import importlib

    from django.apps import apps

    legacy = Visit.objects.create(
        day=dt.date(2026, 1, 1),
        ticket=1,
        visitor_name="A",
        phone="8 701 000-00-02",
        arrived_at=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC),
    )
    odd = Visit.objects.create(
        day=dt.date(2026, 1, 1),
        ticket=2,
        visitor_name="B",
        phone="ask the neighbour",
        arrived_at=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC),
    )
    teller = Testifier.objects.create(full_name="C", phone="+7 (700) 111 22 33")
    for module_name in (
        "aigaq.intake.migrations.0003_normalise_stored_phones",
        "aigaq.testimonies.migrations.0007_normalise_stored_phones",
    ):
        module = importlib.import_module(module_name)
        module.normalise(apps, None)
    legacy.refresh_from_db()
    odd.refresh_from_db()
    teller.refresh_from_db()
    assert (legacy.phone, odd.phone, teller.phone) == (
        "+77010000002",
        "ask the neighbour",
        "+77001112233",
    )
