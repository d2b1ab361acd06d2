"""Reads for the duplicates pages: candidate lists, a pair side by side, merges."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from aigaq.dedup.models import Candidate, Merge
from aigaq.disclosure.policy import persons_visible_to
from aigaq.disclosure.selectors import persons_for
from aigaq.people.models import Person, PersonName


def open_candidates(*, user: Any, min_score: float = 0.0) -> QuerySet[Candidate]:
    """Open candidates whose two entries the user may both see, best first."""
    visible = persons_for(user)
    return (
        Candidate.objects.filter(status=Candidate.Status.OPEN, score__gte=min_score)
        .filter(a__in=visible.values("pk"), b__in=visible.values("pk"))
        .select_related("a__hometown", "b__hometown")
        .order_by("-score", "created_at")
    )


def person_side(*, user: Any, pk: Any) -> Person:
    """One entry with everything the side-by-side page shows (visible to the user only)."""
    return (
        persons_for(user)
        .select_related("hometown")
        .prefetch_related(
            Prefetch("names", queryset=PersonName.objects.order_by("position", "id")),
            "events",
            "testimony_links__testimony__testifier",
            "sources",
        )
        .get(pk=pk)
    )


def merges_for(user: Any) -> QuerySet[Merge]:
    """Merges whose two entries `user` may both see (disclosure.policy: the person page's
    rule; a merge page names both entries by number)."""
    visible = persons_visible_to(user, Person.objects.all()).values("pk")
    return Merge.objects.filter(survivor__in=visible, retired__in=visible).select_related(
        "survivor", "retired", "merged_by"
    )


def merges_recent(*, user: Any, limit: int = 50) -> QuerySet[Merge]:
    return merges_for(user)[:limit]


def person_resolve(person: Person) -> Person:
    """Follow merged_into to the entry that stands for this person now (the staff person
    page redirects a merged entry's number here)."""
    seen = {person.pk}
    while person.merged_into_id is not None:
        nxt = Person.objects.get(pk=person.merged_into_id)
        if nxt.pk in seen:
            break
        seen.add(nxt.pk)
        person = nxt
    return person


REASON_TEXT = {
    "names": lambda r: (
        _("Names alike (%(score)s): “%(a)s” and “%(b)s”")
        % {"score": r.get("score"), "a": r.get("a"), "b": r.get("b")}
    ),
    "id_equal": lambda r: _("Same Chinese ID number"),
    "id_differs": lambda r: _("Different Chinese ID numbers"),
    "birth_same": lambda r: _("Same birth year (%(a)s)") % {"a": r.get("a")},
    "birth_close": lambda r: (
        _("Birth years close (%(a)s, %(b)s)") % {"a": r.get("a"), "b": r.get("b")}
    ),
    "birth_differs": lambda r: (
        _("Birth years differ (%(a)s, %(b)s)") % {"a": r.get("a"), "b": r.get("b")}
    ),
    "hometown_same": lambda r: _("Same hometown"),
    "hometown_differs": lambda r: _("Different hometowns"),
    "gender_differs": lambda r: _("Different genders"),
    "testifiers_common": lambda r: _("Testifiers in common: %(n)s") % {"n": r.get("n")},
    "relatives_common": lambda r: _("Relatives in common: %(n)s") % {"n": r.get("n")},
    "same_file": lambda r: (
        _("Another row of the same import (row %(row)s)") % {"row": r.get("row")}
    ),
    "field_bundle": lambda r: (
        _("New entry brought back from the field trip “%(trip)s”") % {"trip": r.get("trip")}
    ),
}


def reason_texts(reasons: list[dict[str, Any]]) -> list[str]:
    out = []
    for r in reasons:
        render = REASON_TEXT.get(str(r.get("code")))
        out.append(render(r) if render else str(r.get("code")))
    return out
