"""Places of the gazetteer by any of their names in any script (哈密, Хами, Qumul, Kumul):
the place picker, the place filter and the spreadsheet import's hometowns ask this."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from aigaq.names import match_keys, normalize, similarity, to_comparison
from aigaq.people.models import Place, PlaceName
from aigaq.search.candidates import MIN_SUBSTRING
from aigaq.search.query import MAX_LIMIT, clean_query


@dataclass
class PlaceHit:
    place: Place
    score: float
    matched_name: str
    names: list[str]


@dataclass(frozen=True)
class _PlaceEntry:
    place_id: Any
    name: str
    norm: str  # normalize(name)
    compact: str  # comparison form without spaces
    keys: frozenset[str]


_place_cache: dict[str, Any] = {"stamp": None, "entries": []}
_place_lock = threading.Lock()


def _place_entries() -> list[_PlaceEntry]:
    """Every place name with its folded forms, cached until the gazetteer changes."""
    # Names are only ever added by the loader (or edited in the admin): the count and the
    # newest row tell whether the cache is stale.
    stamp = (
        PlaceName.objects.count(),
        PlaceName.objects.order_by("-id").values_list("id", "place_id", "name").first(),
    )
    with _place_lock:
        if _place_cache["stamp"] == stamp:
            return list(_place_cache["entries"])
    entries = [
        _PlaceEntry(
            pid,
            name,
            normalize(name),
            to_comparison(name).replace(" ", ""),
            frozenset(match_keys(name)),
        )
        for pid, name in PlaceName.objects.values_list("place_id", "name")
    ]
    with _place_lock:
        _place_cache.update(stamp=stamp, entries=entries)
    return entries


def _place_score(entry: _PlaceEntry, norm: str, compact: str, keys: set[str], q: str) -> float:
    if norm == entry.norm or (compact and compact == entry.compact):
        return 1.0
    # A prefix in the query's own script from one letter (a picker as one types); across
    # scripts from two, as the substring rules (a comparison form folds repeated letters: 'x' *
    # 10,000 compares as 'h', which starts half the gazetteer).
    if entry.norm.startswith(norm) or (len(compact) >= 2 and entry.compact.startswith(compact)):
        return 0.9
    if len(norm) >= 2 and norm in entry.norm:
        return 0.75
    if len(compact) >= MIN_SUBSTRING and compact in entry.compact:
        return 0.7
    if keys & entry.keys:
        return 0.85 * similarity(q, entry.name)
    return 0.0


def search_places(query: str, limit: int = 20) -> list[PlaceHit]:
    """Places of the gazetteer whose names in any script match ``query``, best first.

    Exact names (up to script and spelling) first, then names starting with the query, then
    names containing it, then close variants. Works from two characters (哈密, 塔城)."""
    limit = max(1, min(int(limit or 20), MAX_LIMIT))
    q = clean_query(query)
    norm = normalize(q)
    if not norm:
        return []
    compact = to_comparison(q).replace(" ", "")
    keys = match_keys(q)
    best: dict[Any, tuple[float, str]] = {}
    for entry in _place_entries():
        score = _place_score(entry, norm, compact, keys, q)
        if score >= 0.6 and score > best.get(entry.place_id, (0.0, ""))[0]:
            best[entry.place_id] = (score, entry.name)
    if not best:
        return []
    places = Place.objects.in_bulk(list(best))
    depth = {pid: p.path.count("/") for pid, p in places.items()}
    order = sorted(best, key=lambda pid: (-best[pid][0], depth.get(pid, 0), places[pid].name))
    order = [pid for pid in order if pid in places][:limit]
    names: dict[Any, list[str]] = {pid: [] for pid in order}
    for pid, name in (
        PlaceName.objects.filter(place_id__in=order).order_by("id").values_list("place_id", "name")
    ):
        if name not in names[pid]:
            names[pid].append(name)
    return [
        PlaceHit(places[pid], round(best[pid][0], 4), best[pid][1], names[pid]) for pid in order
    ]
