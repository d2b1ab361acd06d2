"""The staff interface in Debian's Chromium: keyboard first, htmx pickers, consent, conflicts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aigaq.people.models import Person
from aigaq.testimonies.models import Testimony as TestimonyModel
from tests import factories
from tests.conftest import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_context(browser: Any, live_server: Any, user: Any) -> Any:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    browser_sign_in(page, live_server.url, user)
    page.wait_for_url(live_server.url + "/")
    return page


def test_person_with_names_in_three_scripts_is_entered_from_the_keyboard_alone(
    signed_in_page: Any, live_server: Any
) -> None:
    # bench/browser_bench.py times the same keystrokes.
    page, _user = signed_in_page()
    page.goto(live_server.url + "/persons/new/")
    assert page.evaluate("document.activeElement.id") == "id_names-0-full_name"
    page.keyboard.type("Гүлнар Серікқызы")
    page.keyboard.press("Tab")  # kind of name
    page.keyboard.press("Tab")
    page.keyboard.type("Gulnar Serikqyzy")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("古丽娜尔·赛力克")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # "Add another name"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_names-3-full_name"
    page.keyboard.type("گۇلنار سەرىكقىزى")
    page.keyboard.press("Enter")  # saves
    page.wait_for_url(re.compile(r".*/persons/\d+/$"))
    names = page.locator("[data-testid=names] td.name").all_inner_texts()
    assert names == ["Гүлнар Серікқызы", "Gulnar Serikqyzy", "古丽娜尔·赛力克", "گۇلنار سەرىكقىزى"]
    person = Person.objects.get()
    assert [n.script for n in person.names.all()][:3] == ["cyrillic", "latin", "han"]


def test_testimony_naming_two_relatives_with_the_person_picker(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page("interviewer", "browser-interviewer")
    known = factories.person("Ақан Серікұлы", actor=user)
    page.goto(live_server.url + "/testimonies/new/")
    page.fill("#id_testifier_name", "Айгүл Сәрсенқызы")
    page.fill("#id_testifier_phone", "+7 701 000 00 00")
    page.locator("#id_relations-0-person_q").press_sequentially("Серік", delay=20)
    page.wait_for_selector("#id_relations-0-person_results [data-pick]")
    page.locator("#id_relations-0-person_q").press("Enter")  # takes the first result
    assert page.input_value("#id_relations-0-person") == str(known.pk)
    page.select_option("#id_relations-0-relationship", "son")
    page.fill("#id_relations-1-new_name", "Бақыт Серікұлы")
    page.select_option("#id_relations-1-relationship", "brother")
    page.check("#id_consent_press")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r".*/testimonies/[0-9]+/$"))
    about = page.locator("[data-testid=relations]").inner_text()
    assert "Ақан Серікұлы" in about
    assert "Бақыт Серікұлы" in about
    assert TestimonyModel.objects.get().relations.count() == 2


def test_withdrawing_consent_in_the_browser(signed_in_page: Any, live_server: Any) -> None:
    page, user = signed_in_page()
    testimony = factories.testimony(
        factories.person("Ақан", actor=user), actor=user, consent_public=True
    )
    page.goto(f"{live_server.url}/testimonies/{testimony.number}/")
    page.click("text=Withdraw consent…")
    page.fill("#id_reason", "The family was threatened")
    page.check("#id_confirm")
    page.click("button.danger[type=submit]")
    page.wait_for_url(f"{live_server.url}/testimonies/{testimony.number}/")
    assert "Consent withdrawn" in page.locator("[data-testid=consent]").inner_text()
    testimony.refresh_from_db()
    assert testimony.consent_withdrawn_at is not None


def test_two_sessions_editing_the_same_person_see_the_conflict(
    browser: Any, live_server: Any, make_user: Any
) -> None:
    first_user = make_user("coordinator", "first-editor")
    second_user = make_user("interviewer", "second-editor")
    person = factories.person("Ақан", actor=first_user, occupation="teacher")
    first = sign_in_context(browser, live_server, first_user)
    second = sign_in_context(browser, live_server, second_user)
    edit = f"{live_server.url}/persons/{person.entry_no}/edit/"
    first.goto(edit)
    second.goto(edit)
    first.fill("#id_occupation", "driver")
    first.click("button.primary[type=submit]")
    first.wait_for_url(re.compile(r".*/persons/\d+/$"))
    second.fill("#id_occupation", "imam")
    second.click("button.primary[type=submit]")
    conflict = second.locator("[data-testid=conflict]")
    conflict.wait_for()
    text = conflict.inner_text()
    assert "Someone else saved this entry" in text
    assert "imam" in text and "driver" in text
    second.click("button.primary[type=submit]")  # re-apply mine
    second.wait_for_url(re.compile(r".*/persons/\d+/$"))
    person.refresh_from_db()
    assert person.occupation == "imam"
    first.context.close()
    second.context.close()


def test_chinese_id_is_revealed_with_htmx_on_request(signed_in_page: Any, live_server: Any) -> None:
    from aigaq.people.validators import chinese_id_check_char

    page, user = signed_in_page()
    number = "65400119800101123" + chinese_id_check_char("65400119800101123")
    person = factories.person("Ақан", actor=user, chinese_id=number)
    page.goto(f"{live_server.url}/persons/{person.entry_no}/")
    assert number not in page.content()
    page.click("[data-testid=reveal]")
    page.wait_for_selector("[data-testid=restricted-value]")
    assert page.locator("[data-testid=restricted-value]").inner_text() == number


def test_curator_tells_namesakes_apart_by_the_birth_year(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page()
    for year in (1962, 1979, 1991):
        factories.person("Гүлнар Серікқызы", "Gulnar Serikqyzy", actor=user, birth_year=year)
    page.goto(live_server.url + "/persons/")
    page.fill("#id_q", "Gulnar Serikqizi")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=namesakes]")
    assert "3 entries match this name" in page.inner_text("[data-testid=namesakes]")
    assert page.locator("table.persons tbody tr").count() == 3
    page.fill("#id_born_from", "1978")
    page.fill("#id_born_to", "1980")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*born_from=1978.*"))
    rows = page.locator("table.persons tbody tr")
    assert rows.count() == 1
    assert "1979" in rows.inner_text()
    assert page.locator("[data-testid=namesakes]").count() == 0
    # The filters stay filled in for the next narrowing.
    assert page.input_value("#id_born_from") == "1978"
