"""The duplicates queue follows the data with no command run by hand: every person write
(create, edit, merge, undo) enqueues, once its transaction commits, one refresh of the queue
for the persons it touched, run by the worker (dedup/tasks.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from aigaq.dedup import scan
from aigaq.dedup.models import Candidate
from aigaq.dedup.services import candidates_refresh_for, person_merge, person_unmerge
from aigaq.people.models import Person
from aigaq.people.services import NameInput, person_update
from tests import factories

pytestmark = pytest.mark.django_db

REFRESH = "aigaq.dedup.tasks.duplicates_refresh_task"


def _pair(a: Person, b: Person) -> Candidate | None:
    first, second = scan.ordered(a.pk, b.pk)
    return Candidate.objects.filter(a_id=first, b_id=second).first()


def _refreshes() -> list[list[str]]:
    """The refreshes waiting in the database queue, as their lists of person ids."""
    from django_tasks_db.models import DBTaskResult

    return [
        r.args_kwargs["args"][0]
        for r in DBTaskResult.objects.filter(task_path=REFRESH).order_by("enqueued_at")
    ]


def test_a_person_entered_like_an_existing_one_lands_in_the_queue_without_a_command(
    coordinator: Any, run_jobs: Any
) -> None:
    first = factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female")
    assert not Candidate.objects.exists()
    with run_jobs():
        second = factories.person(
            "Gulnar Serikqyzy", actor=coordinator, birth_year=1975, gender="female"
        )
    cand = _pair(first, second)
    assert cand is not None and cand.status == Candidate.Status.OPEN and cand.score >= 0.8


def test_the_persons_of_one_transaction_are_refreshed_by_one_job_once_it_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        people = [factories.person(f"Адам {n}") for n in range(3)]
        assert _refreshes() == []  # nothing is enqueued before the commit
    assert _refreshes() == [sorted(str(p.pk) for p in people)]


def test_a_rolled_back_write_leaves_nothing_for_the_next_refresh(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            factories.person("Болмаған Адам")
            raise RuntimeError("refused")
        kept = factories.person("Бар Адам")
    assert _refreshes() == [[str(kept.pk)]]


def test_after_a_merge_the_survivor_is_paired_with_look_alikes_of_the_retired_entry(
    coordinator: Any, run_jobs: Any
) -> None:
    survivor = factories.person("Серік Қабылұлы", birth_year=1970, gender="male")
    retired = factories.person("Ахмет Нұрланұлы", birth_year=1970, gender="male")
    look_alike = factories.person("Akhmet Nurlanuly", birth_year=1970, gender="male")
    assert _pair(survivor, look_alike) is None
    with run_jobs():
        merge = person_merge(
            actor=coordinator,
            survivor=survivor,
            retired=retired,
            survivor_version=survivor.version,
            retired_version=retired.version,
        )
    assert _pair(survivor, look_alike) is not None
    with run_jobs():
        person_unmerge(actor=coordinator, merge=merge)
    assert _pair(survivor, look_alike) is None  # the names went back: so did the pair
    assert _pair(retired, look_alike) is not None


def test_an_edit_that_undoes_the_likeness_drops_the_pair_a_scan_had_found(
    coordinator: Any, run_jobs: Any
) -> None:
    a = factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female")
    with run_jobs():
        b = factories.person("Gulnar Serikqyzy", birth_year=1975, gender="female")
    assert _pair(a, b) is not None
    with run_jobs():
        person_update(
            actor=coordinator,
            person=b,
            expected_version=b.version,
            names=[NameInput("Мәди Бекболатұлы")],
        )
    assert _pair(a, b) is None


def test_refreshing_the_same_persons_twice_changes_nothing_the_second_time() -> None:
    a = factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female")
    b = factories.person("Gulnar Serikqyzy", birth_year=1975, gender="female")
    assert candidates_refresh_for(person_ids=[a.pk, b.pk]) == 1
    before = list(Candidate.objects.values_list("id", "score", "updated_at"))
    assert candidates_refresh_for(person_ids=[str(a.pk), str(b.pk)]) == 0
    assert list(Candidate.objects.values_list("id", "score", "updated_at")) == before
