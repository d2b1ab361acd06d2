"""The audit log: every write service calls `record` inside its transaction; views of restricted
fields call `record_read`. Restricted contents never enter the log, only the fact of a change."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aigaq.core.changes import changes_note
from aigaq.core.models import AuditEntry, User

RESTRICTED_MARK = "[restricted]"

# The address of the request being served, set by core.middleware.AuditAddressMiddleware:
# every entry written while serving it records where it came from.
request_address: ContextVar[str | None] = ContextVar("aigaq_request_address", default=None)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field: Any = obj._meta.get_field(name)
        if getattr(field, "many_to_many", False):
            if obj.pk is None:
                out[name] = []
            else:
                out[name] = sorted(str(x) for x in getattr(obj, name).all())
        elif getattr(field, "attname", None):
            out[name] = _plain(getattr(obj, field.attname))
    return out


def diff(
    before: Mapping[str, Any], after: Mapping[str, Any], restricted: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """{field: [before, after]} for fields that changed; restricted values are masked."""
    hidden = set(restricted)
    changes: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = _masked(old, new) if key in hidden else [old, new]
    return changes


def _masked(old: Any, new: Any) -> list[Any]:
    """A restricted field's change: only whether it was and is set, never its contents."""
    return [RESTRICTED_MARK if old else "", RESTRICTED_MARK if new else ""]


def _actor_fields(actor: Any) -> dict[str, Any]:
    address = request_address.get()
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": "system", "address": address}
    return {"actor": actor, "actor_label": actor.get_username(), "address": address}


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
    person_id: uuid.UUID | None = None,
    label: str | None = None,
) -> AuditEntry:
    """Write one audit entry. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the write's transaction")
    if action != AuditEntry.Action.READ:
        changes_note()
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=(label if label is not None else str(obj))[:300],
        person_id=person_id,
        changes=_plain(dict(changes or {})),
        note=note,
    )


def record_created_bulk(
    *,
    actor: Any,
    action: str,
    model: type[models.Model],
    rows: Iterable[tuple[Any, str, Mapping[str, Any], Any]],
    note: str = "",
) -> int:
    """One audit entry per row of `model` created in bulk, each (pk, label, values, person
    id): what `record` writes with ``changes=diff({}, values, model.RESTRICTED_FIELDS)``
    (restricted values masked; empty ones left out), written with a few statements inside the
    caller's transaction. Returns how many entries were written."""
    from aigaq.core.db.bulk import bulk_insert

    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_created_bulk must run inside the write's transaction")
    changes_note()
    restricted: frozenset[str] = getattr(model, "RESTRICTED_FIELDS", frozenset())
    who = _actor_fields(actor)
    actor_id = who["actor"].pk if who["actor"] is not None else None
    object_type = model._meta.label_lower
    now = timezone.now()
    entries = [
        {
            "at": now,
            "actor_id": actor_id,
            "actor_label": who["actor_label"],
            "address": who["address"],
            "action": action,
            "object_type": object_type,
            "object_id": str(pk),
            "object_label": label[:300],
            "person_id": person_id,
            "changes": _created(values, restricted),
            "note": note,
        }
        for pk, label, values, person_id in rows
    ]
    bulk_insert(AuditEntry, entries)
    return len(entries)


_SCALARS = (str, int, float, bool)


def _created(values: Mapping[str, Any], restricted: frozenset[str]) -> dict[str, Any]:
    """``diff({}, values, restricted)`` of a new row, its empty values left out, made plain:
    the same entry ``record`` would write, at a fraction of the cost for 100,000 rows."""
    out: dict[str, Any] = {}
    for key in sorted(values):
        value = values[key]
        if value is None or (type(value) in (str, list, dict) and not value):
            continue
        if key in restricted:
            out[key] = _masked(None, value)
        else:
            out[key] = [None, value if type(value) in _SCALARS else _plain(value)]
    return out


def record_read(
    *, actor: Any, obj: models.Model, fields: Iterable[str], person_id: Any = None
) -> None:
    """Record that `actor` was shown the restricted `fields` of `obj` (names only)."""
    names = sorted(set(fields))
    if not names:
        return
    with transaction.atomic():
        record(
            actor=actor,
            action=AuditEntry.Action.READ,
            obj=obj,
            changes={"fields": names},
            person_id=person_id,
        )


def record_export(
    *,
    actor: Any,
    model: type[models.Model],
    label: str,
    changes: Mapping[str, Any],
) -> AuditEntry:
    """Record that `actor` exported a list of `model` records (one entry per export, not per
    row): `changes` says what was asked (format, filters, row count, the names of the
    restricted fields included), never the contents of a restricted field."""
    with transaction.atomic():
        return AuditEntry.objects.create(
            **_actor_fields(actor),
            action=AuditEntry.Action.EXPORT,
            object_type=model._meta.label_lower,
            object_id="",
            object_label=label[:300],
            changes=_plain(dict(changes)),
        )


def record_sign_in_event(
    *,
    action: str,
    username: str,
    actor: Any = None,
    anonymous: bool = False,
    changes: Mapping[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    """A sign-in event about a user name, which may name no account (a guessed name): the entry
    points at the account when there is one. `anonymous`: done by whoever sent the request
    (a failed sign-in), not by a staff member or the system. Never given a password."""
    user = User.objects.filter(username=username).first()
    who = _actor_fields(actor)
    if anonymous:
        who.update(actor=None, actor_label="")
    with transaction.atomic():
        return AuditEntry.objects.create(
            **who,
            action=action,
            object_type=User._meta.label_lower,
            object_id=str(user.pk) if user is not None else "",
            object_label=username[:300],
            changes=_plain(dict(changes or {})),
            note=note,
        )


def record_sign_in_failure(
    *, username: str, address: str, locked_out: bool, step: str = ""
) -> AuditEntry:
    """A failed sign-in: the user name tried, the address it came from, and whether that user
    name is now locked out from that address; `step` "code" for a wrong second-factor code."""
    changes: dict[str, Any] = {"address": address, "locked_out": locked_out}
    if step:
        changes["step"] = step
    return record_sign_in_event(
        action=AuditEntry.Action.LOGIN_FAILED,
        username=username,
        anonymous=True,
        changes=changes,
    )


def history_for_person(person_id: uuid.UUID, limit: int = 200) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(person_id=person_id).select_related("actor")[:limit]
