"""Petitions: prepare one (check), record it, generate its document, follow it until closed.
Every write is audited (core.services); generating a document is audited as an export."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check
from aigaq.core.services import create_audited, update_audited
from aigaq.media.models import MediaFile
from aigaq.media.services import MediaRefused, media_ingest
from aigaq.people.models import Person, StatusEvent
from aigaq.people.services import status_event_add
from aigaq.petitions import render
from aigaq.petitions.checks import CheckReport, check_petition
from aigaq.petitions.facts import PersonFacts, person_facts
from aigaq.petitions.models import Petition
from aigaq.petitions.registry import FormError, PetitionForm, load_form

State = Petition.State
#: Where a petition may go from each state.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    State.DRAFT: (State.SIGNED, State.SENT, State.REGISTERED, State.CLOSED),
    State.SIGNED: (State.SENT, State.REGISTERED, State.CLOSED),
    State.SENT: (State.REGISTERED, State.ANSWERED, State.FOLLOW_UP, State.CLOSED),
    State.REGISTERED: (State.ANSWERED, State.FOLLOW_UP, State.CLOSED),
    State.ANSWERED: (State.FOLLOW_UP, State.CLOSED),
    State.FOLLOW_UP: (State.SENT, State.REGISTERED, State.ANSWERED, State.CLOSED),
    State.CLOSED: (),
}


class PetitionRefused(Exception):
    """The petition cannot be generated: the message says why (every reason)."""

    def __init__(self, message: str, report: CheckReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class Prepared:
    """A petition made ready from the records: the form, what it may say about each person,
    the entries completed with the defaults and the written substance, and the check."""

    form: PetitionForm
    persons: list[PersonFacts]
    entries: dict[str, Any]
    report: CheckReport


def prepare(
    *, form: str | PetitionForm, persons: Sequence[Person], entries: Mapping[str, Any]
) -> Prepared:
    """Raises registry.FormError when the form's files cannot be used."""
    form_obj = load_form(form) if isinstance(form, str) else form
    facts = [person_facts(p, form_obj.language) for p in persons]
    completed = render.completed_entries(form_obj, facts, entries)
    report = check_petition(form_obj, facts, completed)
    return Prepared(form=form_obj, persons=facts, entries=completed, report=report)


def split_entries(entries: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(applicant's details, the other entries): the applicant's are kept restricted."""
    applicant = {k: v for k, v in entries.items() if k.startswith("applicant_")}
    rest = {k: v for k, v in entries.items() if not k.startswith("applicant_")}
    return applicant, rest


def petition_entries(petition: Petition) -> dict[str, Any]:
    return {**(petition.entries or {}), **(petition.applicant or {})}


def clean_entries(form: PetitionForm, entries: Mapping[str, Any]) -> dict[str, Any]:
    known = {e.key: e for e in form.entries}
    out: dict[str, Any] = {}
    for key, value in entries.items():
        entry = known.get(key)
        if entry is None:
            continue
        if entry.kind in ("bool", "consent"):
            out[key] = (
                bool(value)
                if isinstance(value, bool)
                else str(value).lower()
                in (
                    "1",
                    "true",
                    "yes",
                    "on",
                )
            )
        else:
            text = str(value or "").strip()
            if len(text) > 20_000:
                raise ValidationError(
                    _("%(label)s is too long.") % {"label": entry.label_in()}, code="too_long"
                )
            out[key] = text
    return out


def petition_create(
    *,
    actor: Any,
    form: str,
    persons: Sequence[Person],
    entries: Mapping[str, Any] | None = None,
) -> Petition:
    """A draft petition of `form` about `persons` (the first is the one it is filed under)."""
    check(actor, "petition.manage")
    form_obj = load_form(form)
    if not persons:
        raise ValidationError(_("No person is named for this petition."), code="no_person")
    if len(persons) > 1 and not form_obj.several_persons:
        raise ValidationError(
            _("The form %(form)s takes one person per petition; make one for each.")
            % {"form": form_obj.short},
            code="one_person",
        )
    applicant, rest = split_entries(clean_entries(form_obj, entries or {}))
    return create_audited(
        Petition,
        actor=actor,
        data={
            "form": form_obj.name,
            "person": persons[0],
            "persons": list(persons),
            "applicant": applicant,
            "entries": rest,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
        person_id=persons[0].pk,
    )


def petition_save(
    *,
    actor: Any,
    petition: Petition,
    entries: Mapping[str, Any],
    expected_version: int | None,
    persons: Sequence[Person] | None = None,
) -> Petition:
    """The volunteer's entries (applicant, edited substance...) saved on a draft."""
    check(actor, "petition.manage")
    form_obj = load_form(petition.form)
    applicant, rest = split_entries(clean_entries(form_obj, entries))
    changes: dict[str, Any] = {"applicant": applicant, "entries": rest}
    if persons is not None:
        if not persons or (len(persons) > 1 and not form_obj.several_persons):
            raise ValidationError(
                _("The form %(form)s takes one person per petition; make one for each.")
                % {"form": form_obj.short},
                code="one_person",
            )
        changes["persons"] = list(persons)
    return update_audited(
        petition,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        person_id=petition.person_id,
    )


def petition_persons(petition: Petition) -> list[Person]:
    others = [p for p in petition.persons.order_by("entry_no") if p.pk != petition.person_id]
    return [petition.person, *others]


def petition_prepare(petition: Petition) -> Prepared:
    return prepare(
        form=petition.form, persons=petition_persons(petition), entries=petition_entries(petition)
    )


def petition_generate(*, actor: Any, petition: Petition, fmt: str) -> render.Document:
    """The petition's document as `fmt` (pdf, docx), after the completeness check: refused
    (PetitionRefused, with every reason) while anything required is missing. Audited as an
    export of the petition (the format, the document's SHA-256, how many name forms)."""
    check(actor, "petition.manage")
    if fmt not in render.FORMATS:
        raise PetitionRefused(
            _("Choose the format among %(formats)s.") % {"formats": ", ".join(render.FORMATS)}
        )
    prepared = petition_prepare(petition)
    if not prepared.report.ok:
        raise PetitionRefused(
            _("The petition cannot be generated: %(why)s") % {"why": prepared.report.summary()},
            prepared.report,
        )
    try:
        document = render.render_document(prepared.form, prepared.persons, prepared.entries, fmt)
    except render.RenderRefused as exc:
        raise PetitionRefused(
            _(
                "The petition cannot be generated: its text has characters no installed font "
                "can print (%(chars)s)."
            )
            % {"chars": exc}
        ) from None
    with transaction.atomic():
        record_generated(
            actor=actor,
            petition=petition,
            fmt=fmt,
            sha256=hashlib.sha256(document.content).hexdigest(),
            size=len(document.content),
            name_forms=len(document.names),
            persons=[p.entry_no for p in prepared.persons],
        )
    return document


def record_generated(
    *,
    actor: Any,
    petition: Petition,
    fmt: str,
    sha256: str,
    size: int,
    name_forms: int,
    persons: Sequence[int],
) -> None:
    """Note on `petition` that its document was generated, and audit it as an export (the
    format, the document's SHA-256, how many name forms, the persons). Call inside the
    transaction that keeps the document (a single file, or a batch's whole ZIP)."""
    now = timezone.now()
    Petition.objects.filter(pk=petition.pk).update(
        generated_at=now, generated_format=fmt, updated_at=now
    )
    petition.generated_at, petition.generated_format = now, fmt
    audit.record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=petition,
        changes={
            "format": fmt,
            "sha256": sha256,
            "bytes": size,
            "name_forms": name_forms,
            "persons": list(persons),
        },
        person_id=petition.person_id,
        note=f"petition {petition.form} generated as {fmt}",
    )


def _not_future(day: dt.date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            _("%(what)s cannot be in the future.") % {"what": what}, code="future"
        )


def petition_advance(
    *,
    actor: Any,
    petition: Petition,
    state: str,
    expected_version: int | None,
    on: dt.date | None = None,
    channel: str = "",
    registration_no: str = "",
    answer: str = "",
    status: Mapping[str, Any] | None = None,
    answer_scan: tuple[IO[bytes] | Any, str] | None = None,
) -> Petition:
    """Move the petition on: signed, sent (its channel), registered (the number the body
    gave), answered (what the answer says), follow-up due, closed. Each step is dated (today
    unless `on` is given, never a future day) and audited. `status` (kind, date_text,
    sentence), with an answer: what the answer says of the person's situation, recorded in
    the same transaction as a dated status event whose source names the petition.
    `answer_scan` (file, name), with an answer: the scanned letter, kept in the media archive
    in the same transaction (petition_answer_attach); a file that is not a document refuses
    the whole step."""
    check(actor, "petition.manage")
    if state not in State.values:
        raise ValidationError(_("Unknown state."), code="state")
    if state not in TRANSITIONS[petition.state]:
        raise ValidationError(
            _("A petition that is %(now)s cannot become %(next)s.")
            % {"now": State(petition.state).label, "next": State(state).label},
            code="transition",
        )
    day = on or timezone.localdate()
    _not_future(day, _("The date"))
    changes: dict[str, Any] = {"state": state}
    registration_no = " ".join(registration_no.split())
    if state == State.SIGNED:
        changes["signed_on"] = day
    elif state in (State.SENT, State.REGISTERED):
        if channel and channel not in Petition.Channel.values:
            raise ValidationError(_("Unknown channel."), code="channel")
        if not (channel or petition.channel):
            raise ValidationError(
                _("Say how the petition was sent (post, portal, e-mail, in person)."),
                code="channel",
            )
        if channel:
            changes["channel"] = channel
        if petition.sent_on is None or state == State.SENT:
            changes["sent_on"] = day
        if state == State.REGISTERED:
            if not registration_no:
                raise ValidationError(
                    _("Give the registration number the receiving body gave."), code="number"
                )
            changes["registration_no"] = registration_no[:100]
            changes["registered_on"] = day
    elif state == State.ANSWERED:
        if not answer.strip():
            raise ValidationError(_("Say what the answer says."), code="answer")
        changes["answer"] = answer.strip()
        changes["answered_on"] = day
    elif state == State.CLOSED:
        changes["closed_on"] = day
    if status and status.get("kind") and state != State.ANSWERED:
        raise ValidationError(
            _("A status event is recorded with the answer that reports it."), code="status"
        )
    if answer_scan is not None and state != State.ANSWERED:
        raise ValidationError(_("A scanned answer is attached with the answer it is."), code="scan")
    with transaction.atomic():
        petition = update_audited(
            petition,
            actor=actor,
            changes=changes,
            expected_version=expected_version,
            person_id=petition.person_id,
        )
        if status and status.get("kind"):
            petition_status_event(actor=actor, petition=petition, status=status)
        if answer_scan is not None:
            petition = petition_answer_attach(
                actor=actor,
                petition=petition,
                fileobj=answer_scan[0],
                name=answer_scan[1],
                expected_version=petition.version,
            )
    return petition


#: The states in which a petition has an answer a scan can be attached to.
ANSWERED_STATES = (State.ANSWERED, State.FOLLOW_UP, State.CLOSED)


def petition_answer_attach(
    *,
    actor: Any,
    petition: Petition,
    fileobj: IO[bytes] | Any,
    name: str,
    expected_version: int | None,
) -> Petition:
    """The scanned letter of the petition's answer (a complete PDF or a scanned image), kept
    in the encrypted media archive as a restricted document (it is addressed to the
    applicant) and linked to the petition; a later scan replaces the link (the earlier file
    stays in the archive, the history names both). Audited: the media's creation and the
    petition's change. A file that is not a document, too large or empty is refused with the
    archive's sentence and nothing is kept (the stored file is removed when the transaction
    rolls back)."""
    check(actor, "petition.manage")
    if petition.answered_on is None and petition.state not in ANSWERED_STATES:
        raise ValidationError(
            _("Record the answer first; then attach its scanned letter."), code="no_answer"
        )
    with transaction.atomic():
        try:
            media = media_ingest(
                actor=actor,
                fileobj=fileobj,
                original_name=name or "answer",
                kind=MediaFile.Kind.DOCUMENT,
                restricted=True,
            )
        except MediaRefused as exc:
            raise ValidationError(
                _("The scanned answer was not kept: %(why)s") % {"why": exc}, code="scan"
            ) from None
        return update_audited(
            petition,
            actor=actor,
            changes={"answer_scan": media},
            expected_version=expected_version,
            person_id=petition.person_id,
        )


def petition_source_text(petition: Petition) -> str:
    """How a status event learnt from a petition's answer names its source: the form, the
    registration number the body gave and the day of the answer."""
    try:
        form = load_form(petition.form).short
    except FormError:
        form = petition.form
    number = petition.registration_no or _("no registration number")
    day = petition.answered_on.isoformat() if petition.answered_on else ""
    return (
        _("Answer to the petition %(form)s, %(number)s, of %(day)s")
        % {
            "form": form,
            "number": number,
            "day": day,
        }
    )[:300]


def petition_status_event(
    *, actor: Any, petition: Petition, status: Mapping[str, Any]
) -> StatusEvent:
    """A dated status event on the petition's person (released, sentenced, returned to
    Kazakhstan...) whose source is the petition's answer; dated the day of the answer unless
    `status` says when. Audited (people.services.status_event_add)."""
    check(actor, "petition.manage")
    default_day = petition.answered_on or timezone.localdate()
    return status_event_add(
        actor=actor,
        person=petition.person,
        date_unknown=False,
        kind=status["kind"],
        date_text=(status.get("date_text") or "").strip() or default_day.isoformat(),
        sentence=(status.get("sentence") or "").strip(),
        source_text=petition_source_text(petition),
    )


def petition_set_next_action(
    *,
    actor: Any,
    petition: Petition,
    next_action: str,
    due: dt.date | None,
    expected_version: int | None,
) -> Petition:
    """What to do next about the petition and by when; a due date in the past is refused."""
    check(actor, "petition.manage")
    text = " ".join((next_action or "").split())
    if text and due is None:
        raise ValidationError(_("Give the day the next action is due."), code="due")
    if due is not None and due < timezone.localdate():
        raise ValidationError(
            _("The due date %(day)s is in the past; give today or a later day.")
            % {"day": due.isoformat()},
            code="due_past",
        )
    return update_audited(
        petition,
        actor=actor,
        changes={"next_action": text[:300], "next_action_due": due if text else None},
        expected_version=expected_version,
        person_id=petition.person_id,
    )
