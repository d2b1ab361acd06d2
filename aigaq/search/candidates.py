"""The candidates of a person search: persons filed under the query's keys in the match-key
index (search_namekey), or holding it in a name form (the substring index), checked against
what the reader may see and the filters. Every step is an index lookup with a LIMIT: no
query ever scans the person table (decision 0005).

Person ids travel through this hot path as the database returns them (a 32-character hex
string on SQLite, a UUID on PostgreSQL): building a UUID object per index row cost more
than the index lookups. Only the final shortlist is converted (:func:`db_id`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet

from aigaq.names.keys import PREFIX_LEN, WHOLE_NAME, KeyKind
from aigaq.people.models import PERSON_FILTER_INDEX, PERSON_HOME_INDEX, Person, PersonName, Place
from aigaq.search.filters import Years
from aigaq.search.models import NameForm
from aigaq.search.query import Reading, query_bridge_keys
from aigaq.search.ranking import shortlist

#: Candidates taken from each index before re-ranking.
CANDIDATES = 200
#: Substring search needs at least this many letters (the trigram index's unit).
MIN_SUBSTRING = 3
#: A per-part key held by more persons than this is a hub (a common name part): it is not
#: grouped when the query has rarer keys.
HUB = 2000
#: Postings of the query's bridge keys read (aigaq.search.query.BRIDGE_KEYS) at most.
BRIDGE_ROWS = 200
#: What a shared key weighs when candidates are ordered by the keys they share with the query.
KEY_WEIGHTS: Mapping[str, int] = {
    KeyKind.EXACT: 16,
    KeyKind.SOUND: 6,
    KeyKind.JOINED: 6,
    KeyKind.SKELETON: 4,
    KeyKind.STEM: 2,
    KeyKind.PART_SOUND: 1,
}
#: Keys counted per statement by KeyCounts (two parameters each).
_COUNT_BATCH = 200

#: A place whose persons (its own and its sub-places') number at most this many is searched
#: place first: the key postings are read only for the persons living there, found in one
#: stretch of the (hometown, id) index. Otherwise the candidates are checked by primary key,
#: one random read each, and a small place keeps so few of them that thousands are checked:
#: at 1,000,000 persons, 250 ms for a place holding 6% of them when the pages were not in
#: memory (decision 0005).
PLACE_FIRST = 30_000
#: Most postings read for a place-first search (the place decides which of them count).
PLACE_SCAN = 50_000
#: Whether a place is small, remembered this many seconds: counting a large place's persons
#: up to PLACE_FIRST reads 30,000 index entries (5 ms), and a place grows slowly. A stale
#: answer only picks the slower of two ways to the same hits.
PLACE_SIZE_TTL = 600.0
_place_sizes: dict[tuple[Any, ...], tuple[float, bool]] = {}

#: Most index rows read per key group when filters must pick the persons (bounded work
#: for "every Nurlan born 1973-1977" whatever the size of the database). 20,000 until
#: 2026-12-03: at 1,000,000 persons 5,000 kept the same recall@10 with a place filter (0.953
#: against 0.949 on SQLCipher, 0.954 against 0.950 on PostgreSQL) and with a birth year
#: (0.972), and cut the place-filtered p95 on PostgreSQL from 47-59 ms to 35-38 ms.
FILTER_SCAN = 5_000
_FILTER_CHUNK, _FILTER_CHUNK_MAX = 100, 1000


@dataclass(frozen=True)
class Found:
    """Candidates from the key index: person ids (database form), best first, and the keys
    of the query that some person is filed under (which tell a whole name part from the
    start of one, and which readings of the query found someone)."""

    ids: list[Any]
    hit_keys: frozenset[str]


@dataclass(frozen=True)
class Shortlist:
    """What a name search scores: the candidates' ids (database form) in key order, their
    stored comparison forms, and the keys of the query that found someone."""

    ids: list[Any]
    forms: dict[Any, list[str]]
    hit_keys: frozenset[str]


def key_weight(key: str) -> int:
    return KEY_WEIGHTS.get(key[:PREFIX_LEN], 1)


def db_id(pid: Any) -> Any:
    """A person id as the database returns it in raw rows."""
    pk = Person._meta.pk
    assert pk is not None
    return pk.get_db_prep_value(pid, connection)


def _year_sql(years: Years | None) -> tuple[str, list[int]]:
    """The index's condition for a birth-year filter (the same rule as apply_filters: a
    person born "1970-1975" is kept by any range that overlaps; unknown years never are)."""
    born_from, born_to = years or (None, None)
    sql, params = "", []
    if born_from is not None:
        sql += " AND year_hi >= %s"
        params.append(born_from)
    if born_to is not None:
        sql += " AND year_lo <= %s"
        params.append(born_to)
    return sql, params


def key_rows(
    keys: list[str], max_rows: int, years: Years | None = None, homes: list[Any] | None = None
) -> list[tuple[Any, str]]:
    """(person id, key) rows filed under these keys, of persons born in ``years`` when given
    (index-only on (key, person_id, year_lo, year_hi)); with ``homes`` (place ids, database
    form) only of persons whose hometown is one of them, among the first PLACE_SCAN rows."""
    marks = ", ".join(["%s"] * len(keys))
    cond, params = _year_sql(years)
    sql = f"SELECT person_id, key FROM search_namekey WHERE key IN ({marks}){cond}"  # noqa: S608 - placeholders only
    args: list[Any]
    if homes is None:
        sql += " LIMIT %s"
        args = [*keys, *params, max_rows]
    else:
        sql = (
            f"SELECT person_id, key FROM ({sql} LIMIT %s) AS k WHERE person_id IN "  # noqa: S608
            f"({home_persons_sql(len(homes))}) LIMIT %s"
        )
        args = [*keys, *params, PLACE_SCAN, *homes, max_rows]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def home_persons_sql(n: int) -> str:
    """Ids of the persons whose hometown is one of ``n`` places, from the (hometown, id)
    index alone (named for SQLite, which without statistics may take another)."""
    table = Person._meta.db_table
    source = f'"{table}"'
    if connection.vendor == "sqlite":
        source += f' INDEXED BY "{PERSON_HOME_INDEX}"'
    marks = ", ".join(["%s"] * n)
    return f"SELECT id FROM {source} WHERE hometown_id IN ({marks})"  # noqa: S608


def small_place(homes: list[Any]) -> bool:
    """Whether at most PLACE_FIRST persons live in these places (counted index-only, up to
    one more than that; remembered PLACE_SIZE_TTL seconds)."""
    key = (connection.alias, connection.settings_dict["NAME"], PLACE_FIRST, *sorted(homes))
    now = time.monotonic()
    known = _place_sizes.get(key)
    if known is not None and now - known[0] < PLACE_SIZE_TTL:
        return known[1]
    sql = f"SELECT COUNT(*) FROM ({home_persons_sql(len(homes))} LIMIT %s) AS h"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*homes, PLACE_FIRST + 1])
        small = int(cursor.fetchone()[0]) <= PLACE_FIRST
    if len(_place_sizes) > 10_000:  # one entry per place filtered by: bounded all the same
        _place_sizes.clear()
    _place_sizes[key] = (now, small)
    return small


class KeyCounts:
    """How many persons each key holds, counted up to ``cap`` (index-only, bounded), each key
    once per search: the filtered re-read of the index asks for the same keys again.

    One statement for many keys (a scalar subquery per key): a Chinese name read at each
    possible cut has a hundred part keys, and a round trip per key cost 20 ms on
    PostgreSQL."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._known: dict[str, int] = {}

    def of(self, keys: list[str]) -> dict[str, int]:
        todo = [key for key in keys if key not in self._known]
        one = "(SELECT COUNT(*) FROM (SELECT 1 FROM search_namekey WHERE key = %s LIMIT %s) t)"
        with connection.cursor() as cursor:
            for start in range(0, len(todo), _COUNT_BATCH):
                batch = todo[start : start + _COUNT_BATCH]
                cursor.execute(
                    "SELECT " + ", ".join([one] * len(batch)),
                    [value for key in batch for value in (key, self.cap)],
                )
                row = cursor.fetchone()
                self._known.update((key, int(n)) for key, n in zip(batch, row, strict=True))
        return {key: self._known[key] for key in keys}


def hub_counts() -> KeyCounts:
    """The counts a search makes to tell hub keys (held by more than HUB persons) apart."""
    return KeyCounts(HUB + 1)


@dataclass(frozen=True)
class _Weighted:
    rows: list[tuple[Any, int]]  # (person id, weight of the keys shared), best first
    hit_keys: frozenset[str]


def _part_key_candidates(keys: list[str], counts: KeyCounts, years: Years | None) -> _Weighted:
    """Persons sharing the most per-part keys with the query (``t:`` counts double).

    Hub keys (a common name part held by more than ``HUB`` persons) are left out when rarer
    keys remain: grouping their postings would cost time linear in the database, and the
    rarer parts select the person anyway. The rows grouped are capped."""
    held = counts.of(keys)
    hit = frozenset(k for k, c in held.items() if c)
    rare = [k for k in keys if held[k] <= HUB]
    if not rare:
        # Every part is common: the rows of the rarest key only, in index order.
        rarest = min(keys, key=lambda k: held[k])
        return _Weighted([(pid, 1) for pid, _key in key_rows([rarest], CANDIDATES, years)], hit)
    marks = ", ".join(["%s"] * len(rare))
    cond, params = _year_sql(years)
    sql = (
        "SELECT person_id, SUM(CASE WHEN key LIKE %s THEN 2 ELSE 1 END) AS w "  # noqa: S608
        f"FROM search_namekey WHERE key IN ({marks}){cond} "
        "GROUP BY person_id ORDER BY w DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{KeyKind.STEM}%", *rare, *params, CANDIDATES])
        return _Weighted([(pid, int(w)) for pid, w in cursor.fetchall()], hit)


def key_candidates(
    keys: set[str] | frozenset[str],
    limit: int,
    counts: KeyCounts,
    cmp_parts: int = 2,
    years: Years | None = None,
) -> Found:
    """Person ids sharing keys with the query (born in ``years`` when given), most
    (weighted) shared keys first.

    Whole-name keys (x:, n:, j:, s:) are selective: they are looked up first. Per-part keys
    (t:, p:) are asked only when the whole-name keys found fewer than ``limit`` persons (a
    partial or unusual name); their postings are long, so that query is grouped and capped."""
    whole = sorted(k for k in keys if k.startswith(WHOLE_NAME))
    parts = sorted(k for k in keys if not k.startswith(WHOLE_NAME))
    weights: dict[Any, int] = {}
    hit: set[str] = set()
    if whole:
        for pid, key in key_rows(whole, CANDIDATES * 4, years):
            weights[pid] = weights.get(pid, 0) + key_weight(key)
            hit.add(key)
    if parts and len(weights) < limit:
        if cmp_parts <= 1:
            # One name part: every candidate shares the same keys, so grouping them would
            # only cost time; the first rows of the index will do.
            for pid, key in key_rows(parts, CANDIDATES, years):
                weights.setdefault(pid, 1)
                hit.add(key)
        else:
            grouped = _part_key_candidates(parts, counts, years)
            hit.update(grouped.hit_keys)
            for pid, w in grouped.rows:
                weights[pid] = weights.get(pid, 0) + w
    ranked = sorted(weights, key=lambda pid: -weights[pid])[:CANDIDATES]
    return Found(ranked, frozenset(hit))


def filtered_key_candidates(
    keys: set[str] | frozenset[str],
    base: QuerySet[Person],
    want: int,
    counts: KeyCounts,
    checked: Mapping[Any, bool] | None = None,
    years: Years | None = None,
    homes: list[Any] | None = None,
) -> Found:
    """Person ids sharing keys with the query *and kept by* ``base`` (filters, visibility),
    most shared keys first: for when the filters dropped most of the unfiltered candidates,
    or (``homes``: the place filter's places, database form) when the place is small.

    The postings are read with no filter but the birth years (``years``, which the index
    holds) and the ``homes`` (index-only, capped at FILTER_SCAN rows: whole name keys, then
    per-part keys without the hubs, or the rarest one when all are hubs), ranked by weight,
    and checked against ``base`` by primary key in that order, in growing chunks, until
    ``want`` are kept (each check is a random read of an encrypted page: the best-ranked
    few are what the shortlist needs). ``checked``: ids whose fate is already known (True:
    kept). Joining the postings to the person query in SQL instead let SQLite walk every
    person the filters keep (seconds at 1,000,000): ``homes`` joins them to a small place's
    persons only, read from the (hometown, id) index."""
    whole = sorted(k for k in keys if k.startswith(WHOLE_NAME))
    parts = sorted(k for k in keys if not k.startswith(WHOLE_NAME))
    weights: dict[Any, int] = {}
    hit: set[str] = set()
    if whole:
        for pid, key in key_rows(whole, FILTER_SCAN, years, homes):
            weights[pid] = weights.get(pid, 0) + key_weight(key)
            hit.add(key)
    if parts:
        held = counts.of(parts)
        hit.update(k for k, c in held.items() if c)
        use = [k for k in parts if held[k] <= HUB] or [min(parts, key=lambda k: held[k])]
        for pid, key in key_rows(use, FILTER_SCAN, years, homes):
            weights[pid] = weights.get(pid, 0) + (2 if key.startswith(KeyKind.STEM) else 1)
    ranked = sorted(weights, key=lambda pid: -weights[pid])
    known = checked or {}
    kept: list[Any] = []
    start, chunk_size = 0, _FILTER_CHUNK
    while start < len(ranked) and len(kept) < want:
        chunk = ranked[start : start + chunk_size]
        start += chunk_size
        chunk_size = min(chunk_size * 2, _FILTER_CHUNK_MAX)
        seen = visible(base, [pid for pid in chunk if pid not in known])
        kept.extend(pid for pid in chunk if known.get(pid) or pid in seen)
    return Found(kept[:want], frozenset(hit))


def substring_candidates(cmp: str, base: QuerySet[Person] | None) -> list[Any]:
    """Person ids with a name form containing the query: the whole folded query as one
    phrase when it has several words ("kaisar d" finds "kaisar dauletuli"), else its word
    (>= MIN_SUBSTRING letters)."""
    words = cmp.split()
    if len(words) > 1 and len(cmp) >= MIN_SUBSTRING:
        words = [cmp]
    words = [w for w in words if len(w) >= MIN_SUBSTRING][:4]
    if not words:
        return []
    if connection.vendor == "sqlite":
        where = " AND ".join(["f.form LIKE %s"] * len(words))
        sql = (
            "SELECT n.person_id FROM search_nameform_fts f "  # noqa: S608 - fixed text only
            "JOIN search_nameform n ON n.id = f.rowid WHERE " + where + " LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [f"%{w}%" for w in words] + [CANDIDATES * 2])
            ids = list(dict.fromkeys(row[0] for row in cursor.fetchall()))
    else:
        cond = Q()
        for w in words:
            cond &= Q(form__contains=w)
        rows = NameForm.objects.filter(cond).values_list("person_id", flat=True)
        ids = list(dict.fromkeys(db_id(pid) for pid in rows[: CANDIDATES * 2]))
    # The filters are checked on the found ids, as for the keys' candidates: joining the
    # substring search to the filtered persons let PostgreSQL walk every person in a
    # prefecture (4 s at 1,000,000 persons).
    if base is not None:
        seen = visible(base, ids)
        ids = [pid for pid in ids if pid in seen]
    return ids[:CANDIDATES]


def forms_of(ids: list[Any]) -> dict[Any, list[str]]:
    """Stored comparison forms per person id (ids as the database returns them)."""
    out: dict[Any, list[str]] = {pid: [] for pid in ids}
    if not ids:
        return out
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT person_id, form FROM search_nameform WHERE person_id IN ({marks})"  # noqa: S608 - placeholders only
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        for pid, form in cursor.fetchall():
            out.setdefault(pid, []).append(form)
    return out


def names_of(ids: list[Any]) -> dict[Any, list[str]]:
    """Every name of these persons (model ids), in the order the person page shows them."""
    out: dict[Any, list[str]] = {pid: [] for pid in ids}
    rows = (
        PersonName.objects.filter(person_id__in=ids)
        .order_by("position", "id")
        .values_list("person_id", "full_name")
    )
    for pid, name in rows:
        out[pid].append(name)
    return out


def bridge_ids(
    keys: list[str], known: list[Any], years: Years | None, homes: list[Any] | None
) -> list[Any]:
    """Persons filed under these bridge keys (born in ``years``, living in ``homes`` when
    given) that are not among ``known``, in index order, at most BRIDGE_ROWS read."""
    if not keys:
        return []
    seen = set(known)
    out = []
    for pid, _key in key_rows(keys, BRIDGE_ROWS, years, homes or None):
        if pid not in seen:
            seen.add(pid)
            out.append(pid)
    return out


def kept(base: QuerySet[Person], ids: list[Any]) -> list[Any]:
    """``ids`` that ``base`` keeps (visibility, filters), in their order."""
    if not ids:
        return []
    seen = visible(base, ids)
    return [pid for pid in ids if pid in seen]


def _visible_by_orm(base: QuerySet[Person], ids: list[Any]) -> set[Any]:
    return {db_id(pk) for pk in base.filter(pk__in=ids).order_by().values_list("pk", flat=True)}


def visible(base: QuerySet[Person], ids: list[Any]) -> set[Any]:
    """Which of ``ids`` (database form) ``base`` keeps: one query by primary key.

    Every column that visibility and the list filters read is in one index keyed by id
    (people_person_filter_cover), so each candidate costs one index lookup instead of a read
    of its row. SQLite is told to use it (INDEXED BY): without planner statistics, which a
    laptop's database rarely has, it takes the primary key's own index and reads every row."""
    if not ids:
        return set()
    if connection.vendor != "sqlite":
        return _visible_by_orm(base, ids)
    try:
        sql, params = base.order_by().values_list("pk", flat=True).query.sql_with_params()
    except EmptyResultSet:  # a filter that keeps nobody (an unknown place)
        return set()
    table = Person._meta.db_table
    source = f'FROM "{table}" '
    if source not in sql:  # not the plain query this expects: let Django build it
        return _visible_by_orm(base, ids)
    sql = sql.replace(source, f'{source}INDEXED BY "{PERSON_FILTER_INDEX}" ', 1)
    marks = ", ".join(["%s"] * len(ids))
    glue = " AND " if " WHERE " in sql else " WHERE "
    sql = f'{sql}{glue}"{table}"."id" IN ({marks})'
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *ids])
        return {row[0] for row in cursor.fetchall()}


@dataclass(frozen=True)
class _Ask:
    """One name query's lookups: its readings and their keys and comparison forms, the
    persons it may return (``base``), how many candidates it scores (``size``) and wants
    (``limit``), the birth years the index decides, and the search's hub counts."""

    readings: list[Reading]
    keys: frozenset[str]
    cmps: list[str]
    base: QuerySet[Person]
    size: int
    limit: int
    years: Years | None
    counts: KeyCounts

    def short(self, ids: list[Any], hit_keys: frozenset[str]) -> Shortlist:
        """``ids`` with their forms, cut to ``size`` by the cheap string ratio."""
        forms = forms_of(ids)
        return Shortlist(shortlist(self.cmps, ids, forms, self.size), forms, hit_keys)

    def bridged(self, found: Found, homes: list[Any] | None) -> list[Any]:
        """Persons the query meets only through its bridge keys, not among ``found``."""
        keys = query_bridge_keys(self.readings, found.hit_keys)
        return bridge_ids(keys, found.ids, self.years, homes)


def by_keys(
    readings: list[Reading],
    base: QuerySet[Person],
    *,
    size: int,
    limit: int,
    filters: bool,
    restricted: bool,
    years: Years | None = None,
    homes: list[Any] | None = None,
) -> Shortlist:
    """The candidates of a name query among ``base``, cut to ``size`` by a cheap string ratio
    on their stored comparison forms and checked for visibility and filters (the costly
    similarity then scores this shortlist only).

    ``filters``: the caller's filters other than the birth years narrow ``base``;
    ``restricted``: the user's visibility does (any user but SYSTEM); ``years``: the filters'
    birth-year range, decided in the index as it is read (``base`` applies it again, with
    every other filter); ``homes``: the place filter's places, if any (a small place is
    searched place first)."""
    ask = _Ask(
        readings,
        frozenset().union(*(r.keys for r in readings)),
        comparison_forms(readings),
        base,
        size,
        limit,
        years,
        hub_counts(),  # the part keys' hub counts, made once per search
    )
    place_pk = Place._meta.pk
    assert place_pk is not None
    homes_db = [place_pk.get_db_prep_value(h, connection) for h in homes or ()]
    if homes_db and small_place(homes_db):
        return _place_first(ask, homes_db)
    found = key_candidates(ask.keys, limit, ask.counts, len(readings[0].cmp.split()), years)
    if filters:
        return _filtered_first(ask, found)
    return _sight_last(ask, found, restricted)


def _place_first(ask: _Ask, homes: list[Any]) -> Shortlist:
    """Few persons live in the place filtered by: the postings of those persons only, then
    the other filters on them (nearly all kept)."""
    found = filtered_key_candidates(
        ask.keys, ask.base, ask.size, ask.counts, years=ask.years, homes=homes
    )
    ids = found.ids + kept(ask.base, ask.bridged(found, homes))
    return ask.short(ids, found.hit_keys)


def _filtered_first(ask: _Ask, found: Found) -> Shortlist:
    """Filters drop most candidates (a birth year keeps one person in ten): check them all
    (one primary-key query for at most CANDIDATES ids) before the shortlist."""
    seen = visible(ask.base, found.ids)
    if len(seen) < ask.limit and len(seen) < len(found.ids):
        # Too few kept, and the unfiltered list may have crowded out others the filters
        # keep: the index again, with the filters deciding as it is read.
        checked = {pid: pid in seen for pid in found.ids}
        again = filtered_key_candidates(
            ask.keys, ask.base, ask.size, ask.counts, checked, ask.years
        )
        found = Found(again.ids, found.hit_keys | again.hit_keys)
    else:
        found = Found([pid for pid in found.ids if pid in seen], found.hit_keys)
    ids = found.ids + kept(ask.base, ask.bridged(found, None))
    return ask.short(ids, found.hit_keys)


def _sight_last(ask: _Ask, found: Found, restricted: bool) -> Shortlist:
    """Visibility alone rarely drops a candidate (nor does a birth year, which the index has
    applied already): check the shortlist only."""
    listed = ask.short(found.ids + ask.bridged(found, None), found.hit_keys)
    seen = visible(ask.base, listed.ids)
    if (restricted or ask.years) and len(seen) < ask.limit and len(seen) < len(listed.ids):
        # Most candidates are out of this user's sight: the ones in it, from the index.
        again = filtered_key_candidates(ask.keys, ask.base, ask.size, ask.counts, years=ask.years)
        listed = ask.short(again.ids, found.hit_keys | again.hit_keys)
        seen = set(listed.ids)
    return Shortlist([pid for pid in listed.ids if pid in seen], listed.forms, listed.hit_keys)


def comparison_forms(readings: list[Reading]) -> list[str]:
    """The comparison forms of the query's readings, each once, in reading order."""
    return list(dict.fromkeys(r.cmp for r in readings if r.cmp))
