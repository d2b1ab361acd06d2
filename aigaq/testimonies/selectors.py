"""Reads of testimonies and testifiers: always filtered by disclosure.policy (consent, visibility)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from aigaq.disclosure.policy import (
    MediaUse,
    media_restricted,
    media_visible_to,
    person_visible_to,
    testimonies_naming_testifier,
    testimonies_visible_to,
)
from aigaq.people.models import Person
from aigaq.testimonies.models import Relationship, Testifier, Testimony, TestimonyPerson


def testimonies_for(user: Any) -> QuerySet[Testimony]:
    return testimonies_visible_to(user, Testimony.objects.all())


def testimony_list(*, user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Testimony]:
    """The testimonies list. `filters` keys, all optional: q (testifier name),
    location, consent ("withdrawn" or "in_force")."""
    f = filters or {}
    qs = testimonies_for(user)
    q = " ".join(str(f.get("q") or "").split())
    if q:  # only among the testifiers whose name the reader may read (no oracle)
        qs = testimonies_naming_testifier(user, qs).filter(
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


def testimonies_about_person(*, user: Any, person: Person) -> list[Testimony]:
    """Testimonies about `person` that disclosure.policy lets `user` see, each with
    `about_relationship` (how the testifier is related to this person)."""
    links = {
        link.testimony_id: link
        for link in TestimonyPerson.objects.filter(person=person).only(
            "testimony_id", "relationship"
        )
    }
    labels = dict(Relationship.choices)
    out = list(
        testimonies_visible_to(user, Testimony.objects.filter(pk__in=list(links)))
        .select_related("testifier", "interviewer")
        .order_by("-recorded_on", "-created_at")
    )
    for t in out:
        rel = links[t.pk].relationship
        t.about_relationship = rel  # type: ignore[attr-defined]
        t.about_relationship_label = labels.get(rel, rel)  # type: ignore[attr-defined]
    return out


def testimony_for_page(*, user: Any, pk: Any) -> Testimony | None:
    return (
        testimonies_for(user)
        .select_related("testifier", "interviewer", "place", "field_trip")
        .filter(pk=pk)
        .first()
    )


def testimony_page_data(*, user: Any, testimony: Testimony) -> dict[str, Any]:
    relations = []
    for link in testimony.relations.select_related("person").order_by("created_at"):
        shown = person_visible_to(user, link.person) and link.person.merged_into_id is None
        relations.append({"link": link, "person": link.person if shown else None})
    media = []
    for use in testimony.media_links.select_related("media").order_by("created_at", "pk"):
        media.append(
            {
                "use": use,
                "file": use.media,
                "restricted": use.restricted_use or media_restricted(use.media),
                # The name, size and hash of a restricted file only to readers of restricted
                # fields; to others, that there is one.
                "shown": media_visible_to(
                    user, use.media, use=MediaUse.TESTIMONY, record=testimony
                ),
            }
        )
    return {"testimony": testimony, "relations": relations, "media": media}


def testifier_suggest(*, query: str, limit: int = 10) -> list[Testifier]:
    """Testifiers whose name contains `query` (names only: contacts are restricted)."""
    q = " ".join((query or "").split())
    if not q:
        return []
    return list(
        Testifier.objects.filter(Q(full_name__icontains=q) | Q(other_names__icontains=q))
        .only("id", "full_name", "citizenship")
        .order_by("full_name")[:limit]
    )
