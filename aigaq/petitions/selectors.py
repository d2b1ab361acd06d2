"""Reads for the petition pages: a person's petitions, and each form's readiness for them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from aigaq.core.permissions import visibilities_for
from aigaq.disclosure.selectors import PERSON_LINK_FIELDS, about_visible_persons
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


#: What the lists read of a petition: what they show and what they are ordered by (not the
#: applicant's details, the entries or the answer's text).
LIST_FIELDS = (
    "id",
    "created_at",
    "form",
    "person",
    "state",
    "registration_no",
    "next_action",
    "next_action_due",
    "generated_at",
    "answered_on",
)


def coordinator_lists(user: Any, today: dt.date, limit: int = LIST_LIMIT) -> CoordinatorLists:
    """The three lists, the most urgent first, each one query read in its own order through
    a partial index of its own (petition_overdue, petition_unsigned_at, petition_answered_on:
    only the rows the list can hold, in the list's whole order) and stopped at `limit`; only
    petitions about persons the reader may see, each row's person checked as it is read
    (disclosure decides: `about_visible_persons`). Only what the lists show is read."""
    overdue = (
        Petition.objects.filter(next_action_due__lt=today)
        .exclude(state=Petition.State.CLOSED)
        .order_by("next_action_due", "created_at", "id")
    )
    unsigned = Petition.objects.filter(
        state=Petition.State.DRAFT, generated_at__isnull=False
    ).order_by("generated_at", "id")
    answered = Petition.objects.filter(
        answered_on__gte=today - dt.timedelta(days=ANSWERED_DAYS), answered_on__lte=today
    ).order_by("-answered_on", "-id")
    fields = (*LIST_FIELDS, *(f"person__{f}" for f in PERSON_LINK_FIELDS))
    return CoordinatorLists(
        *(
            list(about_visible_persons(user, qs).select_related("person").only(*fields)[:limit])
            for qs in (overdue, unsigned, answered)
        )
    )
