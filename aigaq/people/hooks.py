"""Explicit hooks run by people.services after each person write (no Django signals).

The search index registers itself here, so every write path keeps it current."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

PERSON_WRITTEN: list[Callable[[Any], None]] = []
"""Run with each person written (created, changed, merged) by people.services."""

PERSONS_CREATED: list[Callable[[list[Any], Mapping[Any, list[str]], int], None]] = []
"""Run once with the persons people.services.persons_create_bulk created: their ids, the full
names of each, and how many worker processes the caller allows for the derived data."""
