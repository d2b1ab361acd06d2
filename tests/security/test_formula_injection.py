"""Formula injection: no CSV or XLSX the project writes hands a spreadsheet a formula.

Every free-text field of every stored record is given a value that begins like a formula
(= + - @, a tab, a carriage return: `payloads.poison` with FORMULAS), then every export is
made and read back: no text cell may begin like a formula (a number may be negative), every
poisoned value that reached a cell starts with the apostrophe of `aigaq.core.csvcells`, and
no XLSX cell is a formula.

EXPORTS lists the source files that write CSV or XLSX; `test_every_export_is_covered` greps
the code for csv writers and workbooks and fails on a file not listed, so a new export gets
its case here before it ships.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from aigaq.core.csvcells import FORMULA_STARTS
from tests import factories
from tests.security.payloads import poison

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

#: The values written into the fields, each marked with the field's number (so a failure
#: names the field). A value's first characters are what a spreadsheet reads.
FORMULAS = [
    '=HYPERLINK("http://x.example/?{n}","F{n}")',
    "+1+{n}",
    "-1+{n}",
    "@SUM(1+{n})",
    "\t=1+{n}",
    "\r=1+{n}",
]

#: Every source file that writes CSV or XLSX, and the case below that covers it.
EXPORTS = {
    "aigaq/staff/exports.py": "test_staff_list_exports_are_neutralised",
    "aigaq/public/data_views.py": "test_public_open_data_csv_is_neutralised",
    "aigaq/public/static_build.py": "test_static_edition_csv_is_neutralised",
    "aigaq/intake/views.py": "test_desk_day_report_is_neutralised",
    "aigaq/intake/management/commands/desk.py": "test_desk_day_report_is_neutralised",
    "aigaq/petitions/batch.py": "test_petitions_batch_index_is_neutralised",
    "aigaq/transfer/uwazi.py": "test_uwazi_export_is_neutralised",
    # The import template: fixed example rows, no stored value.
    "aigaq/transfer/spreadsheet.py": "(no record data)",
}
WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|Workbook\(|text/csv|xlsxwriter")


def test_every_export_is_covered() -> None:
    found = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "aigaq").rglob("*.py")
        if WRITERS.search(path.read_text(encoding="utf-8"))
    }
    missing = sorted(found - set(EXPORTS))
    assert not missing, f"exports without a formula-injection case in {__file__}: {missing}"


def formula(label: str, max_length: int | None, index: int) -> str:
    from tests.security.payloads import field_number

    text = FORMULAS[index % len(FORMULAS)].format(n=field_number(label))
    return text if max_length is None else text[:max_length]


def poison_with_formulas(keep_users: Any = ()) -> None:
    poison(
        keep_users=keep_users,
        value=formula,
        link=lambda label: "=1+1",
        json_text=lambda value, n: (
            dict.fromkeys(value, f"=1+{n}") if isinstance(value, dict) else value
        ),
    )


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def check_cells(where: str, cells: list[str]) -> None:
    """No cell begins like a formula; poisoned values reached the file, neutralised."""
    bad = [c for c in cells if c.startswith(FORMULA_STARTS) and not is_number(c)]
    assert not bad, f"{where}: cells a spreadsheet would run: {bad[:10]}"
    poisoned = [c for c in cells if c.lstrip("'").startswith(FORMULA_STARTS) and "'" in c[:1]]
    assert poisoned, f"{where}: no poisoned value reached the export (nothing was checked)"


def csv_cells(where: str, data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def xlsx_cells(where: str, data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    cells: list[str] = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{where}: a formula in {cell.coordinate}"
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Two public entries with a testimony each, a testifier, a visit called to a room by an
    interviewer today (the desk report), all poisoned."""
    from aigaq.intake.services import room_create, visit_assign, visit_register

    first = factories.public_person("Formula Adambek", actor=None)
    second = factories.public_person("Formula Ekinshi", actor=None)
    interviewer = factories_user("interviewer", "formula-interviewer")
    room = room_create(actor=None, name="Room")
    visit = visit_register(actor=None, visitor_name="Visitor Qyzy", relatives=[first])
    visit_assign(actor=None, visit=visit, room=room, interviewer=interviewer)
    return {"persons": [first, second], "keep": {interviewer.pk}}


def factories_user(role: str, username: str) -> Any:
    from aigaq.core.models import User

    return User.objects.create_user(username=username, role=role, display_name="Someone")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("listing", ["persons", "testimonies"])
def test_staff_list_exports_are_neutralised(
    world: dict[str, Any], client: Any, admin_user: Any, fmt: str, listing: str
) -> None:
    poison_with_formulas(keep_users={admin_user.pk})
    client.force_login(admin_user)
    response = client.get(f"/{listing}/export.{fmt}", {"restricted": "1"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    cells = csv_cells(listing, data) if fmt == "csv" else xlsx_cells(listing, data)
    check_cells(f"/{listing}/export.{fmt}", cells)


def test_public_open_data_csv_is_neutralised(world: dict[str, Any], public_client: Any) -> None:
    poison_with_formulas()
    response = public_client.get("/data/entries.csv")
    assert response.status_code == 200
    check_cells("entries.csv", csv_cells("entries.csv", b"".join(response.streaming_content)))


def test_static_edition_csv_is_neutralised(world: dict[str, Any], tmp_path: Path) -> None:
    from aigaq.public.static_build import build

    poison_with_formulas()
    build(tmp_path / "site")
    [found] = list((tmp_path / "site").rglob("entries.csv"))
    check_cells("static entries.csv", csv_cells("static", found.read_bytes()))


def test_desk_day_report_is_neutralised(
    world: dict[str, Any], client: Any, admin_user: Any
) -> None:
    poison_with_formulas(keep_users={admin_user.pk})
    client.force_login(admin_user)
    day = timezone.localdate().isoformat()
    response = client.get("/desk/report/", {"date": day, "format": "csv"})
    assert response.status_code == 200
    check_cells("desk report (web)", csv_cells("desk", response.content))
    out = io.StringIO()
    call_command("desk", "report", "--date", day, "--csv", stdout=out)
    check_cells("desk report (command)", csv_cells("desk", out.getvalue().encode()))


def test_petitions_batch_index_is_neutralised(world: dict[str, Any], tmp_path: Path) -> None:
    from aigaq.people.models import Person
    from aigaq.petitions.batch import petitions_batch

    poison_with_formulas()
    target = tmp_path / "batch.zip"
    persons = Person.objects.filter(pk__in=[p.pk for p in world["persons"]])
    petitions_batch(actor=None, form="wgeid", persons=persons, fmt="docx", output=target)
    with zipfile.ZipFile(target) as zf:
        check_cells("index.csv", csv_cells("index.csv", zf.read("index.csv")))


def test_uwazi_export_is_neutralised(world: dict[str, Any], admin_user: Any) -> None:
    from aigaq.transfer.uwazi import uwazi_export

    poison_with_formulas(keep_users={admin_user.pk})
    out = io.StringIO()
    uwazi_export(actor=admin_user, template="person", out=out)
    check_cells("uwazi persons.csv", csv_cells("uwazi", out.getvalue().encode()))


def test_the_neutraliser_itself() -> None:
    from aigaq.core.csvcells import neutralise_cell

    for start in FORMULA_STARTS:
        assert neutralise_cell(f"{start}1+1") == f"'{start}1+1"
    assert neutralise_cell(-5) == -5  # a number stays a number
    assert neutralise_cell(dt.date(2020, 1, 2)) == dt.date(2020, 1, 2)
    assert neutralise_cell("Айгүл") == "Айгүл"
