"""Writes to the intake desk: rooms and visits (each checks `intake.desk`), and field trips
(each checks `fieldtrip.manage`). Every service records its audit entry in the same transaction
(phones are masked in the log: Visit.RESTRICTED_FIELDS)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core.permissions import check
from aigaq.core.phones import normalize_phone
from aigaq.core.sequences import sequence_allocate, sequence_raise_to
from aigaq.core.services import create_audited, update_audited
from aigaq.core.validators import NOTE_MAX, check_length
from aigaq.intake import recognition
from aigaq.intake.models import FieldTrip, Room, Visit
from aigaq.names import to_comparison
from aigaq.people.models import Person
from aigaq.people.services import NameInput, person_create
from aigaq.testimonies.models import Relationship, Testifier, Testimony
from aigaq.testimonies.services import RelationInput, testifier_create, testimony_create

MAX_NAME = 300
_NAME_SPLIT = re.compile(r"[;\n,，、؛]+")


# --- helpers -------------------------------------------------------------------------------


def _phone(phone: str) -> str:
    """The number in its one stored form (core.phones: +7 (701) 234-56-78 → +77012345678),
    so the same number typed twice, or imported, matches."""
    try:
        return normalize_phone(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None


def name_key(name: str) -> str:
    """The comparison form used to recognise a returning visitor by name, in any script."""
    return to_comparison(name)[:300]


def split_names(text: str) -> list[str]:
    """Relatives typed as free text: one name per line, or separated by ; or commas."""
    out: list[str] = []
    for part in _NAME_SPLIT.split(text or ""):
        part = " ".join(part.split())
        if part and part not in out:
            out.append(part)
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
    check_length("visitor_name", name, MAX_NAME)
    check_length("notes", notes, NOTE_MAX)
    if reason not in Visit.Reason.values:
        raise ValidationError({"reason": _("Choose why the visitor came.")})
    phone_clean = _phone(phone)
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
    for relative in new_names:  # refused with the limit, never cut short
        check_length("new_relatives", relative, MAX_NAME)
    key = name_key(name)
    now = _now()
    day = day or timezone.localdate(now)
    with transaction.atomic():
        if field_trip is None:
            sequence = f"intake.ticket.{day:%Y%m%d}"
        else:
            # core.Sequence names hold 50 characters: the trip's UUID as 32 hex digits fits.
            sequence = f"intake.t.{field_trip.pk.hex}.{day:%Y%m%d}"
            # Earlier versions named this counter differently (too long for PostgreSQL, kept by
            # SQLite): never hand out a ticket number the trip already used that day.
            used = Visit.objects.filter(field_trip=field_trip, day=day).aggregate(m=Max("ticket"))[
                "m"
            ]
            if used:
                sequence_raise_to(sequence, used)
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
                "testifier": recognise_testifier(phone=phone_clean, key=key, name=name),
            },
        )


def recognise_testifier(*, phone: str, key: str, name: str = "") -> Testifier | None:
    """The testifier already on record for this phone, or for this name in any spelling,
    script or word order (intake.recognition: the names package's keys and similarity), only
    when exactly one testifier carries it: two different people may share a name."""
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
    ids: set[Any] = set()
    if key:
        ids |= set(
            Visit.objects.filter(name_key=key, testifier__isnull=False).values_list(
                "testifier_id", flat=True
            )[:5]
        )
    if name:
        ids |= set(
            Visit.objects.filter(pk__in=recognition.visits_named(name), testifier__isnull=False)
            .values_list("testifier_id", flat=True)
            .distinct()[:5]
        )
        ids |= set(recognition.testifiers_named(name)[:5])
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
    phone_clean = _phone(phone)
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


# --- field trips ---------------------------------------------------------------------------

# Which status a trip may move to from each status: forward one step, or back one step to
# correct a mistake.
TRIP_MOVES: dict[str, frozenset[str]] = {
    FieldTrip.Status.PLANNED: frozenset({FieldTrip.Status.UNDER_WAY}),
    FieldTrip.Status.UNDER_WAY: frozenset({FieldTrip.Status.PLANNED, FieldTrip.Status.RETURNED}),
    FieldTrip.Status.RETURNED: frozenset({FieldTrip.Status.UNDER_WAY, FieldTrip.Status.MERGED}),
    FieldTrip.Status.MERGED: frozenset({FieldTrip.Status.RETURNED}),
}
_TRIP_FIELDS = frozenset({"name", "place", "place_label", "starts_on", "ends_on", "team", "notes"})


def _trip_clean(values: dict[str, Any], *, trip: FieldTrip | None = None) -> dict[str, Any]:
    """Check a trip's fields (those given); the same rules on create and on edit."""
    from aigaq.people.models import Place

    out: dict[str, Any] = {}
    if "name" in values:
        name = " ".join((values["name"] or "").split())
        if not name:
            raise ValidationError({"name": _("Give the trip a name.")})
        if len(name) > 200:
            raise ValidationError({"name": _("The name is too long.")})
        others = FieldTrip.objects.filter(name=name)
        if trip is not None:
            others = others.exclude(pk=trip.pk)
        if others.exists():
            # `aigaq field export --trip NAME` finds trips by name: names stay unique.
            raise ValidationError({"name": _("There is already a field trip with this name.")})
        out["name"] = name
    if "place" in values:
        place = values["place"]
        if place is not None and (not isinstance(place, Place) or place.pk is None):
            raise ValidationError({"place": _("Choose a place from the gazetteer.")})
        out["place"] = place
    if "place_label" in values:
        label = " ".join((values["place_label"] or "").split())
        if len(label) > 200:
            raise ValidationError({"place_label": _("The place is too long.")})
        out["place_label"] = label
    for key in ("starts_on", "ends_on"):
        if key in values:
            if not isinstance(values[key], dt.date):
                raise ValidationError({key: _("Give the first and the last day of the trip.")})
            out[key] = values[key]
    starts = out.get("starts_on", trip.starts_on if trip else None)
    ends = out.get("ends_on", trip.ends_on if trip else None)
    if starts and ends and ends < starts:
        raise ValidationError({"ends_on": _("The last day comes before the first day.")})
    if "team" in values:
        team = list(values["team"])
        for member in team:
            if not getattr(member, "pk", None) or not getattr(member, "is_active", False):
                raise ValidationError({"team": _("Only active staff members can join a trip.")})
        out["team"] = team
    if "notes" in values:
        out["notes"] = (values["notes"] or "").strip()
    return out


def field_trip_create(
    *,
    actor: Any,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    place: Any = None,
    place_label: str = "",
    team: Iterable[Any] = (),
    notes: str = "",
) -> FieldTrip:
    """Plan a field trip: where, when and who goes. It starts as planned."""
    check(actor, "fieldtrip.manage")
    data = _trip_clean(
        {
            "name": name,
            "place": place,
            "place_label": place_label,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "team": team,
            "notes": notes,
        }
    )
    if data["place"] is None and not data["place_label"]:
        raise ValidationError({"place": _("Say where the trip goes.")})
    with transaction.atomic():
        return create_audited(FieldTrip, actor=actor, data=data)


def field_trip_update(
    *, actor: Any, trip: FieldTrip, expected_version: int | None, **changes: Any
) -> FieldTrip:
    """Change a trip's name, place, dates, team or notes. `expected_version` is the version
    the form was opened at: if someone saved in between, core.locking.EditConflict."""
    check(actor, "fieldtrip.manage")
    unknown = set(changes) - _TRIP_FIELDS
    if unknown:
        raise TypeError(f"field_trip_update: unknown fields {sorted(unknown)}")
    data = _trip_clean(changes, trip=trip)
    place = data.get("place", trip.place)
    label = data.get("place_label", trip.place_label)
    if place is None and not label:
        raise ValidationError({"place": _("Say where the trip goes.")})
    return update_audited(trip, actor=actor, changes=data, expected_version=expected_version)


def field_trip_set_status(
    *, actor: Any, trip: FieldTrip, status: str, expected_version: int | None = None
) -> FieldTrip:
    """Move a trip along: planned → under way → returned → merged back (or one step back)."""
    check(actor, "fieldtrip.manage")
    if status not in FieldTrip.Status.values:
        raise ValidationError({"status": _("Unknown trip status.")})
    with transaction.atomic():
        current: FieldTrip = FieldTrip.objects.select_for_update().get(pk=trip.pk)
        if status == current.status:
            return current
        if status not in TRIP_MOVES.get(current.status, frozenset()):
            raise ValidationError(
                {
                    "status": _("A trip that is “%(now)s” cannot become “%(next)s”.")
                    % {
                        "now": current.get_status_display(),
                        "next": FieldTrip.Status(status).label,
                    }
                }
            )
        return update_audited(
            current, actor=actor, changes={"status": status}, expected_version=expected_version
        )
