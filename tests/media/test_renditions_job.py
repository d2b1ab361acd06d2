"""The playback renditions job (media.tasks): a real small video in, a sealed H.264/AAC proxy
(at most 720p, index first), a poster and a thumbnail strip out; sound gets an M4A only; a
file that is no recording fails the job with a sentence; no clear copy is left behind."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from aigaq.core.models import Job
from aigaq.media.encrypt_existing import encrypt_existing, sealed_path
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_latest, rendition_open
from aigaq.media.services import media_ingest
from aigaq.media.tasks import RENDITIONS, media_renditions_start, renditions_job
from tests.media.videos import (
    PDF,
    make_audio,
    make_video,
    moov_at_end,
    needs_ffmpeg,
    png_bytes,
    video_bytes,
)

pytestmark = [pytest.mark.django_db, needs_ffmpeg]


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"


def _ingest(path: Path, kind: str) -> MediaFile:
    with path.open("rb") as fh:
        media = media_ingest(actor=None, fileobj=fh, original_name=path.name, kind=kind)
    encrypt_existing()  # the original is sealed, as every original will be
    assert sealed_path(media.sha256).exists()
    return media


def _decrypted(rendition: Rendition, dest: Path) -> Path:
    with rendition_open(rendition) as reader:
        dest.write_bytes(b"".join(reader.iter_all()))
    return dest


def _streams(path: Path) -> dict[str, Any]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height"]
        + ["-of", "json", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {s["codec_type"]: s for s in json.loads(out)["streams"]}


def _leftovers() -> list[Path]:
    root = Path(settings.DATA_DIR) / "tmp" / "transcode"
    return list(root.rglob("*")) if root.exists() else []


def test_a_video_gets_a_720p_proxy_a_poster_and_a_thumbnail_strip(
    tmp_path: Path, run_jobs: Any
) -> None:
    source = make_video(tmp_path / "interview.mp4", seconds=2, size="1920x1080", rate=10)
    assert moov_at_end(source)  # ffmpeg must seek in it: the loopback feed gives it that
    media = _ingest(source, MediaFile.Kind.VIDEO)
    with run_jobs():
        job = media_renditions_start(media)
    assert job is not None
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.result["thumbnails"] == 10

    proxy = rendition_latest(media, Rendition.Kind.PROXY)
    assert proxy is not None and proxy.content_type == "video/mp4"
    clear = _decrypted(proxy, tmp_path / "proxy.mp4")
    streams = _streams(clear)
    assert streams["video"]["codec_name"] == "h264" and streams["audio"]["codec_name"] == "aac"
    assert (streams["video"]["width"], streams["video"]["height"]) == (1280, 720)
    assert not moov_at_end(clear)  # faststart: a browser plays it before it has it all
    assert proxy.params["height"] == 720 and proxy.params["duration"] > 1.5

    poster = rendition_latest(media, Rendition.Kind.POSTER)
    strip = rendition_latest(media, Rendition.Kind.THUMBNAILS)
    assert poster is not None and strip is not None
    strip_streams = _streams(_decrypted(strip, tmp_path / "strip.jpg"))
    assert strip_streams["video"]["codec_name"] == "mjpeg"
    assert strip_streams["video"]["height"] == 90
    assert strip_streams["video"]["width"] == 10 * 160  # ten 16:9 frames side by side
    assert len(strip.params["times"]) == 10
    assert _decrypted(poster, tmp_path / "poster.jpg").read_bytes()[:2] == b"\xff\xd8"
    assert _leftovers() == []
    # Asked again, nothing new is queued: the proxy is there.
    assert media_renditions_start(media) is None


def test_sound_gets_an_m4a_proxy_only(tmp_path: Path, run_jobs: Any) -> None:
    media = _ingest(make_audio(tmp_path / "voice.wav"), MediaFile.Kind.AUDIO)
    with run_jobs():
        job = media_renditions_start(media)
    assert job is not None
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    proxy = rendition_latest(media, Rendition.Kind.PROXY)
    assert proxy is not None and proxy.content_type == "audio/mp4"
    streams = _streams(_decrypted(proxy, tmp_path / "voice.m4a"))
    assert set(streams) == {"audio"} and streams["audio"]["codec_name"] == "aac"
    assert set(Rendition.objects.filter(media=media).values_list("kind", flat=True)) == {"proxy"}


def test_a_file_that_is_no_recording_fails_the_job_with_a_sentence(run_jobs: Any) -> None:
    # A recording the ingest accepted but ffmpeg cannot transcode: bytes changed after ingest
    # would fail verify, so the job is given a file stored as a document.
    media = media_ingest(
        actor=None, fileobj=io.BytesIO(PDF), original_name="x.pdf", kind="document"
    )
    MediaFile.objects.filter(pk=media.pk).update(kind="video")
    media.refresh_from_db()
    with run_jobs():
        media_renditions_start(media)
    job = renditions_job(media)
    assert job is not None and job.status == Job.Status.FAILED
    assert "ffmpeg cannot read this file" in job.message
    assert not Rendition.objects.filter(media=media).exists()
    assert _leftovers() == []


def test_only_video_and_sound_get_a_job_and_only_once_while_it_waits() -> None:
    photo = media_ingest(
        actor=None, fileobj=io.BytesIO(png_bytes()), original_name="p.png", kind="photo"
    )
    assert media_renditions_start(photo) is None
    video = media_ingest(
        actor=None, fileobj=io.BytesIO(video_bytes()), original_name="v.mp4", kind="video"
    )
    first = media_renditions_start(video)
    assert first is not None and first.kind == RENDITIONS and first.status == Job.Status.QUEUED
    assert media_renditions_start(video) is None
    assert Job.objects.filter(kind=RENDITIONS).count() == 1
    # The job's title names no file: its page tells nothing of a restricted one.
    assert "v.mp4" not in first.title
