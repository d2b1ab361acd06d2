"""The dashboard's backups panel: "Back up now" queues the backup job (aigaq/backups/tasks.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from aigaq.backups.tasks import backup_start
from aigaq.core.permissions import require


@login_required
@require_POST
def backup_now(request: HttpRequest) -> HttpResponse:
    require(request.user, "backup.run")
    job = backup_start(actor=request.user)
    return redirect("staff:job_detail", pk=job.pk)
