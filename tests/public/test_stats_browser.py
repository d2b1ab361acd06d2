"""In Chromium: the statistics and map pages at 1280 and 390 pixels wide, in English and in
Arabic (right to left), with screenshots kept in test-artifacts/public/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Visibility
from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Place
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "public"
SHOTS = os.environ.get("AIGAQ_SHOTS_DIR", "")


def test_statistics_and_map_read_calmly_in_english_and_arabic(
    browser: Any, live_server: Any, coordinator: Any
) -> None:
    gazetteer_load()
    homes = list(Place.objects.filter(kind="county", path__startswith="/cn/cn-xj/")[:12])
    statuses = ["camp", "prison", "detained", "released", "lost_contact"]
    for i in range(24):
        factories.person(
            actor=coordinator,
            visibility=Visibility.PUBLIC,
            status=statuses[i % len(statuses)],
            date=str(2017 + i % 4),
            gender="male" if i % 3 else "female",
            ethnicity="kazakh" if i % 4 else "uyghur",
            birth_year=1950 + i * 2,
            birth_year_max=1950 + i * 2 + (5 if i % 5 == 0 else 0),
            hometown=homes[i % len(homes)],
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for lang in ("en", "ar"):
            for name in ("statistics", "map"):
                r = page.goto(f"{live_server.url}/public/{lang}/{name}/")
                assert r is not None and r.status == 200
                assert page.locator("html").get_attribute("dir") == (
                    "rtl" if lang == "ar" else "ltr"
                )
                assert page.locator("svg[role=img]").first.is_visible()
                shot = f"{name}-{lang}-{width}.png"
                page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
                if SHOTS:
                    Path(SHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(Path(SHOTS) / shot), full_page=True)
        # a county of the map opens its filtered list
        page.goto(f"{live_server.url}/public/en/map/")
        href = page.locator("a:has(path.county)").first.get_attribute("href")
        assert href is not None and "place=cn-xj-" in href
        context.close()
