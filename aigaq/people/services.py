"""Writes to persons, names, timelines, sources and places. Views, commands, the API and tasks
call these and nothing else; each records its audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.dates import parse_partial_date
from aigaq.core.locking import bump, lock_for_edit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check, check_publish
from aigaq.core.sequences import sequence_allocate
from aigaq.core.services import create_audited, update_audited
from aigaq.people.models import (
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
        if full in seen:
            continue
        seen.add(full)
        if n.kind not in PersonName.Kind.values:
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
    from aigaq.media.services import media_ingest

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
        media = media_ingest(
            actor=actor, fileobj=fileobj, original_name=name, kind=MediaFile.Kind.PHOTO
        )
        person = update_audited(
            person, actor=actor, changes={"photo": media}, expected_version=expected_version
        )
    return person


def _after_person_write(person: Person) -> None:
    """Hooks for derived data (search index). Kept in one place so no write path forgets it."""
    from aigaq.people import hooks

    for hook in hooks.PERSON_WRITTEN:
        hook(person)


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


def person_refresh_status(person: Person) -> str:
    """The current status shown in lists, derived from the timeline (never typed twice)."""
    rows = StatusEvent.objects.filter(person=person).values_list(
        "kind", "report", "date_start", "date_end", "created_at"
    )
    status = current_status_of(rows)
    if person.current_status != status:
        Person.objects.filter(pk=person.pk).update(current_status=status)
        person.current_status = status
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


def status_event_add(*, actor: Any, person: Person, **fields: Any) -> StatusEvent:
    check(actor, "person.edit")
    data = _event_fields(dict(fields))
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
    *, actor: Any, event: StatusEvent, expected_version: int | None, **changes: Any
) -> StatusEvent:
    check(actor, "person.edit")
    data = _event_fields(dict(changes))
    with transaction.atomic():
        event = update_audited(event, actor=actor, changes=data, expected_version=expected_version)
        person_refresh_status(event.person)
    return event


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
