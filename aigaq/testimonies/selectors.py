"""Reads of testimonies and testifiers. What a reader may see is decided above, in
aigaq.disclosure (consent, visibility): the reads of testimonies narrow the ``visible``
queryset their caller got from aigaq.disclosure.selectors.testimonies_for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from aigaq.people.models import Person
from aigaq.testimonies.models import Relationship, Testifier, Testimony, TestimonyPerson


def testimony_list(
    *, visible: QuerySet[Testimony], filters: Mapping[str, Any] | None = None
) -> QuerySet[Testimony]:
    """The testimonies list: those of `visible` (what the reader may see) that match
    `filters`. Keys, all optional: q (testifier name), number (the testimony's number),
    location, consent ("withdrawn" or "in_force")."""
    f = filters or {}
    qs = visible
    if f.get("number"):
        qs = qs.filter(number=f["number"])
    q = " ".join(str(f.get("q") or "").split())
    if q:  # the caller narrows `visible` to the testifiers whose name the reader may read
        qs = qs.filter(
            Q(testifier__full_name__icontains=q) | Q(testifier__other_names__icontains=q)
        )
    if f.get("location"):
        qs = qs.filter(location=f["location"])
    if f.get("consent") == "withdrawn":
        qs = qs.filter(consent_withdrawn_at__isnull=False)
    elif f.get("consent") == "in_force":
        qs = qs.filter(consent_withdrawn_at__isnull=True)
    return (
        qs.select_related("testifier", "interviewer", "place")
        .prefetch_related(
            Prefetch("relations", queryset=TestimonyPerson.objects.select_related("person"))
        )
        .order_by("-recorded_on", "-created_at")
    )


def testimonies_about_person(*, visible: QuerySet[Testimony], person: Person) -> list[Testimony]:
    """Testimonies about `person` among `visible` (what the reader may see), each with
    `about_relationship` (how the testifier is related to this person)."""
    links = {
        link.testimony_id: link
        for link in TestimonyPerson.objects.filter(person=person).only(
            "testimony_id", "relationship"
        )
    }
    if not links:  # most persons: no testimony about them, no second query
        return []
    labels = dict(Relationship.choices)
    out = list(
        visible.filter(pk__in=list(links))
        .select_related("testifier", "interviewer")
        .order_by("-recorded_on", "-created_at")
    )
    for t in out:
        rel = links[t.pk].relationship
        t.about_relationship = rel  # type: ignore[attr-defined]
        t.about_relationship_label = labels.get(rel, rel)  # type: ignore[attr-defined]
    return out


def testimony_for_page(*, visible: QuerySet[Testimony], number: int) -> Testimony | None:
    """Testimony number `number` if it is among `visible`, with what its page shows."""
    return (
        visible.select_related("testifier", "interviewer", "place", "field_trip")
        .filter(number=number)
        .first()
    )


def parse_testimony_number(text: str) -> int | None:
    """A testimony number as people write it: "12", "T12", "t-12", "#12"; None if it is not one."""
    value = (text or "").strip().upper().removeprefix("T").removeprefix("#").lstrip("-").strip()
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number < 2**31 else None


def testifier_suggest(*, query: str, limit: int = 10) -> list[Testifier]:
    """Testifiers whose name contains `query` (names only: contacts are restricted)."""
    # Without NUL characters: PostgreSQL cannot compare a text holding one.
    q = " ".join((query or "").replace("\x00", "").split())
    if not q:
        return []
    return list(
        Testifier.objects.filter(Q(full_name__icontains=q) | Q(other_names__icontains=q))
        .only("id", "full_name", "citizenship")
        .order_by("full_name")[:limit]
    )
