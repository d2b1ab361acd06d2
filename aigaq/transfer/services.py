"""Field bundles: export for a trip, export back from the trip, import with verification,
conflicts and look-alikes put in the duplicates queue. Every record imported is checked as a
form would check it (full_clean) and audited on its own (actions export/import); persons are
created through people.services.persons_create_bulk, as every other path creates them."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.faults import pause_at
from aigaq.core.jobs import SWEEP_AFTER_SECONDS, Progress
from aigaq.core.locking import EditConflict
from aigaq.core.models import AuditEntry, User
from aigaq.core.permissions import check
from aigaq.core.phones import normalize_phone
from aigaq.core.sequences import sequence_raise_to
from aigaq.intake.models import FieldTrip, Visit
from aigaq.media import storage
from aigaq.media.crypto import SealedError
from aigaq.media.keys import media_keys
from aigaq.media.models import MediaFile
from aigaq.people.models import (
    Ethnicity,
    Gender,
    Person,
    PersonName,
    PersonRelation,
    Place,
    PlaceName,
    Source,
    StatusEvent,
    StatusKind,
    Tag,
)
from aigaq.people.services import (
    NameInput,
    NewPerson,
    PersonsInvalid,
    person_names_replace,
    persons_create_bulk,
    persons_refresh,
    place_names_refresh,
    place_save,
)
from aigaq.testimonies.models import NUMBER_SEQUENCE as TESTIMONY_NUMBERS
from aigaq.testimonies.models import Relationship, Testimony
from aigaq.transfer import bundle as fmt
from aigaq.transfer.bundle import BundleError
from aigaq.transfer.models import Bundle, Conflict, Instance
from aigaq.transfer.records import (
    NOT_COMPARED,
    RecordType,
    Unresolved,
    available_types,
    comparable,
    field_values,
    serialize,
)

_NOT_APPLIED = {
    "id",
    "created_at",
    "entry_no",
    "number",
    "primary_name",
    "current_status",
    "first_detained_year",
    "version",
}
# Records whose phone is stored in the one form core.phones gives (whatever the laptop sent).
_WITH_PHONE = frozenset({"testifier", "visit"})


def instance_id() -> uuid.UUID:
    """This installation's id, created on first use."""
    with transaction.atomic():
        row = Instance.objects.order_by("created_at").first()
        if row is None:
            row = Instance.objects.create()
    return row.id


def trip_find(ref: str) -> FieldTrip:
    """A field trip by UUID or by exact name."""
    ref = ref.strip()
    try:
        trip = FieldTrip.objects.filter(pk=uuid.UUID(ref)).first()
    except ValueError:
        trip = None
    if trip is None:
        matches = list(FieldTrip.objects.filter(name=ref)[:2])
        if len(matches) > 1:
            raise BundleError(_("Two field trips have this name; give the trip's id instead."))
        trip = matches[0] if matches else None
    if trip is None:
        raise BundleError(_("No field trip with this id or name."))
    return trip


# --- export --------------------------------------------------------------------------------


def _place_row(place: Place, parents: dict[Any, str]) -> dict[str, Any]:
    return {
        "id": str(place.pk),
        "code": place.code,
        "kind": place.kind,
        "parent": parents.get(place.parent_id),
        "name": place.name,
        "path": place.path,
        "lat": place.lat,
        "lon": place.lon,
        "names": sorted([n.name, n.lang] for n in place.names.all()),
    }


def _gazetteer_rows(places: models.QuerySet[Place]) -> list[dict[str, Any]]:
    codes = dict(Place.objects.values_list("pk", "code"))
    return [_place_row(p, codes) for p in places.prefetch_related("names").order_by("path")]


def _reference(trip: FieldTrip) -> dict[str, Any]:
    """What the forms on the laptop need besides the gazetteer."""
    return {
        "tags": [{"slug": t.slug, "label": t.label} for t in Tag.objects.order_by("slug")],
        "team": [
            {"username": u.username, "display_name": u.display_name, "role": u.role}
            for u in trip.team.order_by("username")
        ],
        "choices": {
            "status": StatusKind.values,
            "relationship": Relationship.values,
            "ethnicity": Ethnicity.values,
            "gender": Gender.values,
        },
    }


def _media_members(media: list[MediaFile]) -> list[fmt.Member]:
    """The originals, decrypted as the bundle is written (the bundle itself is encrypted)."""
    members = []
    for m in media:
        try:
            with storage.open_original(m.sha256) as reader:
                size = reader.size
        except FileNotFoundError:
            raise BundleError(
                _("The media file %(sha)s is missing from storage; run a fixity check first.")
                % {"sha": m.sha256[:12]}
            ) from None
        except SealedError as exc:
            raise BundleError(str(exc)) from None
        members.append(fmt.Member(f"media/{m.sha256}", size, partial(_original_chunks, m.sha256)))
    return members


def _original_chunks(sha256: str) -> Iterator[bytes]:
    with storage.open_original(sha256) as reader:
        yield from reader.iter_range(0, None)


def _trip_records(trip: FieldTrip, persons_at: str | None) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    persons: list[Person] = []
    if persons_at:
        place = Place.objects.filter(code=persons_at).first()
        if place is None:
            raise BundleError(_("No place with the code “%(code)s”.") % {"code": persons_at})
        persons = list(
            Person.objects.filter(merged_into__isnull=True, hometown__path__startswith=place.path)
            .select_related("hometown", "photo")
            .prefetch_related("names", "tags")
        )
    ids = {p.pk for p in persons}
    events = list(StatusEvent.objects.filter(person_id__in=ids).select_related("place"))
    source_ids = {e.source_id for e in events if e.source_id}
    out["person"] = list(persons)
    out["statusevent"] = list(events)
    out["source"] = list(Source.objects.filter(pk__in=source_ids).prefetch_related("persons"))
    out["personrelation"] = list(
        PersonRelation.objects.filter(person_id__in=ids, relative_id__in=ids)
    )
    out["fieldtrip"] = [trip]
    out["media"] = [p.photo for p in persons if p.photo is not None]
    out["visit"] = list(Visit.objects.filter(field_trip=trip))
    return out


def _changed_since(received: Bundle) -> dict[str, list[Any]]:
    """Records created or changed on this laptop since the trip bundle arrived."""
    since = received.created_at
    base: dict[str, int] = received.base_versions
    out: dict[str, list[Any]] = {}
    for rt, model in available_types():
        if rt.key == "media":
            continue
        qs = model._default_manager.filter(Q(updated_at__gte=since) | Q(created_at__gte=since))
        rows = {o.pk: o for o in qs}
        for obj in model._default_manager.filter(pk__in=list(base)):
            if obj.version != base.get(str(obj.pk)):  # type: ignore[attr-defined]
                rows[obj.pk] = obj
        out[rt.key] = list(rows.values())
    new_media = list(MediaFile.objects.filter(Q(created_at__gte=since) | Q(updated_at__gte=since)))
    out["media"] = new_media
    # Media attached on the trip to a testimony that came from the office.
    linked = {t.pk: t for t in out.get("testimony", [])}
    for m in new_media:
        for t in m.testimonies.all():
            linked.setdefault(t.pk, t)
    out["testimony"] = list(linked.values())
    return out


def field_bundle_export(
    *,
    actor: Any,
    trip: FieldTrip,
    out: IO[bytes],
    passphrase: str | None = None,
    recipient: str | None = None,
    persons_at: str | None = None,
    return_bundle: bool = False,
) -> Bundle:
    """Write one encrypted bundle for `trip` (or, on the laptop, the bundle back from it)."""
    check(actor, "export.run")
    if bool(passphrase) == bool(recipient):
        raise BundleError(_("Give either a passphrase or a recipient key, not both or neither."))
    now = timezone.now()
    bundle_id = uuid.uuid4()
    me = instance_id()
    manifest: dict[str, Any] = {
        "bundle_id": str(bundle_id),
        "kind": Bundle.Kind.RETURN if return_bundle else Bundle.Kind.TRIP,
        "source_instance": str(me),
        "created_at": now.isoformat(),
        "trip": {"id": str(trip.pk), "name": trip.name},
    }
    held: dict[str, dict[str, Any]] = {}
    if return_bundle:
        received = (
            Bundle.objects.filter(
                direction=Bundle.Direction.RECEIVED, kind=Bundle.Kind.TRIP, trip_id=trip.pk
            )
            .order_by("-created_at")
            .first()
        )
        if received is None:
            raise BundleError(
                _(
                    "This machine never received a bundle for this trip; a return bundle is "
                    "made on the laptop that took the trip."
                )
            )
        records = _changed_since(received)
        base: dict[str, int] = received.base_versions
        held = received.held_refs
        manifest["target_instance"] = str(received.source_instance)
        manifest["base_bundle"] = str(received.bundle_id)
        gazetteer = _gazetteer_rows(Place.objects.filter(created_at__gte=received.created_at))
    else:
        records = _trip_records(trip, persons_at)
        gazetteer = _gazetteer_rows(Place.objects.all())
        base = {}
    members: list[fmt.Member] = [
        fmt.jsonl_member("gazetteer.jsonl", gazetteer),
        fmt.json_member("reference.json", _reference(trip)),
    ]
    counts: dict[str, int] = {"places": len(gazetteer)}
    base_out: dict[str, int] = {}
    for rt, _model in available_types():
        objs = records.get(rt.key, [])
        rows = []
        for obj in objs:
            row = serialize(obj)
            for name, value in held.get(str(obj.pk), {}).items():
                if row.get(name) is None:
                    row[name] = value
            if return_bundle:
                row["base_version"] = base.get(str(obj.pk))
            else:
                base_out[str(obj.pk)] = obj.version  # type: ignore[attr-defined]
            rows.append(row)
        counts[rt.key] = len(rows)
        if rows:
            members.append(fmt.jsonl_member(f"records/{rt.key}.jsonl", rows))
    media = list({m.sha256: m for m in records.get("media", []) if m is not None}.values())
    members.extend(_media_members(media))
    counts["media_bytes"] = sum(m.size for m in media)
    manifest["counts"] = counts
    if not return_bundle:
        manifest["base_versions"] = base_out
    fmt.write_bundle(
        out, members=members, manifest=manifest, passphrase=passphrase, recipient=recipient
    )
    with transaction.atomic():
        sent = Bundle.objects.create(
            bundle_id=bundle_id,
            direction=Bundle.Direction.SENT,
            kind=manifest["kind"],
            trip_id=trip.pk,
            trip_name=trip.name,
            source_instance=me,
            bundle_created_at=now,
            counts=counts,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            obj=sent,
            changes={"counts": counts, "trip": str(trip.pk)},
            note=_("Field bundle exported"),
        )
    return sent


# --- import --------------------------------------------------------------------------------


@dataclass
class ImportReport:
    bundle_id: str = ""
    kind: str = ""
    trip_name: str = ""
    dry_run: bool = False
    already_imported: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    conflicts: int = 0
    flags: int = 0
    candidates: int = 0
    media_files: int = 0

    def lines(self) -> list[str]:
        if self.already_imported:
            return [_("This bundle was imported before; nothing was changed.")]
        out = [
            (
                _("Checked (dry run, nothing written): %(kind)s bundle for “%(trip)s”.")
                if self.dry_run
                else _("Imported: %(kind)s bundle for “%(trip)s”.")
            )
            % {"kind": self.kind, "trip": self.trip_name}
        ]
        for key in sorted(set(self.created) | set(self.updated)):
            out.append(
                _("%(type)s: %(new)d new, %(changed)d updated")
                % {
                    "type": key,
                    "new": self.created.get(key, 0),
                    "changed": self.updated.get(key, 0),
                }
            )
        out.append(_("%(n)d records were already the same.") % {"n": self.unchanged})
        out.append(_("%(n)d media files.") % {"n": self.media_files})
        out.append(_("%(n)d conflicts to resolve.") % {"n": self.conflicts})
        out.append(_("%(n)d new persons look like existing ones.") % {"n": self.flags})
        out.append(
            _("%(n)d pairs were added to the duplicates queue for review.") % {"n": self.candidates}
        )
        return out


class _Rollback(Exception):
    pass


class _Merger:
    def __init__(self, *, actor: Any, row: Bundle, kind: str, base_lookup: dict[str, int]) -> None:
        self.actor = actor
        self.row = row
        self.kind = kind
        self.base_lookup = base_lookup
        self.report = ImportReport()
        self.held: dict[str, dict[str, Any]] = {}
        self.new_persons: list[Any] = []
        self.touched_persons: set[Any] = set()

    def _audit_created(self, rt_key: str, obj: Any) -> None:
        """The record's own audit entry: every value it arrived with (restricted ones masked)."""
        fields = [
            f.name
            for f in [*obj._meta.concrete_fields, *obj._meta.many_to_many]
            if not f.primary_key and f.name not in NOT_COMPARED
        ]
        restricted: frozenset[str] = getattr(type(obj), "RESTRICTED_FIELDS", frozenset())
        audit.record(
            actor=self.actor,
            action=AuditEntry.Action.IMPORT,
            obj=obj,
            changes={
                "bundle": [None, str(self.row.bundle_id)],
                **audit.diff({}, audit.snapshot(obj, fields), restricted),
            },
            note=_("Created from a field bundle"),
            person_id=_person_of(obj),
        )
        self.report.created[rt_key] = self.report.created.get(rt_key, 0) + 1

    # reference data
    def gazetteer(self, rows: list[dict[str, Any]]) -> None:
        for r in sorted(rows, key=lambda r: len(r.get("path") or "")):
            place = Place.objects.filter(code=r.get("code")).first()
            if place is None:
                parent = Place.objects.filter(code=r["parent"]).first() if r.get("parent") else None
                try:
                    pk = uuid.UUID(str(r.get("id")))
                except ValueError:
                    pk = uuid.uuid4()
                if Place.objects.filter(pk=pk).exists():
                    pk = uuid.uuid4()
                place = Place(
                    id=pk,
                    code=r.get("code") or "",
                    kind=r.get("kind") or "",
                    parent=parent,
                    name=r.get("name") or "",
                    lat=r.get("lat"),
                    lon=r.get("lon"),
                )
                _validate("place", place)
                place_save(place)
                self._audit_created("place", place)
            for name, lang in r.get("names") or []:
                PlaceName.objects.get_or_create(place=place, name=name, lang=lang)
            place_names_refresh(place=place)

    def reference(self, ref: dict[str, Any]) -> None:
        for t in ref.get("tags") or []:
            Tag.objects.get_or_create(slug=t["slug"], defaults={"label": t["label"]})
        if self.kind != Bundle.Kind.TRIP:
            return
        for u in ref.get("team") or []:
            if not User.objects.filter(username=u["username"]).exists():
                user = User(username=u["username"], display_name=u["display_name"], role=u["role"])
                user.set_unusable_password()
                _validate("user", user, exclude=["password"])
                user.save()
                audit.record(
                    actor=self.actor,
                    action=AuditEntry.Action.IMPORT,
                    obj=user,
                    changes={"username": [None, user.username], "role": [None, user.role]},
                    note=_("Created from a field bundle (a member of the trip's team)"),
                )
                self.report.created["user"] = self.report.created.get("user", 0) + 1

    # records
    def _prepare(
        self, rt: RecordType, model: type[models.Model], data: dict[str, Any]
    ) -> tuple[Any, dict[str, Any], dict[str, list[Any]], Any]:
        """(the record already here or None, field values, m2m values, base version)."""
        base = data.pop("base_version", None)
        uid = str(data.get("id") or "")
        if rt.key != "visit" and not uid:
            raise BundleError(_("The bundle holds a record without an id."))
        if self.kind == Bundle.Kind.TRIP:
            base = self.base_lookup.get(uid)
        if rt.key in _WITH_PHONE and data.get("phone"):
            try:
                data["phone"] = normalize_phone(data["phone"])
            except ValidationError:
                raise BundleError(
                    _("A %(type)s in the bundle has a phone number that is not valid.")
                    % {"type": rt.key}
                ) from None
        existing: Any
        if rt.key == "media":
            if not storage.is_sha256(data.get("sha256")):
                raise BundleError(_bad_hash_message())
            existing = MediaFile.objects.filter(sha256=data["sha256"]).first()
        else:
            existing = model._default_manager.filter(pk=uid).first()
        try:
            values, m2m, held = field_values(model, data)
        except Unresolved as exc:
            raise BundleError(
                _("A %(type)s in the bundle refers to a record that is not here (%(field)s).")
                % {"type": rt.key, "field": exc.field}
            ) from None
        except ValidationError:
            raise BundleError(
                _("A %(type)s in the bundle has an invalid value.") % {"type": rt.key}
            ) from None
        if held:
            self.held[uid] = dict(held)
        return existing, values, m2m, base

    def persons(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        """Persons: those already here are merged one by one; the new ones are created in one
        call of people.services.persons_create_bulk (entry numbers, names, audit, index)."""
        rt = next(t for t, _m in available_types() if t.key == "person")
        new: list[NewPerson] = []
        for raw in rows:
            data = dict(raw)
            existing, values, m2m, base = self._prepare(rt, model, data)
            if existing is not None:
                self._merge_existing(rt, existing, values, m2m, data, base)
                continue
            new.append(
                NewPerson(
                    names=_name_inputs(data),
                    fields={k: v for k, v in values.items() if k not in _PERSON_DERIVED},
                    entry_no=_entry_no(data) if self.kind == Bundle.Kind.TRIP else None,
                    tags=m2m.get("tags", []),
                    facts={"bundle": str(self.row.bundle_id)},
                )
            )
        if not new:
            return
        try:
            created = persons_create_bulk(
                actor=self.actor,
                persons=new,
                action=AuditEntry.Action.IMPORT,
                note=_("Created from a field bundle"),
            )
        except PersonsInvalid as exc:
            problem = exc.problems[0]
            raise BundleError(_invalid_message("person", problem.field, problem.message)) from None
        except ValidationError as exc:
            raise BundleError(_invalid_message("person", "", " ".join(exc.messages))) from None
        self.new_persons.extend(c.pk for c in created)
        self.report.created["person"] = self.report.created.get("person", 0) + len(created)

    def merge(self, rt: RecordType, model: type[models.Model], data: dict[str, Any]) -> None:
        data = dict(data)
        existing, values, m2m, base = self._prepare(rt, model, data)
        if existing is None:
            self._create(rt, model, values, m2m)
            return
        self._merge_existing(rt, existing, values, m2m, data, base)

    def _merge_existing(
        self,
        rt: RecordType,
        existing: Any,
        values: dict[str, Any],
        m2m: dict[str, list[Any]],
        data: dict[str, Any],
        base: Any,
    ) -> None:
        if rt.key == "media":
            if data.get("restricted") and not existing.restricted:
                existing.restricted = True
                existing.save(update_fields=["restricted"])
                audit.record(
                    actor=self.actor,
                    action=AuditEntry.Action.IMPORT,
                    obj=existing,
                    changes={"restricted": [False, True]},
                    note=_("Changed on a field trip, merged from a field bundle"),
                )
                self.report.updated[rt.key] = self.report.updated.get(rt.key, 0) + 1
            else:
                self.report.unchanged += 1
            return
        office = serialize(existing)
        for name, value in self.held.get(str(existing.pk), {}).items():
            if office.get(name) is None:
                office[name] = value
        if comparable(office) == comparable(data):
            self.report.unchanged += 1
            return
        if base is not None and existing.version == base:
            self._update(rt, existing, values, m2m, data, office)
            return
        self._conflict(rt, existing, office, data)

    def _create(
        self,
        rt: RecordType,
        model: type[models.Model],
        values: dict[str, Any],
        m2m: dict[str, list[Any]],
    ) -> None:
        obj: Any = model(**values)
        if rt.key == "testimony":
            _testimony_number(obj, keep=self.kind == Bundle.Kind.TRIP)
        _validate(rt.key, obj, exclude=list(m2m))
        obj.save(force_insert=True)
        for name, objs in m2m.items():
            getattr(obj, name).set(objs)
        if rt.key == "statusevent":
            self.touched_persons.add(obj.person_id)
        self._audit_created(rt.key, obj)

    def _apply(
        self, existing: Any, values: dict[str, Any], m2m: dict[str, list[Any]], data: dict[str, Any]
    ) -> None:
        for name, value in values.items():
            if name not in _NOT_APPLIED:
                setattr(existing, name, value)
        label = existing._meta.model_name
        _validate(label, existing, exclude=list(m2m))
        field_version = int(data.get("version") or 0)
        if self.kind == Bundle.Kind.TRIP:
            existing.version = max(field_version, 1)
        else:
            existing.version = max(existing.version + 1, field_version)
        existing.updated_at = timezone.now()
        existing.save()
        for name, objs in m2m.items():
            getattr(existing, name).set(objs)
        if existing._meta.label == "people.Person":
            if data.get("names"):
                try:
                    person_names_replace(person=existing, names=_name_inputs(data))
                except ValidationError as exc:
                    raise BundleError(
                        _invalid_message("person", "names", " ".join(exc.messages))
                    ) from None
            self.touched_persons.add(existing.pk)
        elif existing._meta.label == "people.StatusEvent":
            self.touched_persons.add(existing.person_id)

    def _update(
        self,
        rt: RecordType,
        existing: Any,
        values: dict[str, Any],
        m2m: dict[str, list[Any]],
        data: dict[str, Any],
        office: dict[str, Any],
    ) -> None:
        self._apply(existing, values, m2m, data)
        restricted: frozenset[str] = getattr(type(existing), "RESTRICTED_FIELDS", frozenset())
        audit.record(
            actor=self.actor,
            action=AuditEntry.Action.IMPORT,
            obj=existing,
            changes=audit.diff(comparable(office), comparable(data), restricted),
            note=_("Changed on a field trip, merged from a field bundle"),
            person_id=_person_of(existing),
        )
        self.report.updated[rt.key] = self.report.updated.get(rt.key, 0) + 1

    def _conflict(
        self, rt: RecordType, existing: Any, office: dict[str, Any], data: dict[str, Any]
    ) -> None:
        if Conflict.objects.filter(
            record_id=existing.pk, status=Conflict.Status.OPEN, field_snapshot=data
        ).exists():
            self.report.unchanged += 1
            return
        conflict = Conflict.objects.create(
            bundle=self.row,
            record_type=rt.key,
            record_id=existing.pk,
            record_label=str(existing)[:300],
            office_version=existing.version,
            office_snapshot=office,
            field_snapshot=data,
        )
        audit.record(
            actor=self.actor,
            action=AuditEntry.Action.IMPORT,
            obj=conflict,
            changes={"record": [None, f"{rt.key} {existing.pk}"]},
            note=_("Changed at the office and on the trip: kept both, waiting for a choice"),
            person_id=_person_of(existing),
        )
        self.report.conflicts += 1

    def finish(self) -> None:
        persons_refresh(persons=Person.objects.filter(pk__in=self.touched_persons))
        if self.kind == Bundle.Kind.RETURN:
            self._propose_duplicates()

    def _propose_duplicates(self) -> None:
        """Put the new persons that look like entries already here in the one duplicates queue
        (dedup.Candidate, found by "import"), for curators to review on /duplicates/: the
        duplicates app's own check (`find_candidates_for`: blocking on name keys, scoring
        with birth years, hometowns, genders), the same as after a spreadsheet import."""
        from aigaq.dedup import scan
        from aigaq.dedup.services import candidates_store

        if not self.new_persons:
            return
        new_ids = set(self.new_persons)
        found, _stats = scan.find_candidates_for(list(new_ids))
        trip = self.report.trip_name or self.row.trip_name
        for f in found:
            f.reasons.append({"code": "field_bundle", "trip": trip})
        candidates_store(found, source="import")
        self.report.candidates = len(found)
        self.report.flags = len({p for f in found for p in (f.a, f.b) if p in new_ids})


# Person values persons_create_bulk derives itself.
_PERSON_DERIVED = frozenset({"entry_no", "primary_name", "current_status", "first_detained_year"})


def _testimony_number(obj: Any, *, keep: bool) -> None:
    """A testimony keeps the number a trip laptop gave it when no testimony here holds it (the
    laptop numbers after the office's copy, as for entry numbers); otherwise, and for bundles
    from elsewhere, it gets the next number here on save."""
    number = obj.number
    free = (
        type(number) is int and number > 0 and not Testimony.objects.filter(number=number).exists()
    )
    if keep and free:
        sequence_raise_to(TESTIMONY_NUMBERS, number)
        return
    obj.number = None


def _entry_no(data: dict[str, Any]) -> int | None:
    """The office's entry number a trip bundle carries (kept on the laptop when free)."""
    number = data.get("entry_no")
    return number if type(number) is int and number > 0 else None


def _name_inputs(data: dict[str, Any]) -> list[NameInput]:
    names = data.get("names") or []
    if not isinstance(names, list):
        raise BundleError(_invalid_message("person", "names", ""))
    try:
        return [
            NameInput(
                str(n["full_name"]),
                str(n.get("kind") or PersonName.Kind.OFFICIAL),
                str(n.get("lang") or ""),
                str(n.get("script") or ""),
            )
            for n in names
        ]
    except (KeyError, TypeError, AttributeError):
        raise BundleError(_invalid_message("person", "names", "")) from None


def _invalid_message(kind: str, field_name: str, message: str) -> str:
    """One sentence naming the record type, the field and what is wrong with it."""
    detail = " ".join(message.replace(". ", "; ").split()).rstrip(".")
    if field_name and detail:
        return _("A %(type)s in the bundle has an invalid value in “%(field)s” (%(detail)s).") % {
            "type": kind,
            "field": field_name,
            "detail": detail,
        }
    if detail:
        return _("A %(type)s in the bundle has an invalid value (%(detail)s).") % {
            "type": kind,
            "detail": detail,
        }
    return _("A %(type)s in the bundle has an invalid value.") % {"type": kind}


def _validate(kind: str, obj: Any, exclude: list[str] | None = None) -> None:
    """Check a record from a bundle as a form would (Model.full_clean: every editable field,
    uniqueness, constraints); BundleError naming the first bad field."""
    skip = [f.name for f in obj._meta.concrete_fields if not f.editable]
    try:
        obj.full_clean(exclude=[*skip, *(exclude or [])])
    except ValidationError as exc:
        errors = getattr(exc, "message_dict", None) or {"": exc.messages}
        field_name, messages = next(iter(errors.items()))
        name = "" if field_name == "__all__" else field_name
        raise BundleError(_invalid_message(kind, name, " ".join(messages))) from None


def _bad_hash_message() -> str:
    return _(
        "A media record in the bundle does not give its file's SHA-256 as 64 hexadecimal "
        "characters; nothing was imported."
    )


def _person_of(obj: Any) -> Any:
    if obj._meta.label == "people.Person":
        return obj.pk
    return getattr(obj, "person_id", None)


def _base_lookup_for_trip_bundle(manifest: dict[str, Any]) -> dict[str, int]:
    """On the laptop: the office versions last received, which a new trip bundle may replace."""
    base: dict[str, int] = {}
    for row in Bundle.objects.filter(
        direction=Bundle.Direction.RECEIVED, kind=Bundle.Kind.TRIP
    ).order_by("created_at"):
        base.update(row.base_versions)
    return base


def _parse_time(value: Any) -> Any:
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(str(value))
    if parsed is None:
        raise BundleError(_("The bundle's manifest is damaged."))
    return parsed


STAGING_PREFIX = "bundle-"


def _staging_root() -> Path:
    root = Path(settings.DATA_DIR) / "tmp"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def field_bundle_import(
    *,
    actor: Any,
    fileobj: IO[bytes],
    passphrase: str | None = None,
    identity_text: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_written: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Decrypt, verify every hash, then merge in one transaction. Refusals raise BundleError
    before anything is written. `progress` hears the records merged of those in the bundle
    (core.jobs.Progress). `on_written(report)` is called inside the merge's transaction once
    everything is written (not on a dry run): a job records there that its effect is
    committed (core.jobs.job_effect)."""
    check(actor, "import.run")
    _staging_sweep()
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=_staging_root()))
    try:
        if progress:
            progress(0, 0, _("Decrypting and checking the bundle"))
        staged = fmt.decrypt_to_staging(
            fileobj,
            folder,
            passphrase=passphrase,
            identity_text=identity_text,
            media_key=media_keys().encryption,
        )
        manifest = fmt.verify_staged(staged)
        # The media files have moved into the archive (guarded until the records commit).
        return _merge_staged(
            actor=actor,
            staged=staged,
            manifest=manifest,
            dry_run=dry_run,
            progress=progress,
            on_written=on_written,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _staging_sweep() -> None:
    """Remove what an import killed part way left in the staging area (its records are clear
    JSON there): folders older than an import could still be using them."""
    cutoff = time.time() - SWEEP_AFTER_SECONDS
    for folder in _staging_root().glob(STAGING_PREFIX + "*"):
        with contextlib.suppress(FileNotFoundError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _merge_staged(
    *,
    actor: Any,
    staged: fmt.Staged,
    manifest: dict[str, Any],
    dry_run: bool,
    progress: Progress | None = None,
    on_written: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    me = instance_id()
    kind = manifest.get("kind")
    if kind not in Bundle.Kind.values:
        raise BundleError(_("The bundle's manifest is damaged."))
    try:
        bundle_id = uuid.UUID(manifest["bundle_id"])
        source = uuid.UUID(manifest["source_instance"])
        trip = manifest["trip"]
    except (KeyError, ValueError, TypeError):
        raise BundleError(_("The bundle's manifest is damaged.")) from None
    if source == me:
        raise BundleError(_("This bundle was made on this machine; import it on the other one."))
    if kind == Bundle.Kind.RETURN and manifest.get("target_instance") != str(me):
        raise BundleError(
            _("This return bundle belongs to another Aigaq instance, not to this office.")
        )
    report_base = ImportReport(
        bundle_id=str(bundle_id), kind=kind, trip_name=str(trip.get("name", "")), dry_run=dry_run
    )
    if Bundle.objects.filter(bundle_id=bundle_id, direction=Bundle.Direction.RECEIVED).exists():
        report_base.already_imported = True
        return report_base
    media_rows = fmt.read_jsonl(staged, "records/media.jsonl")
    for m in media_rows:
        sha = m.get("sha256")
        if not storage.is_sha256(sha):
            raise BundleError(_bad_hash_message())
        if f"media/{sha}" not in staged.files and not storage.exists(sha):
            raise BundleError(
                _("A media file listed in the bundle is missing from it (%(sha)s).")
                % {"sha": str(sha)[:12]}
            )
    # The media files stay in the staging folder (verify_staged checked that each one hashes
    # to its name) and move into the store only once the records that use them are committed:
    # a bundle refused part way leaves nothing behind.
    media_files = {
        name.removeprefix("media/"): path
        for name, path in staged.files.items()
        if name.startswith("media/")
    }
    if not all(storage.is_sha256(sha) for sha in media_files):
        raise BundleError(_bad_hash_message())
    if progress:  # before the transaction, so a page following the job sees it
        progress(0, 0, _("Merging the records"))
    try:
        with transaction.atomic():
            row = Bundle.objects.create(
                bundle_id=bundle_id,
                direction=Bundle.Direction.RECEIVED,
                kind=kind,
                trip_id=uuid.UUID(trip["id"]),
                trip_name=str(trip.get("name", ""))[:200],
                source_instance=source,
                bundle_created_at=_parse_time(manifest["created_at"]),
                base_versions=manifest.get("base_versions") or {},
                counts=manifest.get("counts") or {},
                actor=actor if getattr(actor, "is_authenticated", False) else None,
            )
            base_lookup = _base_lookup_for_trip_bundle(manifest) if kind == Bundle.Kind.TRIP else {}
            merger = _Merger(actor=actor, row=row, kind=kind, base_lookup=base_lookup)
            merger.report = report_base
            merger.gazetteer(fmt.read_jsonl(staged, "gazetteer.jsonl"))
            merger.reference(fmt.read_json(staged, "reference.json") or {})
            records = [
                (rt, model, fmt.read_jsonl(staged, f"records/{rt.key}.jsonl"))
                for rt, model in available_types()
            ]
            total = sum(len(rows) for _rt, _model, rows in records)
            done = 0
            for rt, model, rows in records:
                if rt.key == "person":
                    merger.persons(model, rows)
                    done += len(rows)
                    if progress:
                        progress(done, total)
                    continue
                for data in rows:
                    merger.merge(rt, model, data)
                    done += 1
                    if progress:
                        progress(done, total)
            if progress:
                progress(total, total, _("Looking for possible duplicates"))
            merger.finish()
            report_base.media_files = len(media_files)
            row.held_refs = merger.held
            row.summary = {
                "created": report_base.created,
                "updated": report_base.updated,
                "unchanged": report_base.unchanged,
                "conflicts": report_base.conflicts,
                "flags": report_base.flags,
                "candidates": report_base.candidates,
            }
            row.save(update_fields=["held_refs", "summary"])
            audit.record(
                actor=actor,
                action=AuditEntry.Action.IMPORT,
                obj=row,
                changes=row.summary,
                note=_("Field bundle imported"),
            )
            if dry_run:
                raise _Rollback
            # The files go into the archive before the records that name them commit (a crash
            # after the commit must not leave records without their files); a rollback takes
            # them out again, and a crash before it leaves orphans `aigaq media verify` names.
            guards = _place_media(media_files)
            if on_written is not None:
                on_written(report_base)
            pause_at("bundle.merged")
            transaction.on_commit(partial(_media_stored, media_files, guards))
    except _Rollback:
        pass
    return report_base


def _place_media(files: dict[str, Path]) -> list[storage.PlacedGuard]:
    """Move a bundle's media files (staged sealed) from the staging folder into the archive,
    inside the transaction that merges their records: each file this placed is guarded, and
    removed again unless the transaction commits (storage.PlacedGuard)."""
    return [
        storage.PlacedGuard(storage.object_name(sha))
        for sha, path in files.items()
        if storage.adopt(path, sha)
    ]


def _media_stored(files: dict[str, Path], guards: list[storage.PlacedGuard]) -> None:
    """On commit: the placed files are kept, and each video or sound recording among them
    gets its playback copy made in the background (media.tasks: once per file, none when it
    has one already)."""
    from aigaq.media.tasks import PLAYABLE_KINDS, media_renditions_start

    for guard in guards:
        guard.keep()
    pause_at("bundle.committed")
    for media in MediaFile.objects.filter(sha256__in=list(files), kind__in=PLAYABLE_KINDS):
        media_renditions_start(media)


def _store_media(files: dict[str, Path]) -> None:
    """Place a bundle's media files and start their playback copies, outside a transaction."""
    _media_stored(files, _place_media(files))


# --- conflicts -----------------------------------------------------------------------------


def conflict_resolve(*, actor: Any, conflict: Conflict, choice: str) -> Conflict:
    """Keep the office version, or take the field version (refused if the office record moved
    on since the conflict was recorded)."""
    check(actor, "import.run")
    if choice not in ("office", "field"):
        raise ValueError(choice)
    with transaction.atomic():
        current = Conflict.objects.select_for_update().get(pk=conflict.pk)
        if current.status != Conflict.Status.OPEN:
            return current
        rt, model = next((rt, m) for rt, m in available_types() if rt.key == current.record_type)
        if choice == "field":
            record: Any = model._default_manager.select_for_update().get(pk=current.record_id)
            if record.version != current.office_version:
                raise EditConflict(record, current.office_version)
            data = dict(current.field_snapshot)
            try:
                values, m2m, _held = field_values(model, data)
            except Unresolved as exc:
                raise BundleError(
                    _("The field version refers to a record that is not here (%(field)s).")
                    % {"field": exc.field}
                ) from None
            merger = _Merger(
                actor=actor, row=current.bundle, kind=Bundle.Kind.RETURN, base_lookup={}
            )
            merger._apply(record, values, m2m, data)
            merger.finish()
            current.status = Conflict.Status.TOOK_FIELD
        else:
            current.status = Conflict.Status.KEPT_OFFICE
        current.resolved_by = actor if getattr(actor, "is_authenticated", False) else None
        current.resolved_at = timezone.now()
        current.save()
        restricted: frozenset[str] = getattr(model, "RESTRICTED_FIELDS", frozenset())
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes={
                "status": [Conflict.Status.OPEN, current.status],
                **(
                    audit.diff(
                        comparable(current.office_snapshot),
                        comparable(current.field_snapshot),
                        restricted,
                    )
                    if choice == "field"
                    else {}
                ),
            },
            note=_("Conflict resolved"),
            person_id=current.record_id if rt.key == "person" else None,
        )
    return current
