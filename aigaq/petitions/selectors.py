"""Reads for the petition pages: a person's petitions, and each form's readiness for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from aigaq.core.permissions import visibilities_for
from aigaq.disclosure.selectors import persons_for
from aigaq.people.models import Person
from aigaq.petitions.checks import Finding
from aigaq.petitions.models import Petition
from aigaq.petitions.registry import FormError, PetitionForm, all_forms
from aigaq.petitions.services import prepare


def petitions_of(person: Person) -> QuerySet[Petition]:
    """Every petition about `person` (filed under them or naming them with relatives)."""
    return (
        Petition.objects.filter(persons=person)
        .select_related("person")
        .distinct()
        .order_by("-created_at")
    )


def petitions_seen_by(user: Any, person: Person) -> QuerySet[Petition]:
    """The petitions about `person` that `user` may open: those whose every person the user
    may see (the rule of a petition's own page). A petition that also names someone hidden
    from the user is left out, so a list does not say that it exists."""
    hidden = Person.objects.exclude(visibility__in=visibilities_for(user))
    return petitions_of(person).exclude(persons__in=hidden)


@dataclass
class Readiness:
    """How far `person`'s record goes for one form, before the volunteer's entries."""

    form: PetitionForm
    record: list[Finding] = field(default_factory=list)
    entries_to_fill: int = 0
    error: str = ""

    @property
    def refused(self) -> bool:
        return any(f.level == "refused" for f in self.record) or bool(self.error)

    @property
    def record_complete(self) -> bool:
        return not any(f.level in ("refused", "missing") for f in self.record) and not self.error


def readiness_for(person: Person) -> tuple[list[Readiness], list[str]]:
    """Each form's findings about the record alone (the entries the volunteer fills in are
    counted apart), and one sentence per form whose files cannot be used."""
    forms, errors = all_forms()
    out: list[Readiness] = []
    for form in forms:
        entry_keys = {e.key for e in form.entries}
        try:
            prepared = prepare(form=form, persons=[person], entries={})
        except FormError as exc:
            out.append(Readiness(form=form, error=str(exc)))
            continue
        ready = Readiness(form=form)
        for f in prepared.report.findings:
            if f.key in entry_keys:
                ready.entries_to_fill += 1
            else:
                ready.record.append(f)
        out.append(ready)
    return out, errors


#: How many petitions each of the coordinator's lists shows (the oldest due first).
LIST_LIMIT = 200
#: How far back "answers that came in this week" reaches.
ANSWERED_DAYS = 7


@dataclass
class CoordinatorLists:
    """What a coordinator looks at each morning: petitions whose next action is overdue,
    documents generated but not yet signed, and the answers that came in this week."""

    overdue: list[Petition]
    unsigned: list[Petition]
    answered: list[Petition]


def _visible_first(user: Any, qs: QuerySet[Petition], limit: int) -> list[Petition]:
    """The first `limit` rows of `qs` (already in the list's order, read through its index)
    that are about a person the reader may see: read a chunk at a time and kept where
    disclosure says yes, so no list ever joins or scans the whole person table."""
    out: list[Petition] = []
    chunk = max(limit, 50)
    # The lists show neither the applicant's details nor the entries nor the answer's text.
    rows_qs = qs.select_related("person").defer("applicant", "entries", "answer")
    for start in range(0, chunk * 50, chunk):
        rows = list(rows_qs[start : start + chunk])
        if not rows:
            break
        seen = set(
            persons_for(user)
            .filter(pk__in={r.person_id for r in rows})
            .values_list("pk", flat=True)
        )
        out.extend(r for r in rows if r.person_id in seen)
        if len(out) >= limit or len(rows) < chunk:
            break
    return out[:limit]


def coordinator_lists(user: Any, today: dt.date, limit: int = LIST_LIMIT) -> CoordinatorLists:
    """The three lists, each read in its own order through an index of its own (petition_due,
    petition_unsigned, petition_answered), the most urgent first, and only petitions about
    persons the reader may see (disclosure decides)."""
    overdue = (
        Petition.objects.filter(next_action_due__lt=today)
        .exclude(state=Petition.State.CLOSED)
        .order_by("next_action_due", "created_at")
    )
    unsigned = Petition.objects.filter(
        state=Petition.State.DRAFT, generated_at__isnull=False
    ).order_by("generated_at")
    answered = Petition.objects.filter(
        answered_on__gte=today - dt.timedelta(days=ANSWERED_DAYS), answered_on__lte=today
    ).order_by("-answered_on")
    return CoordinatorLists(
        _visible_first(user, overdue, limit),
        _visible_first(user, unsigned, limit),
        _visible_first(user, answered, limit),
    )
