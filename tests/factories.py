"""Build test states through the real services (no JSON fixtures)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aigaq.core.models import Visibility
from aigaq.people.models import Person
from aigaq.people.services import NameInput, person_create, status_event_add
from aigaq.testimonies.models import Testifier, Testimony
from aigaq.testimonies.services import RelationInput, testifier_create, testimony_create

_counter = {"n": 0}


def person(
    *names: str, actor: Any = None, status: str | None = None, date: str = "2018", **fields: Any
) -> Person:
    _counter["n"] += 1
    forms = [NameInput(n) for n in (names or (f"Тест Адам {_counter['n']}",))]
    p = person_create(actor=actor, names=forms, **fields)
    if status:
        status_event_add(actor=actor, person=p, kind=status, date_text=date)
        p.refresh_from_db()
    return p


def testifier(name: str = "Айгүл Сәрсенқызы", actor: Any = None, **fields: Any) -> Testifier:
    return testifier_create(actor=actor, full_name=name, **fields)


def testimony(
    *persons: Person,
    actor: Any = None,
    relationship: str = "son",
    testifier_obj: Testifier | None = None,
    **fields: Any,
) -> Testimony:
    return testimony_create(
        actor=actor,
        testifier=testifier_obj or testifier(actor=actor),
        recorded_on=fields.pop("recorded_on", dt.date(2019, 3, 1)),
        relations=[RelationInput(p, relationship) for p in persons],
        **fields,
    )


def public_person(*names: str, actor: Any, anonymous: bool = False, **fields: Any) -> Person:
    """A person on the public site: a public entry with one recorded, public testimony
    consented for publication (by initials only when `anonymous`)."""
    p = person(*names, actor=actor, visibility=Visibility.PUBLIC, **fields)
    testimony(
        p,
        actor=actor,
        visibility=Visibility.PUBLIC,
        consent_public=True,
        consent_anonymous=anonymous,
        status="recorded",
    )
    return p
