"""Reads for the duplicates pages: candidate lists, a pair side by side, merges."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aigaq.dedup.models import Candidate, Merge
from aigaq.disclosure.policy import (
    MediaUse,
    media_visible_to,
    person_visible_to,
    persons_visible_to,
)
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


def look_alikes_for(
    *, user: Any, limit: int = 5, **facts: Any
) -> list[tuple[Person, float, list[str]]]:
    """Entries this user may see that look like the entry being typed (not saved yet), best
    first, each with its score and the reasons in words (scan.find_look_alikes; `facts` are
    its keyword arguments). An entry the user may not see is left out without a word."""
    from aigaq.dedup.scan import find_look_alikes

    found = find_look_alikes(**facts)
    if not found:
        return []
    persons = persons_for(user).select_related("hometown").in_bulk([f.pk for f in found])
    out = []
    for f in found:
        person = persons.get(f.pk)
        if person is not None:
            out.append((person, f.score, reason_texts(f.reasons)))
            if len(out) >= limit:
                break
    return out


# What of a retired entry the survivor's own fields do not show, by field (the label is the
# person page's). The ID number is restricted: only that one differs is said, never the value.
REMNANT_FIELDS = (
    "gender",
    "birth_year",
    "birth_year_max",
    "ethnicity",
    "citizenships",
    "hometown_id",
    "occupation",
    "evidence_grade",
)


def _remnant_value(person: Person, name: str) -> str:
    if name == "gender":
        return str(person.get_gender_display())
    if name == "ethnicity":
        return str(person.get_ethnicity_display())
    if name == "evidence_grade":
        return str(person.get_evidence_grade_display())
    if name == "citizenships":
        return ", ".join(person.citizenships or [])
    if name == "hometown_id":
        return str(person.hometown) if person.hometown_id else ""
    value = getattr(person, name)
    return "" if value in (None, "") else str(value)


def merged_remnants(*, user: Any, person: Person) -> list[dict[str, Any]]:
    """What the entries merged into `person` (and, in turn, into those) recorded that the
    person's own fields do not show: their biography, the facts that differ, a photo of their
    own. A merge moves names, events, testimonies, sources and relatives and fills empty
    fields; this is the rest, so nothing a merge retires becomes invisible (the retired entry
    keeps it, and undoing the merge needs nothing back). Only entries `user` may see."""
    out: list[dict[str, Any]] = []
    frontier, seen = [person.pk], {person.pk}
    merges = {
        m.retired_id: m
        for m in Merge.objects.filter(survivor_id__in=[person.pk], undone_at__isnull=True)
    }
    while frontier:
        retired = list(
            Person.objects.filter(merged_into_id__in=frontier)
            .select_related("hometown", "photo")
            .order_by("entry_no")
        )
        frontier = [r.pk for r in retired if r.pk not in seen]
        seen.update(frontier)
        if frontier:
            merges.update(
                (m.retired_id, m)
                for m in Merge.objects.filter(retired_id__in=frontier, undone_at__isnull=True)
            )
        for r in retired:
            if r.pk not in frontier or not person_visible_to(user, r):
                continue
            facts = []
            for name in REMNANT_FIELDS:
                theirs = _remnant_value(r, name)
                if theirs and theirs != _remnant_value(person, name):
                    field = Person._meta.get_field(name)
                    label = getattr(field, "verbose_name", name)
                    facts.append({"label": label, "value": theirs})
            biography = r.biography.strip()
            out.append(
                {
                    "person": r,
                    "merge": merges.get(r.pk),
                    "facts": facts,
                    "biography": biography
                    if biography and biography not in (person.biography or "")
                    else "",
                    "id_differs": bool(r.chinese_id and r.chinese_id != person.chinese_id),
                    "photo": r.photo is not None
                    and r.photo_id != person.photo_id
                    and media_visible_to(user, r.photo, use=MediaUse.PHOTO, record=r),
                }
            )
    return [x for x in out if x["facts"] or x["biography"] or x["id_differs"] or x["photo"]]


# ---------------------------------------------------------------------------------------------
# The review page: what each side holds and would bring


COUNTED = {
    "names": lambda n: ngettext("%(n)s name", "%(n)s names", n) % {"n": n},
    "events": lambda n: ngettext("%(n)s status event", "%(n)s status events", n) % {"n": n},
    "testimonies": lambda n: ngettext("%(n)s testimony", "%(n)s testimonies", n) % {"n": n},
    "relatives": lambda n: ngettext("%(n)s relative", "%(n)s relatives", n) % {"n": n},
    "sources": lambda n: ngettext("%(n)s source", "%(n)s sources", n) % {"n": n},
    "tags": lambda n: ngettext("%(n)s tag", "%(n)s tags", n) % {"n": n},
}


def merge_preview(a: Person, b: Person) -> tuple[dict[str, Any], dict[str, Any]]:
    """For each of two entries (as person_side loads them): what it holds, with a weight (how
    much is recorded: names, status events, testimonies, relatives, sources, tags, filled
    fields, biography, photo), and what it would bring to the other if the other were kept:
    the rows a merge moves, the other's empty fields it fills, and what stays shown from it on
    the other's page (merged_remnants). The review page pre-selects the heavier entry."""
    from aigaq.dedup.services import FILL_CHOICES, FILL_FIELDS
    from aigaq.people.models import PersonRelation

    def relatives(p: Person) -> set[Any]:
        pairs = PersonRelation.objects.filter(Q(person=p) | Q(relative=p))
        return {y if x == p.pk else x for x, y in pairs.values_list("person_id", "relative_id")}

    def label(name: str) -> str:
        field = Person._meta.get_field(name)
        return str(getattr(field, "verbose_name", name))

    def recorded(p: Person) -> list[str]:
        return [
            name
            for name in (*FILL_FIELDS, *FILL_CHOICES)
            if getattr(p, name) and getattr(p, name) != FILL_CHOICES.get(name)
        ]

    sides: list[dict[str, Any]] = [
        {
            "names": len(p.names.all()),
            "events": {e.pk for e in p.events.all()},
            "testimonies": {link.testimony_id for link in p.testimony_links.all()},
            "relatives": relatives(p),
            "sources": {s.pk for s in p.sources.all()},
            "tags": set(p.tags.values_list("pk", flat=True)),
            "fields": recorded(p),
            "biography": bool(p.biography.strip()),
        }
        for p in (a, b)
    ]
    out = []
    for me, other, p, q in ((sides[0], sides[1], a, b), (sides[1], sides[0], b, a)):
        sizes = {
            "names": me["names"],
            "events": len(me["events"]),
            "testimonies": len(me["testimonies"]),
            "relatives": len(me["relatives"]),
            "sources": len(me["sources"]),
            "tags": len(me["tags"]),
        }
        holds = [COUNTED[k](n) for k, n in sizes.items() if k != "tags"]
        holds += [label(name) for name in me["fields"]]
        if me["biography"]:
            holds.append(_("biography"))
        moved = {
            "names": me["names"],
            "events": len(me["events"]),
            "testimonies": len(me["testimonies"] - other["testimonies"]),
            "relatives": len(me["relatives"] - other["relatives"] - {q.pk}),
            "sources": len(me["sources"] - other["sources"]),
            "tags": len(me["tags"] - other["tags"]),
        }
        fills = [label(name) for name in me["fields"] if name not in other["fields"]]
        shown = [_("biography")] if me["biography"] else []
        shown += [
            label(name)
            for name in me["fields"]
            if name in other["fields"]
            and name != "chinese_id"
            and getattr(p, name) != getattr(q, name)
        ]
        out.append(
            {
                "holds": holds,
                "brings": [COUNTED[k](n) for k, n in moved.items() if n],
                "fills": fills,
                "shown": shown,
                "weight": sum(sizes.values()) + len(me["fields"]) + me["biography"],
            }
        )
    return out[0], out[1]


def keep_first(a: Person, b: Person, previews: tuple[dict[str, Any], dict[str, Any]]) -> bool:
    """Should the review page pre-select `a` to keep? The entry with more recorded; on equal
    weight, the older entry (the lower number, the one people may already cite)."""
    wa, wb = previews[0]["weight"], previews[1]["weight"]
    if wa != wb:
        return wa > wb
    return a.entry_no < b.entry_no
