"""A job that does nothing but record that it ran, for checking several workers on one queue
(`tests/core/test_workers.py`, `bench/jobs_bench.py`): every job is taken by one worker, a
job whose worker was killed runs again, and its effect happens once.

Each run writes, in one transaction, the job's effect (a row keyed by the job's key, written
idempotently: `ON CONFLICT DO NOTHING`) and a row saying that this run committed. A run that
dies leaves neither (its transaction is rolled back), so after all jobs are done:
`effects == jobs` (none lost, none twice in effect) and `runs == jobs` (none ran twice to the
end). A job whose worker was killed after the commit and before the task was marked done is
taken again, and its second run finds the effect there and writes nothing (it returns
"already"), as `core.jobs.job_effect` makes Aigaq's own jobs do.

The two tables (`aigaq_probe_effect`, `aigaq_probe_run`) live outside Django's models (a check makes them and drops them again):
`probe_tables_create`, `probe_tables_drop`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django_tasks import TaskContext, task


def probe_tables_create() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS aigaq_probe_effect (key varchar(64) PRIMARY KEY)"
        )
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS aigaq_probe_run (key varchar(64) NOT NULL, "
            "worker varchar(64) NOT NULL, attempt integer NOT NULL)"
        )


def probe_tables_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS aigaq_probe_effect")
        cursor.execute("DROP TABLE IF EXISTS aigaq_probe_run")


@task(takes_context=True)
def probe_job(context: TaskContext, key: str, hold: float = 0.0, hold_first: float = 0.0) -> str:
    """Record the effect of job `key` once, and this run. `hold` seconds are spent inside the
    transaction on every run, `hold_first` more on the first attempt only (so a test can kill
    the worker in the middle of that job, and its second run is quick)."""
    attempt = context.attempt
    worker = context.task_result.worker_ids[-1] if context.task_result.worker_ids else ""
    wait = hold + (hold_first if attempt <= 1 else 0.0)
    # On SQLite a write transaction holds the whole database: the wait comes before it there
    # (a run killed while waiting has written nothing); on PostgreSQL it comes after the
    # writes, so a run killed while waiting has written rows that are then rolled back.
    if connection.vendor == "sqlite":
        time.sleep(wait)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO aigaq_probe_effect (key) VALUES (%s) ON CONFLICT DO NOTHING", [key]
        )
        if cursor.rowcount == 0:
            # A run before this one committed the effect and was lost before its task was
            # marked done: the effect is there, so this run does nothing (core.jobs.job_effect
            # is the same idea for Aigaq's own jobs).
            return "already"
        cursor.execute(
            "INSERT INTO aigaq_probe_run (key, worker, attempt) VALUES (%s, %s, %s)",
            [key, worker[:64], attempt],
        )
        if connection.vendor != "sqlite":
            time.sleep(wait)
    return key


def probe_jobs_enqueue(keys: Iterable[str], **kwargs: Any) -> int:
    """Queue one probe job per key, in batches (faster than one `enqueue` each for 100,000)."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    rows: list[Any] = []
    now = timezone.now()
    for key in keys:
        rows.append(
            DBTaskResult(
                args_kwargs={"args": [], "kwargs": {"key": key, **kwargs}},
                priority=probe_job.priority,
                task_path=probe_job.module_path,
                queue_name=probe_job.queue_name,
                backend_name=probe_job.backend,
                run_after=get_date_max(),
                enqueued_at=now,
            )
        )
    DBTaskResult.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def probe_counts() -> dict[str, int]:
    """How many jobs had an effect, how many runs committed, and how many keys committed
    more than one run (must be 0)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM aigaq_probe_effect")
        effects = cursor.fetchone()[0]
        cursor.execute("SELECT count(*), count(DISTINCT key) FROM aigaq_probe_run")
        runs, distinct = cursor.fetchone()
    return {"effects": effects, "runs": runs, "twice": runs - distinct}
