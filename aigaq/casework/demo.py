"""Family contacts for the demo data (aigaq.demo runs `demo_contacts` through
aigaq.testimonies.hooks.DEMO_CASES): for some demo persons, the testifier of their case as a
contact, with or without consent to be contacted, a synthetic number or handle, and a few
logged calls, messages and visits, so that a newcomer finds "Families to call this week" and
a contact's log filled. Everything is generated: the numbers and handles are random and each
contact's notes say it is a demo one."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from aigaq.casework.models import CaseContact, ContactLog
from aigaq.casework.services import contact_create, contact_log_add
from aigaq.testimonies.models import Testimony

#: What a volunteer wrote after a contact (synthetic; Kazakh, Russian, English as volunteers do).
SAID = (
    ("call", "Қоңырау шалдым: өтініштің тіркелгенін айттым. Анасы жаңа хабар жоқ дейді."),
    ("message", "Написала в WhatsApp: ответ из МИД пока не пришёл, держим в курсе."),
    ("call", "Called: the family heard from a neighbour that he was moved to another camp."),
    ("visit", "Үйіне бардым: БҰҰ-ға жіберілетін хатқа қол қойды."),
    ("message", "Отправила шаблон сообщения о слушании; семья подтвердила получение."),
)
NOTE = "Demo contact: the number is synthetic."


def _handle(rng: random.Random, method: str) -> str:
    if method == CaseContact.Method.TELEGRAM:
        return f"@demo_family_{rng.randint(100, 999)}"
    if method == CaseContact.Method.VISIT:
        return ""
    return f"+7 700 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def demo_contacts(rng: random.Random, persons: list[Any]) -> tuple[int, int]:
    """One contact per person (the testifier of their first testimony), every fourth without
    consent to be contacted (no next contact planned, nothing logged); the others with one to
    three logged contacts in the past weeks and the next contact due within nine days.
    Returns (contacts made, log entries made)."""
    contacts = logged = 0
    now = timezone.now()
    today = timezone.localdate()
    methods = [m for m in CaseContact.Method.values if m != CaseContact.Method.OTHER]
    for index, person in enumerate(persons):
        testimony = Testimony.objects.filter(relations__person=person).order_by("number").first()
        if (
            testimony is None
            or CaseContact.objects.filter(
                person=person, testifier_id=testimony.testifier_id
            ).exists()
        ):
            continue
        consent = index % 4 != 3
        method = rng.choice(methods)
        contact = contact_create(
            actor=None,
            person=person,
            testifier=testimony.testifier,
            consent=consent,
            consent_on=today - dt.timedelta(days=rng.randint(30, 400)) if consent else None,
            method=method,
            handle=_handle(rng, method),
            notes=NOTE if consent else NOTE + " The family asked not to be called.",
        )
        contacts += 1
        if not consent:
            continue
        visits = rng.randint(1, 3)
        for n in range(visits):
            kind, said = SAID[(index + n) % len(SAID)]
            last = n == visits - 1
            contact_log_add(
                actor=None,
                contact=contact,
                kind=kind if kind in ContactLog.Kind.values else ContactLog.Kind.CALL,
                said=said,
                at=now - dt.timedelta(days=7 * (visits - n) + rng.randint(0, 3), hours=3),
                next_contact_due=today + dt.timedelta(days=rng.randint(0, 9)) if last else None,
            )
            contact.refresh_from_db()
            logged += 1
    return contacts, logged
