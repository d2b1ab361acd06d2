"""Persons to and from Uwazi's CSV import format: a file Aigaq writes reads back into the same
persons; a bad file names its unknown columns and bad rows, and writes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry
from aigaq.people.models import Person, Place
from aigaq.people.services import place_save
from aigaq.transfer.uwazi import COLUMNS, UwaziError, uwazi_export, uwazi_import
from tests import factories

pytestmark = pytest.mark.django_db


def _csv(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


def _export() -> list[dict[str, str]]:
    out = io.StringIO()
    uwazi_export(actor=None, template="person", out=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_the_export_writes_uwazis_columns_and_never_a_restricted_field() -> None:
    town = place_save(Place(code="test-town", kind="county", name="Шихэцзы", lat=44.3, lon=86.0))
    p = factories.person(
        "Оспан Жұмаұлы", "Ospan Jumauly", status="camp", date="2018-03..2018-06",
        gender="male", birth_year=1961, ethnicity="kazakh", hometown=town,
        chinese_id="650000196101010004", citizenships=["CN"],
    )  # fmt: skip
    rows = _export()
    assert list(rows[0]) == COLUMNS
    row = rows[0]
    assert row["title"] == p.primary_name and row["other_names"] == "Ospan Jumauly"
    assert row["entry_number"] == str(p.entry_no) and row["birth_year"] == "1961"
    assert row["detention_dates"] == "2018/03/01:2018/06/30"
    assert row["hometown"] == "Шихэцзы" and row["hometown_geolocation"] == "44.3|86.0"
    assert "650000196101010004" not in str(rows)
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert entry.changes["format"] == "uwazi-csv" and entry.changes["rows"] == 1


def test_an_uwazi_file_becomes_persons_and_an_export_reads_back_the_same() -> None:
    place_save(Place(code="test-town", kind="county", name="Шихэцзы"))
    text = (
        "title,title__en,other_names,gender,birth_year,ethnicity,citizenships,hometown,"
        "detention_dates,occupation\n"
        "Гүлнар Серікқызы,Gulnar Serikkyzy,Гульнар Серикова|古丽娜尔,female,1975,kazakh,CN|KZ,"
        "Шихэцзы,2018/01/31:2018/06/30|2019/02/01:,teacher\n"
        "Memet Tursun,,,male,,uyghur,,,,\n"
    )
    report = uwazi_import(actor=None, fileobj=_csv(text))
    assert report.rows == 2 and len(report.created) == 2
    g = Person.objects.get(entry_no=report.created[0])
    names = set(g.names.values_list("full_name", flat=True))
    assert names == {"Гүлнар Серікқызы", "Gulnar Serikkyzy", "Гульнар Серикова", "古丽娜尔"}
    assert (g.gender, g.birth_year, g.ethnicity, g.citizenships) == (
        "female",
        1975,
        "kazakh",
        ["CN", "KZ"],
    )
    assert g.hometown is not None and g.hometown.code == "test-town"
    assert g.events.count() == 2 and g.current_status == "detained"
    back = {r["title"]: r for r in _export()}
    assert (
        back["Гүлнар Серікқызы"]["detention_dates"] == "2018/01/31:2018/06/30|2019/02/01:2019/02/01"
    )
    assert back["Memet Tursun"]["ethnicity"] == "uyghur"
    assert AuditEntry.objects.filter(action="create", object_type="people.person").count() == 2


def test_unknown_columns_are_named_and_nothing_is_written() -> None:
    with pytest.raises(UwaziError, match="unknown columns: shoe_size"):
        uwazi_import(actor=None, fileobj=_csv("title,shoe_size\nA B,44\n"))
    assert not Person.objects.exists()


def test_every_broken_row_is_named_by_its_number_and_nothing_is_written() -> None:
    text = (
        "title,gender,birth_year,hometown,detention_dates\n"
        "Good Person,male,1970,,\n"  # row 2
        ",male,1970,,\n"  # 3: no title
        "Year Wrong,male,nineteen,,\n"  # 4
        "Town Unknown,male,,Atlantis,\n"  # 5
        "Dates Wrong,male,,,last spring\n"  # 6
        "Gender Wrong,robot,,,\n"  # 7: refused by the person rules
        "Too,many,cells,here,x,y\n"  # 8
    )
    with pytest.raises(UwaziError) as caught:
        uwazi_import(actor=None, fileobj=_csv(text))
    found = caught.value.problems
    for n in (3, 4, 5, 6, 8):
        assert any(p.startswith(f"Row {n}:") for p in found), (n, found)
    assert not Person.objects.exists()
    fixed = text.replace("\n,male,1970,,\n", "\nNow Named,male,1970,,\n", 1)
    fixed = "\n".join(
        line for line in fixed.splitlines() if not line.startswith(("Year", "Town", "Dates", "Too"))
    )
    with pytest.raises(UwaziError) as caught:
        uwazi_import(actor=None, fileobj=_csv(fixed + "\n"))
    assert [p for p in caught.value.problems if p.startswith("Row 4:")]  # the gender, by the rules
    assert not Person.objects.exists()


def test_the_command_exports_and_imports_with_a_dry_run(tmp_path: Path) -> None:
    factories.person("Оспан Жұмаұлы", gender="male")
    out = tmp_path / "persons.csv"
    call_command("uwazi", "export", "--template", "person", "-o", str(out), stdout=io.StringIO())
    assert out.read_text(encoding="utf-8").startswith("title,entry_number,")
    got = io.StringIO()
    call_command("uwazi", "import", str(out), "--dry-run", "--json", stdout=got)
    assert '"dry_run": true' in got.getvalue() and Person.objects.count() == 1
    call_command("uwazi", "import", str(out), stdout=io.StringIO())
    assert Person.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("name\nX\n", encoding="utf-8")
    with pytest.raises(CommandError, match="title column is missing"):
        call_command("uwazi", "import", str(bad))


def test_a_cell_that_looks_like_a_formula_is_neutralised(tmp_path: Any) -> None:
    factories.person("=HYPERLINK(1)")
    assert not _export()[0]["title"].startswith("=")
