"""Reads for the transfer pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aigaq.intake.models import FieldTrip
from aigaq.transfer.models import Bundle, Conflict
from aigaq.transfer.records import TYPES, comparable, model_for


def trip_bundles(trip: FieldTrip) -> list[Bundle]:
    """The field bundles made for this trip and received back from it."""
    return list(Bundle.objects.filter(trip_id=trip.pk).order_by("-created_at")[:50])


def open_conflicts() -> QuerySet[Conflict]:
    return Conflict.objects.filter(status=Conflict.Status.OPEN).select_related("bundle")


def conflict_rows(conflict: Conflict) -> tuple[list[dict[str, Any]], list[str]]:
    """The fields that differ ([{field, office, field_value, restricted}]) and the names of the
    restricted ones among them (the caller masks or audits them)."""
    rt = next((t for t in TYPES if t.key == conflict.record_type), None)
    model = model_for(rt) if rt else None
    restricted: frozenset[str] = getattr(model, "RESTRICTED_FIELDS", frozenset())
    office = comparable(conflict.office_snapshot)
    field = comparable(conflict.field_snapshot)
    rows: list[dict[str, Any]] = []
    for name in sorted(set(office) | set(field)):
        if office.get(name) != field.get(name):
            rows.append(
                {
                    "field": name,
                    "office": office.get(name),
                    "field_value": field.get(name),
                    "restricted": name in restricted,
                }
            )
    return rows, [str(r["field"]) for r in rows if r["restricted"]]
