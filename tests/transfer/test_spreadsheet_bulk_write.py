"""Spreadsheet import's raw bulk write path: rows read back through the ORM exactly as the
services would have written them, searchable at once, and all-or-nothing on a failure."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.core.models import AuditEntry, Visibility
from aigaq.people.models import Person, PersonName, Place, PlaceName, StatusEvent
from aigaq.people.services import place_save
from aigaq.search.models import NameForm, NameKey
from aigaq.search.services import reindex_all
from aigaq.testimonies.models import Testifier, Testimony, TestimonyPerson
from aigaq.transfer.models import ImportRun
from aigaq.transfer.spreadsheet import spreadsheet_import

pytestmark = pytest.mark.django_db

HEADER = (
    "name,gender,birth_year,hometown,status,date_detained,relation,testifier,phone,chinese_id\n"
)
ROWS = [
    "Гүлнар Серікқызы | Gulnar Serikqyzy,female,1975,Текес,camp,spring 2018,daughter,"
    "Айгүл Сәрсенқызы,+7 700 111 2233,11010519491231002X",
    "Нұрлан Асқарұлы,male,1960-1962,Tekes,,2018-03,son,Айгүл Сәрсенқызы,+7 700 111 2233,",
    "Асқар Бекұлы,,,,,,,,,",
]


@pytest.fixture(autouse=True)
def tekes(db: Any) -> Place:
    place = place_save(Place(code="cn-xj-tekes", kind="county", name="Tekes"))
    for name, lang in (("Tekes", "en"), ("Текес", "kk")):
        PlaceName.objects.create(place=place, name=name, lang=lang)
    return place


def _data(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


def test_bulk_written_rows_read_back_like_service_written_ones(
    coordinator: Any, tekes: Place
) -> None:
    report = spreadsheet_import(actor=coordinator, data=_data(ROWS), file_name="l.csv")
    assert report.ok and report.created == 3 and report.events == 2 and report.testifiers == 1
    gulnar = Person.objects.get(primary_name="Гүлнар Серікқызы")
    assert gulnar.version == 1 and gulnar.visibility == Visibility.INTERNAL
    assert gulnar.citizenships == [] and gulnar.hometown == tekes
    assert gulnar.chinese_id == "11010519491231002X" and gulnar.merged_into_id is None
    assert gulnar.created_at == gulnar.updated_at
    nurlan = Person.objects.get(primary_name="Нұрлан Асқарұлы")
    assert (nurlan.birth_year, nurlan.birth_year_max) == (1960, 1962)
    assert nurlan.current_status == "detained"
    bare = Person.objects.get(primary_name="Асқар Бекұлы")
    assert bare.gender == "unknown" and bare.birth_year is None and bare.hometown is None
    scripts = dict(PersonName.objects.values_list("full_name", "script"))
    assert scripts["Gulnar Serikqyzy"] == "latin" and scripts["Гүлнар Серікқызы"] == "cyrillic"
    event = StatusEvent.objects.get(person=nurlan)
    assert event.kind == "detained" and event.date_start.isoformat() == "2018-03-01"
    assert event.created_by == coordinator and "row 3" in event.note
    testimony = Testimony.objects.get()
    assert testimony.status == Testimony.Status.DRAFT and testimony.testifier.phone
    assert set(TestimonyPerson.objects.values_list("person__primary_name", "relationship")) == {
        ("Гүлнар Серікқызы", "daughter"),
        ("Нұрлан Асқарұлы", "son"),
    }
    audits = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert audits.filter(object_type="people.person").count() == 3
    assert audits.filter(person_id=gulnar.pk).get().actor == coordinator
    assert NameKey.objects.filter(person=gulnar).exists()
    assert NameForm.objects.filter(person=bare).exists()


def test_keys_computed_on_two_workers_are_the_same_as_on_one(coordinator: Any) -> None:
    rows = [f"Нұрлан Асқарұлы {i},male,19{50 + i % 40},,,,,,," for i in range(2100)]
    spreadsheet_import(actor=coordinator, data=_data(rows), file_name="a.csv", workers=2)
    two = sorted(NameKey.objects.values_list("person__primary_name", "key"))
    Person.objects.all().delete()
    spreadsheet_import(actor=coordinator, data=_data(rows), file_name="b.csv", workers=1)
    one = sorted(NameKey.objects.values_list("person__primary_name", "key"))
    assert two == one and len(one) > 2100


def test_an_import_files_its_persons_as_a_rebuild_from_the_database_would(
    coordinator: Any,
) -> None:
    # The import hands the names it wrote to the index instead of reading them back.
    rows = [
        "Гүлнар Серікқызы | Gulnar Serikkyzy | 古丽娜尔·赛力克,female,1975,,,,,,,",
        "Memet Tursun | Мамет Турсун,male,1960,,,,,,,",
        "马明 | Ma Ming,male,,,,,,,,",
    ]
    spreadsheet_import(actor=coordinator, data=_data(rows), file_name="a.csv")
    imported = sorted(NameKey.objects.values_list("person_id", "key"))
    forms = sorted(NameForm.objects.values_list("person_id", "form"))
    reindex_all()
    assert sorted(NameKey.objects.values_list("person_id", "key")) == imported
    assert sorted(NameForm.objects.values_list("person_id", "form")) == forms
    assert len({pid for pid, _key in imported}) == 3


def test_a_failure_during_the_write_leaves_nothing_behind(
    coordinator: Any, monkeypatch: Any
) -> None:
    from aigaq.people import hooks

    def broken(ids: Any, names: Any, workers: int = 1) -> None:
        raise RuntimeError("index broke")

    monkeypatch.setattr(hooks, "PERSONS_CREATED", [broken])
    with pytest.raises(RuntimeError):
        spreadsheet_import(actor=coordinator, data=_data(ROWS), file_name="l.csv")
    assert not Person.objects.exists() and not PersonName.objects.exists()
    assert not Testifier.objects.exists() and not ImportRun.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()
