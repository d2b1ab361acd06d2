"""aigaq worker: run the background jobs (imports, the duplicate scan) waiting in the database
queue. django-tasks-db's own worker, behind Aigaq's key check and database checks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.db import connection
from django_tasks_db.management.commands import db_worker

from aigaq.core import keys
from aigaq.core.checks import ctype_problem
from aigaq.core.jobs import jobs_sweep


class Command(db_worker.Command):
    help = (
        "Run the background jobs waiting in the database queue: spreadsheet and field-bundle "
        "imports, duplicate scans, and the refresh of the duplicates queue after edits, "
        "imports and merges. `aigaq serve` starts one beside the web server; on a server, run "
        "one or more as their own service (several machines may share one PostgreSQL "
        "database). Ctrl+C or SIGTERM stops it cleanly: a job under way is finished first; a "
        "second signal stops that job at once (its writes are undone and its page says so)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        connection.ensure_connection()  # refuse to start with a wrong key, before waiting
        problem = ctype_problem(connection)
        if problem:
            raise CommandError(problem)
        jobs_sweep()
        connection.close()
        keys.process_register("worker")  # `aigaq lock` finds this process and stops it
        super().handle(*args, **options)
