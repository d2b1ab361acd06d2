"""Background work of the duplicates feature, run by `aigaq worker` (core/jobs.py): the scan
of all entries, a job with its own page, started from /duplicates/."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.core.jobs import Progress, job_run, job_start
from aigaq.core.models import Job
from aigaq.dedup import scan
from aigaq.dedup.services import candidates_refresh

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
