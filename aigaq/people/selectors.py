"""Reads of persons that are more than a .get(): always filtered by what the reader may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from aigaq.core.policy import persons_visible_to
from aigaq.people.models import Person


def persons_for(user: Any) -> QuerySet[Person]:
    """Live (not merged-away) persons this user may see."""
    return persons_visible_to(user, Person.objects.filter(merged_into__isnull=True))


def dashboard_data(*, user: Any) -> dict[str, Any]:
    qs = persons_for(user)
    by_status = list(
        qs.values("current_status").annotate(n=Count("id")).order_by("-n", "current_status")
    )
    from aigaq.people.models import StatusKind

    labels = dict(StatusKind.choices)
    for row in by_status:
        row["label"] = labels.get(row["current_status"], "—")
    return {
        "recent": list(qs.select_related("hometown").order_by("-created_at")[:10]),
        "total": qs.count(),
        "by_status": by_status,
    }
