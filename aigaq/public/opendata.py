"""The public data as files: the data dictionary (one table, below, that the CSV columns, the
JSON documents and the dictionary page and JSON are all made from), one JSON document per
entry, CSV rows, the Atom feed and the sitemap.

Everything here is built from `aigaq.disclosure.public.PublicEntry` and nothing else: a value
that is not in PublicEntry is never written, and an entry disclosure does not return is never
listed. The static edition (static_build.py) writes the same files through the same views.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import TextChoices
from django.urls import URLPattern, URLResolver, reverse
from django.utils import feedgenerator
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core.csvcells import neutralise_cell
from aigaq.disclosure.public import PublicEntry, PublicSource, public_persons
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Gender,
    PersonName,
    Place,
    Source,
    StatusEvent,
    StatusKind,
)
from aigaq.public.languages import DEFAULT, PUBLIC_LANGUAGES
from aigaq.testimonies.models import Relationship, Testimony

#: Entries per sitemap file (each written in eight languages: 40,000 addresses, under the
#: protocol's 50,000).
SITEMAP_CHUNK = 5000
FEED_ENTRIES = 50
#: Views of the public site that are files, not pages: left out of the sitemap's pages.
NOT_PAGES = frozenset({"public:feed", "public:root", "public:data_dictionary"})


class Places:
    """The gazetteer read once (a few hundred places): id -> (code, name)."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[str, str]] | None = None

    def get(self, place_id: Any) -> tuple[str, str]:
        if place_id is None:
            return "", ""
        if self._by_id is None:
            self._by_id = {
                str(pk): (code, name)
                for pk, code, name in Place.objects.values_list("id", "code", "name")
            }
        return self._by_id.get(str(place_id), ("", ""))


@dataclass(frozen=True)
class Field:
    """One field of the public data: its name in the JSON documents (and the CSV header when
    it has a CSV form), what it holds, and its values."""

    name: str
    kind: str
    meaning: Promise
    values: type[TextChoices] | Promise | None
    get: Callable[[Any, Places], Any]
    csv: Callable[[Any], Any] | None = None  # the CSV cell from the JSON value; None: not in CSV
    children: tuple[Field, ...] = field(default=())


def _same(value: Any) -> Any:
    return value


def _joined(value: Any) -> str:
    return "; ".join(str(v) for v in value)


def _count(value: Any) -> int:
    return len(value)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


SOURCE_FIELDS = (
    Field(
        "kind",
        "text",
        gettext_lazy("What kind of published source it is."),
        Source.Kind,
        lambda s, p: s.kind,
    ),
    Field("title", "text", gettext_lazy("The source's title."), None, lambda s, p: s.title),
    Field("url", "text", gettext_lazy("The source's web address."), None, lambda s, p: s.url),
    Field(
        "date_text",
        "text",
        gettext_lazy("When it was published, as written."),
        None,
        lambda s, p: s.date_text,
    ),
)


def _source(s: PublicSource | None, places: Places) -> dict[str, Any] | None:
    if s is None:
        return None
    return {f.name: f.get(s, places) for f in SOURCE_FIELDS}


NAME_FIELDS = (
    Field(
        "full_name", "text", gettext_lazy("The name as written."), None, lambda n, p: n.full_name
    ),
    Field(
        "script",
        "text",
        gettext_lazy("The script it is written in."),
        PersonName.Script,
        lambda n, p: n.script,
    ),
    Field(
        "kind",
        "text",
        gettext_lazy("What form of the name it is."),
        PersonName.Kind,
        lambda n, p: n.kind,
    ),
)

EVENT_FIELDS = (
    Field("kind", "text", gettext_lazy("What happened."), StatusKind, lambda e, p: e.kind),
    Field(
        "report",
        "text",
        gettext_lazy("How the event is known."),
        StatusEvent.Report,
        lambda e, p: e.report,
    ),
    Field(
        "date_text",
        "text",
        gettext_lazy('The date as reported; often partial ("spring 2018").'),
        None,
        lambda e, p: e.date_text,
    ),
    Field(
        "date_start",
        "date",
        gettext_lazy("The earliest day the reported date can mean (YYYY-MM-DD), or null."),
        None,
        lambda e, p: _date(e.date_start),
    ),
    Field(
        "place",
        "text",
        gettext_lazy("Where, by its name in the gazetteer."),
        None,
        lambda e, p: p.get(e.place_id)[1],
    ),
    Field(
        "place_code",
        "text",
        gettext_lazy("Where, by its code in the gazetteer."),
        None,
        lambda e, p: p.get(e.place_id)[0],
    ),
    Field(
        "facility",
        "text",
        gettext_lazy("The camp, prison or factory named."),
        None,
        lambda e, p: e.facility,
    ),
    Field(
        "sentence",
        "text",
        gettext_lazy("The prison sentence reported."),
        None,
        lambda e, p: e.sentence,
    ),
    Field(
        "testimony_number",
        "integer",
        gettext_lazy("The number of the published testimony that reports it, or null."),
        None,
        lambda e, p: e.testimony_number,
    ),
    Field(
        "source",
        "object",
        gettext_lazy("The published source that reports it, or null."),
        None,
        lambda e, p: _source(e.source, p),
        children=SOURCE_FIELDS,
    ),
)

TESTIMONY_FIELDS = (
    Field(
        "number",
        "integer",
        gettext_lazy("The testimony's number (T12 is 12)."),
        None,
        lambda t, p: t.number,
    ),
    Field(
        "recorded_on",
        "date",
        gettext_lazy("The day it was recorded (YYYY-MM-DD)."),
        None,
        lambda t, p: _date(t.recorded_on),
    ),
    Field(
        "language",
        "text",
        gettext_lazy("The language spoken (a language code)."),
        None,
        lambda t, p: t.language,
    ),
    Field(
        "channel",
        "text",
        gettext_lazy("Where it was recorded."),
        Testimony.Location,
        lambda t, p: t.channel,
    ),
    Field(
        "relationship",
        "text",
        gettext_lazy("What the testifier is to the person."),
        Relationship,
        lambda t, p: t.relationship,
    ),
    Field(
        "testifier",
        "text",
        gettext_lazy("The testifier's name, or initials where they asked for anonymity."),
        None,
        lambda t, p: t.testifier,
    ),
    Field(
        "testifier_named",
        "boolean",
        gettext_lazy("Whether the testifier is named in full."),
        None,
        lambda t, p: t.testifier_named,
    ),
    Field(
        "summary",
        "text",
        gettext_lazy("What the testimony says, in short."),
        None,
        lambda t, p: t.summary,
    ),
    Field(
        "videos",
        "integer",
        gettext_lazy("How many redacted video or sound recordings of it are published."),
        None,
        lambda t, p: len(t.videos),
    ),
)


def _events(e: PublicEntry, places: Places) -> list[dict[str, Any]]:
    return [{f.name: f.get(ev, places) for f in EVENT_FIELDS} for ev in e.events]


def _status_when(e: PublicEntry, p: Places) -> Any:
    return e.year_detained


#: The data dictionary: every field of the public data, in the order of the CSV columns.
FIELDS: tuple[Field, ...] = (
    Field(
        "entry_no",
        "integer",
        gettext_lazy(
            "The entry's number: stable, never reused; a merged entry's number leads to the entry kept."
        ),
        None,
        lambda e, p: e.entry_no,
        _same,
    ),
    Field("url", "text", gettext_lazy("The entry's page."), None, lambda e, p: "", _same),
    Field(
        "name",
        "text",
        gettext_lazy(
            "The name shown: the main name, or initials only where every testifier asked for anonymity."
        ),
        None,
        lambda e, p: e.name,
        _same,
    ),
    Field(
        "anonymous",
        "boolean",
        gettext_lazy(
            "Whether the entry is shown by initials only (then no other name, photo, occupation or biography is published)."
        ),
        None,
        lambda e, p: e.anonymous,
        _same,
    ),
    Field(
        "names",
        "list",
        gettext_lazy(
            "Every form of the name, in every script it is known by (CSV: the names, separated by semicolons)."
        ),
        None,
        lambda e, p: [{f.name: f.get(n, p) for f in NAME_FIELDS} for n in e.names],
        lambda v: _joined(n["full_name"] for n in v),
        NAME_FIELDS,
    ),
    Field("gender", "text", gettext_lazy("Gender."), Gender, lambda e, p: e.gender, _same),
    Field(
        "ethnicity", "text", gettext_lazy("Ethnicity."), Ethnicity, lambda e, p: e.ethnicity, _same
    ),
    Field(
        "birth_year",
        "integer",
        gettext_lazy("Year of birth, or the first year of a range; empty when unknown."),
        None,
        lambda e, p: e.birth_year,
        _same,
    ),
    Field(
        "birth_year_max",
        "integer",
        gettext_lazy(
            "The last year of a range of birth years; empty when the year is exact or unknown."
        ),
        None,
        lambda e, p: e.birth_year_max,
        _same,
    ),
    Field(
        "citizenships",
        "list",
        gettext_lazy("Citizenships, as two-letter country codes (CSV: separated by semicolons)."),
        None,
        lambda e, p: list(e.citizenships),
        _joined,
    ),
    Field(
        "hometown",
        "text",
        gettext_lazy("Hometown, by its name in the gazetteer."),
        None,
        lambda e, p: p.get(e.hometown_id)[1],
        _same,
    ),
    Field(
        "hometown_code",
        "text",
        gettext_lazy("Hometown, by its code in the gazetteer (cn-xj-...)."),
        None,
        lambda e, p: p.get(e.hometown_id)[0],
        _same,
    ),
    Field(
        "occupation", "text", gettext_lazy("Occupation."), None, lambda e, p: e.occupation, _same
    ),
    Field(
        "biography",
        "text",
        gettext_lazy("A short biography."),
        None,
        lambda e, p: e.biography,
        _same,
    ),
    Field(
        "evidence_grade",
        "text",
        gettext_lazy("How well the case is established."),
        EvidenceGrade,
        lambda e, p: e.evidence_grade,
        _same,
    ),
    Field(
        "current_status",
        "text",
        gettext_lazy("The latest status, derived from the chronology."),
        StatusKind,
        lambda e, p: e.current_status,
        _same,
    ),
    Field(
        "year_detained",
        "integer",
        gettext_lazy(
            "The year of the earliest dated detention, camp, prison, house arrest or forced labour; empty when none is dated."
        ),
        None,
        _status_when,
        _same,
    ),
    Field(
        "tags",
        "list",
        gettext_lazy("Topics (CSV: separated by semicolons)."),
        None,
        lambda e, p: list(e.tags),
        _joined,
    ),
    Field(
        "has_photo",
        "boolean",
        gettext_lazy("Whether a photo is published on the entry's page."),
        None,
        lambda e, p: e.photo_id is not None,
        _same,
    ),
    Field(
        "events",
        "list",
        gettext_lazy("The dated chronology (CSV: how many events)."),
        None,
        _events,
        _count,
        EVENT_FIELDS,
    ),
    Field(
        "testimonies",
        "list",
        gettext_lazy("The testimonies published with the testifiers' consent (CSV: how many)."),
        None,
        lambda e, p: [{f.name: f.get(t, p) for f in TESTIMONY_FIELDS} for t in e.testimonies],
        _count,
        TESTIMONY_FIELDS,
    ),
    Field(
        "sources",
        "list",
        gettext_lazy(
            "Published sources: articles, official documents, leaked lists, videos (CSV: how many)."
        ),
        None,
        lambda e, p: [_source(s, p) for s in e.sources],
        _count,
        SOURCE_FIELDS,
    ),
    Field(
        "created_at",
        "datetime",
        gettext_lazy("When the entry was first published (ISO 8601, UTC)."),
        None,
        lambda e, p: _stamp(e.created_at),
        _same,
    ),
    Field(
        "updated_at",
        "datetime",
        gettext_lazy("When the entry last changed (ISO 8601, UTC)."),
        None,
        lambda e, p: _stamp(e.updated_at),
        _same,
    ),
)
CSV_FIELDS = tuple(f for f in FIELDS if f.csv is not None)


def _stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def entry_path(entry_no: int, lang: str | None = None) -> str:
    return reverse("public:entry", args=[lang or DEFAULT.code, entry_no])


def entry_document(
    e: PublicEntry, places: Places, absolute: Callable[[str], str]
) -> dict[str, Any]:
    """The entry's JSON document: every field of the dictionary, nothing else."""
    doc = {f.name: f.get(e, places) for f in FIELDS}
    doc["url"] = absolute(entry_path(e.entry_no))
    return doc


def csv_header() -> list[str]:
    return [f.name for f in CSV_FIELDS]


def csv_row(doc: dict[str, Any]) -> list[Any]:
    return [neutralise_cell(f.csv(doc[f.name])) for f in CSV_FIELDS if f.csv is not None]


def _values(values: type[TextChoices] | Promise | None) -> Any:
    if values is None:
        return None
    if isinstance(values, type):
        return [{"value": v, "label": str(label)} for v, label in values.choices]
    return str(values)


def dictionary(fields: Iterable[Field] = FIELDS) -> list[dict[str, Any]]:
    """The data dictionary in the active language (the page and dictionary.json)."""
    out = []
    for f in fields:
        row: dict[str, Any] = {
            "name": f.name,
            "type": f.kind,
            "in_csv": f.csv is not None,
            "meaning": str(f.meaning),
            "values": _values(f.values),
        }
        if f.children:
            row["fields"] = dictionary(f.children)
        out.append(row)
    return out


def documents(absolute: Callable[[str], str], *, batch: int = 500) -> Iterator[dict[str, Any]]:
    """Every public entry's document, by entry number."""
    from aigaq.disclosure.public import public_entries

    places = Places()
    for e in public_entries(public_persons().order_by("entry_no"), batch=batch):
        yield entry_document(e, places, absolute)


def json_array(docs: Iterable[dict[str, Any]]) -> Iterator[str]:
    """A JSON array, one document a line, written as it is read."""
    yield "["
    first = True
    for doc in docs:
        yield ("\n" if first else ",\n") + json.dumps(doc, ensure_ascii=False, sort_keys=False)
        first = False
    yield "\n]\n"


# ---------------------------------------------------------------- the feed


def feed(lang: Any, absolute: Callable[[str], str]) -> feedgenerator.Atom1Feed:
    """New and updated entries, newest change first, in one language."""
    from aigaq.disclosure.public import public_entries

    home = absolute(reverse("public:home", args=[lang.code]))
    f = feedgenerator.Atom1Feed(
        title=_("Victims database: new and updated entries"),
        link=home,
        description=_("Entries published or changed most recently."),
        language=lang.code,
        feed_url=absolute(reverse("public:feed", args=[lang.code])),
        feed_guid=home,
    )
    places = Places()
    rows = public_persons().order_by("-updated_at", "-entry_no")[:FEED_ENTRIES]
    for e in public_entries(rows):
        url = absolute(reverse("public:entry", args=[lang.code, e.entry_no]))
        facts = [f"#{e.entry_no}"]
        if e.current_status:
            facts.append(_label(StatusKind, e.current_status))
        hometown = places.get(e.hometown_id)[1]
        if hometown:
            facts.append(hometown)
        f.add_item(
            title=f"#{e.entry_no} {e.name}",
            link=url,
            description=" · ".join(facts),
            unique_id=absolute(entry_path(e.entry_no)),
            pubdate=e.created_at,
            updateddate=e.updated_at,
        )
    return f


def _label(choices: type[TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# ---------------------------------------------------------------- the sitemap


def language_pages() -> list[str]:
    """The names of the public views that take the language alone (home, the entries list,
    the data page, and whatever pages of that kind the site has): every one is a page in
    every language."""
    from aigaq.public import urls

    names = []
    for pattern in urls.urlpatterns:
        if isinstance(pattern, URLResolver) or not isinstance(pattern, URLPattern):
            continue
        name = f"public:{pattern.name}"
        route = str(pattern.pattern)
        single = pattern.name and "<lang:lang>" in route and route.count("<") == 1
        if single and name not in NOT_PAGES and route.endswith("/"):
            names.append(name)
    return names


def _url_block(
    alternates: list[tuple[str, str]], absolute: Callable[[str], str], lastmod: str = ""
) -> Iterator[str]:
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{_xml(absolute(path))}"/>'
        for code, path in alternates
    )
    default = next(path for code, path in alternates if code == DEFAULT.code)
    links += f'<xhtml:link rel="alternate" hreflang="x-default" href="{_xml(absolute(default))}"/>'
    for _code, path in alternates:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        yield f"<url><loc>{_xml(absolute(path))}</loc>{mod}{links}</url>\n"


def _xml(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)


def sitemap_index(absolute: Callable[[str], str]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    yield f"<sitemap><loc>{_xml(absolute(reverse('public:sitemap_pages')))}</loc></sitemap>\n"
    for chunk in sitemap_chunks():
        loc = absolute(reverse("public:sitemap_entries", args=[chunk]))
        yield f"<sitemap><loc>{_xml(loc)}</loc></sitemap>\n"
    yield "</sitemapindex>\n"


def sitemap_chunks() -> list[int]:
    numbers = public_persons().values_list("entry_no", flat=True).order_by("entry_no")
    chunks: list[int] = []
    for n in numbers.iterator(chunk_size=5000):
        c = n // SITEMAP_CHUNK
        if not chunks or chunks[-1] != c:
            chunks.append(c)
    return chunks


def sitemap_pages(absolute: Callable[[str], str]) -> Iterator[str]:
    yield URLSET
    for name in language_pages():
        alternates = [(lang.code, reverse(name, args=[lang.code])) for lang in PUBLIC_LANGUAGES]
        yield from _url_block(alternates, absolute)
    yield "</urlset>\n"


def sitemap_entries(chunk: int, absolute: Callable[[str], str]) -> Iterator[str]:
    yield URLSET
    rows = (
        public_persons()
        .filter(entry_no__gte=chunk * SITEMAP_CHUNK, entry_no__lt=(chunk + 1) * SITEMAP_CHUNK)
        .order_by("entry_no")
        .values_list("entry_no", "updated_at")
    )
    for entry_no, updated in rows.iterator(chunk_size=1000):
        alternates = [
            (lang.code, reverse("public:entry", args=[lang.code, entry_no]))
            for lang in PUBLIC_LANGUAGES
        ]
        yield from _url_block(alternates, absolute, updated.date().isoformat())
    yield "</urlset>\n"


__all__ = [
    "CSV_FIELDS",
    "FIELDS",
    "Field",
    "csv_header",
    "csv_row",
    "dictionary",
    "documents",
    "entry_document",
    "feed",
    "json_array",
    "sitemap_entries",
    "sitemap_index",
    "sitemap_pages",
]
