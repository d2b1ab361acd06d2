"""Explicit hooks run by people.services after each person write (no Django signals).

The search index registers itself here, so every write path keeps it current."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PERSON_WRITTEN: list[Callable[[Any], None]] = []
