"""The public list's filters, read from a query string: the same in the entries list, the
statistics and the map, so a filtered view keeps its filter from one to the other (and its
URL can be shared). Unknown or forged values are ignored, never an error.

Also the facets the entries list shows (each filter's options, with how many entries of the
current result have each, when the result is small enough to count: at most FACET_CAP
entries) and the options themselves (the places of Xinjiang, the years and the tags that have
public entries), read once and kept for OPTIONS_SECONDS, so a page view never reads a million
rows to fill a drop-down."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast, ExtractYear, Substr
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from aigaq.disclosure.public import DETENTION_KINDS, public_persons
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Gender,
    Person,
    Place,
    StatusEvent,
    StatusKind,
    Tag,
)
from aigaq.search.selectors import apply_filters

#: The query-string keys, in the order the filter form shows them.
KEYS = ("status", "ethnicity", "gender", "place", "detained", "tag", "grade")
#: The facets' counts are shown for a result of at most this many entries (one read of that
#: many short rows); a larger result shows its options without counts.
FACET_CAP = 1000
#: How long the lists of options (places, years, tags with public entries) are kept.
OPTIONS_SECONDS = 600
#: The gazetteer's path of Xinjiang: its prefectures and counties are the place facet.
XINJIANG_PATH = "/cn/cn-xj/"

LABELS: dict[str, Any] = {
    "status": _("Status"),
    "ethnicity": _("Ethnicity"),
    "gender": _("Gender"),
    "place": _("Prefecture or county"),
    "detained": _("Year detained"),
    "tag": _("Topic"),
    "grade": _("Evidence"),
}


def read(params: Mapping[str, Any]) -> dict[str, Any]:
    """The valid filters among `params` (a request's GET): each value checked against what it
    may be; anything else is dropped."""
    out: dict[str, Any] = {}
    value = str(params.get("status") or "")
    if value in StatusKind.values:
        out["status"] = value
    value = str(params.get("ethnicity") or "")
    if value in Ethnicity.values:
        out["ethnicity"] = value
    value = str(params.get("gender") or "")
    if value in Gender.values:
        out["gender"] = value
    value = str(params.get("grade") or "")
    if value in EvidenceGrade.values:
        out["grade"] = value
    value = str(params.get("place") or "")[:100]
    if value and "\x00" not in value and Place.objects.filter(code=value).exists():
        out["place"] = value
    value = str(params.get("tag") or "")[:60]
    if value and "\x00" not in value and Tag.objects.filter(slug=value).exists():
        out["tag"] = value
    value = str(params.get("detained") or "")[:4]
    if value.isdigit() and 1900 <= int(value) <= 2100:
        out["detained"] = int(value)
    return out


def narrow(qs: QuerySet[Person], filters: Mapping[str, Any]) -> QuerySet[Person]:
    """`qs` narrowed by filters from :func:`read`."""
    qs = apply_filters(qs, {k: v for k, v in filters.items() if k not in ("gender", "detained")})
    if filters.get("gender"):
        qs = qs.filter(gender=filters["gender"])
    if filters.get("detained"):
        qs = qs.filter(
            Exists(
                StatusEvent.objects.filter(
                    person=OuterRef("pk"),
                    kind__in=DETENTION_KINDS,
                    date_start__year=filters["detained"],
                )
            )
        )
    return qs


def filtered(params: Mapping[str, Any]) -> tuple[QuerySet[Person], dict[str, Any]]:
    """The public entries the query string's filters leave, and those filters."""
    filters = read(params)
    return narrow(public_persons(), filters), filters


#: The filters the search itself applies inside its index (the others narrow its hits).
SEARCH_KEYS = ("status", "ethnicity", "place", "tag", "grade")


def search_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if k in SEARCH_KEYS}


def query_string(q: str, filters: Mapping[str, Any], **changes: Any) -> str:
    """The list's query string with `changes` (a value None drops that key): the state of the
    list, so its address can be shared. Keys in one order, so one state has one address."""
    state: dict[str, Any] = {"q": q, **filters, **changes}
    pairs = [(k, state[k]) for k in ("q", *KEYS, "before", "after", "page") if state.get(k)]
    return urlencode(pairs)


# --- facets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int | None  # None: not counted (the result is too large)
    selected: bool
    depth: int = 0  # a county under its prefecture


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    options: tuple[Option, ...]
    #: the link that removes this filter, when it is set
    selected_label: str = ""


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, OPTIONS_SECONDS)
    return value


def _xinjiang_places_with_entries() -> list[tuple[str, int]]:
    """(code, depth) of the prefectures (depth 0) of Xinjiang and, under each, its counties
    and county-level cities (depth 1) where at least one public entry lives."""
    # Place by place (a few hundred), each asking whether one public entry lives there, by
    # the persons' hometown index: the first public entry found answers. Reading the
    # hometowns of every public entry instead took 17 s at 1,000,000 entries.
    homes = (
        Place.objects.filter(path__startswith=XINJIANG_PATH)
        .filter(Exists(public_persons().filter(hometown=OuterRef("pk"))))
        .values_list("path", flat=True)
    )
    codes: set[str] = set()
    for path in homes:
        codes.update(p for p in path.split("/")[3:] if p)  # below /cn/cn-xj/
    places = list(
        Place.objects.filter(
            code__in=codes,
            path__startswith=XINJIANG_PATH,
            kind__in=[Place.Kind.PREFECTURE, Place.Kind.COUNTY, Place.Kind.CITY],
        ).order_by("name")
    )
    top = {
        p.code
        for p in places
        if p.kind == Place.Kind.PREFECTURE or p.path.count("/") == XINJIANG_PATH.count("/") + 1
    }
    under: dict[str, list[str]] = {code: [] for code in top}
    for p in places:
        if p.code in top:
            continue
        ancestors = [c for c in p.path.split("/") if c in top]
        if ancestors:
            under[ancestors[-1]].append(p.code)
    out: list[tuple[str, int]] = []
    for p in places:
        if p.code in top:
            out.append((p.code, 0))
            out.extend((code, 1) for code in under[p.code])
    return out


def place_options() -> list[tuple[str, str, int]]:
    """(code, name in the page's language, depth) of the places the place facet offers, read
    with their names once per language and OPTIONS_SECONDS (reading 80 places on every
    search page cost it a tenth of its time)."""
    codes = _cached("public:facet:places", _xinjiang_places_with_entries)
    language = get_language() or settings.LANGUAGE_CODE
    which = zlib.crc32("/".join(c for c, _d in codes).encode())  # these codes' labels
    return list(_cached(f"public:facet:places:{language}:{which}", lambda: _place_labels(codes)))


def _place_labels(codes: list[tuple[str, int]]) -> list[tuple[str, str, int]]:
    by_code = {p.code: p for p in Place.objects.filter(code__in=[c for c, _d in codes])}
    return [(c, by_code[c].name_in(), d) for c, d in codes if c in by_code]


def _years_with_entries() -> list[int]:
    """The years of detention events of public entries: the years any detention event has
    (one read of the events, no join), then, year by year, whether one of that year's
    events is a public entry's (the first one found answers). Asked as one query over the
    public entries it took 7 s at 1,000,000."""
    detention = StatusEvent.objects.filter(kind__in=DETENTION_KINDS, date_start__isnull=False)
    # The year as the first four characters of the date written out: the database's own
    # string functions (SQLite's year extraction is a function in Python, called per row).
    years = (
        detention.annotate(y=Substr(Cast("date_start", output_field=CharField()), 1, 4))
        .order_by()
        .values_list("y", flat=True)
        .distinct()
    )
    found = []
    for year in {int(y) for y in years if y and y.isdigit()}:
        in_year = detention.filter(
            date_start__gte=date(year, 1, 1), date_start__lt=date(year + 1, 1, 1)
        )
        if _public_rows(in_year, "person_id").exists():
            found.append(year)
    return sorted(found, reverse=True)


def year_options() -> list[int]:
    return list(_cached("public:facet:years", _years_with_entries))


def _tags_with_entries() -> list[str]:
    """Tag by tag, whether one public entry has it (the first found answers)."""
    tagged = Person.tags.through.objects.filter(tag_id=OuterRef("pk"))
    return list(
        Tag.objects.filter(Exists(_public_rows(tagged, "person_id")))
        .order_by("label")
        .values_list("slug", flat=True)
    )


def _public_rows(rows: QuerySet[Any], person_field: str) -> QuerySet[Any]:
    """The rows of `rows` whose person (`person_field`) is a public entry: disclosure's
    public_persons(), asked of each row by the person's primary key (a correlated EXISTS),
    so that a query stops at the first row it needs, where an IN over public_persons() has
    the database list every public entry first."""
    return rows.filter(Exists(public_persons().filter(pk=OuterRef(person_field))))


def tag_options() -> list[Tag]:
    slugs = _cached("public:facet:tags", _tags_with_entries)
    return list(Tag.objects.filter(slug__in=slugs).order_by("label"))


@dataclass
class Counts:
    """How many entries of a result have each value of each facet; `total` is the result's
    size, or None when it has more than FACET_CAP entries (then nothing is counted)."""

    total: int | None
    by_key: dict[str, Counter[str]]
    #: The primary keys of the rows counted (empty when nothing was counted).
    ids: frozenset[Any] = frozenset()


def count(rows: QuerySet[Person]) -> Counts:
    """Count the facets over `rows` (the current result, in any order), if it has at most
    FACET_CAP entries: one read of its short rows, one of their tags, one of their detention
    years. Rows over the cap are never counted."""
    fields = ("pk", "current_status", "ethnicity", "gender", "evidence_grade", "hometown_id")
    values = list(rows.order_by().values_list(*fields)[: FACET_CAP + 1])
    if len(values) > FACET_CAP:
        return Counts(None, {})
    by: dict[str, Counter[str]] = {k: Counter() for k in KEYS}
    for _pk, status, ethnicity, gender, grade, _home in values:
        by["status"][status] += 1
        by["ethnicity"][ethnicity] += 1
        by["gender"][gender] += 1
        by["grade"][grade] += 1
    homes = Counter(home for *_rest, home in values if home is not None)
    if homes:
        paths = dict(Place.objects.filter(pk__in=list(homes)).values_list("pk", "path"))
        for home, n in homes.items():
            for code in {p for p in paths.get(home, "").split("/") if p}:
                by["place"][code] += n
    ids = [v[0] for v in values]
    for chunk in _chunks(ids, 500):
        through = Person.tags.through.objects.filter(person_id__in=chunk)
        for slug in through.values_list("tag__slug", flat=True):
            by["tag"][slug] += 1
        years = (
            StatusEvent.objects.filter(
                person_id__in=chunk, kind__in=DETENTION_KINDS, date_start__isnull=False
            )
            .annotate(y=ExtractYear("date_start"))
            .order_by()
            .values_list("person_id", "y")
            .distinct()
        )
        for _person, y in years:
            by["detained"][str(y)] += 1
    return Counts(len(values), by, frozenset(ids))


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def facets(filters: Mapping[str, Any], counts: Counts) -> list[Facet]:
    """The filter form's facets: every option, selected or not, with its count when the
    result was counted."""

    def n(key: str, value: str) -> int | None:
        return counts.by_key[key][value] if counts.total is not None else None

    def choice_facet(key: str, choices: Any) -> Facet:
        chosen = str(filters.get(key, ""))
        options = tuple(
            Option(str(v), str(label), n(key, str(v)), str(v) == chosen)
            for v, label in choices.choices
        )
        return Facet(key, str(LABELS[key]), options)

    out = [
        choice_facet("status", StatusKind),
        choice_facet("ethnicity", Ethnicity),
        choice_facet("gender", Gender),
    ]
    chosen_place = str(filters.get("place", ""))
    places = [
        Option(code, label, n("place", code), code == chosen_place, depth)
        for code, label, depth in place_options()
    ]
    if chosen_place and not any(o.selected for o in places):
        place = Place.objects.filter(code=chosen_place).first()
        if place is not None:
            places.insert(0, Option(place.code, str(place), n("place", place.code), True))
    out.append(Facet("place", str(LABELS["place"]), tuple(places)))
    chosen_year = str(filters.get("detained", ""))
    years = [str(y) for y in year_options()]
    if chosen_year and chosen_year not in years:
        years.insert(0, chosen_year)
    out.append(
        Facet(
            "detained",
            str(LABELS["detained"]),
            tuple(Option(y, y, n("detained", y), y == chosen_year) for y in years),
        )
    )
    chosen_tag = str(filters.get("tag", ""))
    tags = tag_options()
    if chosen_tag and all(t.slug != chosen_tag for t in tags):
        tags = list(Tag.objects.filter(slug=chosen_tag)) + tags
    out.append(
        Facet(
            "tag",
            str(LABELS["tag"]),
            tuple(Option(t.slug, t.label, n("tag", t.slug), t.slug == chosen_tag) for t in tags),
        )
    )
    out.append(choice_facet("grade", EvidenceGrade))
    return out


def chosen(facet_list: list[Facet]) -> list[tuple[Facet, Option]]:
    """The facets set, each with its chosen option (the list shows them as links that
    remove them)."""
    return [(f, o) for f in facet_list for o in f.options if o.selected]
