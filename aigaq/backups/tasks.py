"""The backup as a background job (core/jobs.py): started by an administrator's "Back up now"
on the dashboard and run by `aigaq worker`. The same backup runs unattended from a systemd
timer or cron with `aigaq backup --scheduled` (docs/backup.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.backups.services import BackupRefused, backup_run
from aigaq.core.jobs import JobRefused, Progress, job_run, job_start
from aigaq.core.models import Job

BACKUP = "backup"


def backup_start(*, actor: Any) -> Job:
    """Queue a backup to every configured destination as a job."""
    return job_start(
        kind=BACKUP,
        actor=actor,
        task=backup_task,
        title=_("Backup to every destination"),
        capability="backup.run",
    )


@task()
def backup_task(job_id: str) -> str:
    return job_run(job_id, _backup)


def _backup(job: Job, progress: Progress) -> Mapping[str, Any]:
    progress(0, 0, _("Backing up the database and the media"))
    try:
        report = backup_run()
    except BackupRefused as exc:
        raise JobRefused(str(exc)) from None
    result = report.as_dict()
    if not report.ok:
        failed = [s for s in report.sent if not s.ok]
        raise JobRefused(failed[0].error, result=result)
    return result
