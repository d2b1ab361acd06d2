"""Media arriving in a field bundle get their playback copies: when the import commits and
its media move into the store, the renditions job is queued for each video and sound
recording among them (and for nothing else)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Job
from aigaq.media.models import MediaFile
from aigaq.media.services import media_ingest
from aigaq.media.tasks import RENDITIONS
from aigaq.transfer.services import _store_media
from tests.media.videos import png_bytes, video_bytes

pytestmark = pytest.mark.django_db


def test_a_bundles_video_gets_the_renditions_job_when_its_media_are_stored(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    # The bundle's records (MediaFile rows among them) are merged; its staged files follow.
    video = media_ingest(
        actor=None, fileobj=io.BytesIO(video_bytes()), original_name="v.mp4", kind="video"
    )
    photo = media_ingest(
        actor=None, fileobj=io.BytesIO(png_bytes()), original_name="p.png", kind="photo"
    )
    assert not Job.objects.exists()
    staged = {}
    for media, data in ((video, video_bytes()), (photo, png_bytes())):
        path = tmp_path / f"staged-{media.sha256[:8]}"
        path.write_bytes(data)
        staged[media.sha256] = path
    _store_media(staged)
    job = Job.objects.get(kind=RENDITIONS)
    assert job.params == {"media": str(video.pk), "kind": "video"}
    assert MediaFile.objects.count() == 2
