"""In Debian's Chromium: a file uploaded through the testimony page's resumable upload (tus)
is listed with the testimony's files; an address is added to "Published at"; the mirrors page
offers a candidate. Set AIGAQ_SCREENSHOT_DIR to keep screenshots (desktop and phone width)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aigaq.mirrors.models import Mirror
from tests import factories
from tests.media.videos import video_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("AIGAQ_SCREENSHOT_DIR")
    if not folder:
        return
    page.screenshot(path=str(Path(folder) / f"{name}-desktop.png"), full_page=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(Path(folder) / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)


def test_a_file_uploaded_resumably_is_listed_on_the_testimony_page(
    signed_in_page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    # The last byte queues the job that adds the file to the archive; here it runs at once
    # (as `aigaq worker` would), and the page follows it before showing the file.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page, _user = signed_in_page("interviewer", "browser-uploader")
    testimony = factories.testimony()
    video = tmp_path / "кеңсе-сұхбат.mp4"
    video.write_bytes(video_bytes())
    page.goto(f"{live_server.url}/testimonies/{testimony.number}/")
    page.set_input_files("#tus-file", str(video))
    page.click("button[name=upload]")
    page.locator("[data-testid=media]", has_text="кеңсе-сұхбат.mp4").wait_for()
    assert testimony.media_links.get().media.size == len(video_bytes())

    page.click("text=Add an address where it is published")
    page.fill("#mirror-url", "https://www.youtube.com/watch?v=synthetic1")
    page.fill("#mirror-title", "Куәлік")
    page.click("button[name=add_mirror]")
    page.locator("[data-testid=mirrors]", has_text="Куәлік").wait_for()
    assert Mirror.objects.get().testimony == testimony
    shot(page, "testimony-published-at")


def test_the_mirrors_page_confirms_a_candidate(signed_in_page: Any, live_server: Any) -> None:
    page, _user = signed_in_page()
    testimony = factories.testimony()
    Mirror.objects.create(
        url="https://www.youtube.com/watch?v=c1",
        title="Гүлмира Ахметқызы туралы",
        platform="youtube",
        candidates=[{"number": testimony.number, "score": 0.45, "reasons": ["testifier", "date"]}],
    )
    Mirror.objects.create(
        url="https://t.me/atajurt/77", title="Митинг, Алматы", platform="telegram"
    )
    page.goto(f"{live_server.url}/mirrors/")
    shot(page, "mirrors")
    page.click(f"button[name=confirm][value='{testimony.number}']")
    page.locator("[data-testid=to-confirm]", has_text="Nothing to confirm.").wait_for()
    assert Mirror.objects.get(title__startswith="Гүлмира").testimony == testimony
