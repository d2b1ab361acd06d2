"""The public's correction form (honeypot, signed time stamp, rate limit, lengths) and the
curators' review list (capability, restricted contact, audit)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from aigaq.core.models import AuditEntry
from aigaq.corrections.models import Submission
from aigaq.corrections.services import RATE_LIMIT
from aigaq.public.forms import form_token
from tests import factories

published = factories.public_person

pytestmark = pytest.mark.django_db


def send(client: Any, lang: str = "en", **fields: Any) -> Any:
    data = {"message": "His birth year is 1968, not 1986.", "token": form_token(time.time() - 10)}
    data.update(fields)
    return client.post(f"/{lang}/correction/", data, REMOTE_ADDR=fields.pop("addr", "10.0.0.1"))


def test_a_correction_is_stored_for_curators_never_shown(
    public_client: Any, coordinator: Any
) -> None:
    p = published("Серік Оспанов", actor=coordinator)
    form = public_client.get(f"/kk/correction/?entry={p.entry_no}").content.decode()
    assert f'value="{p.entry_no}"' in form and "Серік Оспанов" in form
    r = send(public_client, "kk", entry=p.entry_no, contact="+7 701 000 0000")
    assert r.status_code == 302 and r["Location"] == "/kk/correction/thanks/"
    s = Submission.objects.get()
    assert (s.entry_no, s.language, s.status, s.contact) == (
        p.entry_no,
        "kk",
        "new",
        "+7 701 000 0000",
    )
    assert "10.0.0.1" not in s.client_key
    assert "1968" not in public_client.get(f"/kk/entries/{p.entry_no}/").content.decode()


def test_robots_are_refused_without_a_captcha(public_client: Any) -> None:
    # the hidden field filled: told it worked, nothing kept
    assert send(public_client, website="http://spam.example").status_code == 302
    # sent too fast, with an old or a forged stamp
    assert send(public_client, token=form_token()).status_code == 400
    assert send(public_client, token=form_token(time.time() - 2 * 86400)).status_code == 400
    r = send(public_client, token="123:forged")
    assert r.status_code == 400 and "too old" in r.content.decode()
    assert not Submission.objects.exists()


def test_bad_input_gets_a_sentence(public_client: Any) -> None:
    r = send(public_client, message="x" * 6000)
    assert r.status_code == 400 and "At most 5,000 characters" in r.content.decode()
    r = send(public_client, entry=999999)
    assert r.status_code == 400 and "No public entry has this number." in r.content.decode()
    assert send(public_client, message="").status_code == 400
    assert not Submission.objects.exists()


def test_a_flood_from_one_address_is_stopped(public_client: Any) -> None:
    for _ in range(RATE_LIMIT):
        assert send(public_client).status_code == 302
    r = send(public_client)
    assert r.status_code == 429 and "try again later" in r.content.decode()
    assert send(public_client, addr="10.0.0.2").status_code == 302
    assert Submission.objects.count() == RATE_LIMIT + 1


def test_curators_review_and_the_contact_is_restricted(
    client: Any, coordinator: Any, translator: Any, make_user: Any
) -> None:
    s = Submission.objects.create(message="Wrong hometown", contact="me@example.org")
    client.force_login(translator)
    assert client.get("/corrections/").status_code == 403
    viewer_coord = make_user("coordinator", "second-coordinator")
    client.force_login(viewer_coord)
    listing = client.get("/corrections/").content.decode()
    assert "Wrong hometown" in listing and "me@example.org" not in listing
    page = client.get(f"/corrections/{s.pk}/").content.decode()
    assert "me@example.org" in page
    assert AuditEntry.objects.filter(action="read", object_id=str(s.pk)).exists()
    r = client.post(f"/corrections/{s.pk}/", {"status": "rejected", "note": "spam"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.status, s.reviewer, s.review_note) == ("rejected", viewer_coord, "spam")
    entry = AuditEntry.objects.get(action="update", object_id=str(s.pk))
    assert "me@example.org" not in str(entry.changes)
    assert client.post(f"/corrections/{s.pk}/", {"status": "bogus"}).status_code == 200
