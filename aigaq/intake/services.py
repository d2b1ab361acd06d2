"""Writes to the intake desk: rooms and visits. Each service checks `intake.desk` and records its
audit entry in the same transaction (phones are masked in the log: Visit.RESTRICTED_FIELDS)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core.permissions import check
from aigaq.core.sequences import sequence_allocate
from aigaq.core.services import create_audited, update_audited
from aigaq.intake.models import FieldTrip, Room, Visit
from aigaq.people.models import Person
from aigaq.people.services import NameInput, person_create
from aigaq.testimonies.models import Relationship, Testifier, Testimony
from aigaq.testimonies.services import RelationInput, testifier_create, testimony_create

MAX_NAME = 300
_PHONE_NOISE = re.compile(r"[\s\-().\u00a0/]+")
_NAME_SPLIT = re.compile(r"[;\n,，、؛]+")


# --- helpers -------------------------------------------------------------------------------


def normalize_phone(phone: str) -> str:
    """+7 (701) 234-56-78 → +77012345678; the same number typed twice must match."""
    return _PHONE_NOISE.sub("", (phone or "").strip())


def name_key(name: str) -> str:
    """The comparison form used to recognise a returning visitor by name, in any script."""
    try:
        from aigaq.names import to_comparison

        key = to_comparison(name)
    except ImportError:  # pragma: no cover - the names package is part of the tree
        key = " ".join(name.casefold().split())
    return key[:300]


def split_names(text: str) -> list[str]:
    """Relatives typed as free text: one name per line, or separated by ; or commas."""
    out: list[str] = []
    for part in _NAME_SPLIT.split(text or ""):
        part = " ".join(part.split())
        if part and part not in out:
            out.append(part[:MAX_NAME])
    return out


def _now() -> dt.datetime:
    return timezone.now()


def _lock(visit: Visit) -> Visit:
    current: Visit = Visit.objects.select_for_update().get(pk=visit.pk)
    return current


# --- rooms ---------------------------------------------------------------------------------


def room_create(*, actor: Any, name: str, position: int | None = None) -> Room:
    check(actor, "intake.desk")
    clean = " ".join((name or "").split())
    if not clean:
        raise ValidationError({"name": _("Give the room a name.")})
    if Room.objects.filter(name__iexact=clean).exists():
        raise ValidationError({"name": _("There is already a room with this name.")})
    if position is None:
        position = Room.objects.count() + 1
    return create_audited(Room, actor=actor, data={"name": clean, "position": position})


def room_set_active(*, actor: Any, room: Room, active: bool) -> Room:
    check(actor, "intake.desk")
    return update_audited(room, actor=actor, changes={"active": active}, expected_version=None)


# --- visits --------------------------------------------------------------------------------


def visit_register(
    *,
    actor: Any,
    visitor_name: str,
    phone: str = "",
    reason: str = Visit.Reason.TESTIMONY,
    relatives: Iterable[Person] = (),
    new_relatives: Sequence[str] = (),
    language: str = "kk",
    notes: str = "",
    field_trip: FieldTrip | None = None,
    day: dt.date | None = None,
) -> Visit:
    """Write a visitor down and give them the next ticket number of the day. A returning
    visitor (same phone, or same name in any spelling the names package folds together) is
    linked to the testifier already on record."""
    check(actor, "intake.desk")
    name = " ".join((visitor_name or "").split())
    if not name:
        raise ValidationError({"visitor_name": _("Write down the visitor's name.")})
    if len(name) > MAX_NAME:
        raise ValidationError({"visitor_name": _("The name is too long.")})
    if reason not in Visit.Reason.values:
        raise ValidationError({"reason": _("Choose why the visitor came.")})
    phone_clean = normalize_phone(phone)
    if len(phone_clean) > 50:
        raise ValidationError({"phone": _("The phone number is too long.")})
    language = (language or "").strip() or "kk"
    if len(language) > 20:
        raise ValidationError({"language": _("Unknown language.")})
    persons = list(relatives)
    for p in persons:
        if p.merged_into_id is not None:
            raise ValidationError(
                {
                    "relatives": _("Entry #%(n)s was merged into another entry; choose that one.")
                    % {"n": p.entry_no}
                }
            )
    new_names = [n for raw in new_relatives for n in split_names(raw)]
    key = name_key(name)
    now = _now()
    day = day or timezone.localdate(now)
    with transaction.atomic():
        sequence = (
            f"intake.ticket.{day:%Y%m%d}"
            if field_trip is None
            else f"intake.ticket.{field_trip.pk}.{day:%Y%m%d}"
        )
        ticket = sequence_allocate(sequence)
        return create_audited(
            Visit,
            actor=actor,
            data={
                "day": day,
                "ticket": ticket,
                "visitor_name": name,
                "name_key": key,
                "phone": phone_clean,
                "reason": reason,
                "relatives": persons,
                "new_relatives": new_names,
                "language": language,
                "notes": (notes or "").strip(),
                "field_trip": field_trip,
                "arrived_at": now,
                "testifier": recognise_testifier(phone=phone_clean, key=key),
            },
        )


def recognise_testifier(*, phone: str, key: str) -> Testifier | None:
    """The testifier already on record for this phone, or for this name (only when exactly one
    testifier carries it: two different people may share a name)."""
    if phone:
        by_phone = Testifier.objects.filter(phone=phone).order_by("created_at").first()
        if by_phone is not None:
            return by_phone
        earlier = (
            Visit.objects.filter(phone=phone, testifier__isnull=False)
            .select_related("testifier")
            .order_by("-arrived_at")
            .first()
        )
        if earlier is not None:
            return earlier.testifier
    if key:
        ids = set(
            Visit.objects.filter(name_key=key, testifier__isnull=False).values_list(
                "testifier_id", flat=True
            )[:5]
        )
        if len(ids) == 1:
            return Testifier.objects.filter(pk=ids.pop()).first()
    return None


def visit_assign(*, actor: Any, visit: Visit, room: Room | None, interviewer: Any = None) -> Visit:
    """Send a waiting visitor (or one already in a room) to a room, with an interviewer."""
    check(actor, "intake.desk")
    if room is None or not isinstance(room, Room) or room.pk is None:
        raise ValidationError({"room": _("Choose a room.")})
    if not room.active:
        raise ValidationError({"room": _("This room is not in use today.")})
    if interviewer is not None and not _can_interview(interviewer):
        raise ValidationError({"interviewer": _("This staff member cannot record testimonies.")})
    with transaction.atomic():
        current = _lock(visit)
        if current.status not in (Visit.Status.WAITING, Visit.Status.IN_ROOM):
            raise ValidationError(_("This visit is already closed."))
        changes: dict[str, Any] = {"room": room, "status": Visit.Status.IN_ROOM}
        if interviewer is not None:
            changes["interviewer"] = interviewer
        if current.called_at is None:
            changes["called_at"] = _now()
        return update_audited(current, actor=actor, changes=changes, expected_version=None)


def _can_interview(user: Any) -> bool:
    from aigaq.core.permissions import has_cap

    return has_cap(user, "testimony.edit")


def visit_start(*, actor: Any, visit: Visit) -> Visit:
    """The interviewer takes the visitor in: the interview has begun."""
    check(actor, "intake.desk")
    with transaction.atomic():
        current = _lock(visit)
        if current.status in (Visit.Status.DONE, Visit.Status.LEFT):
            raise ValidationError(_("This visit is already closed."))
        if current.started_at is not None:
            raise ValidationError(_("This interview has already started."))
        now = _now()
        changes: dict[str, Any] = {"status": Visit.Status.IN_ROOM, "started_at": now}
        if current.called_at is None:
            changes["called_at"] = now
        if current.interviewer_id is None and actor is not None:
            changes["interviewer"] = actor
        return update_audited(current, actor=actor, changes=changes, expected_version=None)


def visit_finish(
    *, actor: Any, visit: Visit, testimony: Testimony | None = None, note: str = ""
) -> Visit:
    """Close a visit: the visitor has been seen (and perhaps a testimony recorded)."""
    check(actor, "intake.desk")
    with transaction.atomic():
        current = _lock(visit)
        if current.status == Visit.Status.DONE:
            raise ValidationError(_("This visit is already finished."))
        if current.status == Visit.Status.LEFT:
            raise ValidationError(_("This visitor has already left."))
        changes: dict[str, Any] = {"status": Visit.Status.DONE, "finished_at": _now()}
        if current.called_at is None:
            changes["called_at"] = changes["finished_at"]
        if testimony is not None:
            changes["testimony"] = testimony
            changes["testifier"] = testimony.testifier
        if note.strip():
            changes["notes"] = (current.notes + "\n" + note.strip()).strip()
        return update_audited(current, actor=actor, changes=changes, expected_version=None)


def visit_mark_left(*, actor: Any, visit: Visit) -> Visit:
    """The visitor went away before being seen."""
    check(actor, "intake.desk")
    with transaction.atomic():
        current = _lock(visit)
        if current.status in (Visit.Status.DONE, Visit.Status.LEFT):
            raise ValidationError(_("This visit is already closed."))
        return update_audited(
            current,
            actor=actor,
            changes={"status": Visit.Status.LEFT, "finished_at": _now()},
            expected_version=None,
        )


@dataclass(frozen=True)
class NewRelative:
    name: str
    relationship: str


def visit_record_testimony(
    *,
    actor: Any,
    visit: Visit,
    testifier_name: str,
    phone: str = "",
    language: str = "kk",
    recorded_on: dt.date | None = None,
    location: str = Testimony.Location.OFFICE,
    relations: Sequence[RelationInput] = (),
    new_relatives: Sequence[NewRelative] = (),
    summary: str = "",
    consent: dict[str, Any] | None = None,
) -> Testimony:
    """Record the testimony given during this visit, in one transaction: reuse the testifier
    recognised at the desk (or create one), create entries for relatives not yet on record,
    create the testimony with every relation, link it to the visit and close the visit."""
    check(actor, "intake.desk")
    check(actor, "testimony.edit")
    name = " ".join((testifier_name or "").split())
    if not name:
        raise ValidationError({"testifier_name": _("Enter the testifier's name.")})
    if location not in Testimony.Location.values:
        raise ValidationError({"location": _("Choose where the testimony was recorded.")})
    kinds = [r.relationship for r in relations] + [r.relationship for r in new_relatives]
    for kind in kinds:
        if kind not in Relationship.values:
            raise ValidationError(_("Choose how the testifier is related to each relative."))
    wanted = [r for r in new_relatives if r.name.strip()]
    if not relations and not wanted:
        raise ValidationError(_("A testimony must concern at least one person."))
    phone_clean = normalize_phone(phone)
    with transaction.atomic():
        current = _lock(visit)
        if current.status in (Visit.Status.DONE, Visit.Status.LEFT):
            raise ValidationError(_("This visit is already closed."))
        if current.testimony_id is not None:
            raise ValidationError(_("A testimony was already recorded for this visit."))
        testifier = current.testifier
        if testifier is None:
            testifier = testifier_create(actor=actor, full_name=name, phone=phone_clean)
        elif phone_clean and not testifier.phone:
            from aigaq.testimonies.services import testifier_update

            testifier = testifier_update(
                actor=actor, testifier=testifier, expected_version=None, phone=phone_clean
            )
        all_relations = list(relations)
        for rel in wanted:
            person = person_create(actor=actor, names=[NameInput(rel.name)])
            all_relations.append(RelationInput(person, rel.relationship))
        testimony = testimony_create(
            actor=actor,
            testifier=testifier,
            recorded_on=recorded_on or timezone.localdate(),
            relations=all_relations,
            location=location,
            field_trip=current.field_trip,
            interviewer=actor if _can_interview(actor) else current.interviewer,
            language=(language or "kk").strip()[:20],
            summary=summary.strip(),
            **(consent or {}),
        )
        if current.started_at is None:
            current = update_audited(
                current,
                actor=actor,
                changes={"started_at": _now(), "testifier": testifier},
                expected_version=None,
            )
        visit_finish(actor=actor, visit=current, testimony=testimony)
    return testimony
