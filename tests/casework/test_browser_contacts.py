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


def test_a_contact_is_edited_and_a_past_day_is_refused_with_nothing_changed(
    signed_in_page: Any, live_server: Any
) -> None:
    import os

    from aigaq.casework.models import CaseContact
    from aigaq.casework.services import contact_create
    from aigaq.core.models import AuditEntry

    page, user = signed_in_page("coordinator")
    page.set_viewport_size({"width": 390, "height": 844})
    son = factories.person("Ақан Серікұлы", actor=user, visibility="internal")
    mother = factories.testifier("Гүлжан Тоқтарқызы", actor=user)
    factories.testimony(son, actor=user, relationship="mother", testifier_obj=mother)
    contact = contact_create(
        actor=user,
        person=son,
        testifier=mother,
        consent=True,
        method="phone",
        handle="+77015550123",
    )
    page.goto(f"{live_server.url}/casework/contacts/{contact.pk}/")
    page.click("[data-testid=contact-edit]")
    page.wait_for_url(re.compile(r".*/casework/contacts/[0-9a-f-]+/edit/$"))
    assert "+77015550123" not in page.content()  # the number is never put into the form

    past = timezone.localdate() - dt.timedelta(days=2)
    page.fill("#id_next_contact_due", past.isoformat())
    page.fill("#id_notes", "Calls after 18:00 only.")
    page.click("[data-testid=contact-edit-save]")
    error = page.locator("[data-testid=form-error]").inner_text()
    assert "in the past" in error
    contact.refresh_from_db()
    assert contact.notes == "" and contact.next_contact_due is None

    due = timezone.localdate() + dt.timedelta(days=5)
    page.fill("#id_next_contact_due", due.isoformat())
    page.select_option("#id_method", "telegram")
    page.fill("#id_handle", "@gulzhan_t")
    page.click("[data-testid=contact-edit-save]")
    page.wait_for_url(re.compile(r".*/casework/contacts/[0-9a-f-]+/$"))
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, "contact-edited-390.png"), full_page=True)
    assert page.locator("[data-testid=next-due]").inner_text() == due.isoformat()
    contact = CaseContact.objects.get(pk=contact.pk)
    assert (contact.method, contact.handle, contact.notes) == (
        "telegram",
        "@gulzhan_t",
        "Calls after 18:00 only.",
    )
    changes = [
        e.changes for e in AuditEntry.objects.filter(object_id=str(contact.pk), action="update")
    ]
    assert changes and "handle" in changes[0]
    assert "@gulzhan_t" not in str(changes) and "+77015550123" not in str(changes)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
