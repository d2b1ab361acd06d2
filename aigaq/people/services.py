"""Writes to persons, names, timelines, sources and places. Views, commands, the API and tasks
call these and nothing else; each records its audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.dates import parse_partial_date
from aigaq.core.db.bulk import bulk_insert
from aigaq.core.locking import bump, lock_for_edit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check, check_publish
from aigaq.core.sequences import sequence_allocate, sequence_raise_to
from aigaq.core.services import create_audited, update_audited
from aigaq.core.validators import NAME_MAX, check_length
from aigaq.people.models import (
    DETENTION_KINDS,
    PLACE_NAME_FOR_LANGUAGE,
    Person,
    PersonName,
    Place,
    Source,
    StatusEvent,
    StatusKind,
    Tag,
)
from aigaq.people.validators import clean_birth_years, clean_chinese_id, clean_name

ENTRY_SEQUENCE = "person.entry_no"
# Django recomputes Choices.values on every access: once here.
_STATUS_KINDS = frozenset(StatusKind.values)
_NAME_KINDS = frozenset(PersonName.Kind.values)
# Reports that say what happened (official claims and denials are kept, but never decide the
# status shown in lists).
_STATUS_REPORTS = (StatusEvent.Report.REPORTED, StatusEvent.Report.CONFIRMED)


@dataclass(frozen=True)
class NameInput:
    full_name: str
    kind: str = PersonName.Kind.OFFICIAL
    lang: str = ""
    script: str = ""


def _clean_names(names: Sequence[NameInput]) -> list[NameInput]:
    cleaned: list[NameInput] = []
    seen: set[str] = set()
    for n in names:
        if not (n.full_name or "").strip():
            continue
        full = clean_name(n.full_name)
        check_length("names", full, NAME_MAX)
        if full in seen:
            continue
        seen.add(full)
        if n.kind not in _NAME_KINDS:
            raise ValidationError(_("Unknown kind of name: %(kind)s") % {"kind": n.kind})
        cleaned.append(NameInput(full, n.kind, n.lang, n.script or _detect_script(full)))
    if not cleaned:
        raise ValidationError(_("A person needs at least one name."), code="no_name")
    return cleaned


def _detect_script(text: str) -> str:
    from aigaq.names import detect_script

    return detect_script(text)


def _names_snapshot(person: Person) -> list[str]:
    return [f"{n.full_name} [{n.kind}]" for n in person.names.all()]


def person_names_replace(*, person: Person, names: Sequence[NameInput]) -> None:
    """Replace a person's names by these (cleaned as everywhere) and keep the listed name in
    step, for writes that audit the whole record themselves (a field bundle's changes)."""
    _write_names(person, _clean_names(names))
    Person.objects.filter(pk=person.pk).update(primary_name=person.primary_name)


def _write_names(person: Person, names: Sequence[NameInput]) -> None:
    person.names.all().delete()
    PersonName.objects.bulk_create(
        PersonName(
            person=person,
            full_name=n.full_name,
            kind=n.kind,
            lang=n.lang,
            script=n.script,
            position=i,
        )
        for i, n in enumerate(names)
    )
    person.primary_name = names[0].full_name


def _clean_person_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "chinese_id" in data:
        data["chinese_id"] = clean_chinese_id(data["chinese_id"] or "")
    if "birth_year" in data or "birth_year_max" in data:
        clean_birth_years(data.get("birth_year"), data.get("birth_year_max"))
    if "citizenships" in data:
        data["citizenships"] = sorted(
            {c.strip().upper() for c in data["citizenships"] or [] if c.strip()}
        )
    return data


def person_create(
    *,
    actor: Any,
    names: Sequence[NameInput],
    tags: Iterable[Tag] = (),
    entry_no: int | None = None,
    **fields: Any,
) -> Person:
    check(actor, "person.edit")
    clean = _clean_names(names)
    data = _clean_person_fields(dict(fields))
    check_publish(actor, data.get("visibility"))
    with transaction.atomic():
        number = entry_no or sequence_allocate(ENTRY_SEQUENCE)
        person = create_audited(
            Person,
            actor=actor,
            data={
                **data,
                "entry_no": number,
                "primary_name": clean[0].full_name,
                "tags": list(tags),
            },
        )
        _write_names(person, clean)
        person.save(update_fields=["primary_name"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=person,
            changes={"names": [[], _names_snapshot(person)]},
            person_id=person.pk,
        )
        _after_person_write(person)
    return person


@dataclass(frozen=True)
class EventInput:
    """A status event written with a new person (persons_create_bulk)."""

    kind: str
    date_text: str = ""
    note: str = ""


@dataclass
class NewPerson:
    """One person for persons_create_bulk. ``fields`` are Person fields (a hometown or a photo
    as the record); a bundle may also give the bookkeeping it carries (``id``,
    ``created_at``, ``updated_at``, ``version``). ``entry_no`` is kept when no entry holds it
    yet (a trip bundle's numbers), else a new one is allocated. ``facts`` go into the audit
    entry beside the fields (the import run, the row)."""

    names: Sequence[NameInput]
    fields: Mapping[str, Any] = field(default_factory=dict)
    entry_no: int | None = None
    tags: Sequence[Tag] = ()
    events: Sequence[EventInput] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CreatedPerson:
    pk: uuid.UUID
    entry_no: int
    primary_name: str
    names: list[str]


@dataclass(frozen=True)
class RowProblem:
    index: int  # position in the list given to persons_create_bulk
    field: str
    message: str


class PersonsInvalid(Exception):
    """Some of the persons given to persons_create_bulk are invalid: every problem, by row;
    nothing was written."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.index}: {p.field}: {p.message}" for p in problems[:5]))


# Person fields persons_create_bulk derives itself; never taken from the caller.
_DERIVED = frozenset({"entry_no", "primary_name", "current_status"})
_BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version", "merged_into"})
_FIELD_MEMO_LIMIT = 50_000


class _FieldCheck:
    """The field checks of Model.full_clean (Field.clean on each editable field given, empty
    values of blank fields skipped), for many rows: each distinct value is checked once."""

    def __init__(self, model: type[models.Model]) -> None:
        self.fields = {
            f.name: f
            for f in model._meta.concrete_fields
            if f.editable and not f.is_relation and f.name not in _DERIVED
        }
        self.memo: dict[tuple[str, Any], list[str]] = {}

    def problems(self, data: Mapping[str, Any]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name, value in data.items():
            f = self.fields.get(name)
            if f is None or (f.blank and value in f.empty_values):
                continue
            try:
                key = (name, value)
                messages = self.memo.get(key)
            except TypeError:  # an unhashable value (a list): checked each time
                key, messages = None, None
            if messages is None:
                try:
                    f.clean(value, None)
                    messages = []
                except ValidationError as exc:
                    messages = [str(m) for m in exc.messages]
                if key is not None:
                    if len(self.memo) > _FIELD_MEMO_LIMIT:
                        self.memo.clear()
                    self.memo[key] = messages
            out.extend((name, m) for m in messages)
        return out


def _relation_ids(data: Mapping[str, Any]) -> dict[str, Any]:
    """Field values keyed by attname (a hometown given as a Place becomes hometown_id)."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        attname = _ATTNAMES.get(name)
        if attname is None:
            f: Any = Person._meta.get_field(name)
            if getattr(f, "many_to_many", False):
                raise ValueError(f"{name}: many-to-many fields are given apart (tags)")
            attname = _ATTNAMES[name] = f.attname
        if isinstance(value, models.Model):
            value = value.pk
        out[attname] = value
    return out


_ATTNAMES: dict[str, str] = {}


def persons_create_bulk(
    *,
    actor: Any,
    persons: Sequence[NewPerson],
    action: str = AuditEntry.Action.CREATE,
    note: str = "",
    workers: int = 1,
) -> list[CreatedPerson]:
    """Create many persons at once, by the same rules as person_create: names cleaned (each
    one's script detected), fields checked as a form would check them, entry numbers from the
    one sequence, the status events given and the current status derived from them, one audit
    entry per person (restricted values masked by core.audit), and the hooks that keep derived
    data current (the search index) run once for the whole batch. Writes are plain inserts, a
    few statements per table, in the caller's transaction (opened if none).

    Raises PersonsInvalid with every bad row before anything is written. ``workers > 1``
    computes the search keys in that many forked processes (the command line only)."""
    check(actor, "person.edit")
    checker = _FieldCheck(Person)
    dates = _EventDates()
    problems: list[RowProblem] = []
    rows: list[tuple[NewPerson, list[NameInput], dict[str, Any], list[dict[str, Any]]]] = []
    visibilities: set[Any] = set()
    for index, wanted in enumerate(persons):
        try:
            names = _clean_names(wanted.names)
            data = _clean_person_fields(dict(wanted.fields))
            events = [dates.event(e.kind, e.date_text) for e in wanted.events]
        except ValidationError as exc:
            problems.append(RowProblem(index, "", " ".join(str(m) for m in exc.messages)))
            continue
        unknown = set(data) & _DERIVED
        if unknown:
            raise ValueError(f"persons_create_bulk derives {sorted(unknown)} itself")
        bad = checker.problems(data)
        problems.extend(RowProblem(index, name, message) for name, message in bad)
        visibilities.add(data.get("visibility"))
        rows.append((wanted, names, data, events))
    if problems:
        raise PersonsInvalid(problems)
    for visibility in visibilities:
        check_publish(actor, visibility)
    if not rows:
        return []
    now = timezone.now()
    created_by = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        numbers = _entry_numbers([wanted.entry_no for wanted, *_rest in rows])
        person_rows: list[dict[str, Any]] = []
        name_rows: list[dict[str, Any]] = []
        event_rows: list[dict[str, Any]] = []
        tag_rows: list[dict[str, Any]] = []
        audits: list[tuple[Any, str, dict[str, Any], Any]] = []
        created: list[CreatedPerson] = []
        for (wanted, names, data, events), number in zip(rows, numbers, strict=True):
            pk = data.pop("id", None) or uuid.uuid4()
            timeline = []
            for order, e in enumerate(events):
                timeline.append(
                    (e["kind"], StatusEvent.Report.REPORTED, e["date_start"], e["date_end"], order)
                )
            primary = names[0].full_name
            person_rows.append(
                {
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    **_relation_ids(data),
                    "id": pk,
                    "entry_no": number,
                    "primary_name": primary,
                    "current_status": current_status_of(timeline),
                    "first_detained_year": first_detained_year_of(
                        (e["kind"], e["date_start"]) for e in events
                    ),
                }
            )
            name_rows.extend(
                {
                    "person_id": pk,
                    "full_name": n.full_name,
                    "kind": n.kind,
                    "lang": n.lang,
                    "script": n.script,
                    "position": position,
                }
                for position, n in enumerate(names)
            )
            for e, given in zip(events, wanted.events, strict=True):
                event_rows.append(
                    {
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                        "id": uuid.uuid4(),
                        "person_id": pk,
                        "kind": e["kind"],
                        "date_text": e["date_text"],
                        "date_start": e["date_start"],
                        "date_end": e["date_end"],
                        "note": given.note,
                        "created_by_id": created_by.pk if created_by is not None else None,
                    }
                )
            tag_rows.extend({"person_id": pk, "tag_id": t.pk} for t in wanted.tags)
            full_names = [n.full_name for n in names]
            facts = {
                **{k: v for k, v in data.items() if k not in _BOOKKEEPING},
                **wanted.facts,
                "names": full_names,
            }
            if events:
                facts["events"] = [f"{e['kind']} {e['date_text']}".strip() for e in events]
            if wanted.tags:
                facts["tags"] = sorted(t.slug for t in wanted.tags)
            audits.append((pk, f"#{number} {primary}", facts, pk))
            created.append(CreatedPerson(pk, number, primary, full_names))
        bulk_insert(Person, person_rows)
        bulk_insert(PersonName, name_rows)
        bulk_insert(StatusEvent, event_rows)
        bulk_insert(Person.tags.through, tag_rows)
        audit.record_created_bulk(actor=actor, action=action, model=Person, rows=audits, note=note)
        from aigaq.people import hooks

        ids = [c.pk for c in created]
        names_of = {c.pk: c.names for c in created}
        for hook in hooks.PERSONS_CREATED:
            hook(ids, names_of, workers)
    return created


class _EventDates:
    """_event_fields for many events: each distinct date text parsed once."""

    def __init__(self) -> None:
        self.memo: dict[str, dict[str, Any]] = {}

    def event(self, kind: str, date_text: str) -> dict[str, Any]:
        if kind not in _STATUS_KINDS:
            raise ValidationError(_("Unknown status."), code="kind")
        text = (date_text or "").strip()
        parsed = self.memo.get(text)
        if parsed is None:
            parsed = _event_fields({"date_text": text})
            if len(self.memo) > _FIELD_MEMO_LIMIT:
                self.memo.clear()
            self.memo[text] = parsed
        return {"kind": kind, **parsed}


def _entry_numbers(wanted: Sequence[int | None]) -> list[int]:
    """An entry number for each new person: the one asked for when no entry holds it yet
    (and no other row of the batch), else the next ones from the sequence. The sequence is
    first raised past every number kept, so it never hands one out again."""
    asked = {n for n in wanted if n}
    taken = set(Person.objects.filter(entry_no__in=asked).values_list("entry_no", flat=True))
    kept: list[int | None] = []
    seen: set[int] = set()
    for n in wanted:
        if n and n not in taken and n not in seen:
            kept.append(n)
            seen.add(n)
        else:
            kept.append(None)
    if seen:
        sequence_raise_to(ENTRY_SEQUENCE, max(seen))
    missing = sum(1 for n in kept if n is None)
    first = sequence_allocate(ENTRY_SEQUENCE, missing) if missing else 0
    out: list[int] = []
    for n in kept:
        if n is None:
            out.append(first)
            first += 1
        else:
            out.append(n)
    return out


def person_update(
    *,
    actor: Any,
    person: Person,
    expected_version: int | None,
    names: Sequence[NameInput] | None = None,
    **changes: Any,
) -> Person:
    check(actor, "person.edit")
    data = _clean_person_fields(dict(changes))
    if "visibility" in data:
        check_publish(actor, data["visibility"], person.visibility)
    with transaction.atomic():
        person = update_audited(
            person, actor=actor, changes=data, expected_version=expected_version
        )
        if names is not None:
            clean = _clean_names(names)
            before = _names_snapshot(person)
            _write_names(person, clean)
            after = _names_snapshot(person)
            if before != after:
                if person.version == expected_version:  # no field changed: still bump
                    bump(person)
                person.save()
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.UPDATE,
                    obj=person,
                    changes={"names": [before, after]},
                    person_id=person.pk,
                )
        _after_person_write(person)
    return person


def person_set_visibility(*, actor: Any, person: Person, visibility: str) -> Person:
    """Publishing is an explicit action with its own permission, never a field flipped in a form."""
    check(actor, "person.edit")
    check_publish(actor, visibility, person.visibility)
    return update_audited(
        person, actor=actor, changes={"visibility": visibility}, expected_version=None
    )


# What a photo must start with: JPEG, PNG, WebP (magic numbers).
_IMAGE_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
MAX_PHOTO_BYTES = 15 * 1024 * 1024


def photo_content_type(head: bytes) -> str | None:
    for signature, content_type in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def person_set_photo(
    *,
    actor: Any,
    person: Person,
    fileobj: IO[bytes],
    name: str,
    expected_version: int | None = None,
) -> Person:
    """Attach a photo (JPEG, PNG or WebP) to a person; the original is kept by its hash."""
    from aigaq.media.models import MediaFile
    from aigaq.media.services import MediaRefused, media_ingest

    check(actor, "person.edit")
    head = fileobj.read(16)
    fileobj.seek(0)
    if photo_content_type(head) is None:
        raise ValidationError(
            {"photo": _("A photo must be a JPEG, PNG or WebP image.")}, code="not_image"
        )
    size = getattr(fileobj, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError({"photo": _("A photo is at most 15 MB.")}, code="too_large")
    with transaction.atomic():
        try:
            media = media_ingest(
                actor=actor, fileobj=fileobj, original_name=name, kind=MediaFile.Kind.PHOTO
            )
        except MediaRefused as exc:  # not an image after all, a full disk...
            raise ValidationError({"photo": str(exc)}, code="refused") from None
        person = update_audited(
            person, actor=actor, changes={"photo": media}, expected_version=expected_version
        )
    return person


def _after_person_write(person: Person) -> None:
    """Hooks for derived data (search index). Kept in one place so no write path forgets it."""
    from aigaq.people import hooks

    for hook in hooks.PERSON_WRITTEN:
        hook(person)


def persons_refresh(*, persons: Iterable[Person]) -> None:
    """After writes that bring whole records from elsewhere (a field bundle's changes): each
    person's current status derived again from the timeline, and the hooks for derived data
    (the search index) run, as after every person write."""
    for person in persons:
        person_refresh_status(person)
        _after_person_write(person)


def current_status_of(events: Iterable[tuple[str, str, Any, Any, Any]]) -> str:
    """The status a timeline ends in. `events` are (kind, report, date_start, date_end, order).

    Official claims and denials never decide it. Events sort by when they began, then when they
    ended, then the order they were entered; undated events count as the oldest, so "detained
    2018" followed by "prison 2018-03" ends in prison.
    """
    low = dt.date.min
    latest: tuple[Any, ...] | None = None
    status = ""
    for kind, report, start, end, order in events:
        if report not in _STATUS_REPORTS:
            continue
        key = (start or low, end or low, order)
        if latest is None or key >= latest:
            latest, status = key, kind
    return status


def first_detained_year_of(events: Iterable[tuple[str, Any]]) -> int | None:
    """The year of the earliest dated detention among (kind, date_start) pairs, or None."""
    years = [start.year for kind, start in events if kind in DETENTION_KINDS and start]
    return min(years) if years else None


def person_refresh_status(person: Person) -> str:
    """The current status shown in lists and the year of the first detention, derived from
    the timeline (never typed twice)."""
    rows = list(
        StatusEvent.objects.filter(person=person).values_list(
            "kind", "report", "date_start", "date_end", "created_at"
        )
    )
    status = current_status_of(rows)
    first = first_detained_year_of((kind, start) for kind, _r, start, _e, _c in rows)
    if person.current_status != status or person.first_detained_year != first:
        Person.objects.filter(pk=person.pk).update(current_status=status, first_detained_year=first)
        person.current_status, person.first_detained_year = status, first
    return status


def _event_fields(data: dict[str, Any]) -> dict[str, Any]:
    if "date_text" in data:
        text = (data.get("date_text") or "").strip()
        if text:
            pd = parse_partial_date(text)
            data.update(date_text=pd.text, date_start=pd.start, date_end=pd.end)
        else:
            data.update(date_text="", date_start=None, date_end=None)
    if "kind" in data and data["kind"] not in StatusKind.values:
        raise ValidationError(_("Unknown status."), code="kind")
    return data


def _event_date_given(data: dict[str, Any], date_unknown: bool | None) -> None:
    """An event is dated, or said to be of an unknown date in so many words: a form left
    blank is a mistake, not a report that nobody knows when."""
    if date_unknown is None:
        return
    dated = bool((data.get("date_text") or "").strip())
    if dated and date_unknown:
        raise ValidationError(
            {"date_text": _("Give a date or tick “date unknown”, not both.")}, code="both"
        )
    if not dated and not date_unknown:
        raise ValidationError(
            {"date_text": _("Enter a date, or tick “date unknown” if nobody knows when.")},
            code="undated",
        )


def _reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError({"reason": _("Say why (it is kept in the history).")}, code="reason")
    if len(text) > 1000:
        raise ValidationError({"reason": _("A reason is at most 1,000 characters.")})
    return text


def status_event_add(
    *, actor: Any, person: Person, date_unknown: bool | None = None, **fields: Any
) -> StatusEvent:
    """Add a report to `person`'s timeline. `date_unknown`: None from imports (an empty date
    is taken as unknown), True or False from the forms (an empty date must be said unknown)."""
    check(actor, "person.edit")
    data = _event_fields(dict(fields))
    _event_date_given(data, date_unknown)
    with transaction.atomic():
        event = create_audited(
            StatusEvent,
            actor=actor,
            data={
                **data,
                "person": person,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
            person_id=person.pk,
        )
        person_refresh_status(person)
        _after_person_write(person)
    return event


def status_event_update(
    *,
    actor: Any,
    event: StatusEvent,
    expected_version: int | None,
    reason: str = "",
    date_unknown: bool | None = None,
    **changes: Any,
) -> StatusEvent:
    """Correct a report on the timeline; the reason goes into the history with the change.
    Raises core.locking.EditConflict when someone else changed it in between."""
    check(actor, "person.edit")
    why = _reason(reason)
    data = _event_fields(dict(changes))
    _event_date_given(data, date_unknown)
    with transaction.atomic():
        event = update_audited(
            event, actor=actor, changes=data, expected_version=expected_version, note=why
        )
        person = event.person
        person_refresh_status(person)
        _after_person_write(person)
    return event


def status_event_remove(
    *, actor: Any, event: StatusEvent, reason: str, expected_version: int | None = None
) -> Person:
    """Take a report off the timeline (entered on the wrong person, a duplicate, a misreading).
    The row goes; the history keeps every value it had and the reason, and the person's
    current status is derived again from what remains. Returns the person."""
    check(actor, "person.edit")
    why = _reason(reason)
    with transaction.atomic():
        current = lock_for_edit(StatusEvent, event.pk, expected_version)
        person = current.person
        fields = [f.name for f in StatusEvent._meta.concrete_fields if f.name != "id"]
        before = audit.snapshot(current, fields)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=current,
            changes=audit.diff(before, {}),
            person_id=person.pk,
            note=why,
        )
        current.delete()
        person_refresh_status(person)
        _after_person_write(person)
    return person


def source_create(*, actor: Any, persons: Iterable[Person] = (), **fields: Any) -> Source:
    check(actor, "source.edit")
    return create_audited(Source, actor=actor, data={**fields, "persons": list(persons)})


def tag_get_or_create(label: str) -> Tag:
    from django.utils.text import slugify

    label = label.strip()
    slug = slugify(label, allow_unicode=True)[:60] or "tag"
    tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"label": label[:100]})
    return tag


def place_path(place: Place) -> str:
    parts: list[str] = []
    node: Place | None = place
    guard = 0
    while node is not None and guard < 20:
        parts.append(node.code)
        node = node.parent
        guard += 1
    return "/" + "/".join(reversed(parts)) + "/"


def place_local_names(names: Iterable[tuple[str, str]]) -> dict[str, str]:
    """{interface language: name} from a place's (name, name language) pairs, in their order:
    the first name of the first language PLACE_NAME_FOR_LANGUAGE prefers."""
    by_lang: dict[str, str] = {}
    for name, lang in names:
        if name and lang not in by_lang:
            by_lang[lang] = name
    out: dict[str, str] = {}
    for language, langs in PLACE_NAME_FOR_LANGUAGE.items():
        found = next((by_lang[lang] for lang in langs if lang in by_lang), None)
        if found:
            out[language] = found
    return out


def place_names_refresh(*, place: Place) -> Place:
    """Derive the place's name in each interface language from its names (PlaceName rows),
    after names were added by a path other than the gazetteer loader (a field bundle)."""
    names = place.names.order_by("id").values_list("name", "lang")
    local = place_local_names(names)
    if local != place.local_names:
        place.local_names = local
        place.save(update_fields=["local_names"])
    return place


def place_save(place: Place) -> Place:
    """Save a place with its materialised path (and its children's)."""
    with transaction.atomic():
        place.path = place_path(place)
        place.save()
        for child in place.children.all():
            place_save(child)
    return place


def lock_person(person: Person, expected_version: int | None) -> Person:
    return lock_for_edit(Person, person.pk, expected_version)  # type: ignore[no-any-return]
