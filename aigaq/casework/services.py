"""Writes of the family contacts and the press desk, each audited in its transaction
(core.services). Family contacts are petition work (capability petition.manage); the press
desk is press.manage. Whether a testifier may be introduced to a reporter is asked of
disclosure (Use.PRESS_CONTACT), never decided here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.casework.models import CaseContact, ContactLog, Introduction, PressRequest
from aigaq.core.permissions import check
from aigaq.core.phones import normalize_phone
from aigaq.core.services import create_audited, update_audited
from aigaq.disclosure.policy import Use, testimony_usable_for
from aigaq.people.models import Person, StatusEvent
from aigaq.people.services import status_event_add
from aigaq.testimonies.models import Testifier, Testimony

CONTACT_CAP = "petition.manage"
PRESS_CAP = "press.manage"
#: Ways of reaching a family whose handle is a telephone number (kept in E.164 form).
PHONE_METHODS = (CaseContact.Method.PHONE, CaseContact.Method.WHATSAPP)


def _due(day: dt.date | None) -> dt.date | None:
    """A next-contact day: today or later (a past day plans nothing)."""
    if day is not None and day < timezone.localdate():
        raise ValidationError(
            {
                "next_contact_due": _(
                    "The next contact date %(day)s is in the past; give today or a later day."
                )
                % {"day": day.isoformat()}
            },
            code="due_past",
        )
    return day


def _handle(method: str, handle: str) -> str:
    text = " ".join((handle or "").split())
    if method in PHONE_METHODS and text:
        return normalize_phone(text)
    return text


def _consent_checks(consent: bool, due: dt.date | None) -> None:
    if due is not None and not consent:
        raise ValidationError(
            {
                "next_contact_due": _(
                    "This family has not agreed to be contacted: no next contact can be planned."
                )
            },
            code="no_consent",
        )


def contact_create(
    *,
    actor: Any,
    person: Person,
    testifier: Testifier,
    consent: bool,
    method: str,
    consent_on: dt.date | None = None,
    handle: str = "",
    notes: str = "",
    next_contact_due: dt.date | None = None,
) -> CaseContact:
    """A testifier of `person`'s case to keep informed. The testifier must have testified
    about the person; a next contact is planned only with their consent, never in the past."""
    check(actor, CONTACT_CAP)
    if method not in CaseContact.Method.values:
        raise ValidationError({"method": _("Unknown way of contact.")}, code="method")
    if not Testimony.objects.filter(testifier=testifier, relations__person=person).exists():
        raise ValidationError(
            _("This testifier has given no testimony about this person."), code="not_testifier"
        )
    if CaseContact.objects.filter(person=person, testifier=testifier).exists():
        raise ValidationError(
            _("This testifier is already a contact of this case."), code="duplicate"
        )
    due = _due(next_contact_due)
    _consent_checks(consent, due)
    if consent and consent_on is None:
        consent_on = timezone.localdate()
    return create_audited(
        CaseContact,
        actor=actor,
        data={
            "person": person,
            "testifier": testifier,
            "consent": bool(consent),
            "consent_on": consent_on,
            "method": method,
            "handle": _handle(method, handle),
            "notes": (notes or "").strip(),
            "next_contact_due": due,
        },
        person_id=person.pk,
    )


def contact_update(
    *, actor: Any, contact: CaseContact, expected_version: int | None, **changes: Any
) -> CaseContact:
    """Correct a contact (consent, how, the number, notes, the next contact)."""
    check(actor, CONTACT_CAP)
    allowed = {"consent", "consent_on", "method", "handle", "notes", "next_contact_due"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    method = changes.get("method", contact.method)
    if method not in CaseContact.Method.values:
        raise ValidationError({"method": _("Unknown way of contact.")}, code="method")
    if "handle" in changes or "method" in changes:
        changes["handle"] = _handle(method, changes.get("handle", contact.handle))
    if "next_contact_due" in changes and changes["next_contact_due"] != contact.next_contact_due:
        _due(changes["next_contact_due"])
    _consent_checks(
        changes.get("consent", contact.consent),
        changes.get("next_contact_due", contact.next_contact_due),
    )
    return update_audited(contact, actor=actor, changes=changes, expected_version=expected_version)


def contact_log_source(entry: ContactLog) -> str:
    """How a status event learnt from a contact names its source (no name, no number: a
    testifier's identity is restricted, the timeline is read more widely)."""
    return _("Family contact (%(kind)s) of %(day)s, log entry %(ref)s") % {
        "kind": entry.get_kind_display().lower(),
        "day": timezone.localtime(entry.at).date().isoformat(),
        "ref": str(entry.pk)[:8],
    }


def contact_log_add(
    *,
    actor: Any,
    contact: CaseContact,
    kind: str,
    said: str,
    at: dt.datetime | None = None,
    next_contact_due: dt.date | None = None,
    status: Mapping[str, Any] | None = None,
) -> tuple[ContactLog, StatusEvent | None]:
    """Record a contact with the family (what was said, the next contact due), and with it,
    when the family's news changes the person's situation, a dated status event whose source
    names this log entry: one transaction, each part audited."""
    check(actor, CONTACT_CAP)
    if kind not in ContactLog.Kind.values:
        raise ValidationError({"kind": _("Say whether it was a call, a message or a visit.")})
    text = (said or "").strip()
    if not text:
        raise ValidationError({"said": _("Write down what was said.")}, code="said")
    when = at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"at": _("A contact cannot be in the future.")}, code="future")
    due = _due(next_contact_due)
    _consent_checks(contact.consent, due)
    with transaction.atomic():
        entry = create_audited(
            ContactLog,
            actor=actor,
            data={
                "contact": contact,
                "at": when,
                "by": actor if getattr(actor, "is_authenticated", False) else None,
                "kind": kind,
                "said": text,
                "next_contact_due": due,
            },
            person_id=contact.person_id,
        )
        if due != contact.next_contact_due:
            contact = update_audited(
                contact,
                actor=actor,
                changes={"next_contact_due": due},
                expected_version=None,
            )
        event = None
        if status and status.get("kind"):
            event = status_event_add(
                actor=actor,
                person=contact.person,
                date_unknown=False,
                kind=status["kind"],
                date_text=(status.get("date_text") or "").strip()
                or timezone.localtime(when).date().isoformat(),
                sentence=(status.get("sentence") or "").strip(),
                source_text=contact_log_source(entry),
            )
    return entry, event


# --- the press desk -------------------------------------------------------------------------

#: The search filters a press request may keep (search.filters.apply_filters reads them).
PRESS_FILTERS = ("place", "status", "ethnicity", "tag")


def press_request_create(
    *,
    actor: Any,
    reporter: str,
    outlet: str,
    topic: str,
    language: str = "",
    deadline: dt.date | None = None,
    wanted: str = "",
    filters: Mapping[str, Any] | None = None,
) -> PressRequest:
    """A reporter's request: who, for which outlet, on what, by when, the kind of case."""
    check(actor, PRESS_CAP)
    problems = {}
    for key, value in (("reporter", reporter), ("outlet", outlet), ("topic", topic)):
        if not (value or "").strip():
            problems[key] = _("This field is required.")
    if problems:
        raise ValidationError(problems, code="required")
    if deadline is not None and deadline < timezone.localdate():
        raise ValidationError(
            {"deadline": _("The deadline %(day)s has passed.") % {"day": deadline.isoformat()}},
            code="deadline_past",
        )
    kept = {k: str(v) for k, v in (filters or {}).items() if k in PRESS_FILTERS and v}
    return create_audited(
        PressRequest,
        actor=actor,
        data={
            "reporter": reporter.strip(),
            "outlet": outlet.strip(),
            "topic": topic.strip(),
            "language": (language or "").strip(),
            "deadline": deadline,
            "wanted": (wanted or "").strip(),
            "filters": kept,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )


def press_request_close(
    *, actor: Any, request: PressRequest, expected_version: int | None
) -> PressRequest:
    check(actor, PRESS_CAP)
    return update_audited(
        request,
        actor=actor,
        changes={"status": PressRequest.Status.CLOSED},
        expected_version=expected_version,
    )


def introduction_create(
    *, actor: Any, request: PressRequest, testimony: Testimony, agreement: str
) -> Introduction:
    """Log that the reporter of `request` was introduced to the testifier of `testimony`:
    only a testimony whose consent allows press contact (disclosure decides), only with a
    sentence saying who agreed, only for an open request."""
    check(actor, PRESS_CAP)
    text = " ".join((agreement or "").split())
    if not text:
        raise ValidationError(
            {"agreement": _("Say with whose agreement the introduction was made.")},
            code="agreement",
        )
    if request.status != PressRequest.Status.OPEN:
        raise ValidationError(_("This request is closed."), code="closed")
    # Decided on the testimony as it is now (consent may have been withdrawn meanwhile).
    testimony = Testimony.objects.select_related("testifier").get(pk=testimony.pk)
    if not testimony_usable_for(testimony, Use.PRESS_CONTACT):
        raise ValidationError(
            _("This testifier has not agreed to be contacted by the press."), code="no_consent"
        )
    if Introduction.objects.filter(request=request, testifier_id=testimony.testifier_id).exists():
        raise ValidationError(
            _("This testifier was already introduced for this request."), code="duplicate"
        )
    return create_audited(
        Introduction,
        actor=actor,
        data={
            "request": request,
            "testifier": testimony.testifier,
            "testimony": testimony,
            "by": actor if getattr(actor, "is_authenticated", False) else None,
            "agreement": text,
        },
    )
