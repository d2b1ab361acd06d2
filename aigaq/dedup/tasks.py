"""Background work of the duplicates feature, run by `aigaq worker` (core/jobs.py):

* the scan of all entries, a job with its own page, started from /duplicates/;
* the queue's refresh for the persons a write touched: every person write (create, edit,
  merge, undo, a field bundle) runs the PERSON_WRITTEN hooks, and the hook below enqueues one
  `duplicates_refresh_task` for all the persons of the transaction once it commits, so the
  queue follows the data with no command to run by hand.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.core.jobs import Progress, job_run, job_start
from aigaq.core.models import Job
from aigaq.dedup import scan
from aigaq.dedup.services import candidates_refresh, candidates_refresh_for

SCAN = "duplicates_scan"


def duplicates_scan_start(*, actor: Any, min_score: float = scan.DEFAULT_MIN_SCORE) -> Job:
    """Queue a scan of all live entries (`candidates_refresh`) as a job."""
    if not 0.0 <= min_score <= 1.0:
        raise ValueError(min_score)
    return job_start(
        kind=SCAN,
        actor=actor,
        task=duplicates_scan_task,
        title=_("Scan of all entries for possible duplicates"),
        capability="person.merge",
        params={"min_score": min_score},
    )


@task()
def duplicates_scan_task(job_id: str) -> str:
    return job_run(job_id, _scan)


def _scan(job: Job, progress: Progress) -> Mapping[str, Any]:
    progress(0, 0, _("Comparing the entries"))
    found, stats = candidates_refresh(
        actor=job.created_by, min_score=float(job.params["min_score"])
    )
    return {
        "candidates": len(found),
        "persons": stats.persons,
        "pairs_compared": stats.pairs_scored,
        "hubs_skipped": stats.hubs_skipped,
    }


@task()
def duplicates_refresh_task(person_ids: list[str]) -> int:
    """Refresh the duplicates queue for these persons (idempotent)."""
    return candidates_refresh_for(person_ids=person_ids)


class _Batch:
    """The persons written in one transaction. Only the on-commit callbacks hold it strongly:
    when the transaction is rolled back they are dropped, the batch is freed with them and
    the next transaction starts a new one (so nothing leaks from a rolled-back write)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.sent = False

    def send(self) -> None:
        if self.sent:
            return
        self.sent = True
        duplicates_refresh_task.enqueue(sorted(self.ids))


_current = threading.local()


def person_written(person: Any) -> None:
    """The PERSON_WRITTEN hook (registered by DedupConfig.ready)."""
    ref = getattr(_current, "batch", None)
    batch = ref() if ref is not None else None
    if batch is None or batch.sent:
        batch = _Batch()
        _current.batch = weakref.ref(batch)
    batch.ids.add(str(person.pk))
    transaction.on_commit(batch.send)
