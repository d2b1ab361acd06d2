"""Optimistic locking: an edit carries the version it started from; if the record moved on in
the meantime the write is refused with both versions, never silently overwritten."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class EditConflict(Exception):
    def __init__(self, current: Any, expected_version: int) -> None:
        self.current = current
        self.expected_version = expected_version
        super().__init__(
            f"{current._meta.verbose_name} was changed by someone else "
            f"(now version {getattr(current, 'version', '?')}, you edited version {expected_version})"
        )


def lock_for_edit(model: type[models.Model], pk: Any, expected_version: int | None) -> Any:
    """Fetch the current row inside a transaction; raise EditConflict if its version moved."""
    current: Any = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current, expected_version)
    return current


def bump(obj: Any) -> None:
    obj.version = (obj.version or 0) + 1
    obj.updated_at = timezone.now()
