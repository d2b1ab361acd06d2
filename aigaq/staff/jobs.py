"""A background job's page (imports, the duplicate scan): its progress, polled by htmx while it
runs, then its result or the reason it failed (core/jobs.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from aigaq.core.jobs import job_visible
from aigaq.core.models import Job


def _job(request: HttpRequest, pk: Any) -> Job:
    job = get_object_or_404(Job.objects.select_related("created_by"), pk=pk)
    if not job_visible(request.user, job):
        raise PermissionDenied("job")
    return job


@login_required
def job_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return render(request, "staff/job_detail.html", {"job": _job(request, pk)})


@login_required
def job_status(request: HttpRequest, pk: Any) -> HttpResponse:
    """The fragment the job's page polls; once the job has finished it no longer asks to be
    polled, so the polling stops."""
    return render(request, "staff/_job_status.html", {"job": _job(request, pk)})
