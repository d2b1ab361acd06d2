"""In Chromium, on the public server alone: a visitor searches in Kazakh Cyrillic for a
person entered in Latin script, opens the entry, switches to Arabic and sees the page right
to left (the brand on the right), then reports a correction. Screenshots at 1280 and 390 px,
in English and Arabic, are kept in test-artifacts/public/."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from aigaq.corrections.models import Submission
from aigaq.people.models import Tag
from tests.public.test_public_pages import published
from tests.staff.test_languages import kulja

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "public"
SHOTS = Path("/work/wt/shots/pubpages")


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if SHOTS.parent.is_dir():  # the team's shared folder, where there is one
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / path.name)


@pytest.fixture
def public_server(live_server: Any) -> Any:
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        yield live_server


def test_a_visitor_finds_reads_in_arabic_and_corrects_an_entry(
    browser: Any, public_server: Any, coordinator: Any, monkeypatch: Any
) -> None:
    from aigaq.public import forms

    monkeypatch.setattr(forms, "MIN_SECONDS", 0)  # a robot-speed form is allowed here
    p = published(
        "Serik Ospanov",
        actor=coordinator,
        status="camp",
        date="2018-03",
        hometown=kulja(),
        evidence_grade="corroborated",
        birth_year=1968,
        occupation="Teacher",
    )
    p.tags.add(Tag.objects.create(slug="teacher", label="Teacher"))
    for i in range(3):
        published(f"Айгүл Тұрсын {i}", actor=coordinator, status="released", date="2019")
    base = public_server.url
    context = browser.new_context(locale="kk-KZ", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{base}/kk/entries/?q=Серік Оспанов")
        card = page.locator("li.card a")
        assert card.count() == 1
        card.click()
        page.wait_for_url(f"{base}/kk/entries/{p.entry_no}/")
        assert page.locator("h1").inner_text() == "Serik Ospanov"

        page.goto(f"{base}/en/entries/")
        page.locator(".facets summary").click()
        shot(page, "entries-en-1280")
        page.goto(f"{base}/en/entries/{p.entry_no}/")
        shot(page, "entry-en-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "entry-en-390")
        page.goto(f"{base}/en/entries/?status=camp")
        shot(page, "entries-en-390")
        # A search's cards in Kazakh and, right to left, in Arabic, at phone width.
        page.goto(f"{base}/kk/entries/?q=Айгүл")
        assert page.locator("li.card").count() == 3
        shot(page, "search-kk-390")
        page.goto(f"{base}/ar/entries/?q=Айгүл")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("li.card").count() == 3
        shot(page, "search-ar-390")

        page.goto(f"{base}/en/entries/{p.entry_no}/")
        page.set_viewport_size({"width": 1280, "height": 900})
        with page.expect_navigation():
            page.click('nav.langs a[hreflang="ar"]')
        assert page.url == f"{base}/ar/entries/{p.entry_no}/"
        assert page.locator("html").get_attribute("dir") == "rtl"
        brand = page.locator(".brand").bounding_box()
        width = page.viewport_size["width"]
        assert brand is not None and brand["x"] > width / 2  # mirrored: the brand on the right
        term = page.locator("dl.facts dt").first.bounding_box()
        value = page.locator("dl.facts dd").first.bounding_box()
        assert term is not None and value is not None and term["x"] > value["x"]
        shot(page, "entry-ar-1280")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "entry-ar-390")

        page.click(f'a[href="/ar/correction/?entry={p.entry_no}"]')
        page.wait_for_url(f"{base}/ar/correction/?entry={p.entry_no}")
        assert page.input_value("#id_entry") == str(p.entry_no)
        trap = page.locator(".hp").bounding_box()  # the honeypot: no room on the page
        assert trap is not None and trap["width"] <= 1 and trap["height"] <= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.fill("#id_message", "Туған жылы 1968 емес, 1969.")
        page.fill("#id_contact", "relative@example.org")
        shot(page, "correction-ar-390")
        with page.expect_navigation():
            page.click("form.correction button[type=submit]")
        assert page.locator("[data-testid=thanks]").is_visible()
        s = Submission.objects.get()
        assert (s.entry_no, s.language, s.contact) == (p.entry_no, "ar", "relative@example.org")
    finally:
        context.close()
