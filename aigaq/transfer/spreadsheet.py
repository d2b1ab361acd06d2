"""Spreadsheet import: volunteers' CSV or XLSX lists of persons (docs/import-format.md).

Everything is checked before anything is written; then the whole file goes in, in one
transaction, or nothing does. A dry run does the same import and rolls it back, so it shows
exactly what would happen, duplicate flags included. Rows that look like existing entries or
like each other are created and flagged as duplicate candidates for review on /duplicates/.

The write path is bulk (one entry-number allocation, bulk inserts, one audit entry per person
created, the search index's bulk function) so 100,000 rows fit in a minute.
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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from aigaq.core.dates import parse_partial_date
from aigaq.core.db.bulk import append_rows
from aigaq.core.models import AuditEntry, Visibility
from aigaq.core.permissions import check
from aigaq.core.sequences import sequence_allocate
from aigaq.people.models import Ethnicity, Gender, Person, PersonName, StatusEvent, StatusKind
from aigaq.people.validators import clean_birth_years, clean_chinese_id, clean_name
from aigaq.testimonies.models import Relationship, Testifier, Testimony, TestimonyPerson

NAME_SEPARATOR = " | "
MAX_ROWS = 200_000
MAX_BYTES = 64 * 1024 * 1024
PLACE_MIN_SCORE = 0.85

# Column → what it holds. `name` is required; the rest are optional.
COLUMNS: dict[str, Any] = {
    "name": _l("name forms of one person, separated by ' | '"),
    "gender": _l("male/female (or m/f, ер/әйел, муж/жен, 男/女)"),
    "birth_year": _l("1975, or a range 1970-1975"),
    "hometown": _l("a place name in any script or spelling (resolved through the gazetteer)"),
    "status": _l("lost_contact, detained, camp, prison, released, ... (or their English labels)"),
    "date_detained": _l("a partial date: 2018, 2018-03, spring 2018, end of 2018"),
    "relation": _l("how the testifier is related to the person: mother, son, brother..."),
    "testifier": _l("the relative who gave the information"),
    "phone": _l("the testifier's phone (restricted)"),
    "notes": _l("free text (kept as the biography)"),
    "ethnicity": _l("kazakh, uyghur, kyrgyz, hui, uzbek, tatar..."),
    "occupation": _l("free text"),
    "chinese_id": _l("18-character Chinese ID number (restricted; checked)"),
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
    flagged_pairs: list[tuple[int, int, float]] = field(default_factory=list)
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
    phone = (cells.get("phone") or "").strip()
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
        RowPlan(number, names, fields, status, date_text, relation, testifier, phone[:50]),
        [],
    )


def check_file(data: bytes, file_name: str) -> tuple[ImportReport, list[RowPlan]]:
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


def spreadsheet_import(
    *,
    actor: Any,
    data: bytes,
    file_name: str,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> ImportReport:
    """Check and import a spreadsheet. Raises SpreadsheetError for an unreadable file; bad
    rows are returned in the report (and then nothing is written). `workers > 1` computes
    the search keys in that many forked processes (the command line; never inside a web
    request, whose server may be threaded)."""
    check(actor, "import.run")
    report, plans = check_file(data, file_name)
    report.dry_run = dry_run
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write(actor, report, plans, data, progress, workers)
            if dry_run:
                raise _Rollback
    except _Rollback:
        report.run_id = None
    return report


def _write(
    actor: Any,
    report: ImportReport,
    plans: list[RowPlan],
    data: bytes,
    progress: Callable[[int], None] | None,
    workers: int = 1,
) -> None:
    """Everything the import creates, written with a few ``executemany`` statements per table
    (no model instances, no per-row ORM work) inside the caller's transaction."""
    from aigaq.dedup import scan
    from aigaq.dedup.services import candidates_store
    from aigaq.people.services import ENTRY_SEQUENCE
    from aigaq.transfer.models import ImportRun

    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    user_id = user.pk if user is not None else None
    label = actor.get_username() if user else "system"
    run = ImportRun.objects.create(
        file_name=report.file_name[:300],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=report.dry_run,
        rows=report.rows,
        imported_by=user,
    )
    first = sequence_allocate(ENTRY_SEQUENCE, len(plans))
    person_ids = [uuid.uuid4() for _plan in plans]
    persons: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    names_of: dict[Any, list[str]] = {}
    base: dict[str, Any] = {"created_at": now, "updated_at": now, "version": 1}
    for offset, plan in enumerate(plans):
        pid = person_ids[offset]
        entry_no = first + offset
        fields = dict(plan.fields)
        hometown = fields.pop("hometown", None)
        persons.append(
            {
                **base,
                **fields,
                "id": pid,
                "entry_no": entry_no,
                "visibility": Visibility.INTERNAL,
                "primary_name": plan.names[0],
                "current_status": plan.status,
                "hometown_id": hometown.pk if hometown is not None else None,
            }
        )
        names_of[pid] = list(dict.fromkeys(plan.names))
        for position, full in enumerate(names_of[pid]):
            names.append(
                {
                    "person_id": pid,
                    "full_name": full,
                    "script": _detect(full),
                    "position": position,
                }
            )
        if plan.status:
            pd = _partial_date(plan.date_text) if plan.date_text else None
            events.append(
                {
                    **base,
                    "id": uuid.uuid4(),
                    "person_id": pid,
                    "kind": plan.status,
                    "date_text": pd.text if pd else "",
                    "date_start": pd.start if pd else None,
                    "date_end": pd.end if pd else None,
                    "note": _("Imported from %(file)s, row %(row)s")
                    % {"file": report.file_name, "row": plan.row},
                    "created_by_id": user_id,
                }
            )
        audits.append(
            {
                "at": now,
                "actor_id": user_id,
                "actor_label": label,
                "action": AuditEntry.Action.IMPORT,
                "object_type": "people.person",
                "object_id": str(pid),
                "object_label": f"#{entry_no} {plan.names[0]}"[:300],
                "person_id": pid,
                "changes": {
                    "import": [None, str(run.pk)],
                    "row": [None, plan.row],
                    "names": [None, plan.names],
                    **(
                        {"chinese_id": ["", "[restricted]"]}
                        if plan.fields.get("chinese_id")
                        else {}
                    ),
                },
                "note": report.file_name[:200],
            }
        )
    bulk_insert(Person, persons)
    if progress:
        progress(len(plans) // 4)
    bulk_insert(PersonName, names)
    bulk_insert(StatusEvent, events)
    bulk_insert(AuditEntry, audits)
    report.created, report.events = len(persons), len(events)
    _write_testifiers(actor, report, plans, person_ids, run, now)
    if progress:
        progress(len(plans) // 2)
    _index(person_ids, names_of, workers)
    if progress:
        progress(len(plans) * 3 // 4)
    found, _stats = scan.find_candidates_for(person_ids)
    by_pk = {pid: plan.row for pid, plan in zip(person_ids, plans, strict=True)}
    numbers = {pid: first + offset for offset, pid in enumerate(person_ids)}
    stored = []
    for f in found:
        if f.a in by_pk and f.b in by_pk:
            f.reasons.append({"code": "same_file", "row": by_pk[f.a]})
        stored.append(f)
        report.flagged_pairs.append((numbers.get(f.a) or 0, numbers.get(f.b) or 0, f.score))
    candidates_store(stored, source="import")
    report.flagged = len({p for f in found for p in (f.a, f.b) if p in by_pk})
    run.created_persons, run.flagged = report.created, report.flagged
    run.save(update_fields=["created_persons", "flagged"])
    report.run_id = run.pk
    if progress:
        progress(len(plans))


INSERT_BATCH = 5000


def _converter(field: Any) -> Callable[[Any], Any]:
    """How one field's Python value becomes a database parameter, cheaply: text and numbers
    go as they are, UUIDs as the backend stores them, everything else through the field's
    own ``get_db_prep_save`` (memoised for values that repeat, such as the import time)."""
    from django.db import connection, models

    target = field.target_field if field.is_relation else field
    if isinstance(target, models.UUIDField):
        if connection.vendor == "sqlite":
            return lambda v: None if v is None else v.hex
        return lambda v: v
    if type(field) in (models.CharField, models.TextField, models.EmailField):
        return lambda v: v if v is None or type(v) is str else str(v)
    if isinstance(field, models.IntegerField | models.BooleanField) and not field.is_relation:
        return lambda v: v
    if field.is_relation:
        return lambda v: v
    memo: dict[Any, Any] = {}

    def prep(v: Any) -> Any:
        try:
            return memo[v]
        except KeyError:
            out = memo[v] = field.get_db_prep_save(v, connection)
            return out
        except TypeError:  # unhashable (JSON)
            return field.get_db_prep_save(v, connection)

    return prep


def bulk_insert(model: Any, rows: list[dict[str, Any]], batch_size: int = INSERT_BATCH) -> None:
    """INSERT rows (dicts keyed by field attname) through ``append_rows`` (COPY on
    PostgreSQL, executemany elsewhere): what bulk_create does, without building model
    instances or compiling SQL per batch. Columns a row does not give take the field's
    default (computed once); auto-increment keys are left to the database. No signals, no
    hooks (as bulk_create)."""
    from django.db import connection

    if not rows:
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))
    ]
    convs = [_converter(f) for f in fields]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
    columns = [f.column for f in fields]
    plan = [
        (f.attname, conv, default) for f, conv, default in zip(fields, convs, defaults, strict=True)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            params = [
                tuple(conv(row[name]) if name in row else default for name, conv, default in plan)
                for row in rows[start : start + batch_size]
            ]
            append_rows(cursor, model._meta.db_table, columns, params)


_dates: dict[str, Any] = {}


def _partial_date(text: str) -> Any:
    """parse_partial_date, memoised (a file repeats a few date spellings many times)."""
    value = _dates.get(text)
    if value is None:
        if len(_dates) > 10_000:
            _dates.clear()
        value = _dates[text] = parse_partial_date(text)
    return value


def _detect(text: str) -> str:
    from aigaq.names import detect_script

    return detect_script(text)


def _index(ids: list[Any], names: dict[Any, list[str]], workers: int = 1) -> None:
    """The search engineer's bulk index function (keeps NameKey current), if present."""
    try:
        from aigaq.search.services import index_persons
    except ImportError:  # pragma: no cover - search app absent
        return
    index_persons(ids, fresh=True, workers=workers, names=names)


def _write_testifiers(
    actor: Any,
    report: ImportReport,
    plans: list[RowPlan],
    person_ids: list[uuid.UUID],
    run: Any,
    now: dt.datetime,
) -> None:
    """One testifier per (name, phone) in the file, one draft testimony per testifier dated
    the day of the import, linking the persons they spoke about."""
    groups: dict[tuple[str, str], list[tuple[RowPlan, uuid.UUID]]] = {}
    for plan, pid in zip(plans, person_ids, strict=True):
        if plan.testifier:
            groups.setdefault((plan.testifier, plan.phone), []).append((plan, pid))
    if not groups:
        return
    base: dict[str, Any] = {"created_at": now, "updated_at": now, "version": 1}
    testifiers: list[dict[str, Any]] = [
        {**base, "id": uuid.uuid4(), "full_name": name[:300], "phone": phone}
        for name, phone in groups
    ]
    bulk_insert(Testifier, testifiers)
    summary = _("Imported from %(file)s") % {"file": report.file_name}
    testimonies: list[dict[str, Any]] = [
        {
            **base,
            "id": uuid.uuid4(),
            "testifier_id": t["id"],
            "recorded_on": now.date(),
            "location": Testimony.Location.REMOTE,
            "status": Testimony.Status.DRAFT,
            "summary": summary,
        }
        for t in testifiers
    ]
    bulk_insert(Testimony, testimonies)
    links: list[dict[str, Any]] = []
    for testimony, members in zip(testimonies, groups.values(), strict=True):
        seen: set[Any] = set()
        for plan, pid in members:
            if pid in seen:
                continue
            seen.add(pid)
            links.append(
                {
                    **base,
                    "id": uuid.uuid4(),
                    "testimony_id": testimony["id"],
                    "person_id": pid,
                    "relationship": plan.relation or Relationship.OTHER,
                }
            )
    bulk_insert(TestimonyPerson, links)
    user = actor if getattr(actor, "is_authenticated", False) else None
    bulk_insert(
        AuditEntry,
        [
            {
                "at": now,
                "actor_id": user.pk if user is not None else None,
                "actor_label": actor.get_username() if user is not None else "system",
                "action": AuditEntry.Action.IMPORT,
                "object_type": "testimonies.testifier",
                "object_id": str(t["id"]),
                "object_label": t["full_name"][:300],
                "person_id": None,
                "changes": {
                    "import": [None, str(run.pk)],
                    **({"phone": ["", "[restricted]"]} if t["phone"] else {}),
                },
                "note": report.file_name[:200],
            }
            for t in testifiers
        ],
    )
    report.testifiers = len(testifiers)


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
