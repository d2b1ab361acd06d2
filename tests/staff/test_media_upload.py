"""A testimony's upload: spooled sealed, checked by content, and never an orphan."""

from __future__ import annotations

import unittest.mock as mock
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from aigaq.media import uploads
from aigaq.media.models import MediaFile
from aigaq.testimonies.models import Testimony
from tests.media.conftest import files_under, holds_bytes
from tests.media.videos import video_bytes
from tests.staff.conftest import form_data_for_testimony

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dirs(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    return tmp_path


def test_an_upload_too_large_for_memory_is_spooled_sealed_never_in_clear(
    data_dirs: Path, settings: Any, signed_in: Any, interviewer: Any
) -> None:
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    seen: list[Any] = []
    real = uploads.SealedFileUploadHandler.file_complete

    def complete(self: Any, size: int) -> Any:
        seen.append(real(self, size))
        return seen[-1]

    data = video_bytes()
    with mock.patch.object(uploads.SealedFileUploadHandler, "file_complete", complete):
        response = signed_in(interviewer).post(
            "/testimonies/new/",
            form_data_for_testimony(media_file=SimpleUploadedFile("t.mp4", data)),
        )
    assert response.status_code == 302
    assert len(seen) == 1 and isinstance(seen[0], uploads.SealedUploadedFile)
    media = MediaFile.objects.get()
    assert media.size == len(data) and media.duration == 1.0
    assert not holds_bytes(data_dirs, data[-4096:])  # nowhere in clear: not even a temp file


def test_a_text_file_given_as_a_video_is_refused_on_the_form_and_nothing_saved(
    data_dirs: Path, signed_in: Any, interviewer: Any
) -> None:
    response = signed_in(interviewer).post(
        "/testimonies/new/",
        form_data_for_testimony(media_file=SimpleUploadedFile("t.mp4", b"just some words\n")),
    )
    assert response.status_code == 400
    assert "not a video or audio recording" in response.content.decode()
    assert not Testimony.objects.exists() and not MediaFile.objects.exists()
    assert files_under(data_dirs / "media") == []


def test_a_testimony_save_failing_after_the_upload_leaves_no_stored_file(
    data_dirs: Path, signed_in: Any, interviewer: Any
) -> None:
    def fail(**kwargs: Any) -> None:
        raise ValidationError({"media_kind": "refused for the test"})

    with mock.patch("aigaq.staff.testimonies.testimony_attach_media", fail):
        response = signed_in(interviewer).post(
            "/testimonies/new/",
            form_data_for_testimony(media_file=SimpleUploadedFile("t.mp4", video_bytes())),
        )
    assert response.status_code == 400
    assert not Testimony.objects.exists() and not MediaFile.objects.exists()
    assert files_under(data_dirs / "media") == []
