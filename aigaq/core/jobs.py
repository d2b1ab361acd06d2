"""Background jobs: long work (imports, the duplicate scan) run by `aigaq worker`, with its
progress and outcome on a page (docs/architecture.md, "Background jobs").

A job is a `core.Job` row plus a Django task (django-tasks, database queue) that takes its id:

* `job_start` creates the row (queued) in the caller's transaction and enqueues the task only
  when that transaction commits, so a worker never sees a job that is not there yet.
* The task calls `job_run(job_id, work)`: it claims the job (queued → running) in one UPDATE,
  so a second run of the same task does nothing twice; runs `work(job, progress)` in the
  language of the one who started it; and records the outcome: done with a small result
  summary, or failed with one sentence a volunteer can act on (`JobRefused`). A traceback
  never reaches the page; it goes to the worker's log.
* Files a job needs later (an uploaded spreadsheet, a field bundle) wait in the data folder's
  temporary area, `tmp/jobs/<id>/`, encrypted with age to a key of the job's own that lives
  only in its row (inside the encrypted database); `job_finish` erases both.

The core knows no domain: the apps say what each kind of job does (`aigaq/*/tasks.py`).
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import IO, Any, Protocol

import pyrage
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import AuditEntry, Job
from aigaq.core.permissions import check, has_cap

logger = logging.getLogger(__name__)

# The page is polled every second or two: more frequent progress writes would show nothing.
PROGRESS_EVERY_SECONDS = 0.5


class Progress(Protocol):
    """How long work reports how far it got: `done` of `total` (0: not known yet), and what it
    is doing now (a short translated phrase; empty: the same as before)."""

    def __call__(self, done: int, total: int = 0, step: str = "") -> None: ...


class JobRefused(Exception):
    """The job looked at its input and refused it (a bad file, a wrong passphrase): the job
    fails with this message, and `result` (row errors, say) is kept for its page."""

    def __init__(self, message: str, result: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.result = dict(result or {})


def jobs_folder() -> Path:
    """The data folder's temporary area for jobs' files (created 0700)."""
    root = Path(settings.DATA_DIR) / "tmp" / "jobs"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def _folder_of(job: Job) -> Path:
    return jobs_folder() / str(job.pk)


def _create_private(path: Path) -> IO[bytes]:
    """A new file only its owner may read (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    return os.fdopen(fd, "wb")


def job_start(
    *,
    kind: str,
    actor: Any,
    task: Any,
    title: str,
    capability: str,
    params: Mapping[str, Any] | None = None,
    files: Mapping[str, IO[bytes]] | None = None,
    encrypted_files: Mapping[str, IO[bytes]] | None = None,
    message: str = "",
) -> Job:
    """Record a queued job and enqueue `task` (a django-tasks task taking the job's id) when
    the caller's transaction commits. `files` are kept for the task encrypted to the job's own
    key; `encrypted_files` (a field bundle, already age-encrypted) are kept as they are.
    `capability` decides who besides `actor` may follow the job (core.permissions)."""
    check(actor, capability)
    identity = pyrage.x25519.Identity.generate() if files else None
    folder: Path | None = None
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=title[:300],
                capability=capability,
                params=dict(params or {}),
                message=message[:300],
                secret=str(identity) if identity is not None else "",
                language=translation.get_language() or "",
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            if files or encrypted_files:
                folder = _folder_of(job)
                folder.mkdir(mode=0o700)
                for name, source in (files or {}).items():
                    assert identity is not None
                    with _create_private(folder / name) as out:
                        pyrage.encrypt_io(source, out, [identity.to_public()])
                for name, source in (encrypted_files or {}).items():
                    with _create_private(folder / name) as out:
                        shutil.copyfileobj(source, out, 1024 * 1024)
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=job,
                changes={"kind": [None, kind], "params": [None, job.params]},
            )
            transaction.on_commit(partial(_enqueue, job.pk, task))
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return job


def _enqueue(job_id: Any, task: Any) -> None:
    try:
        result = task.enqueue(str(job_id))
    except Exception:
        logger.exception("job %s could not be queued", job_id)
        job = Job.objects.get(pk=job_id)
        job_finish(
            job=job,
            status=Job.Status.FAILED,
            message=_("The job could not be queued for the worker; start it again."),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])


def job_file_bytes(job: Job, name: str) -> bytes:
    """A file kept by `job_start(files=...)`, decrypted (in memory: spreadsheets)."""
    identity = pyrage.x25519.Identity.from_str(job.secret)
    return pyrage.decrypt((_folder_of(job) / name).read_bytes(), [identity])


def job_file_path(job: Job, name: str) -> Path:
    """A file kept as it was by `job_start(encrypted_files=...)`."""
    return _folder_of(job) / name


class JobProgress:
    """The `Progress` a job hands to the work it runs: written to the job's row at most every
    PROGRESS_EVERY_SECONDS, and whenever the step or the total changes."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.last = 0.0
        self.total = -1
        self.step = ""

    def __call__(self, done: int, total: int = 0, step: str = "") -> None:
        now = time.monotonic()
        step = str(step)
        if (
            now - self.last < PROGRESS_EVERY_SECONDS
            and total == self.total
            and (not step or step == self.step)
        ):
            return
        self.last, self.total, self.step = now, total, step or self.step
        job_progress(job=self.job, done=done, total=total, step=step)


def job_progress(*, job: Job, done: int, total: int = 0, step: str = "") -> None:
    """Record how far a running job got (work is handed a throttled `JobProgress`)."""
    changes: dict[str, Any] = {
        "done": max(0, done),
        "total": max(0, total),
        "updated_at": timezone.now(),
    }
    if step:
        changes["message"] = str(step)[:300]
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**changes)


def job_finish(
    *,
    job: Job,
    status: str,
    message: str = "",
    result: Mapping[str, Any] | None = None,
) -> Job:
    """Record the outcome; the job's kept files and its key are erased."""
    if status not in (Job.Status.DONE, Job.Status.FAILED):
        raise ValueError(status)
    now = timezone.now()
    changes: dict[str, Any] = {
        "status": status,
        "message": str(message)[:300],
        "result": dict(result or {}),
        "secret": "",
        "finished_at": now,
        "updated_at": now,
        "version": F("version") + 1,
    }
    if status == Job.Status.DONE:
        changes["done"] = F("total")
    Job.objects.filter(pk=job.pk).update(**changes)
    shutil.rmtree(_folder_of(job), ignore_errors=True)
    job.refresh_from_db()
    return job


def job_run(job_id: Any, work: Callable[[Job, Progress], Mapping[str, Any]]) -> str:
    """Run `work` for a queued job (the body of every job task). Returns the job's status, or
    "skipped" when the job was not waiting (already run, or running elsewhere): running the
    same task twice never does the work twice."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, updated_at=now
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = work(job, JobProgress(job))
        except JobRefused as exc:
            job_finish(job=job, status=Job.Status.FAILED, message=str(exc), result=exc.result)
            return Job.Status.FAILED
        except PermissionDenied:  # the one who started it lost the right meanwhile
            job_finish(
                job=job,
                status=Job.Status.FAILED,
                message=_("The one who started this job may no longer do this work."),
            )
            return Job.Status.FAILED
        except (KeyboardInterrupt, SystemExit):
            job_finish(
                job=job,
                status=Job.Status.FAILED,
                message=_("The worker was stopped before the job finished; start it again."),
            )
            raise
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job_finish(
                job=job,
                status=Job.Status.FAILED,
                message=_(
                    "The job stopped on an unexpected error. An administrator finds the details "
                    "in the worker's log."
                ),
            )
            raise
        job_finish(job=job, status=Job.Status.DONE, result=result)
    return Job.Status.DONE


# A folder younger than this may belong to a job whose start has not committed yet.
SWEEP_AFTER_SECONDS = 3600


def jobs_sweep() -> int:
    """Remove kept files no waiting job needs: those of finished jobs, and those of a start
    whose transaction was rolled back (unreadable anyway: their key lived only in the row),
    once they are SWEEP_AFTER_SECONDS old. `aigaq worker` runs it when it starts. Returns the
    number of folders removed."""
    root = jobs_folder()
    cutoff = time.time() - SWEEP_AFTER_SECONDS
    waiting = {
        str(pk)
        for pk in Job.objects.filter(
            status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
        ).values_list("pk", flat=True)
    }
    removed = 0
    for folder in root.iterdir():
        if folder.name not in waiting and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def job_visible(user: Any, job: Job) -> bool:
    """Its starter and whoever holds the job's capability may follow a job."""
    if not getattr(user, "is_authenticated", False):
        return False
    return job.created_by_id == user.pk or has_cap(user, job.capability)
