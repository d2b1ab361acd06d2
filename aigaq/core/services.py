"""Helpers every write service uses: create and update with audit and optimistic locking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from axes.utils import reset as axes_reset
from django.db import models, transaction

from aigaq.core import audit
from aigaq.core.locking import bump, lock_for_edit
from aigaq.core.models import AuditEntry

M = TypeVar("M", bound=models.Model)


def _split(
    model: type[models.Model], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    plain: dict[str, Any] = {}
    m2m: dict[str, Any] = {}
    for key, value in data.items():
        field = model._meta.get_field(key)
        (m2m if getattr(field, "many_to_many", False) else plain)[key] = value
    return plain, m2m


def create_audited(
    model: type[M], *, actor: Any, data: Mapping[str, Any], person_id: Any = None, note: str = ""
) -> M:
    """Create a row and its audit entry in the caller's transaction (opened if none)."""
    plain, m2m = _split(model, data)
    with transaction.atomic():
        obj = model(**plain)
        obj.full_clean(exclude=[*m2m, *_noneditable(model)], validate_unique=False)
        obj.save()
        for key, value in m2m.items():
            getattr(obj, key).set(value)
        restricted: frozenset[str] = getattr(model, "RESTRICTED_FIELDS", frozenset())
        after = audit.snapshot(obj, list(data))
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=obj,
            changes=audit.diff({}, after, restricted),
            person_id=person_id if person_id is not None else _person_id(obj),
            note=note,
        )
    return obj


def update_audited(
    obj: M,
    *,
    actor: Any,
    changes: Mapping[str, Any],
    expected_version: int | None,
    person_id: Any = None,
    note: str = "",
) -> M:
    """Apply `changes` if the row is still at `expected_version`; audit before/after.
    Raises core.locking.EditConflict when someone else saved in between."""
    model = type(obj)
    plain, m2m = _split(model, changes)
    with transaction.atomic():
        current = lock_for_edit(model, obj.pk, expected_version)
        fields = list(changes)
        before = audit.snapshot(current, fields)
        for key, value in plain.items():
            setattr(current, key, value)
        current.full_clean(exclude=[*m2m, *_noneditable(model)], validate_unique=False)
        for key, value in m2m.items():
            getattr(current, key).set(value)
        after = audit.snapshot(current, fields)
        restricted: frozenset[str] = getattr(model, "RESTRICTED_FIELDS", frozenset())
        delta = audit.diff(before, after, restricted)
        if delta:
            bump(current)
            current.save()
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=current,
                changes=delta,
                person_id=person_id if person_id is not None else _person_id(current),
                note=note,
            )
    return current


def _noneditable(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if not f.editable]


def _person_id(obj: models.Model) -> Any:
    if obj._meta.label_lower == "people.person":
        return obj.pk
    return getattr(obj, "person_id", None)


def user_unlock(*, username: str, actor: Any = None) -> int:
    """Lift the sign-in lockout of `username` from every address (django-axes' failure counts
    are removed) and audit it. Returns how many lockout records were removed."""
    with transaction.atomic():
        removed = axes_reset(username=username)
        audit.record_sign_in_event(
            action=AuditEntry.Action.UNLOCK,
            username=username,
            actor=actor,
            changes={"removed": removed},
        )
    return removed
