"""The redaction editor in Debian's Chromium: a rectangle drawn on the canvas over the video
becomes a region, its end set from the playback time, and the plan is saved. Screenshots of
the editor (desktop and phone) go to $AIGAQ_SCREENSHOTS when it is set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from aigaq.media.models import MediaFile, RedactionPlan
from aigaq.testimonies import services as testimony_services
from tests import factories
from tests.media.conftest import ingest_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def video(settings: Any, tmp_path: Path) -> MediaFile:
    return ingest_video(settings, tmp_path)


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_a_rectangle_drawn_on_the_video_is_saved_as_a_region(
    signed_in_page: Any,
    live_server: Any,
    video: MediaFile,
) -> None:
    page, user = signed_in_page()
    testimony = factories.testimony(actor=user, visibility="internal")
    testimony_services.testimony_attach_media(
        actor=user, testimony=testimony, media=video, kind="video"
    )
    RedactionPlan.objects.create(
        media=video,
        suggestions=[
            {
                "x": 0.6,
                "y": 0.1,
                "w": 0.2,
                "h": 0.2,
                "start": 0,
                "end": 1,
                "effect": "blur",
                "source": "face",
                "label": "",
            }
        ],
    )
    page.goto(f"{live_server.url}/testimonies/{testimony.number}/")
    page.get_by_test_id("redact-link").click()
    page.wait_for_url(f"{live_server.url}/media/{video.pk}/redact/")
    expect(page.locator("#duration")).not_to_have_value("")  # the video's metadata loaded
    overlay = page.get_by_test_id("overlay")
    box = overlay.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6, steps=5)
    page.mouse.up()
    regions = page.get_by_test_id("regions").locator("li")
    assert regions.count() == 1
    # the suggestion waits, dashed; accepting it makes it a second region
    page.get_by_test_id("suggestions").get_by_role("button", name="Accept").click()
    assert regions.count() == 2
    # the end typed, the start taken from the playback time (seeking needs Range requests,
    # which the playback work adds to media_response)
    regions.first.locator("input[name=region-end]").fill("0.5")
    regions.first.locator("input[name=region-end]").press("Tab")
    regions.first.get_by_role("button", name="From here").click()
    _shot(page, "redaction-desktop.png")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "redaction-phone.png")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(f"{live_server.url}/media/{video.pk}/redact/")
    plan = RedactionPlan.objects.get(media=video)
    first, accepted = plan.regions
    assert 0.1 < first["x"] < 0.3 and 0.1 < first["w"] < 0.45
    assert first["start"] == 0 and first["end"] == 0.5 and first["effect"] == "blur"
    assert accepted["x"] == 0.6 and plan.suggestions == []
