"""Records to and from plain JSON, keyed by UUID. References are written so they mean the same
on every instance: places by code, tags by slug, staff by user name, media by SHA-256, and every
other record by its UUID."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class RecordType:
    key: str  # name in the bundle
    label: str  # app_label.Model


# Dependency order: a record's references are imported before it.
TYPES: list[RecordType] = [
    RecordType("media", "media.MediaFile"),
    RecordType("person", "people.Person"),
    RecordType("source", "people.Source"),
    RecordType("fieldtrip", "intake.FieldTrip"),
    RecordType("testifier", "testimonies.Testifier"),
    RecordType("testimony", "testimonies.Testimony"),
    RecordType("testimonyperson", "testimonies.TestimonyPerson"),
    RecordType("statusevent", "people.StatusEvent"),
    RecordType("personrelation", "people.PersonRelation"),
    RecordType("visit", "intake.Visit"),  # included when the intake desk's model exists
]

# Values that are bookkeeping or derived on each instance: never compared, never a conflict.
NOT_COMPARED = {
    "version",
    "created_at",
    "updated_at",
    "entry_no",
    "number",
    "primary_name",
    "current_status",
    "first_detained_year",
}


def model_for(rt: RecordType) -> type[models.Model] | None:
    try:
        return apps.get_model(rt.label)
    except LookupError:
        return None


def available_types() -> list[tuple[RecordType, type[models.Model]]]:
    out = []
    for rt in TYPES:
        model = model_for(rt)
        if model is not None:
            out.append((rt, model))
    return out


def _ref_kind(target: type[models.Model]) -> str:
    label = target._meta.label
    if label == "people.Place":
        return "code"
    if label == "people.Tag":
        return "slug"
    if label == "media.MediaFile":
        return "sha256"
    if label == apps.get_model("core", "User")._meta.label:
        return "username"
    return "pk"


def _ref_value(obj: models.Model | None, kind: str) -> Any:
    if obj is None:
        return None
    if kind == "pk":
        return str(obj.pk)
    return getattr(obj, kind)


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def serialize(obj: models.Model) -> dict[str, Any]:
    """Every concrete field; references as stable keys; names nested for persons and places."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.is_relation:
            assert f.related_model is not None and not isinstance(f.related_model, str)
            kind = _ref_kind(f.related_model)
            if kind == "pk":
                raw = getattr(obj, f.attname)
                out[f.name] = None if raw is None else str(raw)
            else:
                out[f.name] = _ref_value(getattr(obj, f.name), kind)
        else:
            out[f.name] = _plain(getattr(obj, f.attname))
    for f in obj._meta.many_to_many:
        assert f.related_model is not None and not isinstance(f.related_model, str)
        kind = _ref_kind(f.related_model)
        out[f.name] = sorted(str(_ref_value(o, kind)) for o in getattr(obj, f.name).all())
    if obj._meta.label == "people.Person":
        out["names"] = [
            {"full_name": n.full_name, "script": n.script, "lang": n.lang, "kind": n.kind}
            for n in obj.names.all()  # type: ignore[attr-defined]
        ]
    return out


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in NOT_COMPARED}


class Unresolved(Exception):
    def __init__(self, field: str, value: Any) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}={value}")


def resolve_ref(target: type[models.Model], kind: str, value: Any) -> models.Model | None:
    if value is None or value == "":
        return None
    manager = target._default_manager
    if kind == "pk":
        return manager.filter(pk=value).first()
    return manager.filter(**{kind: value}).first()


def field_values(
    model: type[models.Model], data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[Any]], dict[str, Any]]:
    """(plain field values, m2m values, references left unresolved) from a serialised record."""
    values: dict[str, Any] = {}
    m2m: dict[str, list[Any]] = {}
    held: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.name not in data:
            continue
        raw = data[f.name]
        if f.is_relation:
            assert f.related_model is not None and not isinstance(f.related_model, str)
            kind = _ref_kind(f.related_model)
            target = resolve_ref(f.related_model, kind, raw)
            if raw not in (None, "") and target is None:
                if not f.null:
                    raise Unresolved(f.name, raw)
                held[f.name] = raw
            values[f.name] = target
        else:
            values[f.name] = f.to_python(raw) if raw is not None else None
    for f in model._meta.many_to_many:
        if f.name not in data:
            continue
        assert f.related_model is not None and not isinstance(f.related_model, str)
        kind = _ref_kind(f.related_model)
        found = [resolve_ref(f.related_model, kind, v) for v in data[f.name] or []]
        m2m[f.name] = [o for o in found if o is not None]
    return values, m2m, held
