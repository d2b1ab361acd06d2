"""Field bundles: export for a trip, export back from the trip, import with verification,
conflicts and look-alike flags. Every write here is audited (actions export/import)."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.jobs import Progress
from aigaq.core.locking import EditConflict
from aigaq.core.models import AuditEntry, User
from aigaq.core.permissions import check
from aigaq.core.sequences import sequence_allocate, sequence_raise_to
from aigaq.intake.models import FieldTrip
from aigaq.media import storage
from aigaq.media.models import MediaFile
from aigaq.people import hooks
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
from aigaq.people.services import ENTRY_SEQUENCE, person_refresh_status, place_names_refresh
from aigaq.testimonies.models import Relationship
from aigaq.transfer import bundle as fmt
from aigaq.transfer.bundle import BundleError
from aigaq.transfer.models import Bundle, Conflict, ImportFlag, Instance
from aigaq.transfer.records import (
    RecordType,
    Unresolved,
    available_types,
    comparable,
    field_values,
    serialize,
)

LOOKALIKE_THRESHOLD = 0.88
_NOT_APPLIED = {"id", "created_at", "entry_no", "primary_name", "current_status", "version"}


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
    members = []
    for m in media:
        path = storage.path_for(m.sha256)
        if not path.exists():
            raise BundleError(
                _("The media file %(sha)s is missing from storage; run a fixity check first.")
                % {"sha": m.sha256[:12]}
            )
        members.append(fmt.file_member(f"media/{m.sha256}", path))
    return members


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
    for rt, model in available_types():
        if rt.key == "visit" and any(f.name == "field_trip" for f in model._meta.fields):
            out["visit"] = list(model._default_manager.filter(field_trip=trip))
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
        self.new_persons: list[Person] = []
        self.touched_persons: set[Any] = set()
        self.batch: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    # reference data
    def gazetteer(self, rows: list[dict[str, Any]]) -> None:
        for r in sorted(rows, key=lambda r: len(r.get("path") or "")):
            place = Place.objects.filter(code=r["code"]).first()
            if place is None:
                parent = Place.objects.filter(code=r["parent"]).first() if r["parent"] else None
                pk = r["id"] if not Place.objects.filter(pk=r["id"]).exists() else uuid.uuid4()
                place = Place(
                    id=pk,
                    code=r["code"],
                    kind=r["kind"],
                    parent=parent,
                    name=r["name"],
                    lat=r["lat"],
                    lon=r["lon"],
                )
                place.path = (parent.path if parent else "/") + place.code + "/"
                place.save(force_insert=True)
                self.batch["place"]["created"].append(place.code)
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
                user.save()
                self.batch["user"]["created"].append(user.username)

    # records
    def merge(self, rt: RecordType, model: type[models.Model], data: dict[str, Any]) -> None:
        data = dict(data)
        base = data.pop("base_version", None)
        uid = str(data.get("id") or "")
        if rt.key != "visit" and not uid:
            raise BundleError(_("The bundle holds a record without an id."))
        if self.kind == Bundle.Kind.TRIP:
            base = self.base_lookup.get(uid)
        existing: Any
        if rt.key == "media":
            existing = MediaFile.objects.filter(sha256=data.get("sha256")).first()
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
        if existing is None:
            self._create(rt, model, values, m2m, data)
            return
        if rt.key == "media":
            if data.get("restricted") and not existing.restricted:
                existing.restricted = True
                existing.save(update_fields=["restricted"])
                self.report.updated[rt.key] = self.report.updated.get(rt.key, 0) + 1
            else:
                self.report.unchanged += 1
            return
        office = serialize(existing)
        for name, value in held.items():
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
        data: dict[str, Any],
    ) -> None:
        obj: Any = model(**values)
        if rt.key == "person":
            number = data.get("entry_no")
            if (
                self.kind != Bundle.Kind.TRIP
                or not number
                or Person.objects.filter(entry_no=number).exists()
            ):
                number = sequence_allocate(ENTRY_SEQUENCE)
            obj.entry_no = number
            obj.primary_name = (data.get("names") or [{}])[0].get("full_name", "")
            obj.current_status = ""
        obj.save(force_insert=True)
        for name, objs in m2m.items():
            getattr(obj, name).set(objs)
        if rt.key == "person":
            self._write_names(obj, data)
            self.new_persons.append(obj)
            self.touched_persons.add(obj.pk)
            audit.record(
                actor=self.actor,
                action=AuditEntry.Action.IMPORT,
                obj=obj,
                changes={"bundle": [None, str(self.row.bundle_id)]},
                note=_("Created from a field bundle"),
                person_id=obj.pk,
            )
        elif rt.key == "statusevent":
            self.touched_persons.add(obj.person_id)
        self.batch[rt.key]["created"].append(str(obj.pk))
        self.report.created[rt.key] = self.report.created.get(rt.key, 0) + 1

    def _write_names(self, person: Person, data: dict[str, Any]) -> None:
        names = data.get("names") or []
        person.names.all().delete()
        PersonName.objects.bulk_create(
            PersonName(
                person=person,
                full_name=n["full_name"],
                script=n.get("script", ""),
                lang=n.get("lang", ""),
                kind=n.get("kind", PersonName.Kind.OFFICIAL),
                position=i,
            )
            for i, n in enumerate(names)
        )
        if names:
            person.primary_name = names[0]["full_name"]
            Person.objects.filter(pk=person.pk).update(primary_name=person.primary_name)

    def _apply(
        self, existing: Any, values: dict[str, Any], m2m: dict[str, list[Any]], data: dict[str, Any]
    ) -> None:
        for name, value in values.items():
            if name not in _NOT_APPLIED:
                setattr(existing, name, value)
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
            self._write_names(existing, data)
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
        for person in Person.objects.filter(pk__in=self.touched_persons):
            person_refresh_status(person)
            for hook in hooks.PERSON_WRITTEN:
                hook(person)
        numbers = Person.objects.aggregate(m=models.Max("entry_no"))["m"] or 0
        sequence_raise_to(ENTRY_SEQUENCE, numbers)
        if self.kind == Bundle.Kind.RETURN:
            self._flag_lookalikes()
            self._propose_duplicates()
        for key, actions in self.batch.items():
            audit.record(
                actor=self.actor,
                action=AuditEntry.Action.IMPORT,
                obj=self.row,
                changes={"type": key, **dict(actions)},
                note=_("Records imported from a field bundle"),
            )

    def _propose_duplicates(self) -> None:
        """Put the new persons that look like entries already here in the one duplicates queue
        (dedup.Candidate, found by "import"), for curators to review on /duplicates/. Pairs come
        from the duplicates app's own check (`find_candidates_for`: blocking on name keys,
        scoring with birth years, hometowns, genders); look-alikes flagged above by the older
        name comparison that this check did not reach are added with their name score, so
        nothing the ImportFlag list would have shown is lost."""
        from aigaq.dedup import scan
        from aigaq.dedup.services import candidates_store

        if not self.new_persons:
            return
        new_ids = {p.pk for p in self.new_persons}
        found, _stats = scan.find_candidates_for(list(new_ids))
        pairs = {(f.a, f.b) for f in found}
        names = {p.pk: p.primary_name for p in self.new_persons}
        for flag in (
            ImportFlag.objects.filter(bundle=self.row)
            .select_related("similar_to")
            .order_by("-score")
        ):
            a, b = scan.ordered(flag.person_id, flag.similar_to_id)
            if (a, b) in pairs:
                continue
            pairs.add((a, b))
            found.append(
                scan.Found(
                    a,
                    b,
                    round(flag.score, 4),
                    [
                        {
                            "code": "names",
                            "score": round(flag.score, 3),
                            "a": names.get(flag.person_id, ""),
                            "b": flag.similar_to.primary_name,
                        }
                    ],
                )
            )
        trip = self.report.trip_name or self.row.trip_name
        for f in found:
            f.reasons.append({"code": "field_bundle", "trip": trip})
        candidates_store(found, source="import")
        self.report.candidates = len(found)

    def _flag_lookalikes(self) -> None:
        from aigaq.names import best_similarity

        new_ids = {p.pk for p in self.new_persons}
        for person in self.new_persons:
            names = [n.full_name for n in person.names.all()]
            candidates = _lookalike_candidates(person, names).exclude(pk__in=new_ids)
            for other in candidates.prefetch_related("names")[:500]:
                score = max(
                    (best_similarity(n, [o.full_name for o in other.names.all()]) for n in names),
                    default=0.0,
                )
                if score >= LOOKALIKE_THRESHOLD:
                    ImportFlag.objects.get_or_create(
                        person=person,
                        similar_to=other,
                        defaults={"bundle": self.row, "score": score},
                    )
                    self.report.flags += 1


def _lookalike_candidates(person: Person, names: list[str]) -> models.QuerySet[Person]:
    """Persons worth scoring: same hometown area, or a shared name word in any of the names."""
    q = Q()
    if person.hometown_id:
        q |= Q(hometown_id=person.hometown_id)
    for name in names:
        words = sorted((w for w in name.split() if len(w) >= 3), key=len, reverse=True)
        if words:
            q |= Q(names__full_name__icontains=words[0])
    if not q:
        return Person.objects.none()
    return Person.objects.filter(q, merged_into__isnull=True).distinct()


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
) -> ImportReport:
    """Decrypt, verify every hash, then merge in one transaction. Refusals raise BundleError
    before anything is written. `progress` hears the records merged of those in the bundle
    (core.jobs.Progress)."""
    check(actor, "import.run")
    folder = Path(tempfile.mkdtemp(prefix="bundle-", dir=_staging_root()))
    try:
        if progress:
            progress(0, 0, _("Decrypting and checking the bundle"))
        staged = fmt.decrypt_to_staging(
            fileobj, folder, passphrase=passphrase, identity_text=identity_text
        )
        manifest = fmt.verify_staged(staged)
        return _merge_staged(
            actor=actor, staged=staged, manifest=manifest, dry_run=dry_run, progress=progress
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _merge_staged(
    *,
    actor: Any,
    staged: fmt.Staged,
    manifest: dict[str, Any],
    dry_run: bool,
    progress: Progress | None = None,
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
        sha = m.get("sha256", "")
        if f"media/{sha}" not in staged.files and not storage.path_for(sha).exists():
            raise BundleError(
                _("A media file listed in the bundle is missing from it (%(sha)s).")
                % {"sha": str(sha)[:12]}
            )
    if not dry_run:
        for name, path in staged.files.items():
            if name.startswith("media/"):
                with path.open("rb") as fh:
                    sha, _size = storage.store_stream(storage.iter_file(fh))
                if name != f"media/{sha}":
                    raise BundleError(_("A media file did not match its hash when stored."))
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
                for data in rows:
                    merger.merge(rt, model, data)
                    done += 1
                    if progress:
                        progress(done, total)
            if progress:
                progress(total, total, _("Looking for possible duplicates"))
            merger.finish()
            report_base.media_files = sum(1 for n in staged.files if n.startswith("media/"))
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
    except _Rollback:
        pass
    return report_base


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
