"""The scanned answer to a petition: kept encrypted in the media archive as a restricted
document linked to the petition, sent decrypted only to those allowed (each download in the
history); a file that is not a document is refused and nothing is kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aigaq.core.models import AuditEntry
from aigaq.disclosure.policy import MediaUse, media_visible_to
from aigaq.media import storage
from aigaq.media.models import MediaFile
from aigaq.petitions.models import Petition
from aigaq.petitions.services import petition_advance, petition_answer_attach, petition_create
from tests import factories
from tests.media.conftest import files_under, holds_bytes

pytestmark = pytest.mark.django_db

#: A scanned letter as a complete (tiny) PDF: what the archive's probe checks is its frame.
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"% Embassy of the Republic of Kazakhstan, answer 12/345\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def registered(coordinator: Any) -> Petition:
    person = factories.person("Серік Оспанұлы", actor=coordinator, status="camp")
    petition = petition_create(actor=coordinator, form="wgeid", persons=[person], entries={})
    return petition_advance(
        actor=coordinator,
        petition=petition,
        state="registered",
        expected_version=petition.version,
        channel="email",
        registration_no="G/SO 217/1 KAZ 42",
    )


def _answer(petition: Petition, actor: Any, data: bytes, name: str) -> Petition:
    return petition_advance(
        actor=actor,
        petition=petition,
        state="answered",
        expected_version=petition.version,
        answer="The case was transmitted to the government.",
        answer_scan=(io.BytesIO(data), name),
    )


def test_the_answer_and_its_scan_are_kept_together_sealed_and_restricted(
    registered: Petition, coordinator: Any, media_root: Path
) -> None:
    petition = _answer(registered, coordinator, SCAN, "answer.pdf")
    petition.refresh_from_db()
    scan = petition.answer_scan
    assert petition.state == "answered" and scan is not None
    assert (scan.kind, scan.restricted, scan.content_type) == ("document", True, "application/pdf")
    assert storage.verify(scan.sha256)
    assert not holds_bytes(media_root, b"Embassy of the Republic")  # encrypted at rest
    changes = AuditEntry.objects.filter(object_id=str(petition.pk), action="update")
    assert any("answer_scan" in e.changes for e in changes)
    assert AuditEntry.objects.filter(object_id=str(scan.pk), action="create").exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"Dear family, this is a plain text file.\n", "answer.pdf"),
        (b"", "answer.pdf"),
        (SCAN[:-7], "cut-short.pdf"),
    ],
)
def test_a_file_that_is_not_a_document_refuses_the_answer_and_keeps_nothing(
    registered: Petition, coordinator: Any, media_root: Path, data: bytes, name: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _answer(registered, coordinator, data, name)
    assert "The scanned answer was not kept" in " ".join(info.value.messages)
    registered.refresh_from_db()
    assert (registered.state, registered.answer, registered.answer_scan) == ("registered", "", None)
    assert not MediaFile.objects.exists()
    assert files_under(media_root) == []


def test_a_scan_is_attached_later_only_to_an_answered_petition(
    registered: Petition, coordinator: Any, media_root: Path
) -> None:
    with pytest.raises(ValidationError, match="Record the answer first"):
        petition_answer_attach(
            actor=coordinator,
            petition=registered,
            fileobj=io.BytesIO(SCAN),
            name="answer.pdf",
            expected_version=registered.version,
        )
    assert not MediaFile.objects.exists()
    answered = petition_advance(
        actor=coordinator,
        petition=registered,
        state="answered",
        expected_version=registered.version,
        answer="Registered; an answer will follow.",
    )
    attached = petition_answer_attach(
        actor=coordinator,
        petition=answered,
        fileobj=io.BytesIO(SCAN),
        name="answer.pdf",
        expected_version=answered.version,
    )
    assert attached.answer_scan is not None and attached.answer_scan.restricted


def test_the_download_is_audited_and_refused_to_those_not_allowed(
    registered: Petition,
    coordinator: Any,
    translator: Any,
    make_user: Any,
    client: Any,
    media_root: Path,
) -> None:
    petition = _answer(registered, coordinator, SCAN, "answer.pdf")
    url = reverse("staff:petition_answer_scan", args=[petition.pk])
    client.force_login(coordinator)
    page = client.get(reverse("staff:petition_detail", args=[petition.pk]))
    assert 'data-testid="answer-scan-link"' in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCAN
    assert f"answer-wgeid-{petition.person.entry_no}.pdf" in response["Content-Disposition"]
    read = AuditEntry.objects.get(object_id=str(petition.answer_scan_id), action="read")
    assert read.actor_id == coordinator.pk and read.person_id == petition.person_id

    client.force_login(translator)  # no petition.manage
    assert client.get(url).status_code in (302, 403)
    assert AuditEntry.objects.filter(action="read").count() == 1

    # Someone who may not see the person is not sent the file, nor told it exists.
    petition.person.visibility = "restricted"
    petition.person.save(update_fields=["visibility"])
    interviewer = make_user("interviewer", "scan-interviewer")
    assert not media_visible_to(
        interviewer, petition.answer_scan, use=MediaUse.PETITION, record=[petition.person]
    )
    assert not media_visible_to(interviewer, petition.answer_scan, use=MediaUse.PETITION, record=[])


def test_a_text_file_posted_as_the_scan_is_refused_with_a_sentence(
    registered: Petition, coordinator: Any, client: Any, media_root: Path
) -> None:
    client.force_login(coordinator)
    response = client.post(
        reverse("staff:petition_state", args=[registered.pk]),
        {
            "version": registered.version,
            "state": "answered",
            "answer": "Transmitted.",
            "answer_scan": SimpleUploadedFile("answer.pdf", b"not a pdf", "application/pdf"),
        },
        follow=True,
    )
    text = response.content.decode()
    assert "The scanned answer was not kept" in text
    assert "complete PDF or a scanned image" in text
    registered.refresh_from_db()
    assert registered.state == "registered" and not MediaFile.objects.exists()
