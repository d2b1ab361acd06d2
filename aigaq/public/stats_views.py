"""The statistics and map pages: counts over the current filter (the entries list's query
string), drawn on the server as SVG bar charts and a county map. Each bar and county links to
the entries list filtered by its value, keeping the other filters."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from aigaq.core.changes import changes_current
from aigaq.people.models import Ethnicity, Gender, Place, StatusKind
from aigaq.public import filters as public_filters
from aigaq.public import stats
from aigaq.public.geo import county_map
from aigaq.public.languages import PublicLanguage
from aigaq.public.views import page_context, public_page

#: Chart geometry, in SVG units (the SVG scales to the column's width).
WIDTH = 420
ROW = 40
LABEL_Y = 15
BAR_Y = 21
BAR_H = 13
BAR_MAX = 330
TOP_COUNTIES = 15
#: Map colours: five steps from the palette's paper to its link blue; no entries: --line.
SCALE = ("#dbe4f0", "#b3c6df", "#7f9fc8", "#4f77ad", "#1f4e8c")
EMPTY = "#ece9e2"
#: How long counts stay cached at most, should the change counter ever fail to go up.
COUNTS_SECONDS = 600

T = TypeVar("T")


def cached_counts(kind: str, filters: dict[str, Any], compute: Callable[[], T]) -> T:
    """`compute()`, cached under the data's change counter (aigaq.core.changes) and the
    filters: repeated views are served from the cache, and the first request after any
    committed write (a new public entry, a withdrawal of consent, a visibility change)
    counts again. The counter is read before counting, so the cached counts are never older
    than the value they are filed under."""
    marker = changes_current()
    spec = "&".join(f"{k}={filters[k]}" for k in sorted(filters))
    digest = hashlib.sha256(spec.encode()).hexdigest()[:32]
    key = f"public:{kind}:{marker}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_SECONDS)
    return value


def list_url(lang: PublicLanguage, filters: dict[str, Any], key: str, value: Any) -> str:
    """The entries list with `filters` and key=value (the other filters kept)."""
    query = QueryDict(mutable=True)
    for k in public_filters.KEYS:
        if k in filters and k != key:
            query[k] = str(filters[k])
    query[key] = str(value)
    return reverse("public:entries", args=[lang.code]) + "?" + query.urlencode()


def bar_chart(
    rows: Sequence[tuple[str, float, str | None]], *, rtl: bool, total: int
) -> dict[str, Any]:
    """Rows (label, count, link or None) laid out as horizontal bars, label above each bar,
    the number after it; mirrored for right-to-left pages."""
    top = max((n for _, n, _ in rows), default=0) or 1
    laid = []
    for i, (label, n, url) in enumerate(rows):
        y = i * ROW
        w = max(1.0, BAR_MAX * n / top) if n else 0.0
        shown = f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"
        share = f"{100 * n / total:.0f}%" if total else ""
        if rtl:
            laid.append(
                {
                    "label": label, "n": shown, "share": share, "url": url,
                    "lx": WIDTH, "anchor": "end", "ly": y + LABEL_Y,
                    "bx": WIDTH - w, "by": y + BAR_Y, "bw": w,
                    "nx": WIDTH - w - 6, "nanchor": "end", "ny": y + BAR_Y + BAR_H - 2,
                }
            )  # fmt: skip
        else:
            laid.append(
                {
                    "label": label, "n": shown, "share": share, "url": url,
                    "lx": 0, "anchor": "start", "ly": y + LABEL_Y,
                    "bx": 0, "by": y + BAR_Y, "bw": w,
                    "nx": w + 6, "nanchor": "start", "ny": y + BAR_Y + BAR_H - 2,
                }
            )  # fmt: skip
    return {"rows": laid, "width": WIDTH, "height": max(ROW, len(rows) * ROW), "bar_h": BAR_H}


def _place_names(codes: list[str]) -> dict[str, str]:
    return {p.code: p.name_in() for p in Place.objects.filter(code__in=codes)}


def _charts(lang: PublicLanguage, filters: dict[str, Any], s: stats.Stats) -> list[dict[str, Any]]:
    rtl = lang.rtl
    unknown = _("Unknown")
    status_labels = dict(StatusKind.choices)
    status_rows = [
        (
            str(status_labels.get(k, unknown)) if k else _("No status recorded"),
            n,
            list_url(lang, filters, "status", k) if k in status_labels else None,
        )
        for k, n in s.status.most_common()
    ]
    eth_labels = dict(Ethnicity.choices)
    eth_rows = [
        (str(eth_labels.get(k, unknown)), n, list_url(lang, filters, "ethnicity", k))
        for k, n in s.ethnicity.most_common()
        if k in eth_labels
    ]
    gender_labels = dict(Gender.choices)
    gender_rows = [
        (str(gender_labels.get(k, unknown)), n, list_url(lang, filters, "gender", k))
        for k, n in s.gender.most_common()
        if k in gender_labels
    ]
    years = sorted(y for y in s.detained if y is not None)
    year_rows: list[tuple[str, float, str | None]] = [
        (str(y), s.detained[y], list_url(lang, filters, "detained", y)) for y in years
    ]
    if s.detained.get(None):
        year_rows.append((_("No dated detention"), s.detained[None], None))
    age_rows: list[tuple[str, float, str | None]] = []
    for first, last in stats.AGE_RANGES:
        label = f"{first}–{last}" if last is not None else f"{first}+"
        age_rows.append((label, s.age.get((first, last), 0.0), None))
    if s.age.get(None):
        age_rows.append((unknown, s.age[None], None))
    county_rows = _county_rows(lang, filters, s)[:TOP_COUNTIES]

    def chart(
        key: str, title: str, rows: Sequence[tuple[str, float, str | None]], note: str
    ) -> dict[str, Any]:
        return {
            "key": key,
            "title": title,
            "note": note,
            "svg": bar_chart(rows, rtl=rtl, total=s.total),
        }

    return [
        chart(
            "status",
            _("Current status"),
            status_rows,
            _(
                "The latest status reported in each entry's timeline. Releases are often "
                "learned late or never: a status may be out of date."
            ),
        ),
        chart(
            "detained",
            _("Year of first detention"),
            year_rows,
            _(
                "The year of the earliest detention in each entry's timeline. Years reflect "
                "when families learned of a detention as much as when it happened. A bar's "
                "list shows everyone detained in that year, first time or not."
            ),
        ),
        chart(
            "ethnicity",
            _("Ethnicity"),
            eth_rows,
            _(
                "Most testimonies come from relatives living in Kazakhstan, so Kazakhs are "
                "over-represented and Uyghurs under-represented compared with the detained "
                "population."
            ),
        ),
        chart(
            "gender",
            _("Gender"),
            gender_rows,
            _("Unknown values are shown as such, never guessed."),
        ),
        chart(
            "age",
            _("Age at first detention"),
            age_rows,
            _(
                "Age in the year of the first detention. Where only a range of birth years is "
                "known, the entry is spread evenly over those years (born 1970–1975: one sixth "
                "in each). Unknown: no birth year or no dated detention."
            ),
        ),
        chart(
            "county",
            _("Hometown county"),
            county_rows,
            _(
                "The fifteen counties with most entries (all are on the map). Places named by "
                "prefecture only are shown as such."
            ),
        ),
    ]


def _county_rows(
    lang: PublicLanguage, filters: dict[str, Any], s: stats.Stats
) -> list[tuple[str, float, str | None]]:
    special = {
        stats.NO_HOMETOWN: _("Hometown unknown"),
        stats.NOT_TO_COUNTY: _("Known to prefecture only"),
        stats.OUTSIDE: _("Outside Xinjiang"),
    }
    names = _place_names([k for k in s.county if k not in special])
    rows: list[tuple[str, float, str | None]] = []
    for code, n in s.county.most_common():
        if code in special:
            continue
        rows.append((names.get(code, code), n, list_url(lang, filters, "place", code)))
    for code, label in special.items():
        if s.county.get(code):
            rows.append((label, s.county[code], None))
    return rows


def _filter_context(lang: PublicLanguage, filters: dict[str, Any]) -> dict[str, Any]:
    query = QueryDict(mutable=True)
    for k in public_filters.KEYS:
        if k in filters:
            query[k] = str(filters[k])
    q = query.urlencode()
    return {
        "filters": filters,
        "query": q,
        "entries_url": reverse("public:entries", args=[lang.code]) + (f"?{q}" if q else ""),
    }


@require_safe
@public_page
def statistics(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    persons, filters = public_filters.filtered(request.GET)
    s = cached_counts("stats", filters, lambda: stats.compute(persons))
    return render(
        request,
        "public/stats.html",
        {
            **page_context(request, lang),
            **_filter_context(lang, filters),
            "total": s.total,
            "charts": _charts(lang, filters, s),
        },
    )


@require_safe
@public_page
def county_map_page(request: HttpRequest, lang: PublicLanguage) -> HttpResponse:
    persons, filters = public_filters.filtered(request.GET)

    def by_county() -> Counter[str]:
        homes = persons.order_by().values("hometown_id").annotate(n=Count("pk"))
        return stats.by_county((row["hometown_id"], row["n"]) for row in homes)

    counts = cached_counts("map", filters, by_county)
    total = sum(counts.values())
    data = county_map()
    names = _place_names([c["code"] for c in data["counties"] if c["code"]])
    top = max((counts.get(c["code"], 0) for c in data["counties"] if c["code"]), default=0)
    steps = _steps(top)
    shapes = []
    for c in data["counties"]:
        n = counts.get(c["code"], 0) if c["code"] else 0
        shapes.append(
            {
                "d": c["d"],
                "name": names.get(c["code"], c["zh"]),
                "n": n,
                "fill": _colour(n, steps),
                "url": list_url(lang, filters, "place", c["code"]) if c["code"] else None,
            }
        )
    legend = [(SCALE[i], lo, hi) for i, (lo, hi) in enumerate(steps)]
    return render(
        request,
        "public/map.html",
        {
            **page_context(request, lang),
            **_filter_context(lang, filters),
            "total": total,
            "width": data["width"],
            "height": data["height"],
            "shapes": shapes,
            "legend": legend,
            "empty": EMPTY,
            "table": _county_rows(lang, filters, stats.Stats(county=counts)),
        },
    )


def _steps(top: int) -> list[tuple[int, int]]:
    """Five ranges of counts, 1..top, one per colour (fewer when top is small)."""
    if top <= 0:
        return []
    size = max(1, -(-top // len(SCALE)))
    out: list[tuple[int, int]] = []
    lo = 1
    while lo <= top and len(out) < len(SCALE):
        hi = min(top, lo + size - 1)
        out.append((lo, hi))
        lo = hi + 1
    return out


def _colour(n: int, steps: list[tuple[int, int]]) -> str:
    for i, (lo, hi) in enumerate(steps):
        if lo <= n <= hi:
            return SCALE[i]
    return EMPTY
