"""Family contacts and their log: audited writes, the bad input each refuses, and the status
event a family's news becomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aigaq.casework.models import CaseContact, ContactLog
from aigaq.casework.selectors import contact_handle_for, families_to_call
from aigaq.casework.services import contact_create, contact_log_add, contact_update
from aigaq.core.audit import RESTRICTED_MARK
from aigaq.core.models import AuditEntry
from aigaq.people.models import StatusEvent
from tests import factories
from tests.casework.conftest import HANDLE

pytestmark = pytest.mark.django_db


def test_a_contact_is_recorded_with_its_number_masked_in_the_audit_log(contact: Any) -> None:
    assert contact.handle == HANDLE  # a WhatsApp number kept in one form
    entry = AuditEntry.objects.get(object_id=str(contact.pk), action=AuditEntry.Action.CREATE)
    assert entry.changes["handle"] == ["", RESTRICTED_MARK]
    assert HANDLE not in str(entry.changes)
    assert entry.person_id == contact.person_id


def test_a_next_contact_in_the_past_is_refused_and_nothing_is_written(
    case: dict[str, Any], coordinator: Any, today: dt.date
) -> None:
    with pytest.raises(ValidationError) as exc:
        contact_create(
            actor=coordinator,
            person=case["person"],
            testifier=case["testifier"],
            consent=True,
            method="phone",
            next_contact_due=today - dt.timedelta(days=1),
        )
    assert "in the past" in " ".join(exc.value.messages)
    assert not CaseContact.objects.exists()


def test_no_next_contact_is_planned_without_the_familys_consent(
    case: dict[str, Any], coordinator: Any, today: dt.date
) -> None:
    with pytest.raises(ValidationError, match="not agreed"):
        contact_create(
            actor=coordinator,
            person=case["person"],
            testifier=case["testifier"],
            consent=False,
            method="phone",
            next_contact_due=today,
        )


def test_only_a_testifier_of_the_case_becomes_its_contact(
    case: dict[str, Any], coordinator: Any
) -> None:
    stranger = factories.testifier("Бөтен Адам", actor=coordinator)
    with pytest.raises(ValidationError, match="no testimony about this person"):
        contact_create(
            actor=coordinator,
            person=case["person"],
            testifier=stranger,
            consent=True,
            method="phone",
        )


def test_a_translator_may_not_keep_family_contacts(case: dict[str, Any], translator: Any) -> None:
    with pytest.raises(PermissionDenied):
        contact_create(
            actor=translator,
            person=case["person"],
            testifier=case["testifier"],
            consent=True,
            method="phone",
        )


def test_a_logged_contact_moves_the_next_contact_and_is_audited(
    contact: Any, interviewer: Any, today: dt.date
) -> None:
    later = today + dt.timedelta(days=30)
    entry, event = contact_log_add(
        actor=interviewer,
        contact=contact,
        kind="call",
        said="Told her the appeal was registered.",
        next_contact_due=later,
    )
    assert event is None
    assert entry.by == interviewer
    contact.refresh_from_db()
    assert contact.next_contact_due == later
    assert AuditEntry.objects.filter(object_id=str(entry.pk), person_id=contact.person_id).exists()


def test_a_contact_log_with_nothing_said_or_a_past_due_date_writes_nothing(
    contact: Any, coordinator: Any, today: dt.date
) -> None:
    with pytest.raises(ValidationError):
        contact_log_add(actor=coordinator, contact=contact, kind="call", said="  ")
    with pytest.raises(ValidationError, match="in the past"):
        contact_log_add(
            actor=coordinator,
            contact=contact,
            kind="call",
            said="Called.",
            next_contact_due=today - dt.timedelta(days=2),
        )
    assert not ContactLog.objects.exists()


def test_news_from_the_family_becomes_a_dated_status_event_naming_the_log_entry(
    contact: Any, coordinator: Any
) -> None:
    entry, event = contact_log_add(
        actor=coordinator,
        contact=contact,
        kind="call",
        said="He was sentenced to 15 years.",
        status={"kind": "prison", "date_text": "2019-03", "sentence": "15 years"},
    )
    assert event is not None
    assert (event.kind, event.date_text, event.sentence) == ("prison", "2019-03", "15 years")
    assert str(entry.pk)[:8] in event.source_text
    # The testifier's name and number are restricted: the timeline does not repeat them.
    assert "Гүлжан" not in event.source_text and HANDLE not in event.source_text
    contact.person.refresh_from_db()
    assert contact.person.current_status == "prison"


def test_a_refused_status_event_leaves_no_contact_log_either(
    contact: Any, coordinator: Any
) -> None:
    with pytest.raises(ValidationError):
        contact_log_add(
            actor=coordinator,
            contact=contact,
            kind="visit",
            said="Visited.",
            status={"kind": "no-such-status"},
        )
    assert not ContactLog.objects.exists()
    assert not StatusEvent.objects.filter(person=contact.person).exists()


def test_families_to_call_are_those_due_this_week_or_overdue(
    contact: Any, coordinator: Any, today: dt.date
) -> None:
    far = factories.person(actor=coordinator)
    t = factories.testimony(far, actor=coordinator)
    contact_create(
        actor=coordinator,
        person=far,
        testifier=t.testifier,
        consent=True,
        method="phone",
        next_contact_due=today + dt.timedelta(days=40),
    )
    overdue = factories.person(actor=coordinator)
    t2 = factories.testimony(overdue, actor=coordinator)
    late = contact_create(
        actor=coordinator, person=overdue, testifier=t2.testifier, consent=True, method="visit"
    )
    CaseContact.objects.filter(pk=late.pk).update(next_contact_due=today - dt.timedelta(days=5))
    assert [c.pk for c in families_to_call(coordinator, today)] == [late.pk, contact.pk]


def test_families_to_call_name_no_person_the_reader_may_not_see(
    contact: Any, interviewer: Any, today: dt.date
) -> None:
    from aigaq.people.models import Person

    Person.objects.filter(pk=contact.person_id).update(visibility="restricted")
    assert families_to_call(interviewer, today) == []


def test_the_number_is_read_only_by_readers_of_restricted_fields_and_each_read_audited(
    contact: Any, coordinator: Any, viewer: Any
) -> None:
    assert contact_handle_for(viewer, contact) is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()
    assert contact_handle_for(coordinator, contact) == HANDLE
    read = AuditEntry.objects.get(action=AuditEntry.Action.READ, object_id=str(contact.pk))
    assert read.changes == {"fields": ["handle"]}


def test_a_contact_update_refuses_a_past_due_date(contact: Any, coordinator: Any) -> None:
    with pytest.raises(ValidationError):
        contact_update(
            actor=coordinator,
            contact=contact,
            expected_version=contact.version,
            next_contact_due=dt.date(2000, 1, 1),
        )
    updated = contact_update(
        actor=coordinator, contact=contact, expected_version=contact.version, notes="Evenings."
    )
    assert updated.notes == "Evenings."


def test_families_to_call_is_one_query_and_reads_no_number(
    contact: Any, coordinator: Any, today: dt.date, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        (shown,) = families_to_call(coordinator, today)
    # What the list shows is there without another query; the number and the testifier's
    # own contacts (restricted) were never read.
    with django_assert_num_queries(0):
        assert shown.person.entry_no == contact.person.entry_no
        assert shown.person.primary_name == contact.person.primary_name
        assert shown.testifier.full_name == contact.testifier.full_name
        assert shown.get_method_display() and shown.next_contact_due == contact.next_contact_due
    assert "handle" in shown.get_deferred_fields()
    assert {"phone", "address", "email"} <= shown.testifier.get_deferred_fields()
