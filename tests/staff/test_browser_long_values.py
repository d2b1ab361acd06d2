"""A 200-character name with no space in it wraps: the person page, the testimony page with its
history, and the desk's queue board stay as wide as the window, on a desktop and a phone."""

from __future__ import annotations

import os
from typing import Any

import pytest

from aigaq.intake import services
from tests import factories

NAME = "Ж" * 100 + "W" * 100  # one word of 200 characters


def _page_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_unbroken_name_does_not_widen_the_pages(
    signed_in_page: Any, live_server: Any, width: int
) -> None:
    page, coordinator = signed_in_page("coordinator", f"long-{width}")
    page.set_viewport_size({"width": width, "height": 900})
    person = factories.person(NAME, actor=coordinator)
    testimony = factories.testimony(person, actor=coordinator, summary=NAME)
    services.visit_register(actor=coordinator, visitor_name=NAME)
    shots = os.environ.get("AIGAQ_SCREENSHOTS")
    for path in (
        f"/persons/{person.entry_no}/",
        f"/testimonies/{testimony.number}/",
        "/desk/board/",
        "/desk/",
    ):
        page.goto(live_server.url + path)
        assert NAME in page.content()
        assert _page_width(page) <= width, (path, _page_width(page))
        if shots:
            name = path.strip("/").replace("/", "-")[:40] or "root"
            page.screenshot(path=f"{shots}/{width}-{name}.png", full_page=True)
