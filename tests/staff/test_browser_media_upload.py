"""Attaching a recording to a testimony in Debian's Chromium: a text file named .mp4 is
refused with a sentence and nothing is stored; a real video is accepted, stored sealed."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from aigaq.media import storage
from aigaq.media.models import MediaFile
from aigaq.testimonies.models import Testimony
from tests.media.conftest import files_under, holds_bytes
from tests.media.videos import video_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    """Screenshots for a reviewer's eyes, when AIGAQ_SCREENSHOTS names a folder."""
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _fill(page: Any, live_server: Any, upload: Path) -> None:
    page.goto(live_server.url + "/testimonies/new/")
    page.fill("#id_testifier_name", "Айгүл Сәрсенқызы")
    page.fill("#id_testifier_phone", "+7 701 000 00 00")
    page.select_option("#id_media_kind", "video")
    page.set_input_files("#id_media_file", str(upload))
    page.click("button.primary[type=submit]")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_fake_video_is_refused_and_a_real_one_is_kept_sealed(
    signed_in_page: Any, live_server: Any, settings: Any, tmp_path: Path, width: int
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page, _user = signed_in_page("interviewer", "browser-interviewer")
    page.set_viewport_size({"width": width, "height": 900})
    fake = tmp_path / "testimony.mp4"
    fake.write_text("This is a text file, not a video.\n")
    _fill(page, live_server, fake)
    error = page.locator(".errorlist").first
    error.wait_for()
    assert "not a video or audio recording" in error.inner_text()
    _shot(page, f"media-upload-refused-{width}")
    assert not Testimony.objects.exists() and not MediaFile.objects.exists()
    assert files_under(tmp_path / "media") == []

    real = tmp_path / "real.mp4"
    real.write_bytes(video_bytes())
    _fill(page, live_server, real)
    page.wait_for_url(re.compile(r".*/testimonies/[0-9]+/$"))
    _shot(page, f"media-upload-kept-{width}")
    media = Testimony.objects.get().media.get()
    assert media.duration == 1.0 and storage.verify(media.sha256)
    assert not holds_bytes(tmp_path / "media", real.read_bytes()[-4096:])
