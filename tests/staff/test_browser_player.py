"""The player on a testimony's page in Debian's Chromium: the proxy made by the job loads its
metadata and seeks (the Range requests answered by streaming decryption), and a click on the
thumbnail strip takes the video to that moment."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Job
from aigaq.media.encrypt_existing import encrypt_existing
from aigaq.media.models import Rendition
from aigaq.media.services import media_ingest
from aigaq.testimonies import services as testimony_services
from tests import factories
from tests.media.videos import make_video, needs_ffmpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_ffmpeg]

SEEK = """async (t) => {
  const v = document.querySelector('[data-testid=video]');
  await new Promise((done) => { v.addEventListener('seeked', done, {once: true}); v.currentTime = t; });
  return v.currentTime;
}"""


def test_the_video_beside_the_testimony_loads_its_metadata_and_seeks(
    signed_in_page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page, user = signed_in_page()
    testimony = factories.testimony(actor=user, summary="Synthetic testimony for the player.")
    source = make_video(tmp_path / "interview.mp4", seconds=8, size="960x540", rate=25)
    media = media_ingest(
        actor=user,
        fileobj=io.BytesIO(source.read_bytes()),
        original_name="interview-2019-03-01.mp4",
        kind="video",
    )
    encrypt_existing()
    # Committed at once (no transaction around a transactional test): the job runs now.
    testimony_services.testimony_attach_media(
        actor=user, testimony=testimony, media=media, kind="video"
    )
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.message
    assert media.renditions.filter(kind=Rendition.Kind.PROXY).exists()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/testimonies/{testimony.number}/")
    video = page.locator("[data-testid=video]")
    assert video.get_attribute("preload") == "metadata"
    assert video.get_attribute("poster") == f"/media/{media.pk}/poster/"
    page.wait_for_function(
        "() => document.querySelector('[data-testid=video]').readyState >= 1"  # HAVE_METADATA
    )
    duration = page.evaluate("document.querySelector('[data-testid=video]').duration")
    assert 7.5 < duration < 8.5
    assert abs(page.evaluate(SEEK, 5.0) - 5.0) < 0.1
    # The thumbnail strip: its 8th frame (of 10) lies at 7.5/10 of the video.
    page.wait_for_function("() => document.querySelector('[data-testid=thumbstrip]').complete")
    strip = page.locator("[data-testid=thumbstrip]")
    box = strip.bounding_box()
    assert box is not None and box["width"] > 200
    page.evaluate(
        """() => { window._seeked = false; document.querySelector('[data-testid=video]')
        .addEventListener('seeked', () => { window._seeked = true; }, {once: true}); }"""
    )
    strip.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
    page.wait_for_function("() => window._seeked === true")
    assert (
        abs(page.evaluate("document.querySelector('[data-testid=video]').currentTime") - 6.0) < 0.2
    )
    page.wait_for_function(
        "() => document.querySelector('[data-testid=video]').readyState >= 2"  # a frame to show
    )
    shots = os.environ.get("AIGAQ_SCREENSHOTS")
    if shots:
        page.screenshot(path=f"{shots}/testimony-player-desktop.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{shots}/testimony-player-phone.png", full_page=True)
