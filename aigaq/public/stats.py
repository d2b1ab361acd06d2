"""Counts for the public statistics and map, over a queryset of public persons (the current
filter: aigaq.public.filters.filtered). Pure functions: the queryset in, plain numbers out.

Everything is counted in the database with GROUP BY (three queries whatever the number of
entries: one over status, ethnicity and gender; one over birth years and the year of the
first detention, `Person.first_detained_year`, derived from the timeline on every write; one
over hometowns); only the groups come back, never the persons, so the
page stays usable at 1,000,000 entries. Places are read from the gazetteer (a few hundred
rows) to lift each hometown to its county.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from aigaq.people.models import Person, Place

#: Age ranges (first year, last year; None: no upper end), for ages at first detention.
AGE_RANGES: tuple[tuple[int, int | None], ...] = (
    (0, 17),
    (18, 29),
    (30, 39),
    (40, 49),
    (50, 59),
    (60, 69),
    (70, 79),
    (80, None),
)
#: Buckets for hometowns that are not one county of Xinjiang.
NO_HOMETOWN = "unknown"
NOT_TO_COUNTY = "not_to_county"  # a prefecture or the region only
OUTSIDE = "outside"  # a place outside Xinjiang
XINJIANG = "/cn/cn-xj/"


@dataclass
class Stats:
    total: int = 0
    status: Counter[str] = field(default_factory=Counter)
    ethnicity: Counter[str] = field(default_factory=Counter)
    gender: Counter[str] = field(default_factory=Counter)
    #: year of the earliest detention event (None: no dated detention in the timeline)
    detained: Counter[int | None] = field(default_factory=Counter)
    #: (first, last) of AGE_RANGES, or None for unknown: fractional where a birth range spreads
    age: dict[tuple[int, int | None] | None, float] = field(default_factory=dict)
    #: county code (or NO_HOMETOWN / NOT_TO_COUNTY / OUTSIDE)
    county: Counter[str] = field(default_factory=Counter)


def compute(qs: QuerySet[Person]) -> Stats:
    """All the page's counts for the persons of `qs`."""
    out = Stats()
    base = qs.order_by()
    for row in base.values("current_status", "ethnicity", "gender").annotate(n=Count("pk")):
        n = row["n"]
        out.total += n
        out.status[row["current_status"] or ""] += n
        out.ethnicity[row["ethnicity"] or "unknown"] += n
        out.gender[row["gender"] or "unknown"] += n
    groups = base.values("birth_year", "birth_year_max", "first_detained_year").annotate(
        n=Count("pk")
    )
    ages: defaultdict[tuple[int, int | None] | None, float] = defaultdict(float)
    for row in groups:
        n, first = row["n"], row["first_detained_year"]
        out.detained[first] += n
        for bucket, weight in age_spread(row["birth_year"], row["birth_year_max"], first):
            ages[bucket] += n * weight
    out.age = dict(ages)
    homes = base.values("hometown_id").annotate(n=Count("pk"))
    out.county = by_county((row["hometown_id"], row["n"]) for row in homes)
    return out


def age_range(age: int) -> tuple[int, int | None]:
    for first, last in AGE_RANGES:
        if age >= first and (last is None or age <= last):
            return (first, last)
    return AGE_RANGES[0]


def age_spread(
    born: int | None, born_max: int | None, at_year: int | None
) -> list[tuple[tuple[int, int | None] | None, float]]:
    """The age ranges a person falls in at `at_year` (the year of the first detention), with
    weights that add up to 1: born "1970-1975" is 1/6 born in each of those years. Unknown
    (None) when the birth year or the detention year is not known, or the range is absurd."""
    if born is None or at_year is None:
        return [(None, 1.0)]
    last = born_max if born_max is not None and born_max >= born else born
    if last - born > 100 or at_year < born:
        return [(None, 1.0)]
    years = range(born, last + 1)
    weight = 1.0 / len(years)
    spread: defaultdict[tuple[int, int | None] | None, float] = defaultdict(float)
    for year in years:
        age = at_year - year
        spread[age_range(age) if age >= 0 else None] += weight
    return list(spread.items())


def county_levels() -> dict[Any, tuple[str, str]]:
    """For each place of the gazetteer: (path, kind), read once per page (a small table)."""
    return {pk: (path, kind) for pk, path, kind in Place.objects.values_list("pk", "path", "kind")}


def county_codes(places: dict[Any, tuple[str, str]] | None = None) -> dict[str, str]:
    """For each Xinjiang place's code: the code of its county-level unit (county, district,
    or a city that is not a prefecture-level one), or NOT_TO_COUNTY for a prefecture, a
    prefecture-level city or the region itself."""
    places = places if places is not None else county_levels()
    kind_of = {path.rstrip("/").rsplit("/", 1)[-1]: kind for path, kind in places.values()}
    # A city with county-level places inside it (Ürümqi, Karamay, Turpan, Hami) is
    # prefecture-level; a city with none (Yining, the Corps' cities) is county-level.
    has_counties = set()
    for path, kind in places.values():
        codes = path.strip("/").split("/")
        if kind in ("county", "district", "city") and len(codes) >= 2:
            has_counties.add(codes[-2])
    out: dict[str, str] = {}
    for path, _kind in places.values():
        if not path.startswith(XINJIANG):
            continue
        codes = path.strip("/").split("/")
        county = NOT_TO_COUNTY
        for code in codes[2:]:  # below /cn/cn-xj/
            kind = kind_of.get(code, "")
            if kind in ("county", "district") or (kind == "city" and code not in has_counties):
                county = code
                break
        out[codes[-1]] = county
    return out


def by_county(rows: Iterable[tuple[Any, int]]) -> Counter[str]:
    """Counts by hometown (place id, count) lifted to county-level units of Xinjiang."""
    places = county_levels()
    counties = county_codes(places)
    out: Counter[str] = Counter()
    for place_id, n in rows:
        if place_id is None or place_id not in places:
            out[NO_HOMETOWN] += n
            continue
        path = places[place_id][0]
        if not path.startswith(XINJIANG):
            out[OUTSIDE] += n
            continue
        out[counties.get(path.rstrip("/").rsplit("/", 1)[-1], NOT_TO_COUNTY)] += n
    return out


def this_year() -> int:
    return date.today().year
