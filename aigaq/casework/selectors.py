"""Reads for the family contacts and the press desk. Which persons a reader may see is
disclosure's (`persons_for`, `testimonies_for`); whether a testifier may be offered to a
reporter is disclosure's (Use.PRESS_CONTACT); a contact's number is read only by readers of
restricted fields, and each reading is audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from aigaq.casework.models import CaseContact, Introduction, PressRequest
from aigaq.core import audit
from aigaq.disclosure.policy import Use, can_read_restricted_fields, testimonies_usable_for
from aigaq.disclosure.selectors import (
    PERSON_LINK_FIELDS,
    about_visible_persons,
    persons_for,
    testimonies_for,
)
from aigaq.people.models import Person
from aigaq.search.filters import apply_filters
from aigaq.testimonies.models import Testifier, Testimony, TestimonyPerson

#: "This week": a contact due within this many days, or overdue.
WEEK_DAYS = 7
#: How many contacts the list shows (the most overdue first).
LIST_LIMIT = 200
#: How many testifiers a press request's matches offer.
MATCH_LIMIT = 50


#: What the list reads of a contact: what it shows and what it is ordered by (not the number
#: or handle, restricted, nor the notes).
LIST_FIELDS = ("id", "created_at", "person", "testifier", "method", "next_contact_due")


def families_to_call(user: Any, today: dt.date, limit: int = LIST_LIMIT) -> list[CaseContact]:
    """Contacts whose next contact is due within the week or overdue, the most overdue first,
    about persons the reader may see: one query, read in due order through the partial index
    casework_contact_due_order and stopped at `limit`, each row's person checked as it is read
    (disclosure decides: `about_visible_persons`); a join on the visible persons would have
    the database walk every contact of every visible person. Of the testifier only the name
    is read (not their contacts), of the contact not the number."""
    until = today + dt.timedelta(days=WEEK_DAYS)
    ordered = CaseContact.objects.filter(next_contact_due__lte=until).order_by(
        "next_contact_due", "created_at", "id"
    )
    fields = (
        *LIST_FIELDS,
        *(f"person__{f}" for f in PERSON_LINK_FIELDS),
        "testifier__id",
        "testifier__full_name",
    )
    return list(
        about_visible_persons(user, ordered)
        .select_related("person", "testifier")
        .only(*fields)[:limit]
    )


def contacts_of(person: Person) -> QuerySet[CaseContact]:
    return CaseContact.objects.filter(person=person).select_related("testifier")


def contact_for(user: Any, pk: Any) -> CaseContact | None:
    """The contact `pk` when its person is one the reader may see."""
    return (
        CaseContact.objects.filter(pk=pk, person__in=persons_for(user))
        .select_related("person", "testifier")
        .first()
    )


def contact_handle_for(user: Any, contact: CaseContact) -> str | None:
    """The contact's number or handle for a reader of restricted fields (disclosure decides),
    recorded in the audit log as read; None for everyone else."""
    if not can_read_restricted_fields(user):
        return None
    if contact.handle:
        audit.record_read(actor=user, obj=contact, fields=["handle"], person_id=contact.person_id)
    return contact.handle


def testifiers_of(person: Person) -> list[Testifier]:
    """The testifiers who testified about `person` (candidates for a contact)."""
    return list(
        Testifier.objects.filter(testimonies__relations__person=person)
        .distinct()
        .order_by("full_name")
    )


@dataclass
class Match:
    """A case that fits a press request, and the testimony whose testifier may be offered."""

    person: Person
    testimony: Testimony
    introduced: bool


def press_matches(user: Any, request: PressRequest, limit: int = MATCH_LIMIT) -> list[Match]:
    """Persons the reader may see that fit the request's filters, each with a testimony the
    reader may see whose consent allows press contact (consent to the press, not withdrawn,
    not retracted); one offer per testifier."""
    persons = apply_filters(persons_for(user), request.filters or {})
    usable = testimonies_usable_for(testimonies_for(user), Use.PRESS_CONTACT).exclude(
        status=Testimony.Status.RETRACTED
    )
    links = (
        TestimonyPerson.objects.filter(person__in=persons, testimony__in=usable)
        .select_related("person", "testimony__testifier")
        .order_by("person__entry_no", "testimony__number")
    )
    introduced = set(
        Introduction.objects.filter(request=request).values_list("testifier_id", flat=True)
    )
    out: list[Match] = []
    seen: set[Any] = set()
    for link in links[: limit * 4]:
        testifier_id = link.testimony.testifier_id
        if testifier_id in seen:
            continue
        seen.add(testifier_id)
        out.append(Match(link.person, link.testimony, testifier_id in introduced))
        if len(out) >= limit:
            break
    return out


def open_requests(limit: int = LIST_LIMIT) -> list[PressRequest]:
    return list(
        PressRequest.objects.filter(status=PressRequest.Status.OPEN).order_by(
            "deadline", "-created_at"
        )[:limit]
    )


def introductions_of(request: PressRequest) -> QuerySet[Introduction]:
    return Introduction.objects.filter(request=request).select_related(
        "testifier", "testimony", "by"
    )
