"""A file added without a testimony (`aigaq media add` without --testimony) gets its playback
copy made all the same: the renditions job is queued for a video or a sound recording, once,
and for nothing else."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from aigaq.core.models import Job
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.tasks import RENDITIONS
from tests.media.videos import audio_bytes, png_bytes, video_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _archive(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"


def add(*paths: Path) -> None:
    call_command("media", "add", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())


def test_unattached_video_and_sound_get_the_renditions_job_photos_do_not(tmp_path: Path) -> None:
    clip, voice, photo = tmp_path / "clip.mp4", tmp_path / "voice.m4a", tmp_path / "p.png"
    clip.write_bytes(video_bytes())
    voice.write_bytes(audio_bytes())
    photo.write_bytes(png_bytes())
    add(clip, voice, photo)
    queued = {j.params["media"]: j for j in Job.objects.filter(kind=RENDITIONS)}
    by_kind = {m.kind: m for m in MediaFile.objects.all()}
    assert set(by_kind) == {"video", "audio", "photo"}
    assert set(queued) == {str(by_kind["video"].pk), str(by_kind["audio"].pk)}
    assert queued[str(by_kind["audio"].pk)].params["kind"] == "audio"
    assert all(j.status == Job.Status.QUEUED for j in queued.values())
    add(clip)  # the same file again: no second job while the first waits
    assert Job.objects.filter(kind=RENDITIONS).count() == 2


def test_the_job_makes_the_proxy_of_an_unattached_video(tmp_path: Path, run_jobs: Any) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(video_bytes())
    with run_jobs():
        add(clip)
    job = Job.objects.get(kind=RENDITIONS)
    assert job.status == Job.Status.DONE, job.message
    media = MediaFile.objects.get()
    assert media.renditions.filter(kind=Rendition.Kind.PROXY).exists()
