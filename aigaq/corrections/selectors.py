"""Reads of submissions for the curators' review list."""

from __future__ import annotations

from django.db.models import QuerySet

from aigaq.corrections.models import Submission


def submissions_for_review(status: str = "") -> QuerySet[Submission]:
    """Submissions, newest first; `status` narrows them (new by default on the page)."""
    qs = Submission.objects.select_related("reviewer").order_by("-created_at")
    if status in Submission.Status.values:
        qs = qs.filter(status=status)
    return qs


def new_count() -> int:
    return Submission.objects.filter(status=Submission.Status.NEW).count()
