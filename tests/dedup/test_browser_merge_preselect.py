"""In the browser: the review page pre-selects the richer entry and says what each side
brings; after the merge the poorer entry's biography is on the kept entry's page (issue 16)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from aigaq.dedup import scan
from aigaq.dedup.models import Candidate
from aigaq.people.models import Person
from aigaq.people.services import person_update
from tests.dedup.test_merge_preselect import _rich_and_poor

SHOTS = os.environ.get("AIGAQ_SCREENSHOTS")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_richer_entry_is_kept_by_default_and_nothing_of_the_other_is_lost(
    live_server: Any, signed_in_page: Any
) -> None:
    page, user = signed_in_page("coordinator", "curator")
    rich, poor = _rich_and_poor(user)
    poor = person_update(
        actor=user,
        person=poor,
        expected_version=poor.version,
        biography="Her neighbour saw her taken to the Ghulja camp.",
    )
    first, second = scan.ordered(rich.pk, poor.pk)
    cand = Candidate.objects.create(a_id=first, b_id=second, score=0.95, reasons=[])

    page.goto(f"{live_server.url}/duplicates/{cand.pk}/")
    expect(page.locator(f"input[name=survivor][value='{rich.pk}']")).to_be_checked()
    rich_side = page.locator("[data-testid=side-2]")
    expect(rich_side.locator("[data-testid=suggested]")).to_be_visible()
    expect(page.locator("[data-testid=preview-1]")).to_contain_text(
        "shown there as from the merged entry: biography"
    )
    expect(page.locator("[data-testid=preview-2]")).to_contain_text("fills in occupation")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/merge-review.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SHOTS}/merge-review-phone.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
    page.click("[data-testid=merge]")
    page.wait_for_selector("[data-testid=merge-summary]")
    assert Person.objects.get(pk=poor.pk).merged_into_id == rich.pk

    page.goto(f"{live_server.url}/persons/{rich.entry_no}/")
    section = page.locator("[data-testid=merged-from]")
    expect(section).to_contain_text(f"From merged entry #{poor.entry_no}")
    expect(section).to_contain_text("Her neighbour saw her taken to the Ghulja camp.")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/person-merged-from.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SHOTS}/person-merged-from-phone.png", full_page=True)
