"""Hostile text put into every text field the pages show, and the records that carry it.

`poison()` walks every model of Aigaq's apps (`apps.get_models()`), and writes a payload into
every CharField and TextField of every stored record, except the fields listed in STRUCTURAL
(codes, keys, hashes, choices: values a service always computes or checks, never free text),
plus the free text of the JSON fields in JSON_TEXT. A new model or a new text field is
poisoned without anything to do here.

Each payload carries a number (`window.__xss = N`): `FIELDS[N]` says which model's field it
came from, so a failing test names the field whose value ran.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from tests import factories

#: Every payload takes the field's number. Shortest first (short fields take the first ones).
PAYLOADS = [
    '"><svg onload=window.__xss={n}>',
    "<script>window.__xss={n}</script>",
    '"><img src=x onerror=window.__xss={n}>',
    "'><img src=x onerror=window.__xss={n}>",
    "javascript:window.__xss={n}",
    "{{{{ 6|add:36 }}}}=TPL{n}{{% debug %}}",
    "\u202egnp.exe\u202c \u2067RTL{n}\u2069",
    "</textarea></title><script>window.__xss={n}</script>",
]
#: What an answer may never contain as it is (each a sign that a payload was not escaped or
#: that a stored string was rendered as a template).
RAW_SIGNS = [
    "<svg onload=window.__xss",
    "<script>window.__xss",
    "<img src=x onerror=window.__xss",
    "42=TPL",
]
#: Link fields: only a javascript: address (an http(s) check must refuse it before display).
LINK_PAYLOAD = "javascript:window.__xss={n}"

#: Fields that are not free text: computed keys and codes, hashes, languages, secrets, the
#: values of a fixed vocabulary. Model label → field names.
STRUCTURAL: dict[str, set[str]] = {
    "core.User": {"password", "username", "email"},
    "core.AuditEntry": {"object_type", "object_id"},
    "core.Sequence": {"name"},
    "core.Job": {"kind", "capability", "secret", "language", "task_id"},
    "media.MediaFile": {"sha256", "content_type", "video_codec", "audio_codec", "container"},
    "media.Rendition": {"sha256", "content_type"},
    "people.Place": {"code", "path"},
    "people.PlaceName": {"lang"},
    "people.Tag": {"slug"},
    "people.Person": {"chinese_id", "current_status"},
    "people.PersonName": {"lang"},
    "people.PersonRelation": {"relationship"},  # a kinship code (testimonies.kinship)
    "testimonies.Testifier": {"gender", "phone", "email"},
    "testimonies.Testimony": {"language"},
    "search.NameKey": {"key"},
    "search.NameForm": {"form"},
    "search.IndexState": {"name", "value"},
    "dedup.Candidate": {"source"},
    "corrections.Submission": {"language", "client_key"},
    "intake.Visit": {"name_key", "phone", "language"},
    "intake.VisitorKey": {"key"},
    "transfer.Conflict": {"record_type"},
    "transfer.ImportRun": {"sha256"},
    "petitions.Petition": {"form", "generated_format"},
    "staff.Upload": {"kind"},
    "transcripts.Transcript": {"language"},
    "transcripts.GlossaryTerm": {"source_language", "target_language"},
}
#: Fields that hold a web address: they get LINK_PAYLOAD.
LINKS = {("people.Source", "url"), ("mirrors.Mirror", "url")}
#: JSON fields whose string values are free text shown on pages.
JSON_TEXT = {
    ("people.Place", "local_names"),
    ("petitions.Petition", "entries"),
    ("transfer.Conflict", "office_snapshot"),
    ("transfer.Conflict", "field_snapshot"),
}

#: FIELDS[n] is the "app.Model.field" whose payloads carry the number n.
FIELDS: list[str] = []


def field_number(label: str) -> int:
    if label not in FIELDS:
        FIELDS.append(label)
    return FIELDS.index(label)


def value_for(label: str, max_length: int | None, record_index: int) -> str:
    """As many payloads as the field holds, starting from a different one for each record
    (so that every payload meets every kind of field somewhere)."""
    n = field_number(label)
    filled = [p.format(n=n) for p in PAYLOADS]
    start = record_index % len(filled)
    order = filled[start:] + filled[:start]
    if max_length is None:
        return " ".join(order)
    out = ""
    for p in order + sorted(filled, key=len):
        candidate = f"{out} {p}".strip()
        if len(candidate) <= max_length:
            out = candidate
    return out


def _text_fields(model: type[models.Model]) -> Iterator[models.Field[Any, Any]]:
    skip = STRUCTURAL.get(model._meta.label, set())
    for f in model._meta.concrete_fields:
        if f.name in skip or f.choices or f.primary_key:
            continue
        if isinstance(f, models.CharField | models.TextField):
            yield f


def _poison_json(value: Any, n: int, depth: int = 0) -> Any:
    if isinstance(value, str):
        return f"{value} " + " ".join(p.format(n=n) for p in PAYLOADS[:4])
    if isinstance(value, dict) and depth < 4:
        return {k: _poison_json(v, n, depth + 1) for k, v in value.items()}
    if isinstance(value, list) and depth < 4:
        return [_poison_json(v, n, depth + 1) for v in value]
    return value


def poison(
    *,
    keep_users: Collection[Any] = (),
    value: Callable[[str, int | None, int], str] | None = None,
    link: Callable[[str], str] | None = None,
    json_text: Callable[[Any, int], Any] | None = None,
) -> dict[str, int]:
    """Write payloads into every free-text field of every stored record of Aigaq's models.
    Returns {"app.Model.field": records written}. The users in `keep_users` (the ones a test
    signs in as) keep their names. `value(label, max_length, record_index)`, `link(label)`
    and `json_text(value, field_number)` say what to write (default: the XSS payloads)."""
    value = value or value_for
    link = link or (lambda name: LINK_PAYLOAD.format(n=field_number(name)))
    json_text = json_text or _poison_json
    written: dict[str, int] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("aigaq."):
            continue
        label = model._meta.label
        text_fields = list(_text_fields(model))
        json_fields = [f for f in model._meta.concrete_fields if (label, f.name) in JSON_TEXT]
        if not text_fields and not json_fields:
            continue
        for i, record in enumerate(model._default_manager.order_by("pk")):
            if label == "core.User" and record.pk in keep_users:
                continue
            values: dict[str, Any] = {}
            for f in text_fields:
                name = f"{label}.{f.name}"
                if (label, f.name) in LINKS:
                    values[f.name] = link(name)
                else:
                    values[f.name] = value(name, f.max_length, i)
                written[name] = written.get(name, 0) + 1
            for f in json_fields:
                name = f"{label}.{f.name}"
                values[f.name] = json_text(getattr(record, f.name), field_number(name))
                written[name] = written.get(name, 0) + 1
            model._default_manager.filter(pk=record.pk).update(**values)
    return written


@dataclass
class Extras:
    """Records the marker crawl's world lacks: a public entry with a hometown, tags and a
    source; petitions, sent and answered (the summary for the family lists them); a room; a
    named duplicate refusal; names and places said in two transcripts, linked to records."""

    public_person: Any = None
    petitions: list[Any] = field(default_factory=list)


def seed_extras(persons: list[Any]) -> Extras:
    from aigaq.core.models import Visibility
    from aigaq.dedup.models import NotSame
    from aigaq.dedup.scan import ordered
    from aigaq.intake.services import room_create
    from aigaq.people.models import Place, PlaceName
    from aigaq.people.services import (
        place_names_refresh,
        place_save,
        source_create,
        status_event_add,
        tag_get_or_create,
    )
    from aigaq.petitions.services import petition_create

    county = place_save(Place(code="xss-county", kind=Place.Kind.COUNTY, name="Xss County"))
    for name, lang in (("Xss County", "en"), ("Икс Ауданы", "kk"), ("叉县", "zh")):
        PlaceName.objects.create(place=county, name=name, lang=lang)
    place_names_refresh(place=county)
    tag = tag_get_or_create("imam")
    entry = factories.public_person(
        "Publicxss Adambek", actor=None, hometown=county, occupation="teacher"
    )
    entry.tags.add(tag)
    for p in persons:
        p.tags.add(tag)
    status_event_add(
        actor=None,
        person=entry,
        kind="camp",
        date_text="2018",
        facility="Camp No. 3",
        note="Seen there",
    )
    source_create(
        actor=None,
        persons=[entry, *persons],
        kind="article",
        title="An article",
        url="https://example.org/a",
        date_text="2019",
        description="About the camp",
    )
    room_create(actor=None, name="Room 1")
    a, b = ordered(persons[0].pk, entry.pk)
    NotSame.objects.create(a_id=a, b_id=b, note="Different fathers")
    extras = Extras(public_person=entry)
    for p in [entry, *persons]:
        extras.petitions.append(
            petition_create(
                actor=None,
                form="wgeid",
                persons=[p],
                entries={"forces": "police", "circumstances": "At night"},
            )
        )
    from aigaq.petitions.models import Petition

    Petition.objects.filter(pk__in=[p.pk for p in extras.petitions]).update(
        answer="No answer yet",
        next_action="Write again",
        next_action_due=dt.date(2026, 1, 1),
        registration_no="R-1",
        sent_on=dt.date(2025, 1, 1),
        answered_on=dt.date(2025, 3, 1),
    )
    from aigaq.transcripts.models import Segment
    from aigaq.transcripts.services import mention_add

    said = list(
        Segment.objects.filter(transcript__language="kk").order_by("transcript__testimony__number")[
            :2
        ]
    )
    if said:
        mention_add(actor=None, segment=said[0], start=0, end=3, person=entry)
    if len(said) > 1:
        mention_add(actor=None, segment=said[1], start=0, end=3, place=county)
    assert entry.visibility == Visibility.PUBLIC
    return extras
