"""The public list's filters, read from a query string: the same in the entries list, the
statistics and the map, so a filtered view keeps its filter from one to the other (and its
URL can be shared). Unknown or forged values are ignored, never an error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from aigaq.disclosure.public import DETENTION_KINDS, public_persons
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Gender,
    Person,
    Place,
    StatusEvent,
    StatusKind,
    Tag,
)
from aigaq.search.selectors import apply_filters

#: The query-string keys, in the order the filter form shows them.
KEYS = ("status", "ethnicity", "gender", "place", "detained", "tag", "grade")


def read(params: Mapping[str, Any]) -> dict[str, Any]:
    """The valid filters among `params` (a request's GET): each value checked against what it
    may be; anything else is dropped."""
    out: dict[str, Any] = {}
    value = str(params.get("status") or "")
    if value in StatusKind.values:
        out["status"] = value
    value = str(params.get("ethnicity") or "")
    if value in Ethnicity.values:
        out["ethnicity"] = value
    value = str(params.get("gender") or "")
    if value in Gender.values:
        out["gender"] = value
    value = str(params.get("grade") or "")
    if value in EvidenceGrade.values:
        out["grade"] = value
    value = str(params.get("place") or "")[:100]
    if value and Place.objects.filter(code=value).exists():
        out["place"] = value
    value = str(params.get("tag") or "")[:60]
    if value and Tag.objects.filter(slug=value).exists():
        out["tag"] = value
    value = str(params.get("detained") or "")
    if value.isdigit() and 1900 <= int(value) <= 2100:
        out["detained"] = int(value)
    return out


def narrow(qs: QuerySet[Person], filters: Mapping[str, Any]) -> QuerySet[Person]:
    """`qs` narrowed by filters from :func:`read`."""
    qs = apply_filters(qs, {k: v for k, v in filters.items() if k not in ("gender", "detained")})
    if filters.get("gender"):
        qs = qs.filter(gender=filters["gender"])
    if filters.get("detained"):
        qs = qs.filter(
            Exists(
                StatusEvent.objects.filter(
                    person=OuterRef("pk"),
                    kind__in=DETENTION_KINDS,
                    date_start__year=filters["detained"],
                )
            )
        )
    return qs


def filtered(params: Mapping[str, Any]) -> tuple[QuerySet[Person], dict[str, Any]]:
    """The public entries the query string's filters leave, and those filters."""
    filters = read(params)
    return narrow(public_persons(), filters), filters
