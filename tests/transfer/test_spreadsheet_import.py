"""Spreadsheet import: the whole file or nothing, each bad input reported with its row."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry
from aigaq.dedup.models import Candidate
from aigaq.people.models import Person, PersonName, Place, PlaceName, StatusEvent
from aigaq.people.services import place_save
from aigaq.testimonies.models import Testifier, TestimonyPerson
from aigaq.transfer.models import ImportRun
from aigaq.transfer.spreadsheet import SpreadsheetError, spreadsheet_import, template_xlsx
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = "name,gender,birth_year,hometown,status,date_detained,relation,testifier,phone,notes,ethnicity,occupation,chinese_id\n"


@pytest.fixture(autouse=True)
def tekes(db: Any) -> Place:
    place = place_save(Place(code="cn-xj-tekes", kind="county", name="Tekes"))
    for name, lang in (("Tekes", "en"), ("Текес", "kk"), ("特克斯", "zh"), ("Tekesi", "zh-Latn")):
        PlaceName.objects.create(place=place, name=name, lang=lang)
    return place


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


def _import(data: bytes, actor: Any = None, name: str = "list.csv", dry_run: bool = False) -> Any:
    return spreadsheet_import(actor=actor, data=data, file_name=name, dry_run=dry_run)


GOOD = (
    "Гүлнар Серікқызы | Gulnar Serikqyzy,female,1975,Текес,camp,spring 2018,daughter,"
    "Айгүл Сәрсенқызы,+7 700 111 2233,teacher at school,kazakh,teacher,11010519491231002X"
)
GOOD2 = "Нұрлан Асқарұлы,male,1960,特克斯,detained,2018-03,son,Айгүл Сәрсенқызы,+7 700 111 2233,,kazakh,,"


def test_good_file_creates_persons_names_events_and_testifiers(
    coordinator: Any, tekes: Place
) -> None:
    report = _import(_csv(GOOD, GOOD2), actor=coordinator)
    assert report.ok and report.created == 2 and report.events == 2
    gulnar = Person.objects.get(primary_name="Гүлнар Серікқызы")
    assert gulnar.hometown == tekes and gulnar.birth_year == 1975 and gulnar.gender == "female"
    assert gulnar.current_status == "camp" and gulnar.chinese_id == "11010519491231002X"
    assert list(gulnar.names.values_list("full_name", flat=True)) == [
        "Гүлнар Серікқызы",
        "Gulnar Serikqyzy",
    ]
    event = StatusEvent.objects.get(person=gulnar)
    assert event.date_text == "spring 2018" and event.date_start.month == 3
    # One testifier (same name and phone) linked to both, through one draft testimony.
    assert Testifier.objects.count() == 1
    assert TestimonyPerson.objects.filter(testimony__testifier__phone="+77001112233").count() == 2
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert entries.count() == 3
    assert "11010519491231002X" not in str(list(entries.values_list("changes", flat=True)))
    assert "+7 700" not in str(list(entries.values_list("changes", flat=True)))
    assert ImportRun.objects.get().created_persons == 2
    assert Person.objects.order_by("entry_no").values_list("entry_no", flat=True)[1] > 0


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (",male,1960,,,,,,,,,,", "name"),
        ("Асқар Бекұлы,male,1960,,,2018-13,,,,,,,", "date_detained"),
        ("Асқар Бекұлы,male,1960,,vanished,,,,,,,,", "status"),
        ("Асқар Бекұлы,male,1960,Atlantis,,,,,,,,,", "hometown"),
        ("Асқар Бекұлы,male,1960,,,,,,,,,,110105194912310021", "chinese_id"),
        ("Асқар Бекұлы,male,born sixties,,,,,,,,,,", "birth_year"),
        ("Асқар Бекұлы,male,1850,,,,,,,,,,", "birth_year"),
        ("Асқар Бекұлы,robot,1960,,,,,,,,,,", "gender"),
        ("Асқар Бекұлы,male,1960,,,,,,,,martian,,", "ethnicity"),
        ("Асқар Бекұлы,male,1960,,,,godfather,Ayan,,,,,", "relation"),
        ("Асқар Бекұлы,male,1960,,,,son,,+7 700 111 2233,,,,", "testifier"),
        ("Асқар Бекұлы,male,1960,,,,son,Ayan,+7 700,,,,", "phone"),
    ],
)
def test_each_bad_row_is_reported_with_its_number_and_nothing_is_written(
    coordinator: Any, row: str, column: str
) -> None:
    report = _import(_csv(GOOD, row), actor=coordinator)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, column)]
    assert str(report.errors[0]).startswith("Row 3")
    assert not Person.objects.exists() and not PersonName.objects.exists()
    assert not ImportRun.objects.exists() and not Testifier.objects.exists()


def test_unknown_columns_are_reported_and_ignored(coordinator: Any) -> None:
    report = _import(
        _csv("Асқар Бекұлы,male,blue", header="name,gender,favourite colour\n"), actor=coordinator
    )
    assert report.ok and report.unknown_columns == ["favourite_colour"]
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b"", "empty.csv", "empty"),
        (b"   \n", "empty.csv", "empty"),
        ("name,gender\nАскар Иванов,male\n".encode("cp1251"), "list.csv", "UTF-8"),
        (b"\x00\x01\x02binary\x00", "photo.csv", "not a spreadsheet"),
        (b"PK\x03\x04garbage", "list.xlsx", "not a spreadsheet"),
        (b"gender,birth_year\nmale,1960\n", "list.csv", "name"),
        (b"name,gender\n", "list.csv", "no rows"),
        (b"name,name\nA,B\n", "list.csv", "twice"),
    ],
)
def test_unreadable_files_get_one_clear_message(
    coordinator: Any, data: bytes, name: str, words: str
) -> None:
    with pytest.raises(SpreadsheetError, match=words):
        _import(data, actor=coordinator, name=name)
    assert not Person.objects.exists()


def test_dry_run_shows_what_would_happen_and_writes_nothing(coordinator: Any) -> None:
    factories.person("Gulnar Serikqyzy", actor=coordinator, birth_year=1975)
    before = Person.objects.count()
    report = _import(_csv(GOOD, GOOD2), actor=coordinator, dry_run=True)
    assert report.ok and report.dry_run and report.created == 2 and report.flagged >= 1
    assert Person.objects.count() == before
    assert not ImportRun.objects.exists() and not Candidate.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()


def test_rows_like_existing_entries_or_each_other_are_flagged_not_merged(coordinator: Any) -> None:
    existing = factories.person("古丽娜尔·赛力克", actor=coordinator, birth_year=1975)
    twin = "Gulnar Serikkyzy,female,1975,,,,,,,,,,"
    report = _import(_csv(GOOD, twin), actor=coordinator)
    assert report.ok and report.created == 2
    pairs = list(Candidate.objects.filter(status="open", source="import"))
    people_in_pairs = {p for c in pairs for p in (c.a_id, c.b_id)}
    assert existing.pk in people_in_pairs
    assert any(r["code"] == "same_file" for c in pairs for r in c.reasons)
    assert Person.objects.count() == 3


def test_xlsx_template_round_trips_through_the_importer(coordinator: Any) -> None:
    report = _import(template_xlsx(), actor=coordinator, name="template.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 1
    assert Person.objects.get().hometown is not None


def test_downloadable_csv_template_imports_cleanly(coordinator: Any) -> None:
    data = Path("static/import-template.csv").read_bytes()
    report = _import(data, actor=coordinator, name="import-template.csv")
    assert report.ok, [str(e) for e in report.errors]


def test_semicolon_separated_csv_is_understood(coordinator: Any) -> None:
    report = _import(
        b"name;gender;birth_year\n\xd0\x90\xd1\x81\xd2\x9b\xd0\xb0\xd1\x80;male;1960\n",
        actor=coordinator,
    )
    assert report.ok and Person.objects.get().birth_year == 1960


@pytest.mark.parametrize("role", ["interviewer", "translator", "viewer"])
def test_only_coordinators_import(make_user: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        _import(_csv(GOOD), actor=make_user(role))


def test_command_imports_and_reports_bad_rows(tmp_path: Path, capsys: Any) -> None:
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(GOOD))
    call_command("import", str(good), "--dry-run")
    assert "Would import 1 persons" in capsys.readouterr().out
    assert not Person.objects.exists()
    call_command("import", str(good))
    assert "Imported 1 persons" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("Асқар,male,1960,,,2018-13,,,,,,,"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(bad))
    assert "Row 2, date_detained" in capsys.readouterr().err
    with pytest.raises(CommandError, match="UTF-8"):
        enc = tmp_path / "enc.csv"
        enc.write_bytes("name\nАскар Иванов\n".encode("cp1251"))
        call_command("import", str(enc))
    assert Person.objects.count() == 1
    _ = io


def test_a_testifier_imported_from_a_spreadsheet_is_recognised_at_the_desk(
    coordinator: Any,
) -> None:
    from aigaq.intake.services import visit_register

    assert _import(_csv(GOOD), actor=coordinator).ok
    imported = Testifier.objects.get()
    assert imported.phone == "+77001112233"
    visit = visit_register(actor=coordinator, visitor_name="Айгүл", phone="8 (700) 111-22-33")
    assert visit.phone == "+77001112233" and visit.testifier == imported


def test_each_imported_person_has_its_own_audit_entry_with_restricted_values_masked(
    coordinator: Any,
) -> None:
    assert _import(_csv(GOOD, GOOD2), actor=coordinator).ok
    gulnar = Person.objects.get(primary_name="Гүлнар Серікқызы")
    entry = AuditEntry.objects.get(object_type="people.person", object_id=str(gulnar.pk))
    assert entry.action == AuditEntry.Action.IMPORT and entry.person_id == gulnar.pk
    assert entry.changes["chinese_id"] == ["", "[restricted]"]
    assert entry.changes["names"] == [None, ["Гүлнар Серікқызы", "Gulnar Serikqyzy"]]
    assert entry.changes["birth_year"] == [None, 1975] and entry.changes["row"] == [None, 2]
    teller = AuditEntry.objects.get(object_type="testimonies.testifier")
    assert teller.changes["phone"] == ["", "[restricted]"]
