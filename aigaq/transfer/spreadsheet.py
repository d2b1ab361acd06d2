"""Spreadsheet import: volunteers' CSV or XLSX lists of persons (docs/import-format.md).

Everything is checked before anything is written; then the whole file goes in, in one
transaction, or nothing does. A dry run does the same import and rolls it back, so it shows
exactly what would happen, duplicate flags included. Rows that look like existing entries or
like each other are created and flagged as duplicate candidates for review on /duplicates/.

The write path is bulk (people.services.persons_create_bulk and testimonies.services.
testifiers_create_bulk: one entry-number allocation, a few inserts per table, one audit entry
per record, the search index filed once) so 100,000 rows fit in a minute.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core.dates import parse_partial_date
from aigaq.core.faults import pause_at
from aigaq.core.jobs import Progress
from aigaq.core.models import AuditEntry, Visibility
from aigaq.core.permissions import check
from aigaq.core.phones import normalize_phone
from aigaq.core.validators import NAME_MAX, TEXT_MAX, too_long_message
from aigaq.people.models import Ethnicity, Gender, StatusKind
from aigaq.people.services import (
    EventInput,
    NameInput,
    NewPerson,
    PersonsInvalid,
    persons_create_bulk,
)
from aigaq.people.validators import clean_birth_years, clean_chinese_id, clean_name
from aigaq.testimonies.models import Relationship
from aigaq.testimonies.services import NewTestifier, testifiers_create_bulk

NAME_SEPARATOR = " | "
MAX_ROWS = 200_000
MAX_BYTES = 64 * 1024 * 1024
PLACE_MIN_SCORE = 0.85

# Column → what it holds. `name` is required; the rest are optional.
COLUMNS: dict[str, Any] = {
    "name": gettext_lazy("name forms of one person, separated by ' | '"),
    "gender": gettext_lazy("male/female (or m/f, ер/әйел, муж/жен, 男/女)"),
    "birth_year": gettext_lazy("1975, or a range 1970-1975"),
    "hometown": gettext_lazy(
        "a place name in any script or spelling (resolved through the gazetteer)"
    ),
    "status": gettext_lazy(
        "lost_contact, detained, camp, prison, released, ... (or their English labels)"
    ),
    "date_detained": gettext_lazy("a partial date: 2018, 2018-03, spring 2018, end of 2018"),
    "relation": gettext_lazy("how the testifier is related to the person: mother, son, brother..."),
    "testifier": gettext_lazy("the relative who gave the information"),
    "phone": gettext_lazy("the testifier's phone (restricted)"),
    "notes": gettext_lazy("free text (kept as the biography)"),
    "ethnicity": gettext_lazy("kazakh, uyghur, kyrgyz, hui, uzbek, tatar..."),
    "occupation": gettext_lazy("free text"),
    "chinese_id": gettext_lazy("18-character Chinese ID number (restricted; checked)"),
}
ALIASES = {
    "names": "name",
    "full_name": "name",
    "sex": "gender",
    "born": "birth_year",
    "year_of_birth": "birth_year",
    "birth": "birth_year",
    "home_town": "hometown",
    "date": "date_detained",
    "detained": "date_detained",
    "relationship": "relation",
    "note": "notes",
    "id_number": "chinese_id",
    "chinese_id_number": "chinese_id",
    "telephone": "phone",
}
GENDERS = {
    "m": Gender.MALE,
    "male": Gender.MALE,
    "man": Gender.MALE,
    "ер": Gender.MALE,
    "еркек": Gender.MALE,
    "муж": Gender.MALE,
    "мужской": Gender.MALE,
    "м": Gender.MALE,
    "男": Gender.MALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "woman": Gender.FEMALE,
    "әйел": Gender.FEMALE,
    "жен": Gender.FEMALE,
    "женский": Gender.FEMALE,
    "ж": Gender.FEMALE,
    "女": Gender.FEMALE,
    "": Gender.UNKNOWN,
    "unknown": Gender.UNKNOWN,
    "?": Gender.UNKNOWN,
}


# The longest text each free-text column may hold (the fields it is written to); a longer one
# is refused with its row, never cut. Names are checked one form at a time by clean_name.
_LIMITS = {
    "occupation": 200,
    "notes": TEXT_MAX,
    "testifier": NAME_MAX,
    "date_detained": 60,
}


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (one clear message)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RowPlan:
    row: int
    names: list[str]
    fields: dict[str, Any]
    status: str = ""
    date_text: str = ""
    relation: str = ""
    testifier: str = ""
    phone: str = ""


@dataclass(frozen=True)
class PairSide:
    """One entry of a flagged pair: a row of this file (with the entry number it was given,
    none in a dry run, which keeps no number) or an entry already in the database."""

    row: int | None = None
    entry_no: int | None = None

    def label(self) -> str:
        if self.row is None:
            return f"#{self.entry_no}"
        if self.entry_no is None:
            return _("row %(row)s") % {"row": self.row}
        return _("row %(row)s (#%(n)s)") % {"row": self.row, "n": self.entry_no}

    def as_dict(self) -> dict[str, int | None]:
        return {"row": self.row, "no": self.entry_no}


@dataclass(frozen=True)
class FlaggedPair:
    """A look-alike pair the import put in the duplicates queue, a row of the file first."""

    a: PairSide
    b: PairSide
    score: float

    def label(self) -> str:
        return f"{self.a.label()} ~ {self.b.label()}"


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    columns: list[str] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    events: int = 0
    testifiers: int = 0
    flagged: int = 0
    flagged_pairs: list[FlaggedPair] = field(default_factory=list)
    run_id: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------------------------
# Reading


def _header_key(text: Any) -> str:
    key = re.sub(r"[\s\-]+", "_", str(text or "").strip().lower())
    return ALIASES.get(key, key)


def read_table(data: bytes, file_name: str) -> tuple[list[str], Iterator[list[str]]]:
    """Header (normalised column keys) and the data rows, as text cells."""
    if not data or not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SpreadsheetError(_("The file is larger than 64 MB; split it into several files."))
    if data[:2] == b"PK" or file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(
            _("This is not a spreadsheet: save it as CSV (UTF-8) or as an Excel .xlsx file.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _(
                "The file is not in the UTF-8 encoding. In your spreadsheet program choose "
                "“Save as… CSV UTF-8” and try again."
            )
        ) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise SpreadsheetError(_("The file is empty.")) from None
    return [_header_key(h) for h in header], (list(r) for r in reader)


def _read_xlsx(data: bytes) -> tuple[list[str], Iterator[list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SpreadsheetError(
            _("This is not a spreadsheet: save it as CSV (UTF-8) or as an Excel .xlsx file.")
        ) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        raise SpreadsheetError(_("The file is empty.")) from None

    def cell(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, dt.datetime | dt.date):
            return v.strftime("%Y-%m-%d")
        return str(v)

    return [_header_key(h) for h in header], ([cell(v) for v in r] for r in rows)


# ---------------------------------------------------------------------------------------------
# Checking


class _Places:
    """Hometowns resolved through the gazetteer, once per distinct spelling."""

    def __init__(self) -> None:
        self.cache: dict[str, Any] = {}

    def resolve(self, text: str) -> Any:
        key = text.strip().casefold()
        if key not in self.cache:
            from aigaq.search.selectors import search_places

            hits = search_places(text, limit=1)
            self.cache[key] = hits[0].place if hits and hits[0].score >= PLACE_MIN_SCORE else None
        return self.cache[key]


_STATUS_LABELS = {str(label).casefold(): value for value, label in StatusKind.choices}
_ETHNICITY_LABELS = {str(label).casefold(): value for value, label in Ethnicity.choices}
# Django recomputes Choices.values on every access: once here, not once per row.
_STATUS_VALUES = frozenset(StatusKind.values)
_ETHNICITY_VALUES = frozenset(Ethnicity.values)
_RELATION_VALUES = frozenset(Relationship.values)


def _choice(text: str, values: Iterable[str], labels: dict[str, str]) -> str | None:
    t = text.strip().casefold().replace(" ", "_")
    if t in values:
        return t
    return labels.get(text.strip().casefold())


def _birth_years(text: str) -> tuple[int | None, int | None]:
    t = text.strip()
    if not t:
        return None, None
    m = re.fullmatch(r"(\d{4})(?:\s*(?:-|–|\.\.)\s*(\d{4}))?", t)
    if not m:
        raise ValidationError(_("“%(t)s” is not a year such as 1975 or 1970-1975.") % {"t": t})
    low = int(m.group(1))
    high = int(m.group(2)) if m.group(2) else None
    clean_birth_years(low, high)
    return low, high


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def check_row(
    number: int, cells: dict[str, str], places: _Places
) -> tuple[RowPlan | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(number, column, message))

    names: list[str] = []
    for part in (cells.get("name") or "").split("|"):
        if part.strip():
            try:
                names.append(clean_name(part))
            except ValidationError as exc:
                bad("name", _message(exc))
    if not names and not any(e.column == "name" for e in errors):
        bad("name", _("The name is empty."))
    fields: dict[str, Any] = {}
    gender = (cells.get("gender") or "").strip().casefold()
    if gender in GENDERS:
        fields["gender"] = GENDERS[gender]
    else:
        bad("gender", _("Unknown gender “%(v)s”; write male or female.") % {"v": gender})
    try:
        low, high = _birth_years(cells.get("birth_year") or "")
        if low is not None:
            fields["birth_year"], fields["birth_year_max"] = low, high
    except ValidationError as exc:
        bad("birth_year", _message(exc))
    hometown = (cells.get("hometown") or "").strip()
    if hometown:
        place = places.resolve(hometown)
        if place is None:
            bad(
                "hometown",
                _("No place called “%(v)s” in the gazetteer; check the spelling or add the place.")
                % {"v": hometown},
            )
        else:
            fields["hometown"] = place
    eth = (cells.get("ethnicity") or "").strip()
    if eth:
        value = _choice(eth, _ETHNICITY_VALUES, _ETHNICITY_LABELS)
        if value is None:
            bad("ethnicity", _("Unknown ethnicity “%(v)s”.") % {"v": eth})
        else:
            fields["ethnicity"] = value
    for column, limit in _LIMITS.items():
        text = (cells.get(column) or "").strip()
        if len(text) > limit:
            bad(column, too_long_message(limit, len(text)))
    if occupation := (cells.get("occupation") or "").strip():
        fields["occupation"] = occupation[:200]
    if notes := (cells.get("notes") or "").strip():
        fields["biography"] = notes
    try:
        fields["chinese_id"] = clean_chinese_id(cells.get("chinese_id") or "")
    except ValidationError as exc:
        bad("chinese_id", _message(exc))
    status = ""
    status_text = (cells.get("status") or "").strip()
    if status_text:
        value = _choice(status_text, _STATUS_VALUES, _STATUS_LABELS)
        if value is None:
            bad(
                "status",
                _("Unknown status “%(v)s”; use one of: %(list)s.")
                % {"v": status_text, "list": ", ".join(StatusKind.values)},
            )
        else:
            status = value
    date_text = (cells.get("date_detained") or "").strip()
    if date_text:
        try:
            _partial_date(date_text)
        except ValidationError as exc:
            bad("date_detained", _message(exc))
        status = status or StatusKind.DETAINED
    relation = (cells.get("relation") or "").strip()
    testifier = (cells.get("testifier") or "").strip()
    phone = ""
    try:
        phone = normalize_phone(cells.get("phone"))
    except ValidationError as exc:
        bad("phone", _message(exc))
    if relation:
        value = _choice(relation, _RELATION_VALUES, {})
        if value is None:
            bad("relation", _("Unknown relation “%(v)s”.") % {"v": relation})
        relation = value or ""
    if (relation or phone) and not testifier:
        bad("testifier", _("A relation or phone is given but no testifier's name."))
    if errors:
        return None, errors
    return (
        RowPlan(number, names, fields, status, date_text, relation, testifier, phone),
        [],
    )


CHECK_PROGRESS_EVERY = 1000  # rows


def check_file(
    data: bytes, file_name: str, progress: Progress | None = None
) -> tuple[ImportReport, list[RowPlan]]:
    report = ImportReport(file_name=file_name, dry_run=True)
    header, rows = read_table(data, file_name)
    report.columns = [h for h in header if h]
    report.unknown_columns = [h for h in report.columns if h not in COLUMNS]
    if "name" not in header:
        raise SpreadsheetError(
            _("The first row must name the columns, and one of them must be “name”.")
        )
    if len(set(report.columns)) != len(report.columns):
        raise SpreadsheetError(_("A column is named twice in the first row."))
    places = _Places()
    plans: list[RowPlan] = []
    for number, raw in enumerate(rows, start=2):
        if not any(c.strip() for c in raw):
            continue
        report.rows += 1
        if progress and report.rows % CHECK_PROGRESS_EVERY == 1:
            progress(report.rows - 1, 0, _("Checking the rows"))
        if report.rows > MAX_ROWS:
            raise SpreadsheetError(
                _("The file has more than %(n)s rows; split it.") % {"n": MAX_ROWS}
            )
        cells = {h: (raw[i] if i < len(raw) else "") for i, h in enumerate(header) if h}
        plan, errors = check_row(number, cells, places)
        report.errors.extend(errors)
        if plan is not None:
            plans.append(plan)
    if report.rows == 0:
        raise SpreadsheetError(_("The file has a header but no rows."))
    return report, plans


# ---------------------------------------------------------------------------------------------
# Writing


class _Rollback(Exception):
    pass


class _Refused(Exception):
    """Rows the write services refused (listed in the report): nothing is kept."""


def spreadsheet_import(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    progress: Progress | None = None,
    workers: int = 1,
    on_written: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Check and import a spreadsheet. Raises SpreadsheetError for an unreadable file; bad
    rows are returned in the report (and then nothing is written). `workers > 1` computes
    the search keys in that many forked processes (the command line; never inside a web
    request, whose server may be threaded). `progress` hears the rows checked (total not
    known yet), then the persons written of those to write (core.jobs.Progress).
    `on_written(report)` is called inside the import's transaction once everything is
    written (not on a dry run): a job records there that its effect is committed
    (core.jobs.job_effect)."""
    check(actor, "import.run")
    report, plans = check_file(data, file_name, progress)
    report.dry_run = dry_run
    if report.errors:
        return report
    if progress:  # before the transaction, so a page following the job sees it
        progress(0, len(plans), _("Writing the persons"))
    try:
        with transaction.atomic():
            _write(actor, report, plans, data, progress, workers)
            if dry_run:
                raise _Rollback
            if on_written is not None:
                on_written(report)
    except _Rollback:
        report.run_id = None
    except _Refused:
        report.run_id = None
        report.created = report.events = report.testifiers = report.flagged = 0
    return report


def _write(
    actor: Any,
    report: ImportReport,
    plans: list[RowPlan],
    data: bytes,
    progress: Progress | None,
    workers: int = 1,
) -> None:
    """Everything the import creates, inside the caller's transaction, through the bulk write
    services (people.services.persons_create_bulk, testimonies.services.
    testifiers_create_bulk: a few statements per table, one audit entry per record)."""
    from aigaq.dedup import scan
    from aigaq.dedup.services import candidates_store
    from aigaq.transfer.models import ImportRun

    total = len(plans)
    user = actor if getattr(actor, "is_authenticated", False) else None
    run = ImportRun.objects.create(
        file_name=report.file_name[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=report.dry_run,
        rows=report.rows,
        imported_by=user,
    )
    new = [
        NewPerson(
            names=[NameInput(n) for n in plan.names],
            fields={**plan.fields, "visibility": Visibility.INTERNAL},
            events=[
                EventInput(
                    plan.status,
                    plan.date_text,
                    _("Imported from %(file)s, row %(row)s")
                    % {"file": report.file_name, "row": plan.row},
                )
            ]
            if plan.status
            else [],
            facts={"import": str(run.pk), "row": plan.row},
        )
        for plan in plans
    ]
    try:
        created = persons_create_bulk(
            actor=actor,
            persons=new,
            action=AuditEntry.Action.IMPORT,
            note=report.file_name[:200],
            workers=workers,
        )
    except PersonsInvalid as exc:
        report.errors.extend(
            RowError(plans[p.index].row, p.field or "name", p.message) for p in exc.problems
        )
        raise _Refused from None
    person_ids = [c.pk for c in created]
    report.created = len(created)
    report.events = sum(1 for plan in plans if plan.status)
    if progress:
        progress(total // 2, total)
    _write_testifiers(actor, report, plans, person_ids, run)
    if progress:
        progress(total * 3 // 4, total, _("Looking for possible duplicates"))
    found, _stats = scan.find_candidates_for(person_ids)
    by_pk = {pid: plan.row for pid, plan in zip(person_ids, plans, strict=True)}
    stored = []
    for f in found:
        if f.a in by_pk and f.b in by_pk:
            f.reasons.append({"code": "same_file", "row": by_pk[f.a]})
        stored.append(f)
    report.flagged_pairs = _flagged_pairs(found, by_pk, created, report.dry_run)
    candidates_store(stored, source="import")
    report.flagged = len({p for f in found for p in (f.a, f.b) if p in by_pk})
    run.created_persons, run.flagged = report.created, report.flagged
    run.save(update_fields=["created_persons", "flagged"])
    report.run_id = run.pk
    if progress:
        progress(total, total)
    pause_at("spreadsheet.written")


def _flagged_pairs(
    found: list[Any], by_pk: dict[Any, int], created: list[Any], dry_run: bool
) -> list[FlaggedPair]:
    """The found pairs as the import names them: a row of the file by its row (and, unless
    this is a dry run, the number it was given), an entry already here by its number."""
    from aigaq.people.models import Person

    numbers = {c.pk: c.entry_no for c in created}
    existing = {p for f in found for p in (f.a, f.b) if p not in by_pk}
    numbers.update(
        Person.objects.filter(pk__in=existing).values_list("pk", "entry_no") if existing else []
    )

    def side(pk: Any) -> PairSide:
        if pk in by_pk:
            return PairSide(row=by_pk[pk], entry_no=None if dry_run else numbers.get(pk))
        return PairSide(entry_no=numbers.get(pk))

    def order(s: PairSide) -> tuple[int, int]:
        return (0, s.row) if s.row is not None else (1, s.entry_no or 0)

    out = []
    for f in found:
        a, b = sorted((side(f.a), side(f.b)), key=order)
        out.append(FlaggedPair(a, b, f.score))
    out.sort(key=lambda p: (order(p.a), order(p.b)))
    return out


def _write_testifiers(
    actor: Any,
    report: ImportReport,
    plans: list[RowPlan],
    person_ids: list[uuid.UUID],
    run: Any,
) -> None:
    """One testifier per (name, phone) in the file, with one draft testimony dated the day of
    the import that links the persons they spoke about."""
    groups: dict[tuple[str, str], dict[Any, str]] = {}
    for plan, pid in zip(plans, person_ids, strict=True):
        if plan.testifier:
            concerns = groups.setdefault((plan.testifier, plan.phone), {})
            concerns.setdefault(pid, plan.relation or Relationship.OTHER)
    if not groups:
        return
    report.testifiers = testifiers_create_bulk(
        actor=actor,
        testifiers=[
            NewTestifier(full_name=name, phone=phone, concerns=list(concerns.items()))
            for (name, phone), concerns in groups.items()
        ],
        summary=_("Imported from %(file)s") % {"file": report.file_name},
        facts={"import": str(run.pk)},
        action=AuditEntry.Action.IMPORT,
        note=report.file_name[:200],
    )


_dates: dict[str, Any] = {}


def _partial_date(text: str) -> Any:
    """parse_partial_date, memoised (a file repeats a few date spellings many times)."""
    value = _dates.get(text)
    if value is None:
        if len(_dates) > 10_000:
            _dates.clear()
        value = _dates[text] = parse_partial_date(text)
    return value


# ---------------------------------------------------------------------------------------------
# Template


TEMPLATE_EXAMPLE = [
    "Гүлнар Серікқызы | Gulnar Serikqyzy | 古丽娜尔·赛力克",
    "female",
    "1975",
    "Tekes",
    "camp",
    "spring 2018",
    "daughter",
    "Айгүл Сәрсенқызы",
    "+7 700 000 0000",
    "Teacher at the village school",
    "kazakh",
    "teacher",
    "",
]


def template_xlsx() -> bytes:
    """The import template as an Excel file, generated on request."""
    from openpyxl import Workbook

    book = Workbook()
    sheet: Any = book.active
    sheet.title = "persons"
    sheet.append(list(COLUMNS))
    sheet.append(TEMPLATE_EXAMPLE)
    help_sheet: Any = book.create_sheet("columns")
    help_sheet.append(["column", "what it holds"])
    for key, text in COLUMNS.items():
        help_sheet.append([key, str(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
