"""The review page pre-selects the entry with more recorded (not the first of the pair) and
says what each side would bring (issue 16)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aigaq.dedup import scan
from aigaq.dedup.models import Candidate
from aigaq.dedup.selectors import keep_first, merge_preview, person_side
from aigaq.people.models import Person
from aigaq.people.services import NameInput, person_update, status_event_add
from tests import factories

pytestmark = pytest.mark.django_db


def _rich_and_poor(actor: Any) -> tuple[Person, Person]:
    """Two entries of one person; the poorer is the pair's first (smaller id), the one the
    page used to pre-select."""
    x = factories.person("Гүлнар Серікқызы", actor=actor, birth_year=1975)
    y = factories.person("Gulnar Serikqyzy", actor=actor, birth_year=1975)
    poor, rich = (x, y) if scan.ordered(x.pk, y.pk)[0] == x.pk else (y, x)
    rich = person_update(
        actor=actor,
        person=rich,
        expected_version=rich.version,
        names=[NameInput(rich.primary_name), NameInput("古丽娜尔·赛力克")],
        biography="Teacher in Tekes; taken in 2018.",
        occupation="teacher",
    )
    status_event_add(actor=actor, person=rich, kind="camp", date_text="2018")
    factories.testimony(rich, actor=actor, relationship="daughter")
    return Person.objects.get(pk=rich.pk), Person.objects.get(pk=poor.pk)


def _candidate(a: Person, b: Person) -> Candidate:
    first, second = scan.ordered(a.pk, b.pk)
    return Candidate.objects.create(a_id=first, b_id=second, score=0.95, reasons=[])


def test_the_entry_with_more_recorded_is_pre_selected(client: Any, coordinator: Any) -> None:
    rich, poor = _rich_and_poor(coordinator)
    cand = _candidate(rich, poor)
    assert cand.a_id == poor.pk
    client.force_login(coordinator)
    page = client.get(f"/duplicates/{cand.pk}/").content.decode()
    checked = re.findall(r'name="survivor" value="([^"]+)" checked', page)
    assert checked == [str(rich.pk)]


def test_each_side_says_what_it_holds_and_would_bring(client: Any, coordinator: Any) -> None:
    rich, poor = _rich_and_poor(coordinator)
    cand = _candidate(rich, poor)
    client.force_login(coordinator)
    page = client.get(f"/duplicates/{cand.pk}/").content.decode()
    side = {n: page.split(f'data-testid="preview-{n}"', 1)[1].split("</div>", 1)[0] for n in (1, 2)}
    rich_side = side[2]  # the pair's second: the richer entry
    assert "2 names, 1 status event, 1 testimony" in rich_side
    assert "biography" in rich_side and "occupation" in rich_side
    assert "1 name" in side[1] and "0 testimonies" in side[1]
    assert "Teacher in Tekes; taken in 2018." in page  # the biography itself, side by side


def test_on_equal_weight_the_older_entry_is_suggested(coordinator: Any) -> None:
    older = factories.person("Асқар Бекұлы", actor=coordinator, birth_year=1960)
    newer = factories.person("Askar Bekuly", actor=coordinator, birth_year=1960)
    a, b = person_side(user=coordinator, pk=newer.pk), person_side(user=coordinator, pk=older.pk)
    previews = merge_preview(a, b)
    assert previews[0]["weight"] == previews[1]["weight"]
    assert keep_first(a, b, previews) is False  # b, the older entry
