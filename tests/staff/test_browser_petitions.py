"""Petitions in Debian's Chromium: a volunteer opens a person, sees what the WGEID form still
needs, fills it, generates the PDF, marks it sent with a registration number and records the
answer."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from aigaq.petitions.models import Petition
from tests import factories
from tests.petitions.conftest import NAMES, ready_person, tekes  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    """Screenshots for a reviewer's eyes, when AIGAQ_SCREENSHOTS names a folder (1280 and
    390 pixels wide)."""
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if not folder:
        return
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=os.path.join(folder, f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_wgeid_petition_from_the_person_page_to_its_registration_number(
    signed_in_page: Any,
    live_server: Any,
    ready_person: Any,  # noqa: F811
) -> None:
    page, _user = signed_in_page()
    page.goto(f"{live_server.url}/persons/{ready_person.entry_no}/")
    panel = page.locator("[data-testid=petitions-panel]")
    wgeid = panel.locator("tr[data-form=wgeid]")
    assert "the record is complete" in wgeid.inner_text()
    assert "entries to fill in" in wgeid.inner_text()
    panel.scroll_into_view_if_needed()
    _shot(page, "person-panel")

    wgeid.locator("[data-testid=petition-start-wgeid]").click()
    page.wait_for_url(re.compile(r".*/petitions/new/\?form=wgeid$"))
    findings = page.locator("[data-testid=findings]").inner_text()
    assert "Forces believed responsible: not filled in." in findings
    assert "The family consents to this submission: not confirmed." in findings
    substance = page.locator("#id_substance").input_value()
    assert "on 12 May 2018 in Tekes" in substance
    _shot(page, "wgeid-new")

    page.fill("#id_forces", "Officers of the county public security bureau.")
    page.fill("#id_steps", "Letters to the embassy in 2019; no answer.")
    page.fill("#id_source_name", "Гүлжан Тоқтарқызы")
    page.fill("#id_source_address", "Almaty, Abai avenue 1")
    page.fill("#id_source_relationship", "mother")
    page.check("#id_family_consent")
    page.click("[data-testid=save]")
    page.wait_for_url(re.compile(r".*/petitions/[0-9a-f-]+/$"))
    assert page.locator("[data-testid=check-ok]").is_visible()
    _shot(page, "wgeid-ready")

    with page.expect_download() as info:
        page.click("[data-testid=generate-pdf]")
    download = info.value
    assert download.suggested_filename == f"petition-wgeid-{ready_person.entry_no}.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF")
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        with open(os.path.join(folder, "browser-wgeid.pdf"), "wb") as fh:
            fh.write(content)

    sent = page.locator("[data-testid=mark-sent]")
    sent.locator("select[name=channel]").select_option("email")
    sent.locator("input[name=registration_no]").fill("G/SO 217/1 KAZ 42/2026")
    sent.locator("[data-testid=mark-sent-submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=petition-state]").inner_text() == "Registered"
    assert page.locator("[data-testid=registration-no]").inner_text() == "G/SO 217/1 KAZ 42/2026"
    _shot(page, "wgeid-registered")

    answer = page.locator("[data-testid=record-answer]")
    answer.locator("textarea[name=answer]").fill("The case was transmitted to the government.")
    answer.locator("[data-testid=record-answer-submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=petition-state]").inner_text() == "Answered"
    petition = Petition.objects.get()
    assert (petition.state, petition.channel, petition.registration_no) == (
        "answered",
        "email",
        "G/SO 217/1 KAZ 42/2026",
    )
    page.goto(f"{live_server.url}/persons/{ready_person.entry_no}/#petitions")
    listed = page.locator("[data-testid=petitions]").inner_text()
    assert "Answered" in listed and "G/SO 217/1 KAZ 42/2026" in listed
    assert NAMES[0] in page.locator("[data-testid=primary-name]").inner_text()

    # A person whose record lacks what the forms need: the panel says what, per form.
    lacking = factories.person("Бақыт Нұрланұлы", actor=_user, status="lost_contact", date="2018")
    factories.testimony(lacking, actor=_user, consent_petitions=True)
    page.goto(f"{live_server.url}/persons/{lacking.entry_no}/#petitions")
    needs = page.locator("[data-testid=petitions-panel] tr[data-form=wgeid]").inner_text()
    assert "only the year is known" in needs and "Year of birth: not recorded" in needs
    page.locator("[data-testid=petitions-panel]").scroll_into_view_if_needed()
    _shot(page, "person-panel-lacking")


def test_the_scanned_answer_is_attached_refused_when_not_a_document_and_downloaded(
    signed_in_page: Any,
    live_server: Any,
    settings: Any,
    tmp_path: Path,
    ready_person: Any,  # noqa: F811
) -> None:
    from aigaq.core.models import AuditEntry
    from aigaq.media.models import MediaFile
    from aigaq.petitions.services import petition_advance, petition_create
    from tests.media.conftest import files_under
    from tests.petitions.test_answer_scan import SCAN

    settings.MEDIA_ROOT = str(tmp_path / "media")
    page, user = signed_in_page()
    petition = petition_create(actor=user, form="wgeid", persons=[ready_person], entries={})
    petition = petition_advance(
        actor=user,
        petition=petition,
        state="registered",
        expected_version=petition.version,
        channel="post",
        registration_no="G/SO 217/1 KAZ 43/2026",
    )
    page.goto(f"{live_server.url}/petitions/{petition.pk}/")
    answer = page.locator("[data-testid=record-answer]")
    text = tmp_path / "answer.pdf"
    text.write_text("Not a scan: a text file named .pdf\n")
    answer.locator("textarea[name=answer]").fill("The case was transmitted to the government.")
    answer.locator("input[name=answer_scan]").set_input_files(str(text))
    answer.locator("[data-testid=record-answer-submit]").click()
    page.wait_for_load_state()
    error = page.locator(".msg.error, .messages .error").first.inner_text()
    assert "The scanned answer was not kept" in error and "complete PDF" in error
    assert page.locator("[data-testid=petition-state]").inner_text() == "Registered"
    assert not MediaFile.objects.exists() and files_under(tmp_path / "media") == []
    _shot(page, "answer-scan-refused")

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(SCAN)
    answer = page.locator("[data-testid=record-answer]")
    answer.locator("textarea[name=answer]").fill("The case was transmitted to the government.")
    answer.locator("input[name=answer_scan]").set_input_files(str(scan))
    answer.locator("[data-testid=record-answer-submit]").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=petition-state]").inner_text() == "Answered"
    _shot(page, "answer-scan-kept")
    with page.expect_download() as info:
        page.click("[data-testid=answer-scan-link]")
    download = info.value
    assert download.suggested_filename == f"answer-wgeid-{ready_person.entry_no}.pdf"
    assert Path(download.path()).read_bytes() == SCAN
    media = MediaFile.objects.get()
    assert media.restricted and media.kind == "document"
    assert AuditEntry.objects.filter(object_id=str(media.pk), action="read").count() == 1


def test_the_family_summary_from_the_person_page_in_russian(
    signed_in_page: Any,
    live_server: Any,
    ready_person: Any,  # noqa: F811
) -> None:
    from aigaq.petitions.services import petition_advance, petition_create

    page, user = signed_in_page()
    petition = petition_create(actor=user, form="wgeid", persons=[ready_person], entries={})
    petition_advance(
        actor=user,
        petition=petition,
        state="registered",
        expected_version=petition.version,
        channel="email",
        registration_no="G/SO 217/1 KAZ 44/2026",
    )
    page.goto(f"{live_server.url}/persons/{ready_person.entry_no}/")
    page.locator("[data-testid=family-summary-link]").click()
    page.select_option("#id_lang", "ru")
    page.locator("[data-testid=summary-language] button").click()
    summary = page.locator("[data-testid=family-summary]")
    assert "Что сделано для вашего родственника" in summary.inner_text()
    assert "G/SO 217/1 KAZ 44/2026" in summary.inner_text()
    _shot(page, "family-summary-ru")
    with page.expect_download() as info:
        page.click("[data-testid=summary-pdf]")
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        with open(os.path.join(folder, "family-summary-ru.pdf"), "wb") as fh:
            fh.write(content)
