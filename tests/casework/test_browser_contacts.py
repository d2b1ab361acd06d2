"""In Debian's Chromium, at phone width: a volunteer adds a family contact from the person
page, logs a call with the next contact in three days, and finds the family in "Families to
call this week"; the number shows only on request."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from aigaq.casework.models import ContactLog
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_logged_contact_appears_in_families_to_call_this_week(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page("interviewer")
    page.set_viewport_size({"width": 390, "height": 844})
    son = factories.person("Ақан Серікұлы", actor=user, visibility="internal")
    mother = factories.testifier("Гүлжан Тоқтарқызы", actor=user)
    factories.testimony(son, actor=user, relationship="mother", testifier_obj=mother)

    page.goto(f"{live_server.url}/persons/{son.entry_no}/")
    panel = page.locator("[data-testid=contacts-panel]")
    panel.locator("summary").click()  # "Add a contact", loaded by htmx
    page.select_option("#id_method", "whatsapp")
    page.check("#id_consent")
    page.fill("#id_handle", "+7 701 555 01 23")
    page.click("[data-testid=contact-save]")
    page.wait_for_url(re.compile(rf".*/persons/{son.entry_no}/contacts/"))
    page.click("[data-testid=contact-link]")
    page.wait_for_url(re.compile(r".*/casework/contacts/[0-9a-f-]+/$"))
    assert "+77015550123" not in page.content()
    page.click("[data-testid=show-handle]")
    assert page.locator("[data-testid=restricted-value]").inner_text() == "+77015550123"

    due = timezone.localdate() + dt.timedelta(days=3)
    page.select_option("#id_kind", "call")
    page.fill("#id_said", "Told her the appeal was registered.")
    page.fill("#id_next_contact_due", due.isoformat())
    page.click("[data-testid=log-save]")
    page.wait_for_selector("[data-testid=log] td:has-text('Told her the appeal')")
    assert ContactLog.objects.count() == 1

    page.goto(f"{live_server.url}/casework/")
    row = page.locator("[data-testid=to-call] tbody tr").first
    assert "Гүлжан Тоқтарқызы" in row.inner_text()
    assert due.isoformat() in row.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page is {width}px wide at phone width"
