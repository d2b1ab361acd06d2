"""Counters that never go back: entry numbers are never reused, even after a merge."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from aigaq.core.models import Sequence


def sequence_allocate(name: str, count: int = 1) -> int:
    """Reserve `count` numbers; return the first. Runs in (or opens) a transaction."""
    if count < 1:
        raise ValueError("count must be at least 1")
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        Sequence.objects.filter(name=name).update(last_value=F("last_value") + count)
        last = Sequence.objects.values_list("last_value", flat=True).get(name=name)
    return int(last) - count + 1


def sequence_raise_to(name: str, value: int) -> None:
    """Make sure the counter is at least `value` (after imports that carry their numbers)."""
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        Sequence.objects.filter(name=name, last_value__lt=value).update(last_value=value)
