"""Reads of persons that are more than a .get(): always filtered by what the reader may see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from aigaq.core.permissions import has_cap
from aigaq.disclosure.policy import (
    MediaUse,
    can_see,
    media_visible_to,
    person_visible_to,
    persons_visible_to,
)
from aigaq.people.models import (
    Person,
    PersonRelation,
    Place,
    PlaceName,
    StatusEvent,
    Tag,
)


def persons_for(user: Any) -> QuerySet[Person]:
    """Live (not merged-away) persons this user may see."""
    return persons_visible_to(user, Person.objects.filter(merged_into__isnull=True))


def place_and_inside_ids(place: Place) -> list[Any]:
    """Ids of ``place`` and of every place inside it (the gazetteer is small: a few hundred
    rows). Filtering persons by ``hometown_id IN (these)`` instead of joining the places by
    path lets PostgreSQL check each candidate once instead of once per sub-place (13 times
    for Kashgar prefecture: 3.5 ms instead of 11.7 ms for 800 candidates at 1,000,000
    persons)."""
    rows = Place.objects.filter(path__startswith=place.path).order_by().values_list("id", flat=True)
    return list(rows)


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


# --- Staff interface reads -------------------------------------------------------------------


def _icontains(field: str, text: str) -> Q:
    """Substring match in any case. SQLite folds case for ASCII only, so the usual casings of
    the text are tried as well ("бақ" finds "Бақыт")."""
    cond = Q()
    for variant in sorted({text, text.lower(), text.upper(), text.title(), text.capitalize()}):
        cond |= Q(**{f"{field}__icontains": variant})
    return cond


@dataclass
class PersonSearch:
    """The persons list's answer: the persons in list order and, for a name query, each
    one's search hit (aigaq.search.selectors.Hit: score, matched name, reason) and how many
    entries match the name about as well as the first (see Ranking)."""

    persons: QuerySet[Person]
    hits: Mapping[Any, Any] = field(default_factory=dict)
    equal_best: int = 0
    at_limit: bool = False


def person_search_ranked(
    *, user: Any, query: str = "", filters: Mapping[str, Any] | None = None
) -> PersonSearch:
    """The persons list: what `user` may see, matching `query`, narrowed by `filters`.

    This is the one entry point the staff list calls. A query goes to the multi-script search
    (aigaq.search: any name form in any script, partial names, entry numbers; ranked, best
    first); without one, the list is newest first. `filters`: those of
    aigaq.search.selectors.apply_filters, all optional: status (a StatusKind value),
    ethnicity, place (a Place: it and everything inside it), tag (a Tag slug), grade (an
    EvidenceGrade value), born_from and born_to (years; a range overlapping them matches).
    """
    from aigaq.search.selectors import apply_filters, person_ranking

    q = " ".join((query or "").split())
    if q:  # the multi-script search (aigaq.search): ranked, best match first
        ranking = person_ranking(user=user, query=q, filters=filters)
        persons = ranking.persons.select_related("hometown").prefetch_related("names", "tags")
        return PersonSearch(persons, ranking.hits, ranking.equal_best, ranking.at_limit)
    qs = apply_filters(persons_for(user), filters)
    return PersonSearch(
        qs.select_related("hometown").prefetch_related("names", "tags").order_by("-entry_no")
    )


def person_search(
    *, user: Any, query: str = "", filters: Mapping[str, Any] | None = None
) -> QuerySet[Person]:
    """The persons of :func:`person_search_ranked` (for pickers and short lists)."""
    return person_search_ranked(user=user, query=query, filters=filters).persons


def person_by_entry_no(*, user: Any, entry_no: int) -> tuple[Person | None, Person | None]:
    """(person, survivor): the entry with this number if `user` may see it, and, when it was
    merged into another entry, the surviving entry (None if the user may not see that one)."""
    person = Person.objects.select_related("hometown", "merged_into").filter(entry_no=entry_no)
    found = person.first()
    if found is None:
        return None, None
    if found.merged_into_id is None:
        return (found if can_see(user, found) else None), None
    survivor: Person | None = found
    for _hop in range(20):  # merge chains are short; the bound stops a loop in bad data
        if survivor is None or survivor.merged_into_id is None:
            break
        survivor = survivor.merged_into
    if survivor is None or survivor.merged_into_id is not None or not can_see(user, survivor):
        return None, None
    return found, survivor


def person_page_data(*, user: Any, person: Person) -> dict[str, Any]:
    """Everything the person page shows, each part filtered by what `user` may see."""
    from aigaq.core.audit import describe, history_for_person
    from aigaq.testimonies.selectors import testimonies_about_person

    events = list(
        StatusEvent.objects.filter(person=person)
        .select_related("place", "source")
        .order_by("date_start", "created_at")
    )
    # Official claims and denials stand in their own column, beside what was reported.
    official = {StatusEvent.Report.OFFICIAL_CLAIM, StatusEvent.Report.OFFICIAL_DENIAL}
    timeline = [{"event": e, "official": e.report in official} for e in events]
    relations: list[dict[str, Any]] = []
    for rel in PersonRelation.objects.filter(person=person).select_related("relative"):
        if person_visible_to(user, rel.relative) and rel.relative.merged_into_id is None:
            relations.append({"person": rel.relative, "relationship": rel.relationship})
    for rel in PersonRelation.objects.filter(relative=person).select_related("person"):
        if person_visible_to(user, rel.person) and rel.person.merged_into_id is None:
            relations.append({"person": rel.person, "relationship": rel.relationship})
    testimonies = testimonies_about_person(user=user, person=person)
    testifiers = []
    seen: set[Any] = set()
    for t in testimonies:
        if t.testifier_id in seen:
            continue
        seen.add(t.testifier_id)
        testifiers.append(
            {
                "testifier": t.testifier,
                "testimony": t,  # what its reader may read of the name depends on its consent
                "relationship": getattr(t, "about_relationship", ""),
                "relationship_label": getattr(t, "about_relationship_label", ""),
            }
        )
    return {
        "person": person,
        "photo_shown": person.photo is not None
        and media_visible_to(user, person.photo, use=MediaUse.PHOTO, record=person),
        "names": list(person.names.all()),
        "tags": list(person.tags.all()),
        "timeline": timeline,
        "testimonies": testimonies,
        "sources": list(person.sources.all()),
        "relations": relations,
        "testifiers": testifiers,
        "history": [describe(e) for e in history_for_person(person.pk)]
        if has_cap(user, "audit.view")
        else None,
    }


def place_suggest(*, query: str, limit: int = 12) -> list[Place]:
    """Places whose name, in any language, contains `query` (for the place picker)."""
    q = " ".join((query or "").split())
    if not q:
        return []
    named = PlaceName.objects.filter(_icontains("name", q), place=OuterRef("pk"))
    return list(
        Place.objects.filter(_icontains("name", q) | Q(Exists(named)))
        .select_related("parent")
        .order_by("name")[:limit]
    )


def tags_in_use() -> QuerySet[Tag]:
    return Tag.objects.order_by("label")
