"""In the browser: the new-person form warns of an obvious twin while it is filled in, the
save asks for "Create anyway", and "open it" leads to the existing entry (issue 16)."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from aigaq.people.models import Person, Place
from aigaq.people.services import place_save
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("AIGAQ_SCREENSHOTS")


def _fill_twin(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/persons/new/")
    page.fill("#id_names-0-full_name", "Гульнар Сериккызы")
    page.select_option("#id_gender", "female")
    page.fill("#id_birth_year", "1975")
    page.locator("#id_hometown_q").press_sequentially("Tekes", delay=20)
    page.wait_for_selector("#id_hometown_results [data-pick]")
    page.locator("#id_hometown_q").press("Enter")  # takes the first place


@pytest.fixture
def gulnar(db: Any) -> Person:
    tekes = place_save(Place(code="cn-xj-tekes", kind="county", name="Tekes"))
    return factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female", hometown=tekes)


def test_a_twin_is_flagged_while_typing_and_created_only_when_asked(
    signed_in_page: Any, live_server: Any, gulnar: Person
) -> None:
    page, _user = signed_in_page()
    _fill_twin(page, live_server)
    warning = page.locator("[data-testid=look-alikes]")
    expect(warning).to_contain_text(f"Looks like #{gulnar.entry_no}")  # before any save
    expect(warning).to_contain_text("Гүлнар Серікқызы")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/person-new-look-alike.png", full_page=True)
    page.locator("button.primary[type=submit]").click()  # Save
    expect(page.locator("[data-testid=create-anyway]")).to_be_visible()
    expect(page.locator("[data-testid=look-alikes]")).to_contain_text("Nothing was saved yet")
    assert Person.objects.count() == 1
    assert page.input_value("#id_names-0-full_name") == "Гульнар Сериккызы"
    if SHOTS:
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SHOTS}/person-new-confirm-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("[data-testid=create-anyway]").click()
    page.wait_for_url(re.compile(r".*/persons/\d+/$"))
    assert Person.objects.count() == 2


def test_open_it_leads_to_the_existing_entry(
    signed_in_page: Any, live_server: Any, gulnar: Person
) -> None:
    page, _user = signed_in_page()
    _fill_twin(page, live_server)
    page.locator("[data-testid=open-look-alike]").first.click()
    page.wait_for_url(re.compile(rf".*/persons/{gulnar.entry_no}/$"))
    assert Person.objects.count() == 1
