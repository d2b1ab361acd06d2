"""The one-page summary for a family, read back from its PDF: what was sent for their relative,
to whom, when, the registration number and the answer, in Kazakh, Russian and every language
of the pages; one page; nothing of anyone else (the applicant's details, the other relative of
a joint appeal, the testifier's contacts); audited; refused with a sentence when it cannot be
made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from aigaq.core.models import AuditEntry
from aigaq.petitions.family_summary import (
    LANGUAGES,
    SummaryRefused,
    family_summary_build,
    family_summary_pdf,
)
from aigaq.petitions.services import petition_advance, petition_create
from tests import factories
from tests.petitions.conftest import ENTRIES, IIN, NAMES
from tests.petitions.test_documents import pdf_text

pytestmark = pytest.mark.django_db

BROTHER = "Бауыржан Оспанұлы"
ANSWER = "Іс Қытай үкіметіне жіберілді; жауап күтілуде."


@pytest.fixture
def case(coordinator: Any, ready_person: Any) -> dict[str, Any]:
    """A WGEID case sent and answered; a joint Kazakh appeal with a brother, sent by post
    and registered; a draft never sent."""
    brother = factories.person(BROTHER, actor=coordinator)
    factories.testimony(brother, actor=coordinator, consent_petitions=True)
    day = timezone.localdate() - dt.timedelta(days=30)
    wgeid = petition_create(
        actor=coordinator, form="wgeid", persons=[ready_person], entries=ENTRIES["wgeid"]
    )
    wgeid = petition_advance(
        actor=coordinator,
        petition=wgeid,
        state="registered",
        expected_version=wgeid.version,
        on=day,
        channel="email",
        registration_no="G/SO 217/1 KAZ 42",
    )
    petition_advance(
        actor=coordinator,
        petition=wgeid,
        state="answered",
        expected_version=wgeid.version,
        on=day + dt.timedelta(days=20),
        answer=ANSWER,
    )
    appeal = petition_create(
        actor=coordinator,
        form="kz-mfa-kk",
        persons=[ready_person, brother],
        entries=ENTRIES["kz-mfa-kk"],
    )
    petition_advance(
        actor=coordinator,
        petition=appeal,
        state="registered",
        expected_version=appeal.version,
        on=day + dt.timedelta(days=2),
        channel="post",
        registration_no="ЖТ-2026-0042",
    )
    petition_create(actor=coordinator, form="wgad", persons=[ready_person], entries={})
    return {"person": ready_person, "brother": brother}


def _read(summary_pdf: Any) -> str:
    text = pdf_text(summary_pdf.content)
    for mark in "\u202a\u202b\u202c\u202d\u202e":  # pdftotext's direction marks
        text = text.replace(mark, "")
    return " ".join(text.split())


def test_the_kazakh_summary_says_what_was_sent_to_whom_and_the_answer(
    case: dict[str, Any], coordinator: Any
) -> None:
    summary = family_summary_build(actor=coordinator, person=case["person"], language="kk")
    document = family_summary_pdf(actor=coordinator, summary=summary)
    assert document.content.startswith(b"%PDF") and document.pages == 1
    text = _read(document)
    for phrase in (
        "Туысыңыз үшін не жасалды",
        NAMES[0],
        "G/SO 217/1 KAZ 42",
        "ЖТ-2026-0042",
        ANSWER,
        "пошта",
        "Әзірге жауап жоқ",  # the appeal: no answer yet
        "БҰҰ-ның күштеп жоғалту жөніндегі жұмыс тобы",  # to whom, in Kazakh
    ):
        assert phrase in text, phrase
    # Only what was sent: the WGAD draft is not there. Nobody else is named.
    assert "WGAD" not in text and "ерікті ұстау" not in text
    for other in (BROTHER, IIN, ENTRIES["kz-mfa-kk"]["applicant_name"], "Абай"):
        assert other not in text, other
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.EXPORT, object_id=str(case["person"].pk)
    )
    assert entry.changes["kind"] == "family_summary" and entry.changes["language"] == "kk"
    assert len(entry.changes["petitions"]) == 2


def test_the_russian_summary(case: dict[str, Any], coordinator: Any) -> None:
    summary = family_summary_build(actor=coordinator, person=case["person"], language="ru")
    text = _read(family_summary_pdf(actor=coordinator, summary=summary))
    for phrase in ("Что сделано для вашего родственника", NAMES[0], "почта", ANSWER):
        assert phrase in text, phrase
    assert "Рабочая группа ООН по насильственным или недобровольным исчезновениям" in text
    assert BROTHER not in text


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES])
def test_every_language_of_the_pages_prints_one_page(
    case: dict[str, Any], coordinator: Any, code: str
) -> None:
    summary = family_summary_build(actor=coordinator, person=case["person"], language=code)
    document = family_summary_pdf(actor=coordinator, summary=summary)
    assert document.pages == 1
    text = _read(document)
    assert summary.texts["about"] in text and "G/SO 217/1 KAZ 42" in text
    # The name in the script its readers read first.
    first = {"zh_Hans": NAMES[2], "ar": NAMES[1], "kk": NAMES[0], "ru": NAMES[0]}.get(
        code, NAMES[3]
    )
    assert first in text and BROTHER not in text


def test_many_petitions_still_fit_one_page_and_say_how_many_are_left_out(
    ready_person: Any, coordinator: Any
) -> None:
    for i in range(14):
        p = petition_create(actor=coordinator, form="wgeid", persons=[ready_person], entries={})
        petition_advance(
            actor=coordinator,
            petition=p,
            state="registered",
            expected_version=p.version,
            channel="email",
            registration_no=f"N-{i:02d}",
        )
    summary = family_summary_build(actor=coordinator, person=ready_person, language="en")
    document = family_summary_pdf(actor=coordinator, summary=summary)
    assert document.pages == 1 and summary.hidden > 0
    assert f"{summary.hidden} earlier petitions are not shown" in _read(document)


def test_refusals_say_why_and_record_nothing(
    case: dict[str, Any], coordinator: Any, viewer: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(SummaryRefused, match="Unknown language"):
        family_summary_build(actor=coordinator, person=case["person"], language="es")
    with pytest.raises(PermissionDenied):
        family_summary_build(actor=viewer, person=case["person"], language="kk")
    (tmp_path / "texts.toml").write_text('[kk]\ntitle = "x"\n', encoding="utf-8")
    monkeypatch.setenv("AIGAQ_FAMILY_SUMMARY", str(tmp_path))
    with pytest.raises(SummaryRefused, match=r"has no \[kk\] text for: about"):
        family_summary_build(actor=coordinator, person=case["person"], language="kk")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_the_page_shows_it_and_the_pdf_downloads(
    case: dict[str, Any], coordinator: Any, translator: Any, client: Any
) -> None:
    url = reverse("staff:family_summary", args=[case["person"].entry_no])
    client.force_login(coordinator)
    page = client.get(url + "?lang=ru").content.decode()
    assert "Что сделано для вашего родственника" in page and "G/SO 217/1 KAZ 42" in page
    assert BROTHER not in page.split('data-testid="family-summary"')[1]
    response = client.post(url, {"lang": "kk"})
    assert response["Content-Type"] == "application/pdf"
    assert "Туысыңыз үшін не жасалды" in " ".join(pdf_text(response.content).split())
    assert client.get(url + "?lang=xx").status_code == 400
    client.force_login(translator)
    assert client.get(url).status_code in (302, 403)
