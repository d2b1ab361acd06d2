"""Reads of mirrors: a testimony's, and the review lists of the mirrors page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aigaq.disclosure.selectors import testimonies_for
from aigaq.mirrors.models import Mirror
from aigaq.testimonies.models import Testimony


def mirrors_of_testimony(testimony: Testimony) -> QuerySet[Mirror]:
    return (
        Mirror.objects.filter(
            Q(testimony=testimony) | Q(media__testimony_links__testimony=testimony)
        )
        .distinct()
        .order_by("published_on", "created_at")
    )


def _outside_archive() -> QuerySet[Mirror]:
    return Mirror.objects.filter(testimony__isnull=True, media__isnull=True)


def mirrors_to_confirm() -> QuerySet[Mirror]:
    """Imported videos with candidate testimonies, waiting for a person to confirm one."""
    return _outside_archive().exclude(candidates=[]).order_by("-published_on", "title")


def mirrors_not_in_archive() -> QuerySet[Mirror]:
    """Published videos that no testimony in the archive is known to be."""
    return _outside_archive().filter(candidates=[]).order_by("-published_on", "title")


REASONS = {
    "number": _("its number is in the title or description"),
    "entry": _("the entry number of a person it concerns is given"),
    "testifier": _("the testifier is named"),
    "person": _("a person it concerns is named"),
    "date": _("published soon after it was recorded"),
    "date_before": _("published before it was recorded"),
    "duration": _("the same duration as one of its files"),
    "duration_differs": _("a different duration from its files"),
}


def candidate_choices(*, user: Any, mirror: Mirror) -> list[dict[str, Any]]:
    """A mirror's candidates the reader may see, each with its testimony."""
    numbers = [c.get("number") for c in mirror.candidates if isinstance(c, dict)]
    visible = {t.number: t for t in testimonies_for(user).filter(number__in=numbers)}
    return [
        {
            **c,
            "testimony": visible[c["number"]],
            "reason_texts": [REASONS.get(r, r) for r in c.get("reasons", [])],
        }
        for c in mirror.candidates
        if isinstance(c, dict) and c.get("number") in visible
    ]


def mirror_counts() -> dict[str, int]:
    return {
        "linked": Mirror.objects.filter(
            Q(testimony__isnull=False) | Q(media__isnull=False)
        ).count(),
        "to_confirm": mirrors_to_confirm().count(),
        "not_in_archive": mirrors_not_in_archive().count(),
        "gone": Mirror.objects.filter(last_status=Mirror.Status.GONE).count(),
    }
