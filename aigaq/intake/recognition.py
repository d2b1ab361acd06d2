"""Recognising a returning visitor by name, in any spelling, script or word order.

The same matching as the search and the duplicates queue (aigaq.names): the whole-name match
keys find the candidates, and the similarity decides (SAME_PERSON_THRESHOLD). Earlier visits
and testifiers already on record (recorded at the desk, in the testimony form, imported) are
both looked at. Their keys are derived data in ``VisitorKey``, filled here lazily: before each
lookup, every record whose keys are missing or older than the record (or than the names
library, KEYS_VERSION) is keyed, so nothing else has to remember to do it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from aigaq.intake.models import Visit, VisitorKey
from aigaq.names import KEYS_VERSION, SAME_PERSON_THRESHOLD, best_similarity, match_keys
from aigaq.names.keys import WHOLE_NAME
from aigaq.testimonies.models import Testifier

_KEY_MAX = 80
#: Candidates read per lookup at most (a very common name): the most recent first.
CANDIDATES_MAX = 200
_OTHER_NAMES = re.compile(r"[;\n,，、؛]+")


@lru_cache(maxsize=4096)
def name_keys(name: str) -> frozenset[str]:
    """The whole-name keys of one name (exact, sound, skeleton, joined: selective ones)."""
    return frozenset(k for k in match_keys(name) if k.startswith(WHOLE_NAME) and len(k) <= _KEY_MAX)


def _testifier_names(full_name: str, other_names: str) -> list[str]:
    names = [full_name, *_OTHER_NAMES.split(other_names or "")]
    return [" ".join(n.split()) for n in names if n and n.strip()]


def _stale(model: type[Any], owner: str) -> QuerySet[Any]:
    current = VisitorKey.objects.filter(
        **{owner: OuterRef("pk")},
        record_version=OuterRef("version"),
        keys_version=KEYS_VERSION,
    )
    return model._default_manager.filter(~Exists(current))


def _rows(owner: str, obj_id: Any, version: int, names: Iterable[str]) -> list[VisitorKey]:
    keys: set[str] = set()
    for name in names:
        keys |= name_keys(name)
    return [
        VisitorKey(
            **{f"{owner}_id": obj_id},
            key=k,
            record_version=version,
            keys_version=KEYS_VERSION,
        )
        for k in sorted(keys or {""})
    ]


def refresh_keys() -> int:
    """Key every visit and testifier whose keys are missing or stale; how many were keyed."""
    done = 0
    for model, owner, fields in (
        (Visit, "visit", ("visitor_name",)),
        (Testifier, "testifier", ("full_name", "other_names")),
    ):
        stale = list(_stale(model, owner).values_list("pk", "version", *fields)[:5000])
        if not stale:
            continue
        rows: list[VisitorKey] = []
        for pk, version, *texts in stale:
            names = texts if owner == "visit" else _testifier_names(texts[0], texts[1])
            rows.extend(_rows(owner, pk, version, names))
        with transaction.atomic():
            VisitorKey.objects.filter(**{f"{owner}_id__in": [s[0] for s in stale]}).delete()
            VisitorKey.objects.bulk_create(rows, batch_size=500)
        done += len(stale)
    return done


def _confirmed(name: str, candidates: Iterable[tuple[Any, list[str]]]) -> list[Any]:
    return [pk for pk, names in candidates if best_similarity(name, names) >= SAME_PERSON_THRESHOLD]


def visits_named(name: str) -> list[Any]:
    """Ids of visits whose visitor has this name (any spelling, script or order), newest
    first."""
    keys = name_keys(name)
    if not keys:
        return []
    refresh_keys()
    ids = VisitorKey.objects.filter(key__in=keys, visit__isnull=False).values("visit_id")
    rows = (
        Visit.objects.filter(pk__in=ids)
        .order_by("-arrived_at")
        .values_list("pk", "visitor_name")[:CANDIDATES_MAX]
    )
    return _confirmed(name, ((pk, [n]) for pk, n in rows))


def testifiers_named(name: str) -> list[Any]:
    """Ids of testifiers on record with this name (full name or another spelling given)."""
    keys = name_keys(name)
    if not keys:
        return []
    refresh_keys()
    ids = VisitorKey.objects.filter(key__in=keys, testifier__isnull=False).values("testifier_id")
    rows = (
        Testifier.objects.filter(pk__in=ids)
        .order_by("-created_at")
        .values_list("pk", "full_name", "other_names")[:CANDIDATES_MAX]
    )
    return _confirmed(name, ((pk, _testifier_names(f, o)) for pk, f, o in rows))
