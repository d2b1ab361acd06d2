"""What the dashboard shows of the backups."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from aigaq.backups.models import BackupDestination
from aigaq.backups.restic import display_url


def backup_status(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every destination with its last good backup, `stale` when that is older than
    settings.BACKUP_MAX_AGE_HOURS (or there never was one)."""
    now = now or timezone.now()
    max_age = dt.timedelta(hours=int(settings.BACKUP_MAX_AGE_HOURS))
    rows = [
        {
            "name": d.name,
            "url": display_url(d.url),
            "last_ok_at": d.last_ok_at,
            "last_error": d.last_error,
            "stale": d.last_ok_at is None or now - d.last_ok_at > max_age,
        }
        for d in BackupDestination.objects.order_by("name")
    ]
    return {
        "destinations": rows,
        "max_age_hours": int(settings.BACKUP_MAX_AGE_HOURS),
        "warning": not rows or any(r["stale"] for r in rows),
    }
