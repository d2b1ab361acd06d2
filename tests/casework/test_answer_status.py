"""An answer to a petition that changes the person's situation becomes a dated status event
whose source names the petition (form and registration number): one transaction, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aigaq.core.models import AuditEntry
from aigaq.people.models import StatusEvent
from aigaq.petitions.models import Petition
from aigaq.petitions.services import petition_advance, petition_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(coordinator: Any) -> Petition:
    person = factories.person("Серік Оспанұлы", actor=coordinator, status="camp")
    petition = petition_create(actor=coordinator, form="wgeid", persons=[person], entries={})
    petition = petition_advance(
        actor=coordinator,
        petition=petition,
        state="sent",
        expected_version=petition.version,
        channel="email",
    )
    return petition_advance(
        actor=coordinator,
        petition=petition,
        state="registered",
        expected_version=petition.version,
        registration_no="G/SO 217/1 CHN 12",
    )


def test_an_answer_records_a_status_event_naming_the_petition(
    registered: Petition, coordinator: Any
) -> None:
    petition_advance(
        actor=coordinator,
        petition=registered,
        state="answered",
        expected_version=registered.version,
        answer="He was released on 3 March and is at home.",
        status={"kind": "released", "date_text": "2024-03-03"},
    )
    event = StatusEvent.objects.get(person=registered.person, kind="released")
    assert event.date_text == "2024-03-03"
    assert "WGEID" in event.source_text and "G/SO 217/1 CHN 12" in event.source_text
    registered.person.refresh_from_db()
    assert registered.person.current_status == "released"
    assert AuditEntry.objects.filter(object_id=str(event.pk), action="create").exists()


def test_a_sentence_is_dated_the_day_of_the_answer_when_no_date_is_given(
    registered: Petition, coordinator: Any
) -> None:
    answered = petition_advance(
        actor=coordinator,
        petition=registered,
        state="answered",
        expected_version=registered.version,
        answer="Sentenced.",
        status={"kind": "prison", "sentence": "15 years"},
    )
    event = StatusEvent.objects.get(person=registered.person, kind="prison")
    assert (event.date_text, event.sentence) == (answered.answered_on.isoformat(), "15 years")


def test_a_refused_status_event_leaves_the_petition_unanswered(
    registered: Petition, coordinator: Any
) -> None:
    with pytest.raises(ValidationError):
        petition_advance(
            actor=coordinator,
            petition=registered,
            state="answered",
            expected_version=registered.version,
            answer="Something.",
            status={"kind": "released", "date_text": "next century"},
        )
    registered.refresh_from_db()
    assert registered.state == "registered" and registered.answer == ""


def test_the_petition_page_records_the_answer_and_the_status_event(
    registered: Petition, coordinator: Any, client: Any
) -> None:
    client.force_login(coordinator)
    page = client.get(reverse("staff:petition_detail", args=[registered.pk]))
    assert b'data-testid="answer-status"' in page.content
    response = client.post(
        reverse("staff:petition_state", args=[registered.pk]),
        {
            "version": registered.version,
            "state": "answered",
            "answer": "Returned to Kazakhstan.",
            "status_kind": "returned",
        },
    )
    assert response.status_code == 302
    assert StatusEvent.objects.filter(person=registered.person, kind="returned").exists()
