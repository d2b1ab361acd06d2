"""kill -9 of `aigaq worker` in the gap between a job's commit and the job being marked done
(aigaq/core/jobs.py, "a job's effect happens once"): the import's rows are committed, the job
still says running; another worker takes the job again once the lost one's lease has passed,
and finishes it with the result recorded in the import's own transaction, importing nothing
twice. On SQLCipher and on PostgreSQL."""

from __future__ import annotations

import io
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Job
from aigaq.people.models import Person
from aigaq.transfer.models import ImportRun
from aigaq.transfer.tasks import spreadsheet_import_start
from tests.crash.conftest import WAIT, Crash, kill_group

ROWS = 40
LEASE = "2"


def _sheet() -> bytes:
    lines = ["name,gender,birth_year"]
    lines += [f"Oncetest Person{i:03d}ova,female,{1950 + i % 40}" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def worker(crash: Crash, *, pause_at: str | None = None) -> subprocess.Popen[str]:
    return crash.start(
        "worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", "--lease", LEASE,
        pause_at=pause_at,
    )  # fmt: skip


def paused(crash: Crash, process: subprocess.Popen[str], point: str) -> None:
    """Wait until `process` sleeps at `point` (its marker file), then kill -9 its group."""
    deadline = time.monotonic() + WAIT
    while not crash.marker.exists():
        if process.poll() is not None:
            out = process.stdout.read() if process.stdout else ""
            pytest.fail(f"it ended (exit {process.returncode}) before {point}:\n{out}")
        if time.monotonic() > deadline:
            pytest.fail(f"it never reached {point}")
        time.sleep(0.05)
    kill_group(process)


def finished(job: Job, process: subprocess.Popen[str]) -> Job:
    deadline = time.monotonic() + WAIT
    while True:
        job.refresh_from_db()
        if job.finished:
            return job
        if process.poll() is not None or time.monotonic() > deadline:
            out = process.stdout.read() if process.stdout and process.poll() is not None else ""
            pytest.fail(f"the job never finished ({job.status}, {job.message}):\n{out}")
        time.sleep(0.2)


def test_a_worker_killed_after_the_import_committed_leaves_one_import_not_two(
    crash: Crash, coordinator: Any, tmp_path: Path
) -> None:
    crash.marker.unlink(missing_ok=True)
    first = worker(crash, pause_at="job.finishing")
    job = spreadsheet_import_start(
        actor=coordinator, fileobj=io.BytesIO(_sheet()), file_name="list.csv"
    )
    paused(crash, first, "job.finishing")

    # The import committed; the job was not marked done: it still says running.
    assert Person.objects.count() == ROWS and ImportRun.objects.count() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.effect_at is not None

    second = worker(crash)
    job = finished(job, second)
    assert job.status == Job.Status.DONE, job.message
    # Exactly one import's worth of rows, and the page shows the first run's result.
    assert Person.objects.count() == ROWS
    assert ImportRun.objects.count() == 1
    assert job.result["created"] == ROWS and job.result["rows"] == ROWS
    assert job.attempt == 2  # it was taken again, and finished without a second import
    assert not (crash.data / "tmp" / "jobs" / str(job.pk)).exists()  # its kept file erased
