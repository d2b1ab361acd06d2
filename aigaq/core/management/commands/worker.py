"""aigaq worker: run the background jobs (imports, the duplicate scan) waiting in the database
queue. django-tasks-db's own worker, behind Aigaq's key check and database checks, with a
heartbeat so that a job whose worker died is run again (aigaq/core/jobs.py, "Several
workers")."""

from __future__ import annotations

import logging
import os
import sys
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django_tasks_db.management.commands import db_worker

from aigaq.core import keys
from aigaq.core.checks import ctype_problem
from aigaq.core.jobs import DEFAULT_LEASE_SECONDS, Heartbeat, jobs_sweep, worker_gone

logger = logging.getLogger(__name__)


class _LineHandler(logging.Handler):
    """Writes each log line to standard error with one os.write, past Python's buffered stream.

    django-tasks-db logs from its SIGTERM handler ("shutting down gracefully"). A signal that
    arrives while the worker is writing another line to the buffered stream (its "Starting
    worker" line, say) made that log call fail with "reentrant call", before the handler had
    marked the worker as stopping: the worker went on running and had to be killed. One
    unbuffered write per line has no lock to re-enter."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
            try:
                fd = sys.stderr.fileno()
            except (AttributeError, OSError, ValueError):  # no file behind it (a test's capture)
                sys.stderr.write(line)
                return
            os.write(fd, line.encode("utf-8", "replace"))
        except Exception:  # noqa: BLE001 - a log line must never stop the worker
            self.handleError(record)


class Command(db_worker.Command):
    help = (
        "Run the background jobs waiting in the database queue: spreadsheet and field-bundle "
        "imports, duplicate scans, and the refresh of the duplicates queue after edits, "
        "imports and merges. `aigaq serve` starts one beside the web server; on a server, run "
        "one or more as their own service (several machines may share one PostgreSQL "
        "database: no job is taken by two of them, and the job of a worker that died is run "
        "again by another once --lease has passed). Ctrl+C or SIGTERM stops it cleanly: a job "
        "under way is finished first; a second signal stops that job at once (its writes are "
        "undone and its page says so)."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help="seconds without a heartbeat after which a worker is taken for dead and its "
            "running job is run again by another (default AIGAQ_WORKER_LEASE_SECONDS, else "
            f"{DEFAULT_LEASE_SECONDS}; the same on every worker)",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        handler = _LineHandler()
        root = logging.getLogger().handlers
        if root and root[0].formatter is not None:
            handler.setFormatter(root[0].formatter)
        for name in (db_worker.logger.name, db_worker.TASKS_LOGGER):
            worker_logger = logging.getLogger(name)
            worker_logger.handlers = [handler]
            worker_logger.propagate = False

    def handle(self, *args: Any, **options: Any) -> None:
        if options["lease"] is None:
            options["lease"] = settings.AIGAQ_WORKER_LEASE_SECONDS
        if options["lease"] <= 0:
            raise CommandError("--lease must be more than 0 seconds.")
        connection.ensure_connection()  # refuse to start with a wrong key, before waiting
        problem = ctype_problem(connection)
        if problem:
            raise CommandError(problem)
        jobs_sweep()
        heartbeat = Heartbeat(
            worker_id=options["worker_id"], lease=timedelta(seconds=options["lease"])
        )
        heartbeat.beat()  # heard from before it takes any job
        connection.close()
        keys.process_register("worker")  # `aigaq lock` finds this process and stops it
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            # A signal may have ended a job's transaction half-way: let its lock go first, so
            # the heartbeat thread and the goodbye below are not kept waiting for it.
            connection.close()
            heartbeat.stop()
            try:
                worker_gone(worker_id=options["worker_id"])
            except DatabaseError:  # its heartbeat is then swept as stale, later
                logger.warning("worker %s: heartbeat not removed", options["worker_id"])
            finally:
                connection.close()
