"""The demo a newcomer gets from `make run`: rooms at the desk and a few obvious duplicates
already waiting in the review queue, so both can be tried at once."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.dedup.models import Candidate
from aigaq.demo.records import DEMO_ROOMS, generate_demo
from aigaq.intake.models import Room
from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: Any) -> Any:
    gazetteer_load()
    return generate_demo(people=120, seed=7)


def test_the_demo_gives_the_desk_rooms_to_send_visitors_to(
    demo: Any, client: Any, interviewer: Any
) -> None:
    assert list(Room.objects.values_list("name", flat=True)) == list(DEMO_ROOMS)
    client.force_login(interviewer)
    board = client.get("/desk/rooms/").content.decode()
    assert all(name in board for name in DEMO_ROOMS)


def test_the_demo_puts_obvious_duplicates_in_the_review_queue(demo: Any) -> None:
    assert Person.objects.count() == 120 and demo.persons == 120
    pairs = [
        c
        for c in Candidate.objects.filter(status=Candidate.Status.OPEN).select_related("a", "b")
        if c.a.primary_name != c.b.primary_name
        and (c.a.birth_year, c.a.hometown_id, c.a.gender)
        == (c.b.birth_year, c.b.hometown_id, c.b.gender)
    ]
    assert len(pairs) >= 4 and demo.duplicate_pairs >= 4
    assert all(c.score >= 0.9 for c in pairs)


def test_a_demo_without_testimonies_stays_as_it_was(db: Any) -> None:
    gazetteer_load()
    summary = generate_demo(people=60, seed=7, with_testimonies=False)
    assert summary.persons == 60 and summary.duplicate_pairs == 0
    assert not Room.objects.exists() and not Candidate.objects.exists()
