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
from aigaq.disclosure.selectors import persons_for, testimonies_for
from aigaq.people.models import Person
from aigaq.search.filters import apply_filters
from aigaq.testimonies.models import Testifier, Testimony, TestimonyPerson

#: "This week": a contact due within this many days, or overdue.
WEEK_DAYS = 7
#: How many contacts the list shows (the most overdue first).
LIST_LIMIT = 200
#: How many testifiers a press request's matches offer.
MATCH_LIMIT = 50


def families_to_call(user: Any, today: dt.date, limit: int = LIST_LIMIT) -> list[CaseContact]:
    """Contacts whose next contact is due within the week or overdue, the most overdue first,
    about persons the reader may see. Read in due order through the index casework_due_order
    a chunk at a time, each chunk's persons asked of disclosure (`persons_for`): a join on the
    visible persons would have the database walk every contact of every visible person."""
    until = today + dt.timedelta(days=WEEK_DAYS)
    ordered = CaseContact.objects.filter(next_contact_due__lte=until).order_by(
        "next_contact_due", "created_at"
    )
    chosen: list[Any] = []
    start, chunk = 0, max(limit * 4, 500)
    while len(chosen) < limit:
        rows = list(ordered.values_list("pk", "person_id")[start : start + chunk])
        if not rows:
            break
        visible = set(
            persons_for(user)
            .filter(pk__in={person for _pk, person in rows})
            .values_list("pk", flat=True)
        )
        chosen.extend(pk for pk, person in rows if person in visible)
        start += chunk
    chosen = chosen[:limit]
    found = CaseContact.objects.filter(pk__in=chosen).select_related("person", "testifier")
    return sorted(found, key=lambda c: (c.next_contact_due, c.created_at))


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
