"""Finding duplicate candidates: blocking through name match keys, then scoring.

Blocking decides everything at scale (see docs/decisions/0006-duplicates.md):

1. Only *whole-name* keys block (``x:`` exact folded parts, ``n:`` phonetic, ``s:`` skeleton):
   two entries sharing one are very likely the same name. Per-part keys (``p:``, ``t:``) are
   index tokens for search and would pair every Nurlan with every other Nurlan.
   Bridge keys (``c:``/``h:``, :func:`aigaq.names.bridge_keys`) join a name written in Chinese
   characters to the same name in another script, which share no whole-name key (哈比提·铁木尔别克
   and Ғабит Темірбекұлы): an ``h:`` entry pairs with each ``c:`` entry of the same body, never
   two entries of one kind.
2. A key shared by more than ``HUB_CAP`` live persons is a *hub* (a very common full name). It
   is split by birth year; persons without a birth year drop out of that hub block, and a
   sub-block still above the cap is skipped and counted (``stats.hubs_skipped``).
3. Inside a block, a pair is kept only if it is compatible: genders not contradictory, birth
   years (ranges) not more than ``MAX_BIRTH_GAP`` apart.
4. Equal Chinese ID numbers always make a pair, whatever the names.

Then each pair is scored: the best :func:`aigaq.names.similarity` between any of their name
forms, adjusted by birth year, hometown, gender and ID agreement, and by testifiers and
relatives in common. Reasons are kept as codes (rendered and translated by the page).

Rows are read with raw SQL (no model instances, no UUID parsing) so a million persons fit
the time and memory budget; person ids are mapped to small ints while blocking.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.apps import apps
from django.db import connection

from aigaq.names import bridge_keys, match_keys, similarity
from aigaq.names.keys import BLOCKING, KeyKind, key_body

HUB_CAP = 100
MAX_BIRTH_GAP = 3
# In key order: every c: group is read before the h: groups it pairs with.
BLOCK_PREFIXES = BLOCKING
MAX_NAMES_COMPARED = 6
DEFAULT_MIN_SCORE = 0.8

# Score adjustments (documented in docs/decisions/0006-duplicates.md).
BONUS_BIRTH_SAME = 0.05
PENALTY_BIRTH_FAR = 0.30
BONUS_HOMETOWN_SAME = 0.05
PENALTY_HOMETOWN_DIFFERS = 0.30
PENALTY_BIRTH_CLOSE = 0.10
PENALTY_GENDER = 0.40
BONUS_IN_COMMON = 0.05
ID_DIFFERS_FACTOR = 0.3


@dataclass(slots=True)
class Facts:
    pk: Any  # raw database value of the person id
    gender: str
    birth_low: int | None
    birth_high: int | None
    hometown: Any
    chinese_id: str


@dataclass
class ScanStats:
    persons: int = 0
    key_rows: int = 0
    blocks: int = 0
    hubs_split: int = 0
    hubs_skipped: int = 0
    pairs_blocked: int = 0
    pairs_scored: int = 0
    candidates: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    a: uuid.UUID
    b: uuid.UUID
    score: float
    reasons: list[dict[str, Any]]


def as_uuid(raw: Any) -> uuid.UUID:
    return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))


def ordered(a: Any, b: Any) -> tuple[uuid.UUID, uuid.UUID]:
    """A pair in its stored order (smaller UUID first)."""
    ua, ub = as_uuid(a), as_uuid(b)
    return (ua, ub) if ua.hex < ub.hex else (ub, ua)


# ---------------------------------------------------------------------------------------------
# Reading


def name_key_model() -> Any:
    """search.NameKey: the index that search keeps and dedup reads and, in a merge, moves
    (search and dedup are sibling apps that import nothing of each other)."""
    return apps.get_model("search", "NameKey")


def _name_key_table() -> str:
    """search.NameKey's table (dedup reads the index that search keeps; the two apps are
    siblings that import nothing of each other, so the model is asked of the registry)."""
    return str(name_key_model()._meta.db_table)


def _person_table() -> str:
    return str(apps.get_model("people", "Person")._meta.db_table)


def load_facts(only: Iterable[Any] | None = None) -> list[Facts]:
    """Live (not merged) persons, as raw rows."""
    sql = (
        f"SELECT id, gender, birth_year, birth_year_max, hometown_id, chinese_id "  # noqa: S608 - table name from the model
        f"FROM {_person_table()} WHERE merged_into_id IS NULL"
    )
    out: list[Facts] = []
    with connection.cursor() as cur:
        if only is None:
            cur.execute(sql)
            rows: Iterable[Any] = _fetch(cur)
            out = [_facts(r) for r in rows]
        else:
            ids = list(only)
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                marks = ",".join(["%s"] * len(chunk))
                cur.execute(sql + f" AND id IN ({marks})", chunk)
                out.extend(_facts(r) for r in _fetch(cur))
    return out


def _facts(r: Any) -> Facts:
    low, high = r[2], r[3]
    if low is None and high is not None:
        low = high
    if high is None:
        high = low
    return Facts(r[0], r[1] or "unknown", low, high, r[4], r[5] or "")


def _fetch(cur: Any, size: int = 20000) -> Iterator[Any]:
    while True:
        rows = cur.fetchmany(size)
        if not rows:
            return
        yield from rows


def _db_value(pk: Any) -> Any:
    """A person id as the database returns it in raw rows (hex text on SQLite)."""
    u = as_uuid(pk)
    return u.hex if connection.vendor == "sqlite" else u


def stored_key_rows() -> Iterator[tuple[str, Any]]:
    """(key, raw person id) of every whole-name key in search.NameKey, ordered by key."""
    table = _name_key_table()
    with connection.cursor() as cur:
        for prefix in BLOCK_PREFIXES:
            upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
            cur.execute(
                f"SELECT key, person_id FROM {table} WHERE key >= %s AND key < %s ORDER BY key",  # noqa: S608
                [prefix, upper],
            )
            yield from _fetch(cur)


def computed_key_rows(only: Iterable[Any] | None = None) -> Iterator[tuple[str, Any]]:
    """The same rows computed from the names (a check of the stored index against them)."""
    name_model = apps.get_model("people", "PersonName")
    table = name_model._meta.db_table
    sql = (
        f"SELECT n.full_name, n.person_id FROM {table} n JOIN {_person_table()} p "  # noqa: S608
        f"ON p.id = n.person_id WHERE p.merged_into_id IS NULL"
    )
    rows: list[tuple[str, Any]] = []
    with connection.cursor() as cur:
        if only is None:
            cur.execute(sql)
            fetched: list[Any] = list(_fetch(cur))
        else:
            ids = list(only)
            fetched = []
            for i in range(0, len(ids), 500):
                chunk = ids[i : i + 500]
                cur.execute(sql + f" AND p.id IN ({','.join(['%s'] * len(chunk))})", chunk)
                fetched.extend(_fetch(cur))
    for full_name, pid in fetched:
        for key in blocking_keys(full_name):
            rows.append((key, pid))
    rows.sort(key=itemgetter(0))
    yield from rows


def blocking_keys(full_name: str) -> set[str]:
    """The blocking keys of one name: whole-name match keys and bridge keys."""
    return {k for k in match_keys(full_name) if k.startswith(BLOCK_PREFIXES)} | bridge_keys(
        full_name
    )


def counterpart_keys(keys: Iterable[str]) -> set[str]:
    """The keys a set of blocking keys pairs with: themselves, and each bridge key's other kind
    (``c:`` body <-> ``h:`` body)."""
    out = set(keys)
    for key in keys:
        if key.startswith(KeyKind.BRIDGE_OTHER):
            out.add(KeyKind.BRIDGE_CHINESE + key_body(key))
        elif key.startswith(KeyKind.BRIDGE_CHINESE):
            out.add(KeyKind.BRIDGE_OTHER + key_body(key))
    return out


def load_names(pks: Iterable[Any]) -> dict[Any, list[str]]:
    name_model = apps.get_model("people", "PersonName")
    table = name_model._meta.db_table
    out: dict[Any, list[str]] = defaultdict(list)
    ids = list(pks)
    with connection.cursor() as cur:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            cur.execute(
                f"SELECT person_id, full_name FROM {table} WHERE person_id IN ({','.join(['%s'] * len(chunk))}) ORDER BY position",  # noqa: S608
                chunk,
            )
            for pid, name in _fetch(cur):
                names = out[pid]
                if name not in names and len(names) < MAX_NAMES_COMPARED:
                    names.append(name)
    return out


def load_links(pks: Iterable[Any]) -> tuple[dict[Any, set[Any]], dict[Any, set[Any]]]:
    """Testifiers and related persons of each person (for "in common" reasons)."""
    tp = apps.get_model("testimonies", "TestimonyPerson")._meta.db_table
    tm = apps.get_model("testimonies", "Testimony")._meta.db_table
    rel = apps.get_model("people", "PersonRelation")._meta.db_table
    testifiers: dict[Any, set[Any]] = defaultdict(set)
    relatives: dict[Any, set[Any]] = defaultdict(set)
    ids = list(pks)
    with connection.cursor() as cur:
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join(["%s"] * len(chunk))
            cur.execute(
                f"SELECT tp.person_id, t.testifier_id FROM {tp} tp JOIN {tm} t ON t.id = tp.testimony_id WHERE tp.person_id IN ({marks})",  # noqa: S608
                chunk,
            )
            for pid, tid in _fetch(cur):
                testifiers[pid].add(tid)
            cur.execute(
                f"SELECT person_id, relative_id FROM {rel} WHERE person_id IN ({marks}) OR relative_id IN ({marks})",  # noqa: S608
                chunk + chunk,
            )
            for a, b in _fetch(cur):
                relatives[a].add(b)
                relatives[b].add(a)
    return testifiers, relatives


# ---------------------------------------------------------------------------------------------
# Blocking


def _compatible(x: Facts, y: Facts) -> bool:
    if x.gender != y.gender and "unknown" not in (x.gender, y.gender):
        return False
    if x.birth_low is not None and y.birth_low is not None:
        assert x.birth_high is not None and y.birth_high is not None
        gap = max(x.birth_low - y.birth_high, y.birth_low - x.birth_high, 0)
        if gap > MAX_BIRTH_GAP:
            return False
    return True


def block_pairs(
    facts: list[Facts],
    key_rows: Iterable[tuple[str, Any]],
    *,
    focus: set[int] | None = None,
    hub_cap: int = HUB_CAP,
    stats: ScanStats | None = None,
    min_score: float = 0.0,
    place_paths: dict[Any, str] | None = None,
) -> dict[tuple[int, int], bool]:
    """Pairs (i, j), i < j, of indexes into `facts` that share a whole-name key (or an ID),
    each with True when they share an exact (``x:``) key: their names fold to the same parts,
    so their name similarity is 1.0 without computing it. With `focus`, only pairs with at
    least one member in it. Pairs that could not reach `min_score` even with identical names
    (different hometowns, distant birth years...) are dropped here, before any name is
    compared: that bound keeps the pair set small when common names recur."""
    stats = stats or ScanStats()
    paths = place_paths or {}
    # Testifiers/relatives in common can add at most this much (not known while blocking).
    slack = 2 * BONUS_IN_COMMON
    index = {f.pk: i for i, f in enumerate(facts)}
    pairs: dict[tuple[int, int], bool] = {}

    def keep(i: int, j: int, exact: bool) -> None:
        if focus is not None and i not in focus and j not in focus:
            return
        x, y = facts[i], facts[j]
        if _compatible(x, y) and _apply(1.0, x, y, paths) + slack >= min_score:
            pair = (i, j) if i < j else (j, i)
            pairs[pair] = exact or pairs.get(pair, False)

    def emit(members: list[int], others: list[int] | None, exact: bool) -> None:
        """Pairs within `members`, or with `others`, each of members x others (a bridge)."""
        if others is None:
            for i, j in itertools.combinations(members, 2):
                keep(i, j, exact)
        else:
            for i in members:
                for j in others:
                    if i != j:
                        keep(i, j, exact)

    def by_year(members: list[int]) -> dict[int, list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for m in members:
            year = facts[m].birth_low
            if year is not None:
                out[year].append(m)
        return out

    def block(members: list[int], others: list[int] | None, exact: bool) -> None:
        everyone = members if others is None else members + others
        if focus is not None and not any(m in focus for m in everyone):
            return
        stats.blocks += 1
        if len(everyone) <= hub_cap:
            emit(members, others, exact)
            return
        stats.hubs_split += 1
        years = by_year(members)
        other_years = by_year(others) if others is not None else None
        for year, sub in years.items():
            sub_others = other_years.get(year, []) if other_years is not None else None
            size = len(sub) + len(sub_others or ())
            if size > hub_cap:
                stats.hubs_skipped += 1
            elif size > 1 and (sub_others is None or sub_others):
                emit(sub, sub_others, exact)

    # c: members by body, until the h: groups have been read
    named: dict[str, list[int]] = {}
    for key, group in itertools.groupby(key_rows, key=itemgetter(0)):
        exact = key.startswith(KeyKind.EXACT)
        seen: set[int] = set()
        for _k, pid in group:
            stats.key_rows += 1
            i = index.get(pid)
            if i is not None:
                seen.add(i)
        if key.startswith(KeyKind.BRIDGE_OTHER):
            if seen:
                named[key_body(key)] = sorted(seen)
            continue
        if key.startswith(KeyKind.BRIDGE_CHINESE):
            others = named.get(key_body(key))
            if seen and others:
                block(sorted(seen), others, False)
            continue
        named.clear()
        if len(seen) >= 2:
            block(sorted(seen), None, exact)
    by_id: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(facts):
        if f.chinese_id:
            by_id[f.chinese_id].append(i)
    for members in by_id.values():
        if 1 < len(members) <= hub_cap and (focus is None or any(m in focus for m in members)):
            for i, j in itertools.combinations(members, 2):
                pairs.setdefault((i, j), False)
    stats.pairs_blocked = len(pairs)
    return pairs


# ---------------------------------------------------------------------------------------------
# Scoring


_sim_cache: dict[tuple[str, str], float] = {}


def _similarity(a: str, b: str) -> float:
    """aigaq.names.similarity, memoised for the run (common names recur in many pairs)."""
    key = (a, b) if a <= b else (b, a)
    value = _sim_cache.get(key)
    if value is None:
        if len(_sim_cache) > 500_000:
            _sim_cache.clear()
        value = _sim_cache[key] = similarity(a, b)
    return value


def _same_place(a: Any, b: Any, paths: dict[Any, str]) -> bool:
    """The same place, or one inside the other (a village and its county)."""
    if a == b:
        return True
    pa, pb = paths.get(a, ""), paths.get(b, "")
    return bool(pa and pb and (pa.startswith(pb) or pb.startswith(pa)))


def load_place_paths() -> dict[Any, str]:
    table = apps.get_model("people", "Place")._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, path FROM {table}")  # noqa: S608
        return dict(_fetch(cur))


def _apply(
    name_score: float,
    x: Facts,
    y: Facts,
    paths: dict[Any, str],
    reasons: list[dict[str, Any]] | None = None,
    common_testifiers: int = 0,
    common_relatives: int = 0,
) -> float:
    """The name score adjusted by everything else known about the two entries."""
    out: list[dict[str, Any]] = reasons if reasons is not None else []
    score = name_score
    if x.chinese_id and y.chinese_id:
        if x.chinese_id == y.chinese_id:
            score = max(score, 0.99)
            out.append({"code": "id_equal"})
        else:
            score *= ID_DIFFERS_FACTOR
            out.append({"code": "id_differs"})
    if x.birth_low is not None and y.birth_low is not None:
        assert x.birth_high is not None and y.birth_high is not None
        gap = max(x.birth_low - y.birth_high, y.birth_low - x.birth_high, 0)
        if gap == 0:
            score += BONUS_BIRTH_SAME
            out.append({"code": "birth_same", "a": x.birth_low, "b": y.birth_low})
        elif gap <= MAX_BIRTH_GAP:
            score -= PENALTY_BIRTH_CLOSE
            out.append({"code": "birth_close", "a": x.birth_low, "b": y.birth_low})
        else:
            score -= PENALTY_BIRTH_FAR
            out.append({"code": "birth_differs", "a": x.birth_low, "b": y.birth_low})
    if x.hometown is not None and y.hometown is not None:
        if _same_place(x.hometown, y.hometown, paths):
            score += BONUS_HOMETOWN_SAME
            out.append({"code": "hometown_same"})
        else:
            score -= PENALTY_HOMETOWN_DIFFERS
            out.append({"code": "hometown_differs"})
    if x.gender != y.gender and "unknown" not in (x.gender, y.gender):
        score -= PENALTY_GENDER
        out.append({"code": "gender_differs"})
    if common_testifiers:
        score += BONUS_IN_COMMON
        out.append({"code": "testifiers_common", "n": common_testifiers})
    if common_relatives:
        score += BONUS_IN_COMMON
        out.append({"code": "relatives_common", "n": common_relatives})
    return score


def score_pair(
    x: Facts,
    y: Facts,
    names_x: list[str],
    names_y: list[str],
    *,
    common_testifiers: int = 0,
    common_relatives: int = 0,
    exact: bool = False,
    place_paths: dict[Any, str] | None = None,
) -> tuple[float, list[dict[str, Any]]]:
    """Score in [0, 1] and the reasons, as codes with values (never the ID number itself).
    `exact`: the names are known to fold to the same parts (a shared ``x:`` key)."""
    best, best_pair = 0.0, ("", "")
    if exact and names_x and names_y:
        best, best_pair = 1.0, (names_x[0], names_y[0])
    else:
        for a in names_x:
            for b in names_y:
                s = _similarity(a, b)
                if s > best:
                    best, best_pair = s, (a, b)
            if best >= 1.0:
                break
    reasons: list[dict[str, Any]] = [
        {"code": "names", "score": round(best, 3), "a": best_pair[0], "b": best_pair[1]}
    ]
    score = _apply(best, x, y, place_paths or {}, reasons, common_testifiers, common_relatives)
    return round(min(1.0, max(0.0, score)), 4), reasons


PARALLEL_FROM = 20_000  # pairs; below this, scoring runs in the calling process

# State shared with forked scoring workers (set just before the pool forks).
_shared: dict[str, Any] = {}


def _score_chunk(bounds: tuple[int, int]) -> list[tuple[int, int, float, list[dict[str, Any]]]]:
    facts: list[Facts] = _shared["facts"]
    pairs: list[tuple[int, int, bool]] = _shared["pairs"]
    names, testifiers, relatives = _shared["names"], _shared["testifiers"], _shared["relatives"]
    out = []
    for i, j, exact in pairs[bounds[0] : bounds[1]]:
        x, y = facts[i], facts[j]
        score, reasons = score_pair(
            x,
            y,
            names.get(x.pk, []),
            names.get(y.pk, []),
            common_testifiers=len(testifiers.get(x.pk, set()) & testifiers.get(y.pk, set())),
            common_relatives=len(relatives.get(x.pk, set()) & relatives.get(y.pk, set())),
            exact=exact,
            place_paths=_shared["paths"],
        )
        if score >= _shared["min_score"]:
            out.append((i, j, score, reasons))
    return out


def _workers() -> int:
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def score_pairs(
    facts: list[Facts],
    pairs: dict[tuple[int, int], bool],
    *,
    min_score: float,
    stats: ScanStats | None = None,
    parallel: bool = True,
) -> list[Found]:
    """Score the blocked pairs; above PARALLEL_FROM pairs, on every core (forked workers
    that read only what was loaded here, never the database). `parallel=False` inside a
    web request (never fork a threaded server)."""
    stats = stats or ScanStats()
    pair_list = sorted((i, j, exact) for (i, j), exact in pairs.items())
    involved = {facts[k].pk for i, j, _e in pair_list for k in (i, j)}
    _shared.update(
        facts=facts,
        pairs=pair_list,
        names=load_names(involved),
        paths=load_place_paths(),
        min_score=min_score,
    )
    _shared["testifiers"], _shared["relatives"] = load_links(involved)
    try:
        workers = _workers()
        step = 5000
        chunks = [(k, min(k + step, len(pair_list))) for k in range(0, len(pair_list), step)]
        if parallel and len(pair_list) >= PARALLEL_FROM and workers > 1:
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
                results = pool.map(_score_chunk, chunks)
        else:
            results = [_score_chunk(c) for c in chunks]
    finally:
        _shared.clear()
    found: list[Found] = []
    for part in results:
        for i, j, score, reasons in part:
            a, b = ordered(facts[i].pk, facts[j].pk)
            found.append(Found(a, b, score, reasons))
    stats.pairs_scored = len(pair_list)
    stats.candidates = len(found)
    return found


def find_candidates(
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    only: Iterable[Any] | None = None,
    hub_cap: int = HUB_CAP,
    use_index: bool = True,
    parallel: bool = True,
) -> tuple[list[Found], ScanStats]:
    """Every candidate pair among live persons (or, with `only`, pairs involving those)."""
    stats = ScanStats()
    t0 = time.perf_counter()
    facts = load_facts()
    stats.persons = len(facts)
    stats.seconds["load"] = time.perf_counter() - t0
    focus: set[int] | None = None
    if only is not None:
        wanted = {_db_value(pk) for pk in only}
        focus = {i for i, f in enumerate(facts) if f.pk in wanted}
    t1 = time.perf_counter()
    rows = stored_key_rows() if use_index else computed_key_rows()
    pairs = block_pairs(
        facts,
        rows,
        focus=focus,
        hub_cap=hub_cap,
        stats=stats,
        min_score=min_score,
        place_paths=load_place_paths(),
    )
    stats.seconds["block"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    found = score_pairs(facts, pairs, min_score=min_score, stats=stats, parallel=parallel)
    stats.seconds["score"] = time.perf_counter() - t2
    return found, stats


FULL_SCAN_FROM = 5_000  # new persons; with FULL_SCAN_SHARE, see find_candidates_for
FULL_SCAN_SHARE = 0.1


def _mostly_new(count: int) -> bool:
    """Are these many persons at least FULL_SCAN_FROM and FULL_SCAN_SHARE of the live ones?"""
    if count < FULL_SCAN_FROM:
        return False
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*) FROM {_person_table()} WHERE merged_into_id IS NULL")  # noqa: S608
        live = cur.fetchone()[0]
    return count >= FULL_SCAN_SHARE * live


def find_candidates_for(
    person_ids: Iterable[Any],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    hub_cap: int = HUB_CAP,
) -> tuple[list[Found], ScanStats]:
    """Candidate pairs involving these persons (just imported or just entered): only the keys
    they hold are read, so it costs little in a large database."""
    stats = ScanStats()
    t0 = time.perf_counter()
    wanted = [_db_value(pk) for pk in person_ids]
    rows: list[tuple[str, Any]]
    if _mostly_new(len(wanted)):
        # A large import into a small database: one ordered range scan of the whole-name keys
        # costs less than looking up the new persons' keys one chunk at a time.
        return find_candidates(
            min_score=min_score, only=wanted, hub_cap=hub_cap, use_index=True, parallel=False
        )
    table = _name_key_table()
    keys: set[str] = set()
    with connection.cursor() as cur:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            cur.execute(
                f"SELECT key FROM {table} WHERE person_id IN ({','.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
            keys.update(k for (k,) in _fetch(cur) if k.startswith(BLOCK_PREFIXES))
        key_list = sorted(counterpart_keys(keys))
        rows = []
        for i in range(0, len(key_list), 500):
            chunk = key_list[i : i + 500]
            cur.execute(
                f"SELECT key, person_id FROM {table} WHERE key IN ({','.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
            rows.extend(_fetch(cur))
    rows.sort(key=itemgetter(0))
    involved = {pid for _k, pid in rows} | set(wanted)
    facts = load_facts(involved)
    stats.persons = len(facts)
    wanted_set = set(wanted)
    focus = {i for i, f in enumerate(facts) if f.pk in wanted_set}
    stats.seconds["load"] = time.perf_counter() - t0
    pairs = block_pairs(
        facts,
        rows,
        focus=focus,
        hub_cap=hub_cap,
        stats=stats,
        min_score=min_score,
        place_paths=load_place_paths(),
    )
    t2 = time.perf_counter()
    found = score_pairs(facts, pairs, min_score=min_score, stats=stats, parallel=False)
    stats.seconds["score"] = time.perf_counter() - t2
    return found, stats


# ---------------------------------------------------------------------------------------------
# An entry not saved yet


@dataclass(frozen=True)
class LookAlike:
    """A live entry that looks like the one being typed (not saved yet)."""

    pk: uuid.UUID
    score: float
    reasons: list[dict[str, Any]]


def _lookup_keys(names: Iterable[str]) -> tuple[set[str], set[str]]:
    """The stored keys an unsaved entry's names pair with, and which of them are exact: a
    whole-name key with itself, a bridge key with its other kind only (as the scan pairs
    them: never two names of one kind through a bridge)."""
    wanted: set[str] = set()
    for name in names:
        for key in blocking_keys(name):
            if key.startswith(KeyKind.BRIDGE_OTHER):
                wanted.add(KeyKind.BRIDGE_CHINESE + key_body(key))
            elif key.startswith(KeyKind.BRIDGE_CHINESE):
                wanted.add(KeyKind.BRIDGE_OTHER + key_body(key))
            else:
                wanted.add(key)
    return wanted, {k for k in wanted if k.startswith(KeyKind.EXACT)}


def find_look_alikes(
    *,
    names: Iterable[str],
    gender: str = "unknown",
    birth_year: int | None = None,
    birth_year_max: int | None = None,
    hometown: Any = None,
    chinese_id: str = "",
    min_score: float = DEFAULT_MIN_SCORE,
    hub_cap: int = HUB_CAP,
) -> list[LookAlike]:
    """Live entries that the scan would pair with an entry of these facts if it were saved
    (the same blocking keys, the same compatibility bound and the same score), best first:
    the warning while a person is being entered. Reads only the persons sharing a key."""
    names = [n for n in (" ".join(str(n).split()) for n in names) if n]
    low, high = birth_year, birth_year_max
    if low is None and high is not None:
        low = high
    if high is None:
        high = low
    home = _db_value(hometown) if hometown else None
    me = Facts(None, gender or "unknown", low, high, home, chinese_id or "")
    wanted, exact_keys = _lookup_keys(names)
    table = _name_key_table()
    by_key: dict[str, set[Any]] = defaultdict(set)
    with connection.cursor() as cur:
        key_list = sorted(wanted)
        for i in range(0, len(key_list), 500):
            chunk = key_list[i : i + 500]
            cur.execute(
                f"SELECT key, person_id FROM {table} WHERE key IN ({','.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )
            for key, pid in _fetch(cur):
                by_key[key].add(pid)
        same_id: set[Any] = set()
        if me.chinese_id:
            cur.execute(
                f"SELECT id FROM {_person_table()} WHERE chinese_id = %s AND merged_into_id IS NULL",  # noqa: S608
                [me.chinese_id],
            )
            same_id = {pid for (pid,) in cur.fetchall()}
    involved = set(same_id)
    exact: set[Any] = set()
    for key, members in by_key.items():
        if len(members) >= hub_cap and me.birth_low is None:
            continue  # a hub (a very common name): only a birth year narrows it, as in the scan
        involved |= members
        if key in exact_keys:
            exact |= members
    if not involved:
        return []
    facts = {f.pk: f for f in load_facts(involved)}
    paths = _place_paths({me.hometown, *(f.hometown for f in facts.values())} - {None})
    slack = 2 * BONUS_IN_COMMON
    kept = [
        f
        for f in facts.values()
        if f.pk in same_id
        or (_compatible(me, f) and _apply(1.0, me, f, paths) + slack >= min_score)
    ]
    stored_names = load_names([f.pk for f in kept])
    out: list[LookAlike] = []
    for f in kept:
        score, reasons = score_pair(
            me,
            f,
            names[:MAX_NAMES_COMPARED],
            stored_names.get(f.pk, []),
            exact=f.pk in exact,
            place_paths=paths,
        )
        if score >= min_score:
            out.append(LookAlike(as_uuid(f.pk), score, reasons))
    out.sort(key=lambda x: (-x.score, x.pk.hex))
    return out


def _place_paths(ids: set[Any]) -> dict[Any, str]:
    """The paths of these places only (load_place_paths reads the whole gazetteer)."""
    if not ids:
        return {}
    place = apps.get_model("people", "Place")
    rows = place.objects.filter(pk__in=[as_uuid(i) for i in ids]).values_list("pk", "path")
    out: dict[Any, str] = {}
    for pk, path in rows:
        out[pk] = path
        out[_db_value(pk)] = path
    return out
