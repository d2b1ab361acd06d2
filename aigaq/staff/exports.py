"""Exports of the persons and testimonies lists, as CSV (streamed) and XLSX.

An export holds the rows its list shows for the same filters (the same selectors, so the same
reader sees the same records), with more columns than fit on the page. Restricted fields
(a person's Chinese ID number, a testifier's phone) are columns only when asked for
(``restricted=1``) and only for readers disclosure lets read them, as the audited "Show" on the
pages. Every export is audited: one entry with the format, the filters, the row count and the
names of the restricted fields included. Every text cell that a spreadsheet would read as a
formula (beginning with = + - @, a tab or a carriage return) is written with a leading
apostrophe, in CSV and XLSX alike.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from aigaq.core import audit
from aigaq.core.audit import RESTRICTED_MARK
from aigaq.disclosure.policy import (
    can_read_restricted_fields,
    person_visible_to,
    testifier_name_for,
    testifier_named_for,
)
from aigaq.people.models import Person, StatusKind
from aigaq.search import selectors as search_selectors
from aigaq.search.query import CHINESE_ID
from aigaq.staff.access import cap_required
from aigaq.staff.persons import PersonFilterForm, list_query
from aigaq.staff.testimonies import TestimonyFilterForm, listed
from aigaq.testimonies.models import Testifier, Testimony

FORMATS = ("csv", "xlsx")
# An XLSX sheet is built whole before it is sent; past this many rows, CSV (streamed) is the
# way. Excel's own limit is 1,048,576 rows.
XLSX_MAX_ROWS = 100_000
CHUNK = 500
# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell value no spreadsheet runs: text that begins like a formula gets a leading
    apostrophe; numbers, dates and empty cells are left as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | dt.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


@dataclass(frozen=True)
class Column:
    header: Any  # a lazy translation: read in the page's language when the file is written
    value: Callable[[Any], Any]
    # The restricted field this column shows (a column only on request, for its readers).
    restricted: str = ""


def _label(model: type[models.Model], field: str) -> Any:
    found: Any = model._meta.get_field(field)
    return capfirst(found.verbose_name)


def _joined(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values if v not in (None, ""))


_STATUS = dict(StatusKind.choices)


def person_columns(user: Any) -> list[Column]:
    def other_names(p: Person) -> str:
        return _joined(n.full_name for n in p.names.all() if n.full_name != p.primary_name)

    return [
        Column(_label(Person, "entry_no"), lambda p: p.entry_no),
        Column(_label(Person, "primary_name"), lambda p: p.primary_name),
        Column(gettext_lazy("Other names"), other_names),
        Column(_label(Person, "gender"), lambda p: p.get_gender_display()),
        Column(_label(Person, "birth_year"), lambda p: p.birth_year),
        Column(_label(Person, "birth_year_max"), lambda p: p.birth_year_max),
        Column(_label(Person, "ethnicity"), lambda p: p.get_ethnicity_display()),
        Column(_label(Person, "citizenships"), lambda p: _joined(p.citizenships or [])),
        Column(_label(Person, "hometown"), lambda p: str(p.hometown) if p.hometown else ""),
        Column(_label(Person, "occupation"), lambda p: p.occupation),
        Column(
            _label(Person, "current_status"),
            lambda p: _STATUS.get(p.current_status, p.current_status),
        ),
        Column(_label(Person, "evidence_grade"), lambda p: p.get_evidence_grade_display()),
        Column(_label(Person, "tags"), lambda p: _joined(t.label for t in p.tags.all())),
        Column(_label(Person, "visibility"), lambda p: p.get_visibility_display()),
        Column(_label(Person, "chinese_id"), lambda p: p.chinese_id, restricted="chinese_id"),
    ]


def testimony_columns(user: Any) -> list[Column]:
    def about(t: Testimony) -> str:
        out = []
        for link in t.relations.all():
            person = link.person
            if person_visible_to(user, person) and person.merged_into_id is None:
                who = str(person)
            else:
                who = _("an entry you may not see")
            out.append(f"{who} ({link.get_relationship_display()})")
        return _joined(out)

    def citizenship(t: Testimony) -> str:
        return t.testifier.citizenship if testifier_named_for(user, t) else ""

    def withdrawn(t: Testimony) -> Any:
        when = t.consent_withdrawn_at
        return timezone.localtime(when).date() if when else None

    return [
        Column(_label(Testimony, "number"), lambda t: t.label),
        Column(_label(Testimony, "recorded_on"), lambda t: t.recorded_on),
        Column(_label(Testimony, "testifier"), lambda t: testifier_name_for(user, t)),
        Column(_label(Testifier, "citizenship"), citizenship),
        Column(_label(Testifier, "phone"), lambda t: t.testifier.phone, restricted="phone"),
        Column(gettext_lazy("About"), about),
        Column(_label(Testimony, "location"), lambda t: t.get_location_display()),
        Column(_label(Testimony, "place"), lambda t: str(t.place) if t.place else ""),
        Column(_label(Testimony, "interviewer"), lambda t: str(t.interviewer or "")),
        Column(_label(Testimony, "language"), lambda t: t.language),
        Column(_label(Testimony, "status"), lambda t: t.get_status_display()),
        Column(_label(Testimony, "visibility"), lambda t: t.get_visibility_display()),
        Column(_label(Testimony, "consent_public"), lambda t: t.consent_public),
        Column(_label(Testimony, "consent_press"), lambda t: t.consent_press),
        Column(_label(Testimony, "consent_petitions"), lambda t: t.consent_petitions),
        Column(_label(Testimony, "consent_anonymous"), lambda t: t.consent_anonymous),
        Column(_label(Testimony, "consent_withdrawn_at"), withdrawn),
        Column(_label(Testimony, "summary"), lambda t: t.summary),
    ]


# --- Writing ------------------------------------------------------------------------------------


def _cells(columns: list[Column], record: Any) -> list[Any]:
    return [neutralise(c.value(record)) for c in columns]


class _Echo:
    """A file-like object whose write returns what it was given: csv.writer then hands each
    line to the streaming response instead of building the file in memory."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: list[Column], records: Iterable[Any], language: str) -> Iterator[str]:
    """The CSV file, line by line: a byte order mark (so spreadsheets read the UTF-8 as such),
    the headers, then one line per record. Runs while the response is sent, in `language`."""
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield "\ufeff" + writer.writerow([str(c.header) for c in columns])
        for record in records:
            row = [v.isoformat() if isinstance(v, dt.date) else v for v in _cells(columns, record)]
            yield writer.writerow(row)


def _xlsx_text(value: Any) -> Any:
    if isinstance(value, str):  # control characters XLSX cannot hold (a pasted NUL) go
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def xlsx_bytes(columns: list[Column], records: Iterable[Any], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([str(c.header) for c in columns])
    for record in records:
        sheet.append([_xlsx_text(v) for v in _cells(columns, record)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- Views --------------------------------------------------------------------------------------


def _restricted_wanted(request: HttpRequest) -> bool:
    """Restricted fields are exported on request only, and only to their readers."""
    if request.GET.get("restricted") != "1":
        return False
    if not can_read_restricted_fields(request.user):
        raise PermissionDenied("restricted.read")
    return True


def _filters_logged(query: QueryDict, names: Iterable[str]) -> dict[str, str]:
    """The filters as asked (the list's query string), for the audit entry; a Chinese ID
    number typed in the search box is a restricted value and is never logged."""
    out = {}
    for name in names:
        value = (query.get(name) or "").strip()
        if not value:
            continue
        if name == "q" and CHINESE_ID.match(value.replace(" ", "")):
            value = RESTRICTED_MARK
        out[name] = value
    return out


def _refused(request: HttpRequest, *, errors: Any, list_url: str) -> HttpResponse:
    keep = request.GET.copy()
    keep.pop("restricted", None)
    return render(
        request,
        "staff/export_refused.html",
        {"errors": errors, "back": f"{list_url}?{keep.urlencode()}" if keep else list_url},
        status=400,
    )


def _export(
    request: HttpRequest,
    *,
    fmt: str,
    model: type[models.Model],
    stem: str,
    title: str,
    rows: Any,
    columns: list[Column],
    filters: dict[str, str],
    list_url: str,
) -> HttpResponse | StreamingHttpResponse | FileResponse:
    count = rows.count()
    if fmt == "xlsx" and count > XLSX_MAX_ROWS:
        message = _(
            "An XLSX file holds at most %(max)s rows and this list has %(n)s. Narrow the "
            "filters, or export CSV, which has no limit. Nothing was exported."
        ) % {"max": f"{XLSX_MAX_ROWS:,}", "n": f"{count:,}"}
        return _refused(request, errors=[message], list_url=list_url)
    restricted = sorted(c.restricted for c in columns if c.restricted)
    audit.record_export(
        actor=request.user,
        model=model,
        label=title,
        changes={"format": fmt, "filters": filters, "rows": count, "restricted_fields": restricted},
    )
    filename = f"{stem}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    records = rows.iterator(chunk_size=CHUNK)
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(columns, records, translation.get_language() or "en"),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        io.BytesIO(xlsx_bytes(columns, records, title)),
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _chosen(columns: list[Column], restricted: bool) -> list[Column]:
    return [c for c in columns if restricted or not c.restricted]


@cap_required("person.view")
def person_export(request: HttpRequest, fmt: str) -> Any:
    """The persons list with its filters, as a file."""
    if fmt not in FORMATS:
        raise Http404
    form = PersonFilterForm(request.GET or None)
    list_url = reverse("staff:person_list")
    if form.is_bound and not form.is_valid():
        return _refused(request, errors=form.errors, list_url=list_url)
    query, filters = list_query(form)
    restricted = _restricted_wanted(request)
    found = search_selectors.person_search_ranked(user=request.user, query=query, filters=filters)
    return _export(
        request,
        fmt=fmt,
        model=Person,
        stem="persons",
        title=str(_("Persons")),
        rows=found.persons,
        columns=_chosen(person_columns(request.user), restricted),
        filters=_filters_logged(request.GET, PersonFilterForm.base_fields),
        list_url=list_url,
    )


@cap_required("testimony.view")
def testimony_export(request: HttpRequest, fmt: str) -> Any:
    """The testimonies list with its filters, as a file."""
    if fmt not in FORMATS:
        raise Http404
    form = TestimonyFilterForm(request.GET or None)
    list_url = reverse("staff:testimony_list")
    if form.is_bound and not form.is_valid():
        return _refused(request, errors=form.errors, list_url=list_url)
    restricted = _restricted_wanted(request)
    filters = form.cleaned_data if form.is_bound else {}
    return _export(
        request,
        fmt=fmt,
        model=Testimony,
        stem="testimonies",
        title=str(_("Testimonies")),
        rows=listed(request.user, filters),
        columns=_chosen(testimony_columns(request.user), restricted),
        filters=_filters_logged(request.GET, TestimonyFilterForm.base_fields),
        list_url=list_url,
    )
