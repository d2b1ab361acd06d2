"""The press desk: requests, matching cases, and introductions only of testifiers who agreed
to be contacted by the press (disclosure decides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aigaq.casework.models import Introduction
from aigaq.casework.selectors import press_matches
from aigaq.casework.services import (
    introduction_create,
    press_request_close,
    press_request_create,
)
from aigaq.disclosure import policy
from aigaq.testimonies.services import consent_withdraw
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(coordinator: Any) -> Any:
    return press_request_create(
        actor=coordinator,
        reporter="Jane Reporter",
        outlet="Daily Example",
        topic="Detained imams",
        language="en",
        wanted="An imam detained in 2018",
        filters={"status": "camp"},
    )


@pytest.fixture
def cases(coordinator: Any) -> dict[str, Any]:
    """Four persons in a camp, each with a testimony: consented to the press; consented to
    publication only; consented to the press then withdrawn; no consent at all."""
    out = {}
    for key, consent in (
        ("press", {"consent_press": True}),
        ("public_only", {"consent_public": True}),
        ("withdrawn", {"consent_press": True}),
        ("none", {}),
    ):
        person = factories.person(actor=coordinator, status="camp", visibility="internal")
        who = factories.testifier(f"Testifier {key}", actor=coordinator)
        out[key] = factories.testimony(person, actor=coordinator, testifier_obj=who, **consent)
    consent_withdraw(actor=coordinator, testimony=out["withdrawn"], reason="afraid")
    return out


def test_only_testifiers_who_agreed_to_the_press_are_offered(
    request_: Any, cases: dict[str, Any], coordinator: Any
) -> None:
    offered = [m.testimony.pk for m in press_matches(coordinator, request_)]
    assert offered == [cases["press"].pk]


def test_matches_follow_the_requests_filters(
    request_: Any, cases: dict[str, Any], coordinator: Any
) -> None:
    other = factories.person(actor=coordinator, status="released", visibility="internal")
    factories.testimony(other, actor=coordinator, consent_press=True)
    assert other.pk not in {m.person.pk for m in press_matches(coordinator, request_)}


def test_consent_to_publication_is_not_consent_to_be_contacted_by_a_reporter(
    cases: dict[str, Any],
) -> None:
    assert policy.testimony_usable_for(cases["public_only"], policy.Use.PRESS)
    assert not policy.testimony_usable_for(cases["public_only"], policy.Use.PRESS_CONTACT)


def test_an_introduction_is_logged_with_whose_agreement(
    request_: Any, cases: dict[str, Any], coordinator: Any
) -> None:
    intro = introduction_create(
        actor=coordinator,
        request=request_,
        testimony=cases["press"],
        agreement="The testifier agreed on the phone on 2 May.",
    )
    assert intro.testifier == cases["press"].testifier and intro.by == coordinator
    assert [m.introduced for m in press_matches(coordinator, request_)] == [True]


def test_an_introduction_without_agreement_text_is_refused(
    request_: Any, cases: dict[str, Any], coordinator: Any
) -> None:
    with pytest.raises(ValidationError, match="agreement"):
        introduction_create(
            actor=coordinator, request=request_, testimony=cases["press"], agreement="  "
        )
    assert not Introduction.objects.exists()


@pytest.mark.parametrize("key", ["public_only", "withdrawn", "none"])
def test_a_testifier_without_press_consent_is_never_introduced(
    key: str, request_: Any, cases: dict[str, Any], coordinator: Any
) -> None:
    with pytest.raises(ValidationError, match="not agreed"):
        introduction_create(
            actor=coordinator, request=request_, testimony=cases[key], agreement="Yes."
        )
    assert not Introduction.objects.exists()


def test_a_closed_request_takes_no_introduction(
    request_: Any, cases: dict[str, Any], coordinator: Any
) -> None:
    closed = press_request_close(
        actor=coordinator, request=request_, expected_version=request_.version
    )
    with pytest.raises(ValidationError, match="closed"):
        introduction_create(
            actor=coordinator, request=closed, testimony=cases["press"], agreement="Yes."
        )


def test_an_interviewer_may_not_use_the_press_desk(interviewer: Any) -> None:
    with pytest.raises(PermissionDenied):
        press_request_create(actor=interviewer, reporter="a", outlet="b", topic="c")


def test_a_request_needs_a_reporter_an_outlet_a_topic_and_a_deadline_not_past(
    coordinator: Any,
) -> None:
    with pytest.raises(ValidationError) as exc:
        press_request_create(actor=coordinator, reporter="", outlet="", topic="")
    assert set(exc.value.message_dict) == {"reporter", "outlet", "topic"}
    with pytest.raises(ValidationError, match="passed"):
        press_request_create(
            actor=coordinator, reporter="a", outlet="b", topic="c", deadline=dt.date(2001, 1, 1)
        )
