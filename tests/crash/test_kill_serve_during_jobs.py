"""kill -9 of `aigaq serve` (the whole process tree: the server and the background worker it
started in a session of its own) and of a lone `aigaq worker`, in the middle of a job started
from the pages: a spreadsheet import, and the job that adds a finished upload to the archive.
After the restart: no partial record, the file the killed run had placed is named by `aigaq
media verify` and removed by `--clean-orphans`, and the job runs again to its end, once.

The worker's lease (how long it may go unheard before its job is taken again) is 2 seconds
here (AIGAQ_WORKER_LEASE_SECONDS), so the restarted worker takes the lost job soon."""

from __future__ import annotations

import base64
import contextlib
import io
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Job
from aigaq.media.fixity import fixity_check
from aigaq.media.models import MediaFile
from aigaq.people.models import Person
from aigaq.staff.uploads import UPLOAD_FINISH
from aigaq.transfer.models import ImportRun
from aigaq.transfer.tasks import spreadsheet_import_start
from tests import factories
from tests.crash.conftest import WAIT, Crash, kill_group
from tests.media.videos import video_bytes

ROWS = 60
TUS = {"Tus-Resumable": "1.0.0"}


class Tree:
    """What the test started and must kill: `aigaq serve` (with its worker) or a worker."""

    def __init__(self, crash: Crash) -> None:
        self.crash = crash
        self.workers: list[int] = []  # the serve's workers, in sessions of their own

    def start(self, how: str, *, pause_at: str | None = None) -> subprocess.Popen[str]:
        if how == "serve":
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            process = self.crash.start("serve", "--port", str(port), pause_at=pause_at)
            assert process.stdout is not None
            deadline = time.monotonic() + WAIT
            for line in process.stdout:  # its worker's process id, then "serving"
                if "Background worker started (process" in line:
                    self.workers.append(int(line.split("process")[1].split(")")[0]))
                if "Aigaq is serving" in line or time.monotonic() > deadline:
                    break
            assert self.workers, "serve said nothing of its worker"
            return process
        return self.crash.start(
            "worker", "--no-reload", "--no-startup-delay", "--interval", "0.2",
            pause_at=pause_at,
        )  # fmt: skip

    def kill_at(self, how: str, point: str, start_job: Any) -> Any:
        """Start serve (or a worker) that pauses at `point`, start the job, and once the work
        reaches the point kill -9 the whole tree (the serve's worker first, then serve)."""
        self.crash.marker.unlink(missing_ok=True)
        process = self.start(how, pause_at=point)
        job = start_job()
        deadline = time.monotonic() + WAIT
        while not self.crash.marker.exists():
            failed = Job.objects.filter(status=Job.Status.FAILED).exists()
            if failed or process.poll() is not None or time.monotonic() > deadline:
                jobs = list(Job.objects.values_list("kind", "status", "message"))
                self.kill_workers()
                kill_group(process)
                out = process.stdout.read()[-4000:] if process.stdout else ""
                pytest.fail(f"{how} never reached {point}: {jobs}\n{out}")
            time.sleep(0.05)
        paused = int(self.crash.marker.read_text())
        if how == "serve":
            assert paused in self.workers  # the job ran in serve's worker
        self.kill_workers()
        kill_group(process)
        return job

    def kill_workers(self) -> None:
        for pid in self.workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
        for pid in self.workers:
            deadline = time.monotonic() + WAIT
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
        self.workers.clear()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


@pytest.fixture
def tree(crash: Crash) -> Iterator[Tree]:
    crash.env["AIGAQ_WORKER_LEASE_SECONDS"] = "2"
    started = Tree(crash)
    try:
        yield started
    finally:
        started.kill_workers()


def finished(job: Job, process: subprocess.Popen[str]) -> Job:
    deadline = time.monotonic() + WAIT
    while True:
        job.refresh_from_db()
        if job.finished:
            return job
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the job never finished ({job.status}: {job.message})")
        time.sleep(0.2)


def test_serve_killed_in_the_middle_of_a_spreadsheet_import_keeps_nothing_then_imports_once(
    crash: Crash, tree: Tree, coordinator: Any
) -> None:
    lines = ["name,gender,birth_year"]
    lines += [f"Servekill Person{i:03d}uly,male,{1945 + i % 50}" for i in range(ROWS)]
    sheet = ("\n".join(lines) + "\n").encode()

    job = tree.kill_at(
        "serve",
        "spreadsheet.written",
        lambda: spreadsheet_import_start(
            actor=coordinator, fileobj=io.BytesIO(sheet), file_name="list.csv"
        ),
    )
    # Every row was written inside the one transaction: none survives; the job was running.
    assert Person.objects.count() == 0 and ImportRun.objects.count() == 0
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.effect_at is None

    serve = tree.start("serve")  # its worker takes the lost job again after the lease
    job = finished(job, serve)
    assert job.status == Job.Status.DONE, job.message
    assert job.result["created"] == ROWS and job.attempt == 2
    assert Person.objects.count() == ROWS and ImportRun.objects.count() == 1


def _upload(client: Any, interviewer: Any, data: bytes) -> Job:
    """Send a whole file through the resumable-upload pages (tus): its last part queues the
    job that adds it to the archive."""
    client.force_login(interviewer)
    testimony = factories.testimony()
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"filename": "interview.mp4", "testimony": testimony.label}.items()
    )
    created = client.post(
        "/uploads/",
        headers={**TUS, "Upload-Length": str(len(data)), "Upload-Metadata": meta + ",kind "
                 + base64.b64encode(b"video").decode()},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    sent = client.patch(
        created["Location"],
        data=data,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": "0"},
    )
    assert sent.status_code == 204, sent.content
    return Job.objects.get(kind=UPLOAD_FINISH)


@pytest.mark.parametrize("how", ["serve", "worker"])
def test_killed_while_adding_an_upload_leaves_no_record_an_orphan_verify_cleans_then_runs_again(
    crash: Crash, tree: Tree, client: Any, interviewer: Any, how: str
) -> None:
    data = video_bytes(seconds=2, size="320x240")
    media_root = crash.data / "media"

    job = tree.kill_at(how, "upload.attached", lambda: _upload(client, interviewer, data))

    # The file was placed in the archive; its record and the attachment were not committed.
    assert not MediaFile.objects.exists()
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.effect_at is None
    named = crash.run("media", "verify")
    assert named.returncode == 1, named.stdout + named.stderr
    assert "Orphaned (no record names it)" in named.stdout
    cleaned = crash.run("media", "verify", "--clean-orphans", "--min-age", "0", "--yes")
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    # Only the upload's sealed parts are left: the job needs them to run again.
    left = [p.relative_to(media_root) for p in media_root.rglob("*") if p.is_file()]
    assert left and all(p.parts[0] == "uploads" for p in left), left

    again = tree.start(how)  # takes the lost job again once the lease has passed
    job = finished(job, again)
    assert job.status == Job.Status.DONE, job.message
    assert job.attempt == 2
    media = MediaFile.objects.get()  # one record, attached once
    assert media.size == len(data) and job.result["sha256"] == media.sha256
    assert not fixity_check().problems
    # The upload queues follow-up work (its renditions), which seals files before their records
    # commit: the archive is checked once the worker has nothing left to do, not in between.
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and (
        DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
        or Job.objects.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING]).exists()
    ):
        time.sleep(0.2)
    verified = crash.run("media", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
