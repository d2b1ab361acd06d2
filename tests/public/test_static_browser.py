"""The static edition in a browser, opened from a folder with no server: a search in Kazakh
Cyrillic finds an entry entered in Latin script, and its page opens. Screenshots go to
test-artifacts/public/ (and to AIGAQ_SHOTS_DIR when set)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Visibility
from aigaq.public.static_build import build
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "public"


def shoot(page: Any, name: str) -> None:
    folders = [ARTIFACTS]
    if os.environ.get("AIGAQ_SHOTS_DIR"):
        folders.append(Path(os.environ["AIGAQ_SHOTS_DIR"]))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def published(*names: str, **fields: Any) -> Any:
    person = factories.person(*names, visibility=Visibility.PUBLIC, **fields)
    factories.testimony(
        person,
        visibility=Visibility.PUBLIC,
        consent_public=True,
        consent_anonymous=False,
        status="recorded",
        summary="His sister told how he was taken from the market in Tekes.",
    )
    return person


def test_a_kazakh_cyrillic_search_finds_a_latin_entry_from_a_folder(
    page: Any, tmp_path: Path
) -> None:
    wanted = published("Serik Ospanov", birth_year=1975, status="camp", date="spring 2018")
    published("Gulnar Serikqyzy")
    published("Marat Bekuly")
    out = tmp_path / "edition"
    summary = build(out)
    assert summary.entries == 3 and not summary.dangling

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    for width, suffix in ((1280, ""), (390, "-390")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto((out / "kk" / "index.html").as_uri())
        page.fill("input[name=q]", "Серік Оспанов")
        page.press("input[name=q]", "Enter")
        page.wait_for_selector(".static-results .card")
        assert "entries/index.html?q=" in page.url
        cards = page.locator(".static-results .card")
        assert cards.count() == 1
        assert "Serik Ospanov" in cards.first.inner_text()
        shoot(page, f"static-search-kk{suffix}")
        cards.first.locator("a").click()
        page.wait_for_url(f"**/kk/entries/{wanted.entry_no}/index.html")
        assert "Serik Ospanov" in page.locator("h1").inner_text()
        shoot(page, f"static-entry-kk{suffix}")
    # The language switcher leads to the Arabic page, right to left, from the folder too.
    page.locator('.langs a[hreflang="ar"]').click()
    page.wait_for_url(f"**/ar/entries/{wanted.entry_no}/index.html")
    assert page.locator("html").get_attribute("dir") == "rtl"
    shoot(page, "static-entry-ar-390")
    # Arabic-script and Chinese searches use the same keys; a number goes to the entry.
    page.goto((out / "en" / "entries" / "index.html").as_uri() + "?q=" + str(wanted.entry_no))
    page.wait_for_selector(".static-results .card")
    assert page.locator(".static-results .card").count() == 1
    page.goto((out / "en" / "entries" / "index.html").as_uri() + "?q=Zzzyqx")
    page.wait_for_selector(".static-results p.count")
    page.wait_for_function(
        "document.querySelector('.static-results p.count').textContent !== 'Searching…'"
    )
    assert page.locator(".static-results .card").count() == 0
    assert errors == []


def test_a_pinyin_search_finds_a_name_in_chinese_characters_from_a_folder(
    page: Any, tmp_path: Path
) -> None:
    """A search typed in pinyin (as Chinese passports spell Turkic names) finds the entry
    written in Chinese characters and the one in Latin script, as the server's search does."""
    from django.conf import settings
    from django.test import Client, override_settings

    chinese = published("买买提·吐尔逊")
    latin = published("Memet Tursun")
    published("Gulnar Serikqyzy")
    published("Ma Ming")
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        served = Client().get("/en/entries/", {"q": "Maimaiti Tuerxun"}).content.decode()
    for p in (chinese, latin):
        assert f"/en/entries/{p.entry_no}/" in served  # the server finds both
    out = tmp_path / "edition"
    assert not build(out).dangling

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto((out / "en" / "index.html").as_uri())
    page.fill("input[name=q]", "MAIMAITI TUERXUN")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".static-results .card")
    found = page.locator(".static-results .card").all_inner_texts()
    assert len(found) == 2, found
    assert any("买买提·吐尔逊" in t for t in found) and any("Memet Tursun" in t for t in found)
    shoot(page, "static-search-pinyin-390")
    assert errors == []


def test_the_list_pages_lead_on_from_a_folder(page: Any, tmp_path: Path, monkeypatch: Any) -> None:
    """From the list's first page, "older entries" leads through the blocks' pages to the
    oldest entry and "newer entries" back, every entry met once, in a browser opening the
    edition from a folder."""
    from aigaq.public import static_build, views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    monkeypatch.setattr(static_build, "BLOCK", 2)
    numbers = sorted((published(f"Marat Bekuly {i}").entry_no for i in range(5)), reverse=True)
    out = tmp_path / "edition"
    assert not build(out).dangling

    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def shown() -> list[int]:
        texts = page.locator("main ul.cards .no").all_inner_texts()
        return [int(t.strip().lstrip("#")) for t in texts]

    page.goto((out / "en" / "entries" / "index.html").as_uri())
    first = shown()
    assert first == numbers[:2]
    seen: list[int] = []
    while page.locator('a[rel="next"]').count():
        page.locator('a[rel="next"]').click()
        page.wait_for_url("**/en/entries/numbers/*/index.html")
        seen += [n for n in shown() if n not in seen]
    assert sorted(set(first + seen), reverse=True) == numbers
    assert seen[-1] == numbers[-1]
    shoot(page, "static-list-block")
    while page.locator('a[rel="prev"]').count():
        page.locator('a[rel="prev"]').click()
    assert numbers[0] in shown()
    page.locator("nav.pages a:not([rel])").click()  # "newest": the first page
    page.wait_for_url("**/en/entries/index.html")
    assert shown() == numbers[:2] and errors == []
