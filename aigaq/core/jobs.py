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

Several workers (docs/deploy.md): any number of `aigaq worker` processes, on any number of
machines, share the queue in the one database.

* Taking a job is one short transaction that no two workers can both win: on PostgreSQL the
  next waiting task row is read with `SELECT ... FOR UPDATE SKIP LOCKED` (a row another
  worker is claiming is skipped, never waited for) and marked running; on SQLite (SQLCipher)
  the same read and update run in a `BEGIN EXCLUSIVE` transaction, one writer at a time
  (django-tasks-db's worker; `tests/core/test_workers.py` holds both to it).
* Each worker writes a heartbeat (`WorkerBeat`) every LEASE/4 seconds from a thread of its
  own. A task still marked running whose worker has not been heard from for LEASE seconds
  (`jobs_requeue_stale`: its machine was lost, its process killed) is put back in the queue
  (and its `Job` back to queued) by whichever worker notices first, with one conditional
  UPDATE, so it is taken again once; after MAX_ATTEMPTS such losses it fails instead (a job
  that kills its worker every time, by running out of memory, say, must not loop forever).

The contract every job keeps, since a job can be run again: **a job's effect happens once**.
Running its task a second time, after a first run that stopped at any point, leaves the same
effect as one run. The ways Aigaq's jobs keep it, and new ones must:

1. the work writes in one database transaction, and calls `job_effect(result)` inside that
   transaction: the job's row records, in the same commit as the effect, that the effect is
   there (and the result its page shows). A run that dies before the commit leaves nothing
   (the database rolls back a dead connection's transaction) and the next run starts clean;
   a run that dies after it (before `job_finish`: the gap a worker killed at the wrong moment
   falls into) leaves a job that the next run finishes with that result, without doing the
   work again. `job_effect` also holds off a second run beside the first (a worker slow
   past its lease): its UPDATE names the run's attempt, and the run that is no longer the
   job's own has its transaction rolled back (`JobSuperseded`). Imports (spreadsheet,
   field bundle) and the upload's ingest keep the contract this way; or
2. each write is keyed so that writing it twice is writing it once (a unique key and
   `ON CONFLICT DO NOTHING`/`get_or_create`, a file named by its content's hash, a rendition
   that replaces the one of its kind, a scan that refreshes the duplicates queue); a backup
   run twice is two snapshots of the same data (restic keeps the second as a few bytes); and
3. `job_run` claims the `Job` row (queued → running) in one conditional UPDATE, so a task
   enqueued twice for one job, or a run that finished while its requeue raced it, does the
   work once ("skipped").

A lost worker is noticed only after LEASE (`aigaq worker --lease`, default 60 s): a worker
that is merely slow to reach the database for longer than that may see its job run again
beside it, which the contract makes harmless.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import stat
import threading
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import IO, Any, Protocol

import pyrage
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.faults import pause_at
from aigaq.core.models import AuditEntry, Job, WorkerBeat
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


class JobSuperseded(Exception):
    """Raised by `job_effect` in a run that is no longer its job's own (the job was taken
    again after this run's worker went unheard for a lease, or its effect is already
    committed): the transaction it was raised in is rolled back and the run ends, changing
    nothing of the job's row."""


# The job `job_run` is running in this thread (or task), for `job_effect`.
_running: ContextVar[Job | None] = ContextVar("aigaq_job_running", default=None)


def job_effect(result: Mapping[str, Any] | None = None) -> None:
    """Record, inside the transaction that writes a job's effect, that the effect is written,
    with the `result` the job's page will show: the job's row changes in the same commit as
    the effect, so a run of the job again (its worker lost between that commit and the end of
    the job) finishes it with this result instead of doing the work twice. Raises
    JobSuperseded (so the transaction is rolled back) where this run is no longer the job's
    own. Outside a job (the same import from the command line) it does nothing."""
    job = _running.get()
    if job is None:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("job_effect() belongs inside the transaction that writes the effect")
    now = timezone.now()
    marked = Job.objects.filter(
        pk=job.pk, attempt=job.attempt, status=Job.Status.RUNNING, effect_at__isnull=True
    ).update(effect_at=now, result=dict(result or {}), updated_at=now)
    if not marked:
        raise JobSuperseded(job.pk)


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
        status=Job.Status.RUNNING, started_at=now, updated_at=now, attempt=F("attempt") + 1
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    if job.effect_at is not None:
        # An earlier run committed the effect (and `job_effect` its result) and was lost
        # before it could finish the job: finish it now, the work is not done again.
        logger.warning("job %s (%s): its effect was already committed; finished", job.pk, job.kind)
        job_finish(job=job, status=Job.Status.DONE, result=job.result)
        return Job.Status.DONE
    token = _running.set(job)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            result = work(job, JobProgress(job))
        except JobSuperseded:
            logger.warning("job %s (%s): taken over by another run; stopped", job.pk, job.kind)
            return "skipped"
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
        finally:
            _running.reset(token)
        pause_at("job.finishing")  # the crash tests' moment: the effect committed, not finished
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


# Several workers: how long a worker may go unheard before its running task is taken again,
# and how many times a task may lose its worker before it fails instead.
DEFAULT_LEASE_SECONDS = 60
MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker was lost MAX_ATTEMPTS times."""


def worker_beat(*, worker_id: str, started_at: Any) -> None:
    """Say that the worker `worker_id` (this process) is alive."""
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def worker_gone(*, worker_id: str) -> None:
    """A worker that stops cleanly takes its heartbeat away (it runs nothing any more)."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def jobs_requeue_stale(*, lease: timedelta) -> tuple[int, int]:
    """Put back in the queue every task marked running whose worker has not been heard from
    for `lease` (and its `Job`, if it has one, back to queued); fail those that lost their
    worker MAX_ATTEMPTS times. Each change is one conditional UPDATE on the task's claim (its
    status and start time), so when several workers notice the same lost task at once, one
    of them puts it back and the others change nothing. Returns (requeued, failed)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    cutoff = now - lease
    alive = set(WorkerBeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = failed = 0
    running = DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).only(
        "id", "worker_ids", "started_at"
    )
    for task in running:
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue  # a long job, still under way
        claim = DBTaskResult.objects.filter(
            pk=task.pk, status="RUNNING", started_at=task.started_at
        )
        job = Job.objects.filter(task_id=str(task.pk), status=Job.Status.RUNNING)
        with transaction.atomic():
            if len(task.worker_ids) >= MAX_ATTEMPTS:
                changed = claim.update(
                    status="FAILED",
                    finished_at=now,
                    exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                    traceback=f"The worker running this task was lost {len(task.worker_ids)} "
                    "times (its heartbeat stopped); it is not run again.",
                )
                if changed:
                    failed += 1
                    job.update(
                        status=Job.Status.FAILED,
                        message=_(
                            "The worker running this job stopped before it finished, three "
                            "times; an administrator finds why in the workers' logs."
                        ),
                        secret="",
                        finished_at=now,
                        updated_at=now,
                        version=F("version") + 1,
                    )
            else:
                changed = claim.update(status="READY")
                if changed:
                    requeued += 1
                    job.update(
                        status=Job.Status.QUEUED,
                        message=_("The worker running this job stopped; it runs again."),
                        updated_at=now,
                    )
        if changed:
            logger.warning(
                "task %s lost its worker %s: %s",
                task.pk,
                task.worker_ids[-1] if task.worker_ids else "?",
                "failed" if len(task.worker_ids) >= MAX_ATTEMPTS else "queued again",
            )
    # Heartbeats of workers gone long ago (and not stopped cleanly) are of no more use.
    WorkerBeat.objects.filter(seen_at__lt=now - max(lease * 10, timedelta(hours=1))).delete()
    return requeued, failed


class Heartbeat(threading.Thread):
    """The thread of an `aigaq worker` that writes its heartbeat every lease/4 seconds and
    looks for tasks lost by other workers (`jobs_requeue_stale`), on a database connection
    of its own, while the main thread runs jobs."""

    def __init__(self, *, worker_id: str, lease: timedelta) -> None:
        super().__init__(name="aigaq-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.lease = lease
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def beat(self) -> None:
        worker_beat(worker_id=self.worker_id, started_at=self.started_at)

    def run(self) -> None:
        every = max(self.lease.total_seconds() / 4, 0.05)
        try:
            while not self.stopping.wait(every):
                try:
                    close_old_connections()
                    self.beat()
                    jobs_requeue_stale(lease=self.lease)
                except Exception:  # the database away for a while: try again at the next beat
                    logger.exception("worker %s: heartbeat not written", self.worker_id)
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)
