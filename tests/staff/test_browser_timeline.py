"""The status timeline in Debian's Chromium: a status added from a testimony cites it, then is
corrected and removed, each with a reason."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest

from aigaq.core.models import AuditEntry
from aigaq.people.models import StatusEvent
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    """Screenshots for a reviewer's eyes, when AIGAQ_SCREENSHOTS names a folder."""
    folder = os.environ.get("AIGAQ_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_a_status_from_a_testimony_is_cited_corrected_and_removed(
    signed_in_page: Any, live_server: Any
) -> None:
    page, user = signed_in_page()
    son = factories.person("Ақан Серікұлы", actor=user, gender="male")
    mother = factories.testifier("Гүлжан Тоқтарқызы", actor=user)
    testimony = factories.testimony(son, actor=user, relationship="mother", testifier_obj=mother)

    page.goto(f"{live_server.url}/testimonies/{testimony.number}/")
    assert "her son" in page.locator("[data-testid=relations]").inner_text()
    _shot(page, "testimony-desktop")
    page.click("[data-testid=add-status-from-testimony]")
    page.wait_for_url(re.compile(rf".*/persons/{son.entry_no}/status/\?testimony=.*"))
    form = page.locator("[data-testid=status-add]")
    assert form.is_visible()
    assert form.locator("#id_testimony").input_value() == str(testimony.pk)
    form.locator("#id_kind").select_option("camp")
    form.locator("#id_date_text").fill("spring 2018")
    _shot(page, "status-add-desktop")
    form.locator("button[name=add]").click()
    page.wait_for_url(re.compile(rf".*/persons/{son.entry_no}/#timeline$"))
    timeline = page.locator("[data-testid=timeline]")
    source = timeline.locator("[data-testid=event-source] a")
    assert "2019-03-01" in source.inner_text()
    assert "Гүлжан Тоқтарқызы" in page.locator("[data-testid=relatives]").inner_text()
    assert f"mother of #{son.entry_no}" in page.locator("[data-testid=relatives]").inner_text()
    _shot(page, "person-desktop")

    page.click("[data-testid=event-edit]")
    edit = page.locator("[data-testid=status-edit]")
    edit.locator("#id_kind").select_option("prison")
    edit.locator("button[name=save]").click()  # no reason yet: refused
    assert "This field is required." in page.content()
    page.locator("#id_reason").fill("The testimony says prison.")
    _shot(page, "status-edit-desktop")
    page.locator("[data-testid=status-edit] button[name=save]").click()
    page.wait_for_url(re.compile(r".*#timeline$"))
    assert "Prison" in timeline.inner_text()
    assert StatusEvent.objects.get().kind == "prison"

    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "person-phone")
    page.click("[data-testid=event-remove]")
    page.locator("#id_reason").fill("Entered on the wrong person.")
    _shot(page, "status-remove-phone")
    page.locator("button[name=remove]").click()
    page.wait_for_url(re.compile(r".*#timeline$"))
    assert "No status reported yet." in timeline.inner_text()
    assert not StatusEvent.objects.exists()
    removed = AuditEntry.objects.get(action="delete")
    assert removed.note == "Entered on the wrong person."
