"""The staff pages: the Petitions panel, preparing a petition, its documents and follow-up;
who may use them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from aigaq.petitions.models import Petition
from aigaq.petitions.services import petition_create
from tests.petitions.conftest import ENTRIES

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_panel_shows_each_forms_readiness(ready_person: Any, coordinator: Any) -> None:
    c = client_for(coordinator)
    page = c.get(f"/persons/{ready_person.entry_no}/").content.decode()
    assert f'hx-get="/persons/{ready_person.entry_no}/petitions/"' in page
    fragment = c.get(f"/persons/{ready_person.entry_no}/petitions/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html
    for name in ("wgeid", "wgad", "kz-mfa-kk", "kz-mfa-ru"):
        assert f'data-testid="petition-start-{name}"' in html
    # Without JavaScript, the same as a page of its own.
    assert "<html" in c.get(f"/persons/{ready_person.entry_no}/petitions/").content.decode()


@pytest.mark.parametrize("role", ["viewer", "translator"])
def test_viewers_and_translators_neither_see_nor_prepare(
    role: str, ready_person: Any, request: Any
) -> None:
    user = request.getfixturevalue(role)
    c = client_for(user)
    assert b"petitions-panel" not in c.get(f"/persons/{ready_person.entry_no}/").content
    assert c.get(f"/persons/{ready_person.entry_no}/petitions/").status_code == 403
    assert c.get(f"/persons/{ready_person.entry_no}/petitions/new/?form=wgeid").status_code in (
        403,
        404,
    )


def test_prepare_generate_and_follow(ready_person: Any, interviewer: Any) -> None:
    c = client_for(interviewer)
    page = c.get(f"/persons/{ready_person.entry_no}/petitions/new/?form=wgeid")
    assert page.status_code == 200
    assert "Forces believed responsible: not filled in." in page.content.decode()
    data = {k: ("on" if v is True else v) for k, v in ENTRIES["wgeid"].items()}
    r = c.post(
        f"/persons/{ready_person.entry_no}/petitions/new/?form=wgeid", {**data, "form": "wgeid"}
    )
    petition = Petition.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/petitions/{petition.pk}/"
    pdf = c.post(f"/petitions/{petition.pk}/document.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    r = c.post(
        f"/petitions/{petition.pk}/state/",
        {
            "version": petition.version,
            "state": "sent",
            "channel": "email",
            "registration_no": "WG-123",
        },
    )
    petition.refresh_from_db()
    assert (petition.state, petition.registration_no) == ("registered", "WG-123")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    r = c.post(
        f"/petitions/{petition.pk}/next/",
        {"version": petition.version, "next_action": "Call the family", "due": yesterday},
        follow=True,
    )
    assert "is in the past" in r.content.decode()
    petition.refresh_from_db()
    assert petition.next_action == ""


def test_a_refused_generation_says_why(ready_person: Any, coordinator: Any) -> None:
    petition = petition_create(actor=coordinator, form="wgad", persons=[ready_person], entries={})
    r = client_for(coordinator).post(f"/petitions/{petition.pk}/document.pdf", follow=True)
    assert r.status_code == 200
    assert "The petition cannot be generated" in r.content.decode()
