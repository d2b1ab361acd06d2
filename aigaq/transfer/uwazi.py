"""Persons to and from Uwazi's CSV import format (docs/interop.md, "Uwazi").

Uwazi (HURIDOCS) imports a CSV whose first row names the properties of one entity template:
`title` (required; `title__<lang>` for its translations), then one column per property,
named by the property's name; several values in one cell are separated by `|`; dates are
written YYYY/MM/DD and a date range as `start:end`; a geolocation is `latitude|longitude`.
Aigaq's persons map to one template (`person`, the columns below); the export writes what the
reader may see (restricted fields never), the import writes persons through
`people.services.persons_create_bulk`, all or nothing, every bad row named by its number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.csvcells import neutralise_cell
from aigaq.core.models import Role, User
from aigaq.core.permissions import check
from aigaq.disclosure.selectors import persons_for
from aigaq.people.models import Person, PersonName, Place
from aigaq.people.services import (
    EventInput,
    NameInput,
    NewPerson,
    PersonsInvalid,
    persons_create_bulk,
)

TEMPLATES = ("person",)
#: Status kinds whose dates go into the `detention_dates` date ranges.
DETENTION = ("detained", "camp", "prison")
COLUMNS = [
    "title",
    "entry_number",
    "other_names",
    "gender",
    "birth_year",
    "ethnicity",
    "citizenships",
    "hometown",
    "hometown_geolocation",
    "occupation",
    "current_status",
    "detention_dates",
    "first_detained_year",
    "evidence_grade",
    "biography",
]
#: The import reads every column it writes but `entry_number` (numbers are this instance's),
#: `current_status` and `first_detained_year` (derived from the dates), `evidence_grade` and
#: `hometown_geolocation` (the gazetteer's): those are accepted and not read.
KNOWN = set(COLUMNS)


# The command line runs as the system (actor None): it reads as an administrator does, every
# live entry, still through disclosure (restricted fields are never written whoever reads).
_SYSTEM_READER = User(username="system", role=Role.ADMIN, is_active=True)


class UwaziError(Exception):
    """A refused CSV: every problem, each with its row number. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _day(d: dt.date | None) -> str:
    return d.strftime("%Y/%m/%d") if d else ""


def _cell(value: Any) -> Any:
    return neutralise_cell(value)


def person_row(person: Person) -> dict[str, Any]:
    names = [n.full_name for n in person.names.all()]  # type: ignore[attr-defined]
    title = person.primary_name or (names[0] if names else "")
    ranges = [
        f"{_day(e.date_start)}:{_day(e.date_end)}"
        for e in person.events.all()  # type: ignore[attr-defined]
        if e.kind in DETENTION and (e.date_start or e.date_end)
    ]
    town = person.hometown
    geo = f"{town.lat}|{town.lon}" if town and town.lat is not None and town.lon is not None else ""
    return {
        "title": title,
        "entry_number": person.entry_no,
        "other_names": "|".join(n for n in names if n != title),
        "gender": person.gender,
        "birth_year": person.birth_year or "",
        "ethnicity": person.ethnicity,
        "citizenships": "|".join(person.citizenships or []),
        "hometown": town.name if town else "",
        "hometown_geolocation": geo,
        "occupation": person.occupation,
        "current_status": person.current_status,
        "detention_dates": "|".join(ranges),
        "first_detained_year": person.first_detained_year or "",
        "evidence_grade": person.evidence_grade,
        "biography": person.biography,
    }


def uwazi_export(*, actor: Any, template: str, out: IO[str]) -> int:
    """Write the persons `actor` may see (None: the system, every live entry) as Uwazi CSV.
    The Chinese ID number and other restricted fields are never written. Audited."""
    check(actor, "export.run")
    if template not in TEMPLATES:
        raise UwaziError([_("Unknown template %(name)s; known: person.") % {"name": template}])
    persons = (
        persons_for(actor or _SYSTEM_READER)
        .select_related("hometown")
        .prefetch_related("names", "events")
        .order_by("entry_no")
    )
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for person in persons.iterator(chunk_size=2000):
        writer.writerow({k: _cell(v) for k, v in person_row(person).items()})
        count += 1
    audit.record_export(
        actor=actor,
        model=Person,
        label=_("Uwazi CSV"),
        changes={"format": "uwazi-csv", "template": template, "rows": count},
    )
    return count


@dataclass
class UwaziImportReport:
    rows: int
    created: list[int] = field(default_factory=list)  # entry numbers
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "dry_run": self.dry_run}


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _uwazi_date(text: str) -> str:
    """Uwazi's YYYY/MM/DD (or YYYY-MM-DD) as Aigaq's YYYY-MM-DD."""
    text = text.strip()
    for fmt in ("%Y/%m/%d", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(text)


def _range(text: str) -> str:
    start, _sep, end = text.partition(":")
    a = _uwazi_date(start) if start.strip() else ""
    b = _uwazi_date(end) if end.strip() else ""
    if not a and not b:
        raise ValueError(text)
    if a and b and a != b:
        return f"{a}..{b}"
    return a or b


def _person_from_row(row: dict[str, str], places: dict[str, Place]) -> NewPerson:
    names = [NameInput(row.get("title", "").strip())]
    for column, value in row.items():
        if column.startswith("title__") and value.strip():
            names.append(NameInput(value.strip(), lang=column.split("__", 1)[1]))
    names += [NameInput(n, kind=PersonName.Kind.ALIAS) for n in _split(row.get("other_names", ""))]
    fields: dict[str, Any] = {}
    for name in ("gender", "ethnicity", "occupation", "biography"):
        if row.get(name, "").strip():
            fields[name] = row[name].strip()
    if row.get("birth_year", "").strip():
        try:
            fields["birth_year"] = int(row["birth_year"])
        except ValueError:
            raise ValueError(
                _("birth_year is not a year: %(v)s") % {"v": row["birth_year"]}
            ) from None
    if row.get("citizenships", "").strip():
        fields["citizenships"] = _split(row["citizenships"])
    town = row.get("hometown", "").strip()
    if town:
        place = places.get(town.casefold())
        if place is None:
            raise ValueError(_("hometown is not a place in the gazetteer: %(v)s") % {"v": town})
        fields["hometown"] = place
    events = []
    for text in _split(row.get("detention_dates", "")):
        try:
            events.append(EventInput("detained", _range(text)))
        except ValueError:
            raise ValueError(
                _("detention_dates: not a date range like 2018/01/31:2018/06/30: %(v)s")
                % {"v": text}
            ) from None
    return NewPerson(names=names, fields=fields, events=events)


def _places(wanted: Iterable[str]) -> dict[str, Place]:
    keys = {w.strip().casefold() for w in wanted if w.strip()}
    out: dict[str, Place] = {}
    for place in Place.objects.all().prefetch_related("names"):
        for name in [place.name, place.code, *(n.name for n in place.names.all())]:  # type: ignore[attr-defined]
            if name.casefold() in keys:
                out.setdefault(name.casefold(), place)
    return out


def uwazi_import(*, actor: Any, fileobj: IO[bytes], dry_run: bool = False) -> UwaziImportReport:
    """Read Uwazi CSV (one person per row) and create the persons, all or nothing. Unknown
    columns and every bad row (by its row number in the file, the header being row 1) raise
    UwaziError before anything is written."""
    check(actor, "person.edit")
    try:
        text = fileobj.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UwaziError([_("The file is not UTF-8 text.")]) from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if "title" not in header:
        raise UwaziError([_("Row 1: the title column is missing.")])
    unknown = [h for h in header if h not in KNOWN and not h.startswith("title__")]
    if unknown:
        raise UwaziError([_("Row 1: unknown columns: %(names)s.") % {"names": ", ".join(unknown)}])
    raw_rows = list(reader)
    rows = [{(k or "").strip(): (v or "") for k, v in r.items() if k is not None} for r in raw_rows]
    places = _places(r.get("hometown", "") for r in rows)
    problems: list[str] = []
    persons: list[NewPerson] = []
    numbers: list[int] = []
    for index, row in enumerate(rows):
        number = index + 2
        if None in raw_rows[index]:
            problems.append(_("Row %(n)s: more cells than columns.") % {"n": number})
            continue
        if not row.get("title", "").strip():
            problems.append(_("Row %(n)s: the title is empty.") % {"n": number})
            continue
        try:
            persons.append(_person_from_row(row, places))
            numbers.append(number)
        except ValueError as exc:
            problems.append(_("Row %(n)s: %(why)s") % {"n": number, "why": exc})
    if not rows:
        problems.append(_("The file holds no rows."))
    if problems:
        raise UwaziError(problems)
    try:
        with transaction.atomic():
            created = persons_create_bulk(actor=actor, persons=persons, note=_("Uwazi CSV"))
            report = UwaziImportReport(len(rows), [c.entry_no for c in created], dry_run)
            if dry_run:
                transaction.set_rollback(True)
    except PersonsInvalid as exc:
        raise UwaziError(
            [
                _("Row %(n)s: %(field)s %(why)s")
                % {"n": numbers[p.index], "field": p.field, "why": p.message}
                for p in exc.problems
            ]
        ) from None
    return report
