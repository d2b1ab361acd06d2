"""Renditions are sealed like originals, readable by range, and replaced without orphans;
open_original reads sealed and not-yet-sealed originals alike."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

import pytest

from aigaq.media import storage
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_latest, rendition_open, rendition_path, rendition_store
from aigaq.media.services import media_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> MediaFile:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return media_ingest(
        actor=None, fileobj=io.BytesIO(b"original bytes"), original_name="a.bin", kind="other"
    )


def test_a_rendition_is_sealed_and_read_back_by_range(media: MediaFile, tmp_path: Path) -> None:
    clear = tmp_path / "proxy.mp4"
    payload = bytes(range(256)) * 4000
    clear.write_bytes(payload)
    rendition = rendition_store(
        media=media, kind=Rendition.Kind.PROXY, source=clear, content_type="video/mp4"
    )
    assert rendition.sha256 == hashlib.sha256(payload).hexdigest()
    sealed = rendition_path(rendition.sha256).read_bytes()
    assert payload[:64] not in sealed and rendition.sha256 not in str(
        rendition_path(rendition.sha256)
    )
    with rendition_open(rendition) as reader:
        assert reader.size == len(payload)
        assert b"".join(reader.iter_range(500_000, 500_010)) == payload[500_000:500_010]


def test_a_new_rendition_of_a_kind_replaces_the_old_one_and_its_file(
    media: MediaFile, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = tmp_path / "1.jpg", tmp_path / "2.jpg"
    first.write_bytes(b"first")
    second.write_bytes(b"second")
    old = rendition_store(media=media, kind="poster", source=first, content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        new = rendition_store(media=media, kind="poster", source=second, content_type="image/jpeg")
    assert rendition_latest(media, "poster") == new
    assert Rendition.objects.filter(media=media).count() == 1
    assert not rendition_path(old.sha256).exists()


def test_open_original_reads_a_clear_original_by_range(media: MediaFile) -> None:
    with storage.open_original(media.sha256) as reader:
        assert reader.size == len(b"original bytes")
        assert b"".join(reader.iter_range(9, 14)) == b"bytes"
    with pytest.raises(storage.BadHash):
        storage.open_original("../etc/passwd")
