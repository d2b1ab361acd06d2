"""No rendition ever lies on disk in clear, not even for a moment: the proxy, the poster and the
thumbnail strip of the renditions job, and the redacted, audio-only and anonymised copies,
stream out of ffmpeg through a pipe and are sealed as they come.

How "never" is checked: each time a sealed file is finished (SealedWriter.close, the moment a
clear copy would have been complete beside it), every file under the data folder, the media
folder and the temporary folder is read; afterwards, pieces of each rendition's plaintext are
looked for in all of those snapshots."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from aigaq.core.models import Job
from aigaq.media import crypto, redaction
from aigaq.media.encrypt_existing import encrypt_existing
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_open
from aigaq.media.services import media_ingest
from aigaq.media.tasks import media_renditions_start
from tests.media.videos import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Folders of their own for the data, the media and the temporary files; returns the
    list that fills with the contents of every file found there whenever a sealed file is
    finished."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    roots = [tmp_path / "data", tmp_path / "media", temp]
    seen: list[bytes] = []
    close = crypto.SealedWriter.close

    def snapshot_then_close(self: crypto.SealedWriter) -> crypto.SealResult:
        for root in roots:
            seen.extend(p.read_bytes() for p in root.rglob("*") if p.is_file())
        return close(self)

    monkeypatch.setattr(crypto.SealedWriter, "close", snapshot_then_close)
    return seen


def _plain(rendition: Rendition) -> bytes:
    with rendition_open(rendition) as reader:
        return b"".join(reader.iter_all())


def _never_in_clear(plain: bytes, seen: list[bytes]) -> None:
    assert len(plain) > 512
    pieces = [plain[i : i + 64] for i in (64, len(plain) // 3, len(plain) // 2, len(plain) - 100)]
    for piece in pieces:
        assert not any(piece in content for content in seen), "a rendition lay on disk in clear"


def _probe(data: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "outside" / "check.mp4"  # outside the watched folders
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name"]
        + ["-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


def _video(tmp_path: Path) -> MediaFile:
    source = make_video(tmp_path / "outside" / "interview.mp4", seconds=3, size="640x360")
    with source.open("rb") as fh:
        media = media_ingest(actor=None, fileobj=fh, original_name="i.mp4", kind="video")
    encrypt_existing()
    return media


def test_the_proxy_poster_and_strip_never_lie_on_disk_in_clear(
    watched: list[bytes], tmp_path: Path, run_jobs: Any
) -> None:
    (tmp_path / "outside").mkdir()
    media = _video(tmp_path)
    watched.clear()  # what ingest sealed is not a rendition
    with run_jobs():
        job = media_renditions_start(media)
    assert job is not None
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert len(watched) > 0  # the snapshots were taken
    renditions = {r.kind: r for r in Rendition.objects.filter(media=media)}
    assert set(renditions) == {"proxy", "poster", "thumbnails"}
    for rendition in renditions.values():
        _never_in_clear(_plain(rendition), watched)

    proxy = _plain(renditions["proxy"])
    info = _probe(proxy, tmp_path)
    codecs = {s["codec_type"]: s["codec_name"] for s in info["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert 2.8 < float(info["format"]["duration"]) < 3.3
    # Fragmented: its index first, then fragments, written without a seek back.
    assert proxy[4:8] == b"ftyp" and b"moov" in proxy[:4096] and b"moof" in proxy
    assert renditions["proxy"].params["duration"] > 2.8
    assert _plain(renditions["poster"])[:2] == b"\xff\xd8"
    assert _plain(renditions["thumbnails"])[:2] == b"\xff\xd8"
    leftovers = [p for p in Path(settings.DATA_DIR).rglob("*") if p.is_file()]
    leftovers += [p for p in (tmp_path / "tmp").rglob("*") if p.is_file()]
    assert leftovers == []


def test_the_publication_copies_never_lie_on_disk_in_clear(
    watched: list[bytes], tmp_path: Path
) -> None:
    (tmp_path / "outside").mkdir()
    media = _video(tmp_path)
    watched.clear()
    box = {"x": 0.25, "y": 0.25, "w": 0.5, "h": 0.5, "start": 0.5, "end": 1.5, "effect": "black"}
    copies = [
        redaction.render_redacted(media=media, regions=[box]),
        redaction.render_audio_only(media=media),
        redaction.render_anonymised(media=media, detect=lambda source, duration: []),
    ]
    for copy in copies:
        _never_in_clear(_plain(copy), watched)
    redacted = _probe(_plain(copies[0]), tmp_path)
    assert {s["codec_name"] for s in redacted["streams"]} == {"h264", "aac"}
    assert 2.8 < float(redacted["format"]["duration"]) < 3.3
    audio = _probe(_plain(copies[1]), tmp_path)
    assert [s["codec_name"] for s in audio["streams"]] == ["aac"]
