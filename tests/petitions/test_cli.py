"""aigaq petitions forms | check | generate."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.petitions.models import Petition
from tests import factories
from tests.petitions.conftest import IIN, NAMES

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("petitions", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_forms_lists_the_names() -> None:
    names = [line.split("\t")[0] for line in run("forms").splitlines()]
    assert names == ["kz-mfa-kk", "kz-mfa-ru", "wgad", "wgeid", "wgeid-es", "wgeid-fr"]


def test_check_says_what_is_missing_and_fails(coordinator: Any) -> None:
    p = factories.person("Бақыт Нұрланұлы", actor=coordinator, status="lost_contact", date="2018")
    factories.testimony(p, actor=coordinator, consent_petitions=True)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Forces believed responsible: not filled in"):
        call_command(
            "petitions",
            "check",
            "--person",
            str(p.entry_no),
            "--form",
            "wgeid",
            "--json",
            stdout=out,
        )
    report = json.loads(out.getvalue())
    assert report["can_generate"] is False
    assert {"level": "weak", "key": "disappearance_date"}.items() <= report["findings"][
        0
    ].items() or any(
        f["key"] == "disappearance_date" and f["level"] == "weak" for f in report["findings"]
    )


def test_generate_writes_the_file_and_prints_every_name(ready_person: Any, tmp_path: Path) -> None:
    target = tmp_path / "appeal.docx"
    out = run(
        "generate",
        "--person",
        str(ready_person.entry_no),
        "--form",
        "kz-mfa-ru",
        "--format",
        "docx",
        "-o",
        str(target),
        "--json",
        "--applicant-name",
        "Тоқтарқызы Гүлжан",
        "--applicant-iin",
        IIN,
        "--applicant-address",
        "Алматы, Абая 1",
        "--applicant-phone",
        "+7 701 234 56 78",
    )
    result = json.loads(out)
    assert result["file"] == str(target) and target.stat().st_size == result["bytes"]
    assert result["names"] == list(NAMES)
    assert Petition.objects.get(pk=result["petition"]).generated_format == "docx"


def test_a_refused_generate_writes_nothing_and_records_nothing(
    ready_person: Any, tmp_path: Path
) -> None:
    target = tmp_path / "appeal.pdf"
    with pytest.raises(CommandError, match="IIN"):
        run(
            "generate",
            "--person",
            str(ready_person.entry_no),
            "--form",
            "kz-mfa-kk",
            "--format",
            "pdf",
            "-o",
            str(target),
            "--applicant-name",
            "Тоқтарқызы Гүлжан",
            "--applicant-iin",
            "123",
            "--applicant-address",
            "Алматы",
            "--applicant-phone",
            "+7 701 234 56 78",
        )
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert not Petition.objects.exists()
    with pytest.raises(CommandError, match="no petition form"):
        run("check", "--person", str(ready_person.entry_no), "--form", "nope")
