"""A curator reviews a candidate pair in the browser, merges it, and undoes the merge."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.dedup.services import candidates_refresh
from aigaq.people.models import Person
from tests import factories


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_curator_reviews_a_candidate_merges_and_undoes(
    live_server: Any, signed_in_page: Any
) -> None:
    page, user = signed_in_page("coordinator", "curator")
    kept = factories.person("Гүлнар Серікқызы", actor=user, birth_year=1975)
    gone = factories.person("古丽娜尔·赛力克", "Gulnar Serikqyzy", actor=user, birth_year=1975)
    candidates_refresh(actor=user)

    page.goto(live_server.url + "/duplicates/")
    page.get_by_role("link", name="Review").first.click()
    page.wait_for_selector("[data-testid=side-2]")
    assert "古丽娜尔·赛力克" in page.inner_text("main")
    page.check(f"input[name=survivor][value='{kept.pk}']")
    page.click("[data-testid=merge]")
    page.wait_for_selector("[data-testid=merge-summary]")
    assert f"#{gone.entry_no} was merged into entry #{kept.entry_no}" in page.inner_text(
        "[data-testid=merge-summary]"
    )
    gone.refresh_from_db()
    assert gone.merged_into_id == kept.pk
    assert set(Person.objects.get(pk=kept.pk).names.values_list("full_name", flat=True)) == {
        "Гүлнар Серікқызы",
        "古丽娜尔·赛力克",
        "Gulnar Serikqyzy",
    }

    page.click("[data-testid=undo]")
    page.wait_for_selector("[data-testid=undone]")
    gone.refresh_from_db()
    assert gone.merged_into_id is None
    assert gone.names.count() == 2
