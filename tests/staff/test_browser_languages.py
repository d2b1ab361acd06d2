"""In Chromium: the Kazakh interface names places in Kazakh, and a refused page says, in the
interface's style and language, what the role may not do."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.staff.test_languages import kulja

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_kazakh(page: Any) -> None:
    with page.expect_navigation():
        page.select_option("select[name=language]", "kk")
    assert page.locator("html").get_attribute("lang") == "kk"


def test_the_kazakh_interface_shows_places_by_their_kazakh_names(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page()
    person = factories.person("Гүлнар Серікқызы", actor=user, hometown=kulja())
    choose_kazakh(page)
    page.goto(f"{live_server.url}/persons/{person.entry_no}/")
    assert "Құлжа қаласы" in page.locator("dl.facts").inner_text()
    assert "Yining" not in page.locator("dl.facts").inner_text()
    page.goto(f"{live_server.url}/persons/{person.entry_no}/edit/")
    assert page.input_value("#id_hometown_q") == "Құлжа қаласы"
    page.goto(f"{live_server.url}/persons/")
    assert "Құлжа қаласы" in page.locator("table").first.inner_text()


def test_a_refused_page_says_in_kazakh_what_the_role_may_not_do(
    signed_in_page: Any, live_server: Any
) -> None:
    page, _user = signed_in_page("viewer", "browser-viewer")
    choose_kazakh(page)
    response = page.goto(f"{live_server.url}/persons/new/")
    assert response is not None and response.status == 403
    refusal = page.locator("[data-testid=refusal]").inner_text()
    assert (
        refusal == "Сіздің рөліңіз адамдар туралы жазбаларды жасауға не өзгертуге рұқсат бермейді."
    )
    assert page.locator("header.top nav.main-nav").is_visible()  # the interface's own page
    assert "Қараушы" in page.locator("main").inner_text()  # the role, in Kazakh
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon == "/static/aigaq/favicon.svg"
    assert page.request.get(live_server.url + icon).ok


def test_the_arabic_staff_interface_reads_right_to_left(
    signed_in_page: Any, live_server: Any, tmp_path: Any
) -> None:
    page, user = signed_in_page()
    person = factories.person("Гүлнар Серікқызы", "Gulnar Serikqyzy", actor=user)
    with page.expect_navigation():
        page.select_option("select[name=language]", "ar")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The menu flows from the right: its first link stands right of its second.
    links = page.locator("header.top nav.main-nav a")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert first is not None and second is not None and first["x"] > second["x"]
    assert links.nth(0).inner_text() != "Dashboard"  # translated, not English
    page.goto(f"{live_server.url}/persons/{person.entry_no}/")
    # A name in Cyrillic keeps its own direction inside the right-to-left page.
    assert "Гүлнар Серікқызы" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "staff-ar.png"), full_page=True)
