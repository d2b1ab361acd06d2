"""What the staff pages show, each part asked of aigaq.disclosure (what this reader may see)
and narrowed by the domain apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from aigaq.core.audit import describe, history_for_person
from aigaq.core.permissions import has_cap, visibilities_for
from aigaq.disclosure.policy import can_see
from aigaq.disclosure.selectors import persons_for, testimonies_for
from aigaq.people.models import Person, PersonRelation, StatusEvent, StatusKind
from aigaq.testimonies.selectors import testimonies_about_person


def dashboard_data(*, user: Any) -> dict[str, Any]:
    qs = persons_for(user)
    by_status = list(
        qs.values("current_status").annotate(n=Count("id")).order_by("-n", "current_status")
    )
    labels = dict(StatusKind.choices)
    for row in by_status:
        row["label"] = labels.get(row["current_status"], "—")
    return {
        "recent": list(qs.select_related("hometown").order_by("-created_at")[:10]),
        "total": qs.count(),
        "by_status": by_status,
    }


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
    visible = visibilities_for(user)
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
        if rel.relative.visibility in visible and rel.relative.merged_into_id is None:
            relations.append({"person": rel.relative, "relationship": rel.relationship})
    for rel in PersonRelation.objects.filter(relative=person).select_related("person"):
        if rel.person.visibility in visible and rel.person.merged_into_id is None:
            relations.append({"person": rel.person, "relationship": rel.relationship})
    testimonies = testimonies_about_person(visible=testimonies_for(user), person=person)
    testifiers = []
    seen: set[Any] = set()
    for t in testimonies:
        if t.testifier_id in seen:
            continue
        seen.add(t.testifier_id)
        testifiers.append(
            {
                "testifier": t.testifier,
                "relationship": getattr(t, "about_relationship", ""),
                "relationship_label": getattr(t, "about_relationship_label", ""),
            }
        )
    return {
        "person": person,
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
