"""A possible duplicate the spreadsheet import reports names each side so that a volunteer
can find it: a row of the file by its row (and the number it was given), an entry already
here by its number; never "#0" (issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from aigaq.core.models import Job
from aigaq.people.models import Person
from aigaq.transfer.spreadsheet import spreadsheet_import
from tests import factories

pytestmark = pytest.mark.django_db

SHEET = (
    "name,gender,birth_year\n"
    "Асқар Бекұлы,male,1960\n"  # row 2: like no one
    "Gulnar Serikqyzy,female,1975\n"  # row 3: like the existing entry
).encode()


@pytest.fixture
def existing(coordinator: Any) -> Person:
    return factories.person("Гүлнар Серікқызы", actor=coordinator, birth_year=1975)


def test_the_report_names_a_new_row_by_its_row_and_an_existing_entry_by_its_number(
    coordinator: Any, existing: Person
) -> None:
    report = spreadsheet_import(actor=coordinator, data=SHEET, file_name="list.csv")
    new = Person.objects.get(primary_name="Gulnar Serikqyzy")
    assert [p.label() for p in report.flagged_pairs] == [
        f"row 3 (#{new.entry_no}) ~ #{existing.entry_no}"
    ]


def test_a_dry_run_names_the_row_only_as_it_keeps_no_number(
    coordinator: Any, existing: Person
) -> None:
    report = spreadsheet_import(actor=coordinator, data=SHEET, file_name="list.csv", dry_run=True)
    assert [p.label() for p in report.flagged_pairs] == [f"row 3 ~ #{existing.entry_no}"]


def test_the_command_prints_rows_and_numbers_never_zero(
    existing: Person, tmp_path: Path, capsys: Any
) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_bytes(SHEET)
    call_command("import", str(sheet), "--dry-run")
    out = capsys.readouterr().out
    assert f"Possible duplicate: row 3 ~ #{existing.entry_no}" in out
    assert "#0" not in out


def test_the_upload_page_result_lists_the_pairs_by_row_and_number(
    client: Any, coordinator: Any, existing: Person, run_jobs: Any
) -> None:
    client.force_login(coordinator)
    with run_jobs():
        response = client.post(
            reverse("transfer:spreadsheet_upload"),
            {"file": SimpleUploadedFile("list.csv", SHEET, "text/csv"), "dry_run": ""},
        )
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == Job.Status.DONE, job.result
    page = client.get(reverse("staff:job_detail", args=[job.pk])).content.decode()
    new = Person.objects.get(primary_name="Gulnar Serikqyzy")
    assert f"row 3 (#{new.entry_no}) ~ #{existing.entry_no}" in page
    assert "#0" not in page
