"""The casework pages: the person's Contacts panel, a contact's page, its log and messages,
/casework/, and the press desk; what each role may read there."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from aigaq.casework.models import CaseContact, ContactLog, Introduction
from aigaq.casework.services import press_request_create
from aigaq.core.models import AuditEntry
from tests.casework.conftest import HANDLE

pytestmark = pytest.mark.django_db


def test_the_person_page_links_the_contacts_panel(
    client: Any, interviewer: Any, case: dict[str, Any]
) -> None:
    client.force_login(interviewer)
    page = client.get(reverse("staff:person_detail", args=[case["person"].entry_no]))
    assert reverse("staff:contacts_panel", args=[case["person"].entry_no]).encode() in page.content


def test_a_contact_is_added_from_the_panel(
    client: Any, interviewer: Any, case: dict[str, Any], today: dt.date
) -> None:
    client.force_login(interviewer)
    address = reverse("staff:contacts_panel", args=[case["person"].entry_no])
    response = client.post(
        address,
        {
            "testifier": str(case["testifier"].pk),
            "consent": "on",
            "method": "telegram",
            "handle": "@gulzhan",
            "next_contact_due": (today + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    contact = CaseContact.objects.get()
    assert (contact.handle, contact.consent_on) == ("@gulzhan", today)
    panel = client.get(address, HTTP_HX_REQUEST="true").content.decode()
    assert "Гүлжан Тоқтарқызы" in panel and "@gulzhan" not in panel


def test_a_past_due_date_is_refused_on_the_page_and_nothing_is_saved(
    client: Any, interviewer: Any, case: dict[str, Any]
) -> None:
    client.force_login(interviewer)
    response = client.post(
        reverse("staff:contacts_panel", args=[case["person"].entry_no]),
        {
            "testifier": str(case["testifier"].pk),
            "consent": "on",
            "method": "phone",
            "next_contact_due": "2001-01-01",
        },
    )
    assert response.status_code == 400
    assert "in the past" in response.content.decode()
    assert not CaseContact.objects.exists()


def test_the_number_is_shown_only_on_request_and_each_showing_is_audited(
    client: Any, interviewer: Any, contact: CaseContact
) -> None:
    client.force_login(interviewer)
    page = client.get(reverse("staff:contact_detail", args=[contact.pk])).content.decode()
    assert HANDLE not in page
    shown = client.post(reverse("staff:contact_handle", args=[contact.pk]), HTTP_HX_REQUEST="true")
    assert HANDLE in shown.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_id=str(contact.pk), actor=interviewer
    ).exists()


@pytest.mark.parametrize("role", ["viewer", "translator"])
def test_a_viewer_or_translator_never_reaches_a_familys_contact(
    role: str, client: Any, make_user: Any, contact: CaseContact
) -> None:
    client.force_login(make_user(role, f"{role}-x"))
    for address, method in (
        (reverse("staff:contact_detail", args=[contact.pk]), "get"),
        (reverse("staff:contact_handle", args=[contact.pk]), "post"),
        (reverse("staff:casework_home"), "get"),
        (reverse("staff:contacts_panel", args=[contact.person.entry_no]), "get"),
    ):
        response = getattr(client, method)(address)
        assert response.status_code == 403, address
        assert HANDLE.encode() not in response.content
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_logging_a_contact_on_its_page_puts_the_family_on_this_weeks_list(
    client: Any, coordinator: Any, contact: CaseContact, today: dt.date
) -> None:
    CaseContact.objects.filter(pk=contact.pk).update(next_contact_due=None)
    client.force_login(coordinator)
    home = reverse("staff:casework_home")
    assert "Гүлжан" not in client.get(home).content.decode()
    response = client.post(
        reverse("staff:contact_log", args=[contact.pk]),
        {
            "kind": "call",
            "said": "She asked about the answer.",
            "next_contact_due": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert ContactLog.objects.filter(contact=contact).count() == 1
    assert "Гүлжан" in client.get(home).content.decode()


def test_a_log_with_a_status_event_is_recorded_from_the_page(
    client: Any, coordinator: Any, contact: CaseContact
) -> None:
    client.force_login(coordinator)
    client.post(
        reverse("staff:contact_log", args=[contact.pk]),
        {"kind": "visit", "said": "He came home.", "status_kind": "released"},
    )
    contact.person.refresh_from_db()
    assert contact.person.current_status == "released"


def test_the_message_page_shows_the_filled_text_with_a_copy_button(
    client: Any, interviewer: Any, contact: CaseContact
) -> None:
    client.force_login(interviewer)
    page = client.get(
        reverse("staff:contact_message", args=[contact.pk]),
        {"message": "hearing_date", "lang": "ru", "hearing_on": "2030-02-03"},
    ).content.decode()
    assert "Слушание по делу Серік Оспанұлы назначено на 2030-02-03" in page
    assert 'data-copy="family-message"' in page


def test_a_message_needing_a_petition_says_so(
    client: Any, interviewer: Any, contact: CaseContact
) -> None:
    client.force_login(interviewer)
    page = client.get(
        reverse("staff:contact_message", args=[contact.pk]), {"message": "petition_sent"}
    ).content.decode()
    assert 'data-testid="message-error"' in page and 'data-copy="' not in page


def test_a_broken_message_file_is_named_on_the_page(
    client: Any, interviewer: Any, contact: CaseContact, tmp_path: Any, monkeypatch: Any
) -> None:
    (tmp_path / "broken.toml").write_text('[title]\nen = "x\n', encoding="utf-8")
    monkeypatch.setenv("AIGAQ_FAMILY_MESSAGES", str(tmp_path))
    client.force_login(interviewer)
    page = client.get(
        reverse("staff:contact_message", args=[contact.pk]), {"message": "broken"}
    ).content.decode()
    assert "broken.toml" in page


def test_the_press_desk_offers_and_introduces_only_with_press_consent(
    client: Any, coordinator: Any, case: dict[str, Any]
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("staff:press_new"), {"reporter": "Jane", "outlet": "Daily", "topic": "Camps"}
    )
    assert response.status_code == 302
    press_url = response["Location"]
    page = client.get(press_url).content.decode()
    assert 'data-testid="match"' in page and "Гүлжан Тоқтарқызы" in page
    introduce = press_url + "introduce/"
    refused = client.post(introduce, {"testimony": case["testimony"].number, "agreement": " "})
    assert refused.status_code == 400 and not Introduction.objects.exists()
    client.post(
        introduce, {"testimony": case["testimony"].number, "agreement": "Agreed on the phone."}
    )
    assert Introduction.objects.get().testifier == case["testifier"]


def test_a_press_page_never_shows_a_contact_detail(
    client: Any, coordinator: Any, contact: CaseContact
) -> None:
    press = press_request_create(actor=coordinator, reporter="J", outlet="D", topic="T")
    client.force_login(coordinator)
    page = client.get(reverse("staff:press_detail", args=[press.pk])).content.decode()
    assert "Гүлжан" in page and HANDLE not in page


def test_an_interviewer_may_not_open_the_press_desk(client: Any, interviewer: Any) -> None:
    client.force_login(interviewer)
    assert client.get(reverse("staff:press_new")).status_code == 403
    home = client.get(reverse("staff:casework_home")).content.decode()
    assert 'data-testid="press-section"' not in home


def test_the_contact_form_is_refused_to_those_without_the_capability(
    contact: Any, viewer: Any, translator: Any, client: Any
) -> None:
    from django.urls import reverse

    url = reverse("staff:contact_edit", args=[contact.pk])
    for user in (viewer, translator):
        client.force_login(user)
        assert client.get(url).status_code in (302, 403, 404)
        assert client.post(url, {"version": contact.version, "method": "visit"}).status_code in (
            302,
            403,
            404,
        )
    contact.refresh_from_db()
    assert contact.method == "whatsapp"


def test_the_contact_form_keeps_the_number_when_left_empty(
    contact: Any, coordinator: Any, client: Any, today: Any
) -> None:
    from django.urls import reverse

    client.force_login(coordinator)
    url = reverse("staff:contact_edit", args=[contact.pk])
    response = client.post(
        url,
        {"version": contact.version, "consent": "on", "method": "whatsapp", "notes": "Evenings."},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.handle == "+77015550123" and contact.notes == "Evenings."
    # Consent withdrawn while a next contact is planned: refused, nothing changed.
    response = client.post(
        url,
        {
            "version": contact.version,
            "method": "whatsapp",
            "next_contact_due": today.isoformat(),
        },
    )
    assert response.status_code == 400 and "not agreed to be contacted" in response.content.decode()
    contact.refresh_from_db()
    assert contact.consent
