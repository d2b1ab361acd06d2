"""kill -9 in the middle of a spreadsheet import and of a merge: nothing of it is kept, and
the same operation then runs to its end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aigaq.core.models import AuditEntry
from aigaq.dedup.models import Merge
from aigaq.people.models import Person, PersonName
from aigaq.transfer.models import ImportRun
from tests.crash.conftest import Crash
from tests.factories import person

ROWS = 300


def _sheet(path: Path) -> Path:
    lines = ["name,gender,birth_year"]
    lines += [f"Crashtest Person{i:04d}uly,male,{1940 + i % 60}" for i in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_spreadsheet_import_killed_before_it_commits_leaves_nothing_and_runs_again(
    crash: Crash, tmp_path: Path
) -> None:
    sheet = _sheet(tmp_path / "list.csv")
    audit_before = AuditEntry.objects.count()

    crash.kill_at("spreadsheet.written", "import", str(sheet))

    # Every row was written inside the one transaction: none of them survives the kill.
    assert Person.objects.count() == 0
    assert ImportRun.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before

    again = crash.run("import", str(sheet))
    assert again.returncode == 0, again.stderr
    assert f"Imported {ROWS} persons" in again.stdout
    assert Person.objects.count() == ROWS and ImportRun.objects.count() == 1


MERGE = """
import sys, django
django.setup()
from aigaq.dedup.services import person_merge
from aigaq.people.models import Person
survivor, retired = (Person.objects.get(pk=pk) for pk in sys.argv[1:3])
person_merge(actor=None, survivor=survivor, retired=retired)
print("merged")
"""


def test_a_merge_killed_before_it_commits_leaves_both_entries_whole_and_runs_again(
    crash: Crash, transactional_db: Any
) -> None:
    survivor = person("Бауыржан Темірханұлы", birth_year=1970)
    retired = person("Bauyrzhan Temirkhanuly", "Баурджан Темирханов", birth_year=1970)
    names_before = {n.pk: n.person_id for n in PersonName.objects.all()}

    crash.kill_at("merge.moved", str(survivor.pk), str(retired.pk), code=MERGE)

    # The names, keys and fields moved inside the transaction: all are back where they were.
    assert {n.pk: n.person_id for n in PersonName.objects.all()} == names_before
    assert not Merge.objects.exists()
    for before in (survivor, retired):
        after = Person.objects.get(pk=before.pk)
        assert after.version == before.version and after.merged_into_id is None

    again = crash.run(str(survivor.pk), str(retired.pk), code=MERGE)
    assert again.returncode == 0 and "merged" in again.stdout, again.stderr
    assert Person.objects.get(pk=retired.pk).merged_into_id == survivor.pk
    assert PersonName.objects.filter(person=survivor).count() == 3
    assert Merge.objects.count() == 1
