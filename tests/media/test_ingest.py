"""Ingest: checked by content, sealed at rest, nothing partial left behind on any refusal."""

from __future__ import annotations

import errno
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from aigaq.core.models import AuditEntry
from aigaq.media import crypto, storage
from aigaq.media.models import MediaFile
from aigaq.media.services import (
    MediaDiskFull,
    MediaNotAccepted,
    MediaTooLarge,
    media_add,
    media_ingest,
)
from tests.media.conftest import files_under, holds_bytes
from tests.media.videos import PDF, audio_bytes, png_bytes, video_bytes

pytestmark = pytest.mark.django_db


def add(data: bytes, name: str = "clip.mp4", kind: str = "video", **kw: Any) -> Any:
    return media_add(actor=None, fileobj=io.BytesIO(data), original_name=name, kind=kind, **kw)


def test_a_video_is_stored_sealed_under_a_keyed_name_with_its_probed_metadata(
    archive: Path,
) -> None:
    data = video_bytes()
    result = add(data)
    media = result.media
    assert result.new and media.size == len(data)
    assert (media.duration, media.video_codec, media.audio_codec) == (1.0, "h264", "aac")
    assert (media.width, media.height) == (160, 120)
    assert media.recorded_at is not None and media.recorded_at.year == 2019
    [stored] = files_under(archive)
    assert stored == storage.path_for(media.sha256) and media.sha256 not in str(stored)
    assert stored.read_bytes().startswith(crypto.MAGIC)
    assert not holds_bytes(archive, data[-4096:])  # no clear byte of it on disk
    with storage.open_original(media.sha256) as reader:
        assert reader.size == len(data) and reader.read_range(0, reader.size) == data
    assert storage.check(media.sha256) == "ok"
    again = add(data, name="copy.mp4")
    assert not again.new and again.media == media and files_under(archive) == [stored]


def test_audio_images_and_pdfs_are_accepted_by_their_content(archive: Path) -> None:
    assert add(audio_bytes(), "a.m4a", "audio").media.duration == 1.0
    photo = add(png_bytes(8, 6), "face.png", "photo").media
    assert (photo.width, photo.height, photo.content_type) == (8, 6, "image/png")
    assert add(png_bytes(9, 9), "card.png", "id_card").media.restricted
    assert add(PDF, "letter.pdf", "document").media.content_type == "application/pdf"
    assert add(b"anything at all", "notes.txt", "other").new


def _truncated() -> bytes:
    data = video_bytes(seconds=2)
    return data[: len(data) * 2 // 3]


REFUSED = [
    ("a text file as a video", b"I am not a video, just words.\n" * 3, "t.mp4", "video"),
    ("a 20-byte fake MP4", b"\x00\x00\x00\x14ftypisom\x00\x00\x02\x00isom", "f.mp4", "video"),
    ("a truncated video", None, "cut.mp4", "video"),
    ("a video as audio", b"", "v.m4a", "audio"),
    ("an empty file", b"", "empty.mp4", "video"),
    ("an empty file of another kind", b"", "empty.bin", "other"),
    ("a text file as a photo", b"<script>alert(1)</script>", "x.png", "photo"),
    ("a text file as an ID card", b"GIF89a but not really", "card.gif", "id_card"),
    ("a text file as a document", b"not a pdf", "doc.pdf", "document"),
    ("an image as a video", None, "still.mp4", "video"),
]


@pytest.mark.parametrize(("label", "data", "name", "kind"), REFUSED, ids=[r[0] for r in REFUSED])
def test_a_file_that_is_not_what_it_is_given_as_is_refused_and_nothing_is_kept(
    archive: Path, label: str, data: bytes | None, name: str, kind: str
) -> None:
    if label == "a truncated video":
        data = _truncated()
    elif label == "an image as a video":
        data = png_bytes()
    elif label == "a video as audio":
        data = video_bytes(audio=False)
    assert data is not None
    with pytest.raises(MediaNotAccepted) as exc:
        add(data, name, kind)
    assert str(exc.value).endswith(".") and len(str(exc.value)) > 20
    assert files_under(archive) == [] and not MediaFile.objects.exists()
    assert not AuditEntry.objects.filter(object_type__icontains="media").exists()


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b.mp4", "..", "..hidden.mp4", "c:\\x.mp4"])
def test_a_name_with_a_folder_part_or_dots_is_refused(archive: Path, name: str) -> None:
    with pytest.raises(MediaNotAccepted, match="plain file name"):
        add(video_bytes(), name)
    assert files_under(archive) == [] and not MediaFile.objects.exists()


def test_a_file_larger_than_the_limit_is_refused_as_it_streams(
    archive: Path, settings: Any
) -> None:
    settings.AIGAQ_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(MediaTooLarge, match="too large"):
        add(b"x" * 5000, "big.bin", "other")
    # Known too large before a byte is read (an upload says its size).
    with pytest.raises(MediaTooLarge):
        media_add(
            actor=None,
            fileobj=SimpleUploadedFile("big.mp4", video_bytes()),
            original_name="big.mp4",
            kind="video",
        )
    assert files_under(archive) == [] and not MediaFile.objects.exists()


def test_a_disk_that_fills_during_ingest_leaves_nothing(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = crypto.SealedWriter.write
    calls = {"n": 0}

    def write(self: Any, data: Any) -> int:
        calls["n"] += 1
        if calls["n"] > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(crypto.SealedWriter, "write", write)
    monkeypatch.setattr(storage, "CHUNK", 4096)  # several writes for a small file
    with pytest.raises(MediaDiskFull, match="disk is full"):
        add(b"y" * 50_000, "big.bin", "other")
    assert files_under(archive) == [] and not MediaFile.objects.exists()


def test_a_wrong_media_key_is_a_clear_refusal_never_garbage(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = add(video_bytes()).media
    monkeypatch.setenv("AIGAQ_DB_KEY", "cd" * 32)
    # Under another key the file has another name, too: it is not "missing", the key is wrong.
    with pytest.raises(crypto.SealedWrongKey, match="another key"):
        storage.open_original(media.sha256)
    assert storage.check(media.sha256) == "wrong_key"
    # The file itself, opened by its old name under the wrong key: refused, no byte returned.
    monkeypatch.setenv("AIGAQ_DB_KEY", "ab" * 32)
    path = storage.path_for(media.sha256)
    monkeypatch.setenv("AIGAQ_DB_KEY", "cd" * 32)
    from aigaq.media.keys import media_keys

    with pytest.raises(crypto.SealedWrongKey):
        crypto.SealedReader.open(path, media_keys().encryption)


def test_a_failed_save_after_an_upload_leaves_no_orphan(archive: Path) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        media_ingest(
            actor=None, fileobj=io.BytesIO(video_bytes()), original_name="v.mp4", kind="video"
        )
        assert len(files_under(archive)) == 1  # in place while the save goes on
        raise RuntimeError("the testimony's save failed")
    assert files_under(archive) == [] and not MediaFile.objects.exists()


def test_a_file_already_kept_is_not_removed_by_a_failed_second_save(archive: Path) -> None:
    first = add(video_bytes()).media
    with pytest.raises(RuntimeError), transaction.atomic():
        add(video_bytes(), "again.mp4")
        raise RuntimeError("failed")
    assert storage.check(first.sha256) == "ok"
