"""Search: persons by any name form in any script, and places of the gazetteer.

How a person query runs (see docs/search.md and docs/decisions/0005-search-index.md):

1. The query is cut to ``MAX_QUERY_CHARS`` and cleaned (aigaq.names.normalize drops emoji,
   zero-width joiners and direction marks).
2. An entry number ("#123", "123") and, for users allowed restricted data, a Chinese ID
   number are looked up directly.
3. Candidates come from the match-key index (search_namekey: persons sharing keys with the
   query, whole-name keys weighing more than per-part keys), and, for partial names of 3 or
   more letters, from the substring index (FTS5 trigram / pg_trgm) over comparison forms.
   Every step is an index lookup with a LIMIT: no query ever scans the person table.
4. Candidates are re-ranked with aigaq.names.similarity: exact spellings first, then close
   variants, then partial matches.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from rapidfuzz.fuzz import token_sort_ratio

from aigaq.core import audit
from aigaq.core.permissions import has_cap
from aigaq.disclosure.selectors import persons_for
from aigaq.names import (
    SAME_PERSON_THRESHOLD,
    match_keys,
    normalize,
    role_relation,
    similarity,
    to_comparison,
)
from aigaq.names.keys import BRIDGE_CHINESE, BRIDGE_OTHER, bridge_keys
from aigaq.names.parts import parse
from aigaq.names.pinyin import segment
from aigaq.names.similarity import SAME, SWAPPED
from aigaq.people.models import (
    PERSON_FILTER_INDEX,
    PERSON_HOME_INDEX,
    Person,
    PersonName,
    Place,
    PlaceName,
)
from aigaq.people.selectors import place_and_inside_ids
from aigaq.search.models import NameForm

#: Longest query looked at (a pasted paragraph costs no more than a name).
MAX_QUERY_CHARS = 200
#: Candidates taken from each index before re-ranking.
CANDIDATES = 200
#: Hits scoring below this are dropped (noise from one shared common name part).
MIN_SCORE = 0.45
#: Substring search needs at least this many letters (the trigram index's unit).
MIN_SUBSTRING = 3
_MAX_LIMIT = 200
#: A per-part key held by more persons than this is a hub (a common name part): it is not
#: grouped when the query has rarer keys.
HUB = 2000
#: A Chinese query of this many characters (from, to) written without separator is also read
#: split in two at each place (努丽亚包尔江 = 努丽亚 包尔江). Chinese renderings of Turkic
#: names often run to 11-13 characters (阿依加玛丽·阿不都哈帕尔: 7% of the bench's).
_HAN_SPLIT_MIN, _HAN_SPLIT_MAX = 4, 14
_HAN_RUN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff]+$")
#: A one-word Latin query this long may be a whole name in pinyin without a space; each part
#: of a split keeps at least _JOINED_SIDE letters (Ma Lin, a Hui name, is written apart).
_PINYIN_JOINED = re.compile(r"^[a-z]{10,40}$")
_JOINED_SIDE = 4
#: Candidates re-ranked with the (costly) similarity, best by shared keys first.
RERANK = 40
#: A query in Chinese characters also looks up at most this many bridge keys (the coarse
#: skeletons that duplicate detection files every name under, aigaq.names.bridge_keys) and
#: reads at most BRIDGE_ROWS of their postings: persons recorded with the same name in
#: another script only (Кенжегүл Ғалымханқызы for 肯杰古丽·哈力木汗), whom the query shares no
#: whole-name key with.
BRIDGE_KEYS, BRIDGE_ROWS = 48, 200
#: A Latin query is read as pinyin for the bridge keys when each of its parts splits into at
#: least this many pinyin syllables (hai-la-ti, bie-ke-su-li-tan; not Dana, Nurlan).
_PINYIN_PART_SYLLABLES = 2
_HAN_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

_ENTRY_NO = re.compile(r"^#?\s*(\d{1,9})$")
_CHINESE_ID = re.compile(r"^(\d{15}|\d{17}[\dxX])$")
_KEY_WEIGHTS = {"x": 16, "n": 6, "j": 6, "s": 4, "t": 2, "p": 1}

_ENTRY, _ID, _EXACT, _VARIANT, _PARTIAL = "entry", "id", "exact", "variant", "partial"
_SWAPPED = "swapped"
#: The score of a name whose parts are the query's in swapped roles (the query's father's
#: name as the own name): likely a son or a father of the person sought, not that person.
SWAPPED_ROLES = 0.97
REASONS = {
    _ENTRY: _("entry number"),
    _ID: _("Chinese ID number"),
    _EXACT: _("exact name"),
    _SWAPPED: _("same names, father and son swapped"),
    _VARIANT: _("spelling variant"),
    _PARTIAL: _("partial name"),
}


class _System:
    """The operator's command line: sees every live person, never restricted fields."""

    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


@dataclass
class Hit:
    person: Person
    score: float
    matched_name: str
    reason: str
    names: list[str] = field(default_factory=list)


def _live_persons(user: Any) -> QuerySet[Person]:
    if user is SYSTEM:
        return Person.objects.filter(merged_into__isnull=True)
    return persons_for(user)


def _place_of(value: Any) -> Place | None:
    if value in (None, ""):
        return None
    if isinstance(value, Place):
        return value
    text = str(value)
    found = Place.objects.filter(code=text).first()
    if found is None:
        try:
            found = Place.objects.filter(pk=text).first()
        except Exception:  # not a UUID
            found = None
    return found


def _year(value: Any) -> int | None:
    """A year from a filter value; None when absent or not a plausible year."""
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return year if 1 <= year <= 9999 else None


def _hometowns(filters: Mapping[str, Any] | None) -> list[Any] | None:
    """Ids of the place filter's place and of every place inside it ([] for a place not in
    the gazetteer); None when there is no place filter."""
    value = (filters or {}).get("place")
    if value in (None, ""):
        return None
    place = _place_of(value)
    return place_and_inside_ids(place) if place else []


def apply_filters(
    qs: QuerySet[Person],
    filters: Mapping[str, Any] | None,
    *,
    hometowns: list[Any] | None = None,
) -> QuerySet[Person]:
    """Narrow persons by the list filters. Keys (all optional): status, ethnicity,
    place (a Place, its id or code: the place and everything inside it), tag (a Tag slug),
    grade or evidence_grade, born_from and born_to (years; a person born "1970-1975"
    matches any range that overlaps). ``hometowns``: the place filter already resolved
    (:func:`_hometowns`)."""
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(current_status=f["status"])
    if f.get("ethnicity"):
        qs = qs.filter(ethnicity=f["ethnicity"])
    grade = f.get("grade") or f.get("evidence_grade")
    if grade:
        qs = qs.filter(evidence_grade=grade)
    if f.get("place") not in (None, ""):
        homes = hometowns if hometowns is not None else _hometowns(f)
        qs = qs.filter(hometown_id__in=homes) if homes else qs.none()
    if f.get("tag"):
        qs = qs.filter(tags__slug=f["tag"])
    born_from, born_to = _year(f.get("born_from")), _year(f.get("born_to"))
    if born_from is not None:
        qs = qs.filter(
            Q(birth_year_max__gte=born_from)
            | Q(birth_year_max__isnull=True, birth_year__gte=born_from)
        )
    if born_to is not None:
        qs = qs.filter(birth_year__lte=born_to)
    return qs


#: The filters a person search takes, as the command line and the JSON endpoint name them.
FILTER_KEYS = ("status", "place", "ethnicity", "tag", "grade", "born_from", "born_to")


def filters_from(params: Mapping[str, Any]) -> dict[str, Any]:
    """The search filters among ``params`` (a query string, command-line options), empty ones
    left out. Raises ValueError, with a sentence for the user, for a birth year that is not
    a year or a range that ends before it starts (apply_filters would ignore them)."""
    filters = {k: params[k] for k in FILTER_KEYS if params.get(k) not in (None, "")}
    for key in ("born_from", "born_to"):
        if key in filters and _year(filters[key]) is None:
            raise ValueError(_("%(field)s must be a year, such as 1975.") % {"field": key})
    low, high = _year(filters.get("born_from")), _year(filters.get("born_to"))
    if low is not None and high is not None and low > high:
        raise ValueError(_("born_to is before born_from."))
    return filters


#: A birth-year range asked of the index: (born_from, born_to), either may be None.
Years = tuple[int | None, int | None]


def _years_filter(filters: Mapping[str, Any] | None) -> Years | None:
    """The birth-year range of the filters, for the index (None when there is none)."""
    f = filters or {}
    years = (_year(f.get("born_from")), _year(f.get("born_to")))
    return years if years != (None, None) else None


def _narrows_beyond_years(filters: Mapping[str, Any] | None) -> bool:
    """Whether the filters hold anything but a birth-year range (which the index decides)."""
    f = filters or {}
    keys = ("status", "ethnicity", "grade", "evidence_grade", "tag")
    return any(f.get(k) for k in keys) or f.get("place") not in (None, "")


def clean_query(query: str | None) -> str:
    """The query as searched: at most MAX_QUERY_CHARS characters, whitespace collapsed."""
    return " ".join((query or "")[: MAX_QUERY_CHARS * 2].split())[:MAX_QUERY_CHARS]


def _key_weight(key: str) -> int:
    return _KEY_WEIGHTS.get(key[:1], 1)


# Person ids travel through the hot path as the database returns them (a 32-character hex
# string on SQLite, a UUID on PostgreSQL): building a UUID object per index row cost more
# than the index lookups. Only the final shortlist is converted.


def _db_id(pid: Any) -> Any:
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


def _key_rows(
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
            f"({_home_persons_sql(len(homes))}) LIMIT %s"
        )
        args = [*keys, *params, PLACE_SCAN, *homes, max_rows]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


#: A place whose persons (its own and its sub-places') number at most this many is searched
#: place first: the key postings are read only for the persons living there, found in one
#: stretch of the (hometown, id) index. Otherwise the candidates are checked by primary key,
#: one random read each, and a small place keeps so few of them that thousands are checked:
#: at 1,000,000 persons, 250 ms for a place holding 6% of them when the pages were not in
#: memory (decision 0005).
PLACE_FIRST = 30_000
#: Most postings read for a place-first search (the place decides which of them count).
PLACE_SCAN = 50_000


def _home_persons_sql(n: int) -> str:
    """Ids of the persons whose hometown is one of ``n`` places, from the (hometown, id)
    index alone (named for SQLite, which without statistics may take another)."""
    table = Person._meta.db_table
    source = f'"{table}"'
    if connection.vendor == "sqlite":
        source += f' INDEXED BY "{PERSON_HOME_INDEX}"'
    marks = ", ".join(["%s"] * n)
    return f"SELECT id FROM {source} WHERE hometown_id IN ({marks})"  # noqa: S608


#: Whether a place is small, remembered this many seconds: counting a large place's persons
#: up to PLACE_FIRST reads 30,000 index entries (5 ms), and a place grows slowly. A stale
#: answer only picks the slower of two ways to the same hits.
PLACE_SIZE_TTL = 600.0
_place_sizes: dict[tuple[Any, ...], tuple[float, bool]] = {}


def _small_place(homes: list[Any]) -> bool:
    """Whether at most PLACE_FIRST persons live in these places (counted index-only, up to
    one more than that; remembered PLACE_SIZE_TTL seconds)."""
    key = (connection.alias, connection.settings_dict["NAME"], PLACE_FIRST, *sorted(homes))
    now = time.monotonic()
    known = _place_sizes.get(key)
    if known is not None and now - known[0] < PLACE_SIZE_TTL:
        return known[1]
    sql = f"SELECT COUNT(*) FROM ({_home_persons_sql(len(homes))} LIMIT %s) AS h"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*homes, PLACE_FIRST + 1])
        small = int(cursor.fetchone()[0]) <= PLACE_FIRST
    if len(_place_sizes) > 10_000:  # one entry per place filtered by: bounded all the same
        _place_sizes.clear()
    _place_sizes[key] = (now, small)
    return small


def _key_counts(keys: list[str], cap: int, counted: dict[str, int] | None = None) -> dict[str, int]:
    """How many persons each key holds, counted up to ``cap`` (index-only, bounded).

    One statement for all the keys (a scalar subquery per key): a Chinese name read at each
    possible cut has a hundred part keys, and a round trip per key cost 20 ms on
    PostgreSQL. ``counted``: counts already made for this search (same ``cap``), reused and
    completed, so the filtered re-read does not count the same keys again."""
    out = counted if counted is not None else {}
    todo = [key for key in keys if key not in out]
    one = "(SELECT COUNT(*) FROM (SELECT 1 FROM search_namekey WHERE key = %s LIMIT %s) t)"
    with connection.cursor() as cursor:
        for start in range(0, len(todo), _COUNT_BATCH):
            batch = todo[start : start + _COUNT_BATCH]
            cursor.execute(
                "SELECT " + ", ".join([one] * len(batch)),
                [value for key in batch for value in (key, cap)],
            )
            row = cursor.fetchone()
            out.update((key, int(n)) for key, n in zip(batch, row, strict=True))
    return {key: out[key] for key in keys}


#: Keys counted per statement by _key_counts (two parameters each).
_COUNT_BATCH = 200


def _part_key_candidates(
    keys: list[str],
    hit: set[str],
    years: Years | None = None,
    counted: dict[str, int] | None = None,
) -> list[tuple[Any, int]]:
    """Persons sharing the most per-part keys with the query (``t:`` counts double).

    Hub keys (a common name part held by more than ``HUB`` persons) are left out when rarer
    keys remain: grouping their postings would cost time linear in the database, and the
    rarer parts select the person anyway. The rows grouped are capped."""
    counts = _key_counts(keys, HUB + 1, counted)
    hit.update(k for k, c in counts.items() if c)
    rare = [k for k in keys if counts[k] <= HUB]
    if not rare:
        # Every part is common: the rows of the rarest key only, in index order.
        rarest = min(keys, key=lambda k: counts[k])
        return [(pid, 1) for pid, _key in _key_rows([rarest], CANDIDATES, years)]
    marks = ", ".join(["%s"] * len(rare))
    cond, params = _year_sql(years)
    sql = (
        "SELECT person_id, SUM(CASE WHEN key LIKE 't:%%' THEN 2 ELSE 1 END) AS w "  # noqa: S608
        f"FROM search_namekey WHERE key IN ({marks}){cond} "
        "GROUP BY person_id ORDER BY w DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*rare, *params, CANDIDATES])
        return [(pid, int(w)) for pid, w in cursor.fetchall()]


def _key_candidates(
    keys: set[str],
    limit: int,
    cmp_parts: int = 2,
    hit_keys: set[str] | None = None,
    years: Years | None = None,
    counted: dict[str, int] | None = None,
) -> list[Any]:
    """Person ids sharing keys with the query (born in ``years`` when given), most
    (weighted) shared keys first.

    Whole-name keys (x:, n:, j:, s:) are selective: they are looked up first. Per-part keys
    (t:, p:) are asked only when the whole-name keys found fewer than ``limit`` persons (a
    partial or unusual name); their postings are long, so that query is grouped and capped."""
    whole = sorted(k for k in keys if k[:1] in "xnjs")
    parts = sorted(k for k in keys if k[:1] not in "xnjs")
    weights: dict[Any, int] = {}
    hit = hit_keys if hit_keys is not None else set()
    if whole:
        for pid, key in _key_rows(whole, CANDIDATES * 4, years):
            weights[pid] = weights.get(pid, 0) + _key_weight(key)
            hit.add(key)
    if parts and len(weights) < limit:
        if cmp_parts <= 1:
            # One name part: every candidate shares the same keys, so grouping them would
            # only cost time; the first rows of the index will do.
            for pid, key in _key_rows(parts, CANDIDATES, years):
                weights.setdefault(pid, 1)
                hit.add(key)
        else:
            for pid, w in _part_key_candidates(parts, hit, years, counted):
                weights[pid] = weights.get(pid, 0) + w
    return sorted(weights, key=lambda pid: -weights[pid])[:CANDIDATES]


#: Most index rows read per key group when filters must pick the persons (bounded work
#: for "every Nurlan born 1973-1977" whatever the size of the database). 20,000 until
#: 2026-12-03: at 1,000,000 persons 5,000 kept the same recall@10 with a place filter (0.953
#: against 0.949 on SQLCipher, 0.954 against 0.950 on PostgreSQL) and with a birth year
#: (0.972), and cut the place-filtered p95 on PostgreSQL from 47-59 ms to 35-38 ms.
FILTER_SCAN = 5_000
_FILTER_CHUNK, _FILTER_CHUNK_MAX = 100, 1000


def _filtered_key_candidates(
    keys: set[str],
    base: QuerySet[Person],
    hit: set[str],
    want: int,
    checked: Mapping[Any, bool] | None = None,
    years: Years | None = None,
    counted: dict[str, int] | None = None,
    homes: list[Any] | None = None,
) -> list[Any]:
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
    whole = sorted(k for k in keys if k[:1] in "xnjs")
    parts = sorted(k for k in keys if k[:1] not in "xnjs")
    weights: dict[Any, int] = {}
    if whole:
        for pid, key in _key_rows(whole, FILTER_SCAN, years, homes):
            weights[pid] = weights.get(pid, 0) + _key_weight(key)
            hit.add(key)
    if parts:
        counts = _key_counts(parts, HUB + 1, counted)
        hit.update(k for k, c in counts.items() if c)
        use = [k for k in parts if counts[k] <= HUB] or [min(parts, key=lambda k: counts[k])]
        for pid, key in _key_rows(use, FILTER_SCAN, years, homes):
            weights[pid] = weights.get(pid, 0) + (2 if key.startswith("t:") else 1)
    ranked = sorted(weights, key=lambda pid: -weights[pid])
    known = checked or {}
    kept: list[Any] = []
    start, chunk_size = 0, _FILTER_CHUNK
    while start < len(ranked) and len(kept) < want:
        chunk = ranked[start : start + chunk_size]
        start += chunk_size
        chunk_size = min(chunk_size * 2, _FILTER_CHUNK_MAX)
        visible = _visible(base, [pid for pid in chunk if pid not in known])
        kept.extend(pid for pid in chunk if known.get(pid) or pid in visible)
    return kept[:want]


def _substring_candidates(cmp: str, base: QuerySet[Person] | None) -> list[Any]:
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
        ids = list(dict.fromkeys(_db_id(pid) for pid in rows[: CANDIDATES * 2]))
    # The filters are checked on the found ids, as for the keys' candidates: joining the
    # substring search to the filtered persons let PostgreSQL walk every person in a
    # prefecture (4 s at 1,000,000 persons).
    if base is not None:
        visible = _visible(base, ids)
        ids = [pid for pid in ids if pid in visible]
    return ids[:CANDIDATES]


def _score(query: str, cmp: str, forms: list[str]) -> tuple[float, str, str]:
    """(score, best form, reason code) of one person's comparison forms against the query.

    Scored on the stored folded forms (cheap to parse), not on the original names. A form
    with the query's parts in the same roles is exact (1.0): Асхат Мұратжан finds Асхат
    Мұратжанұлы as surely as Асхат Мұратжан. The same parts in swapped roles (Мұратжан
    Асхатұлы, his son or father) score SWAPPED_ROLES: above spelling variants, below every
    person who holds the name as typed."""
    qparts = cmp.split()
    compact = cmp.replace(" ", "")
    best = (0.0, forms[0] if forms else "", _VARIANT)
    for form in forms:
        if form.split() == qparts:
            return 1.0, form, _EXACT
        relation = role_relation(cmp, form)
        if relation == SAME:
            return 1.0, form, _EXACT
        if relation == SWAPPED:
            if best[0] < SWAPPED_ROLES:
                best = (SWAPPED_ROLES, form, _SWAPPED)
            continue
        sim = similarity(query, form)
        if sim >= SAME_PERSON_THRESHOLD and role_relation(cmp, form, spelt=True) == SWAPPED:
            # The same two names spelt otherwise, in swapped roles (pinyin against the
            # characters' reading): scored as swapped, not as the similarity blind to order.
            sim = min(sim, SWAPPED_ROLES)
            if sim > best[0]:
                best = (sim, form, _SWAPPED)
            continue
        reason = _VARIANT
        if len(compact) >= 2 and (cmp in form or compact in form):
            # A partial name: the longer the part typed, the closer to the top.
            partial = 0.5 + 0.4 * min(1.0, len(compact) / max(1, len(form.replace(" ", ""))))
            if partial > sim:
                sim, reason = partial, _PARTIAL
            # Containing what was typed beats a merely similar name ("Қайсар Д" prefers
            # Қайсар Дәулетұлы to Қайсар Бекұлы), never an exact name.
            sim = min(0.95, sim + 0.05)
        if sim > best[0]:
            best = (sim, form, reason)
    return best


def _forms_of(ids: list[Any]) -> dict[Any, list[str]]:
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


def _shortlist(
    cmps: list[str], ids: list[Any], forms: dict[Any, list[str]], size: int
) -> list[Any]:
    """The ``size`` candidates whose forms look most like the query (rapidfuzz token-sort
    ratio, computed in C, best over the query's readings), keeping the key order among
    equals."""
    if len(ids) <= size:
        return ids
    rank = {pid: i for i, pid in enumerate(ids)}
    best: dict[Any, float] = {}
    for pid in ids:
        best[pid] = max(
            (token_sort_ratio(c, f) for f in forms.get(pid, ()) for c in cmps), default=0.0
        )
    return sorted(ids, key=lambda pid: (-best[pid], rank[pid]))[:size]


def _names_of(ids: list[Any]) -> dict[Any, list[str]]:
    out: dict[Any, list[str]] = {pid: [] for pid in ids}
    rows = (
        PersonName.objects.filter(person_id__in=ids)
        .order_by("position", "id")
        .values_list("person_id", "full_name")
    )
    for pid, name in rows:
        out[pid].append(name)
    return out


def search_persons(
    *, user: Any, query: str, filters: Mapping[str, Any] | None = None, limit: int = 20
) -> list[Hit]:
    """Persons matching ``query`` that ``user`` may see, best first (at most ``limit``).

    ``query`` may be any name form in any script, part of a name, an entry number ("#123"),
    or, for users with restricted.read only, a Chinese ID number. Merged-away persons never
    appear. ``filters``: see :func:`apply_filters`. Never raises on odd input."""
    limit = max(1, min(int(limit or 20), _MAX_LIMIT))
    q = clean_query(query)
    if not q:
        return []
    homes = _hometowns(filters)
    base = apply_filters(_live_persons(user), filters, hometowns=homes)
    hits: dict[Any, Hit] = {}

    number = _ENTRY_NO.match(q)
    if number:
        person = base.filter(entry_no=int(number.group(1))).first()
        if person is not None:
            hits[person.pk] = Hit(person, 1.0, person.primary_name, _ENTRY)
    compact_id = q.replace(" ", "")
    if _CHINESE_ID.match(compact_id) and user is not SYSTEM and has_cap(user, "restricted.read"):
        for person in base.filter(chinese_id=compact_id.upper())[:limit]:
            hits[person.pk] = Hit(person, 1.0, person.primary_name, _ID)
            audit.record_read(actor=user, obj=person, fields=["chinese_id"], person_id=person.pk)

    if normalize(q):
        _name_hits(
            q,
            base,
            hits,
            filters=_narrows_beyond_years(filters),
            restricted=user is not SYSTEM,
            limit=limit,
            years=_years_filter(filters),
            homes=homes,
        )

    ranked = sorted(hits.values(), key=lambda h: (-h.score, -h.person.entry_no))[:limit]
    if ranked:
        names = _names_of([h.person.pk for h in ranked])
        for h in ranked:
            h.names = names.get(h.person.pk, [])
            if h.reason in (_EXACT, _SWAPPED, _VARIANT, _PARTIAL):
                # The name behind the best comparison form.
                form = h.matched_name
                h.matched_name = next(
                    (n for n in h.names if to_comparison(n) == form), h.person.primary_name
                )
            h.reason = str(REASONS.get(h.reason, h.reason))
    return ranked


@dataclass(frozen=True)
class _Reading:
    """One way to read the query: the text scored, its comparison form and keys."""

    text: str
    cmp: str
    keys: frozenset[str]


def _readings(q: str) -> list[_Reading]:
    """The query, and for Chinese written without separator the query split in two at
    each place: Chinese lists often omit the dot, and a name read as one part shares no key
    with the same name in two parts. The same for a whole name in pinyin written as one word,
    split at its syllable boundaries."""
    out = [_Reading(q, to_comparison(q), frozenset(match_keys(q)))]
    compact = q.replace(" ", "")
    if (
        _HAN_RUN.match(compact)
        and _HAN_SPLIT_MIN <= len(compact) <= _HAN_SPLIT_MAX
        and " " not in q
    ):
        for cut in range(2, len(compact) - 1):
            text = compact[:cut] + "·" + compact[cut:]
            out.append(_Reading(text, to_comparison(text), frozenset(match_keys(text))))
    elif _PINYIN_JOINED.match(out[0].cmp):
        # Pinyin of a whole name written as one word (MAIMAITIMAIHEMUTIJIANG, as some lists
        # print it): read split in two at the syllable boundaries of its best segmentations.
        word = out[0].cmp
        cuts = {
            sum(len(syllable) for syllable in path[:i])
            for path in segment(word, limit=2)
            if "".join(path) == word  # a path read through folding has other lengths
            for i in range(2, len(path) - 1)
        }
        for cut in sorted(c for c in cuts if _JOINED_SIDE <= c <= len(word) - _JOINED_SIDE):
            text = word[:cut] + " " + word[cut:]
            out.append(_Reading(text, to_comparison(text), frozenset(match_keys(text))))
    return out


def _bridge_keys(readings: list[_Reading], hit: set[str]) -> list[str]:
    """The ``c:`` bridge keys a query meets names in other scripts under, at most
    BRIDGE_KEYS. A query in Chinese characters: the counterparts of its ``h:`` keys, of the
    readings whose whole-name keys found someone (the right cut of Chinese written without
    separator), or of every reading when none did. A query in pinyin, as Chinese passports
    print a Turkic name (GULINAER SAILIKE, Hailati Biekesulitan): its own ``c:`` keys, which
    are those of the name it transcribes (Гүлнар Серік..., Қайрат Бексұлтан...), whose
    whole-name keys it does not share. Other queries: none (their whole-name keys reach the
    other scripts)."""
    han = [r for r in readings if _HAN_CHAR.search(r.text)]
    keys: set[str] = set()
    if han:
        found = [r for r in han if any(k in hit for k in r.keys if k[:1] in "xnjs")]
        for reading in found or han:
            keys.update(
                BRIDGE_OTHER + k[len(BRIDGE_CHINESE) :]
                for k in bridge_keys(reading.text)
                if k.startswith(BRIDGE_CHINESE)
            )
    else:
        for reading in readings:
            parts = parse(reading.text)
            if parts and all(p.syllables >= _PINYIN_PART_SYLLABLES for p in parts):
                keys.update(k for k in bridge_keys(reading.text) if k.startswith(BRIDGE_OTHER))
    return sorted(keys)[:BRIDGE_KEYS]


def _bridge_ids(
    keys: list[str], known: list[Any], years: Years | None, homes: list[Any] | None
) -> list[Any]:
    """Persons filed under these bridge keys (born in ``years``, living in ``homes`` when
    given) that are not among ``known``, in index order, at most BRIDGE_ROWS read."""
    if not keys:
        return []
    seen = set(known)
    out = []
    for pid, _key in _key_rows(keys, BRIDGE_ROWS, years, homes or None):
        if pid not in seen:
            seen.add(pid)
            out.append(pid)
    return out


def _kept(base: QuerySet[Person], ids: list[Any]) -> list[Any]:
    """``ids`` that ``base`` keeps (visibility, filters), in their order."""
    if not ids:
        return []
    visible = _visible(base, ids)
    return [pid for pid in ids if pid in visible]


def _visible_by_orm(base: QuerySet[Person], ids: list[Any]) -> set[Any]:
    return {_db_id(pk) for pk in base.filter(pk__in=ids).order_by().values_list("pk", flat=True)}


def _visible(base: QuerySet[Person], ids: list[Any]) -> set[Any]:
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


def _name_hits(
    q: str,
    base: QuerySet[Person],
    hits: dict[Any, Hit],
    *,
    filters: bool,
    restricted: bool,
    limit: int,
    years: Years | None = None,
    homes: list[Any] | None = None,
) -> None:
    """Name hits of ``q`` among ``base`` into ``hits``. ``filters``: the caller's filters
    other than the birth years narrow ``base``; ``restricted``: the user's visibility does
    (any user but SYSTEM); ``years``: the filters' birth-year range, decided in the index as
    it is read (``base`` applies it again, with every other filter); ``homes``: the place
    filter's places, if any (a small place is searched place first)."""
    readings = _readings(q)
    main = readings[0]
    if not main.keys and not main.cmp:
        return
    keys: set[str] = set().union(*(r.keys for r in readings))
    cmps = list(dict.fromkeys(r.cmp for r in readings if r.cmp))
    # Candidates by shared keys (index-only), cut to a shortlist by a cheap string ratio on
    # their stored comparison forms, then checked for visibility and filters, then scored
    # with the names library's similarity (the costly step) on the shortlist only.
    size = max(RERANK, limit * 2)
    nparts = len(main.cmp.split())
    hit_keys: set[str] = set()
    counted: dict[str, int] = {}  # hub counts of the part keys, made once per search
    place_pk = Place._meta.pk
    assert place_pk is not None
    homes_db = [place_pk.get_db_prep_value(h, connection) for h in homes or ()]
    if homes_db and _small_place(homes_db):
        # Few persons live there: the postings of those persons only, then the other
        # filters on them (nearly all kept).
        ids = _filtered_key_candidates(
            keys, base, hit_keys, size, years=years, counted=counted, homes=homes_db
        )
        extra = _bridge_ids(_bridge_keys(readings, hit_keys), ids, years, homes_db)
        ids += _kept(base, extra)
        forms = _forms_of(ids)
        candidates = _shortlist(cmps, ids, forms, size)
    elif filters:
        ids = _key_candidates(keys, limit, nparts, hit_keys, years, counted)
        # Filters drop most candidates (a birth year keeps one person in ten): check them
        # all (one primary-key query for at most CANDIDATES ids) before the shortlist.
        kept = _visible(base, ids)
        if len(kept) < limit and len(kept) < len(ids):
            # Too few kept, and the unfiltered list may have crowded out others the filters
            # keep: the index again, with the filters deciding as it is read.
            checked = {pid: pid in kept for pid in ids}
            ids = _filtered_key_candidates(keys, base, hit_keys, size, checked, years, counted)
        else:
            ids = [pid for pid in ids if pid in kept]
        extra = _bridge_ids(_bridge_keys(readings, hit_keys), ids, years, None)
        ids += _kept(base, extra)
        forms = _forms_of(ids)
        candidates = _shortlist(cmps, ids, forms, size)
    else:
        # Visibility alone rarely drops a candidate (nor does a birth year, which the index
        # has applied already): check the shortlist only.
        ids = _key_candidates(keys, limit, nparts, hit_keys, years, counted)
        ids += _bridge_ids(_bridge_keys(readings, hit_keys), ids, years, None)
        forms = _forms_of(ids)
        shortlist = _shortlist(cmps, ids, forms, size)
        visible = _visible(base, shortlist)
        if (restricted or years) and len(visible) < limit and len(visible) < len(shortlist):
            # Most candidates are out of this user's sight: the ones in it, from the index.
            ids = _filtered_key_candidates(keys, base, hit_keys, size, years=years, counted=counted)
            forms = _forms_of(ids)
            shortlist = _shortlist(cmps, ids, forms, size)
            visible = set(shortlist)
        candidates = [pid for pid in shortlist if pid in visible]
    scored = {pid: _score_best(readings, forms[pid]) for pid in candidates if forms.get(pid)}
    strong = sum(1 for s in scored.values() if s[0] >= SAME_PERSON_THRESHOLD)
    # Partial names: the substring index, unless the last word typed is a whole name part
    # that the keys found (then "every Juma" is already there, and the substring search
    # would only add "Jumabek" at the cost of scanning a long trigram posting).
    parsed = parse(q)
    last_complete = bool(parsed) and bool(
        {f"t:{parsed[-1].stem}", *(f"p:{c}" for c in parsed[-1].loose)} & hit_keys
    )
    compact = main.cmp.replace(" ", "")
    if (
        (strong == 0 or len(candidates) < limit)
        and len(compact) >= MIN_SUBSTRING
        and not (last_complete and len(candidates) >= limit)
    ):
        extra = [pid for pid in _substring_candidates(main.cmp, base) if pid not in scored]
        more = _forms_of(extra)
        extra = _shortlist(cmps, extra, more, size)
        scored.update({pid: _score_best(readings, more[pid]) for pid in extra if more[pid]})
    keep = [(pid, s) for pid, s in scored.items() if s[0] >= MIN_SCORE]
    # Only the best few become Hit objects (one query for them, one for their names).
    keep.sort(key=lambda item: -item[1][0])
    keep = keep[: limit * 2]
    if not keep:
        return
    persons = {_db_id(p.pk): p for p in Person.objects.filter(pk__in=[pid for pid, _s in keep])}
    for pid, (score, form, reason) in keep:
        person = persons.get(pid)
        if person is not None and person.pk not in hits:
            hits[person.pk] = Hit(person, round(score, 4), form, reason)


def _score_best(readings: list[_Reading], forms: list[str]) -> tuple[float, str, str]:
    """The score of the reading of the query that fits these forms best (one reading is
    scored: the one with the best cheap string ratio)."""
    if len(readings) == 1:
        return _score(readings[0].text, readings[0].cmp, forms)
    best = max(
        readings,
        key=lambda r: max((token_sort_ratio(r.cmp, f) for f in forms), default=0.0),
    )
    return _score(best.text, best.cmp, forms)


#: Hits within this much of the best score are "as good as the best" (namesakes whose
#: records hold other subsets of the same name's forms score a little apart).
EQUAL_BEST_MARGIN = 0.02


@dataclass
class Ranking:
    """A name search as a list page shows it: the persons in rank order, each one's hit (why
    it matched), and how many match about as well as the first."""

    persons: QuerySet[Person]
    hits: dict[Any, Hit]
    #: Hits within EQUAL_BEST_MARGIN of the best score: more than one means the name alone
    #: does not tell these entries apart (namesakes, or one person entered twice).
    equal_best: int
    #: Whether the search stopped at its limit (there may be more such entries).
    at_limit: bool


def person_ranking(
    *, user: Any, query: str, filters: Mapping[str, Any] | None = None, limit: int = _MAX_LIMIT
) -> Ranking:
    """:func:`search_persons` for a paginated list: the hits as a queryset in rank order."""
    found = search_persons(user=user, query=query, filters=filters, limit=limit)
    if not found:
        return Ranking(Person.objects.none(), {}, 0, False)
    order = Case(
        *[When(pk=h.person.pk, then=Value(i)) for i, h in enumerate(found)],
        output_field=IntegerField(),
    )
    persons = Person.objects.filter(pk__in=[h.person.pk for h in found]).order_by(order)
    best = found[0].score
    equal = sum(1 for h in found if h.score >= best - EQUAL_BEST_MARGIN)
    at_limit = len(found) >= min(limit, _MAX_LIMIT)
    return Ranking(persons, {h.person.pk: h for h in found}, equal, at_limit)


@dataclass
class PersonSearch:
    """The persons list's answer: the persons in list order and, for a name query, each
    one's search hit (:class:`Hit`: score, matched name, reason) and how many entries match
    the name about as well as the first (see :class:`Ranking`)."""

    persons: QuerySet[Person]
    hits: Mapping[Any, Hit] = field(default_factory=dict)
    equal_best: int = 0
    at_limit: bool = False


def person_search_ranked(
    *, user: Any, query: str = "", filters: Mapping[str, Any] | None = None
) -> PersonSearch:
    """The persons list: what `user` may see, matching `query`, narrowed by `filters`.

    This is the one entry point the staff list calls. A query goes to the multi-script search
    (any name form in any script, partial names, entry numbers; ranked, best first); without
    one, the list is newest first. `filters`: those of :func:`apply_filters`, all optional:
    status (a StatusKind value), ethnicity, place (a Place: it and everything inside it), tag
    (a Tag slug), grade (an EvidenceGrade value), born_from and born_to (years; a range
    overlapping them matches).
    """
    q = " ".join((query or "").split())
    if q:
        ranking = person_ranking(user=user, query=q, filters=filters)
        persons = ranking.persons.select_related("hometown").prefetch_related("names", "tags")
        return PersonSearch(persons, ranking.hits, ranking.equal_best, ranking.at_limit)
    qs = apply_filters(persons_for(user), filters)
    return PersonSearch(
        qs.select_related("hometown").prefetch_related("names", "tags").order_by("-entry_no")
    )


def person_search(
    *, user: Any, query: str = "", filters: Mapping[str, Any] | None = None
) -> QuerySet[Person]:
    """The persons of :func:`person_search_ranked` (for pickers and short lists)."""
    return person_search_ranked(user=user, query=query, filters=filters).persons


# --- Places ----------------------------------------------------------------------------------


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
    if entry.norm.startswith(norm) or (compact and entry.compact.startswith(compact)):
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
    limit = max(1, min(int(limit or 20), _MAX_LIMIT))
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
