"""aigaq petitions batch: one form for every person a selection leaves, as one ZIP plus an
index; whole or nothing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry
from aigaq.people.models import PlaceName
from aigaq.people.services import status_event_add
from aigaq.petitions import batch
from aigaq.petitions.models import Petition
from tests import factories
from tests.petitions.conftest import ENTRIES, NAMES

pytestmark = pytest.mark.django_db

WGEID_OPTIONS = (
    "--forces",
    ENTRIES["wgeid"]["forces"],
    "--steps",
    ENTRIES["wgeid"]["steps"],
    "--source-name",
    ENTRIES["wgeid"]["source_name"],
    "--source-address",
    ENTRIES["wgeid"]["source_address"],
    "--source-relationship",
    "mother",
    "--family-consent",
)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("petitions", "batch", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def selection(coordinator: Any, ready_person: Any, tekes: Any) -> dict[str, Any]:
    """In Tekes and detained in 2018: the ready person, and one with no consent for petitions.
    Left out of the selection: one detained in 2019, and one from another place."""
    no_consent = factories.person("Ержан Қасымұлы", actor=coordinator, hometown=tekes)
    status_event_add(
        actor=coordinator, person=no_consent, kind="detained", date_text="2018-03-01", place=tekes
    )
    factories.testimony(no_consent, actor=coordinator, consent_petitions=False)
    later = factories.person("Айгүл Серікқызы", actor=coordinator, hometown=tekes)
    status_event_add(actor=coordinator, person=later, kind="detained", date_text="2019-02-02")
    factories.testimony(later, actor=coordinator, consent_petitions=True)
    elsewhere = factories.person("Марат Болатұлы", actor=coordinator)
    status_event_add(actor=coordinator, person=elsewhere, kind="detained", date_text="2018-01-09")
    factories.testimony(elsewhere, actor=coordinator, consent_petitions=True)
    return {"ready": ready_person, "no_consent": no_consent, "later": later, "elsewhere": elsewhere}


def _index(zf: zipfile.ZipFile) -> list[dict[str, str]]:
    text = zf.read("index.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_batch_writes_one_zip_with_an_index(selection: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "wgeid.zip"
    out = run(
        "--form",
        "wgeid",
        "--format",
        "docx",
        "--place",
        "test-tekes",
        "--detained-year",
        "2018",
        "-o",
        str(target),
        "--json",
        *WGEID_OPTIONS,
    )
    report = json.loads(out)
    ready, no_consent = selection["ready"], selection["no_consent"]
    assert report["written"] == 1 and report["skipped"] == 1
    with zipfile.ZipFile(target) as zf:
        rows = _index(zf)
        assert [int(r["entry"]) for r in rows] == sorted([ready.entry_no, no_consent.entry_no])
        by_entry = {int(r["entry"]): r for r in rows}
        written = by_entry[ready.entry_no]
        assert written["result"] == "written" and written["reason"] == ""
        skipped = by_entry[no_consent.entry_no]
        assert skipped["result"] == "skipped" and skipped["file"] == ""
        assert "consent" in skipped["reason"].lower()
        assert sorted(zf.namelist()) == sorted(["index.csv", written["file"]])
        document = docx.Document(io.BytesIO(zf.read(written["file"])))
        text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
            c.text for t in document.tables for row in t.rows for c in row.cells
        )
        for name in NAMES:
            assert name in text
    petitions = list(Petition.objects.all())
    assert [p.person_id for p in petitions] == [ready.pk]
    assert petitions[0].state == Petition.State.DRAFT and petitions[0].generated_format == "docx"
    assert report["petitions"] == [str(petitions[0].pk)]
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(petitions[0].pk)
    ).exists()
    assert not list(tmp_path.glob(".petitions-*"))


def test_batch_by_place_name_and_plain_output(selection: dict[str, Any], tmp_path: Path) -> None:
    for name, lang in (("Tekes", "en"), ("Текес", "kk"), ("特克斯县", "zh")):
        PlaceName.objects.create(place=selection["ready"].hometown, name=name, lang=lang)
    target = tmp_path / "out.zip"
    out = run(
        "--form",
        "wgeid",
        "--format",
        "pdf",
        "--place",
        "Текес",
        "--detained-year",
        "2018",
        "-o",
        str(target),
        *WGEID_OPTIONS,
    )
    assert "Petitions written: 1; persons skipped: 1" in out
    assert f"Skipped #{selection['no_consent'].entry_no}:" in out
    with zipfile.ZipFile(target) as zf:
        (row,) = [r for r in _index(zf) if r["result"] == "written"]
        assert zf.read(row["file"]).startswith(b"%PDF")
        assert int(row["pages"]) >= 1


def test_missing_facts_skip_everyone_with_the_reason(
    selection: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "none.zip"
    report = json.loads(
        run(
            "--form",
            "wgeid",
            "--format",
            "docx",
            "--detained-year",
            "2018",
            "-o",
            str(target),
            "--json",
        )
    )
    assert report["written"] == 0 and report["skipped"] == 3
    assert all(
        "Forces believed responsible" in i["reason"]
        for i in report["items"]
        if i["entry"] == selection["ready"].entry_no
    )
    assert Petition.objects.count() == 0


def test_a_failure_before_commit_leaves_nothing(
    selection: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(batch, "record_generated", broken)
    target = tmp_path / "wgeid.zip"
    with pytest.raises(RuntimeError):
        run(
            "--form",
            "wgeid",
            "--format",
            "docx",
            "--place",
            "test-tekes",
            "-o",
            str(target),
            *WGEID_OPTIONS,
        )
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
    assert Petition.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--form", "nope"), "nope"),
        (("--form", "wgeid", "--detained-year", "1800"), "--detained-year must be a year"),
        (("--form", "wgeid", "--place", "Nowhere-at-all-xyz"), "No place of the gazetteer"),
        (("--form", "wgeid", "--person", "999999"), "There is no entry #999999"),
        (("--form", "wgeid", "--status", "released"), "No person is left by this selection"),
    ],
)
def test_bad_selection_is_refused_and_writes_nothing(
    selection: dict[str, Any], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    target = tmp_path / "x.zip"
    with pytest.raises(CommandError, match=message):
        run(*args, "--format", "docx", "-o", str(target))
    assert list(tmp_path.iterdir()) == []
    assert Petition.objects.count() == 0


def test_no_folder_is_refused(selection: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such folder"):
        run("--form", "wgeid", "--format", "docx", "-o", str(tmp_path / "no" / "x.zip"))


def test_too_many_persons_are_refused(
    selection: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "BATCH_LIMIT", 2)
    with pytest.raises(CommandError, match="at most 2"):
        run("--form", "wgeid", "--format", "docx", "-o", str(tmp_path / "x.zip"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_render_the_same_documents(
    selection: dict[str, Any], coordinator: Any, tmp_path: Path
) -> None:
    """Outside a transaction the documents are rendered in forked processes; the ZIP, the
    index and the recorded drafts are those of the single-process path."""
    tekes = selection["ready"].hometown
    second = factories.person(
        "Ерлан Оспанұлы",
        "Erlan Ospanuly",
        actor=coordinator,
        gender="male",
        birth_year=1980,
        hometown=tekes,
    )
    status_event_add(
        actor=coordinator, person=second, kind="detained", date_text="2018-02-02", place=tekes
    )
    status_event_add(
        actor=coordinator, person=second, kind="camp", date_text="2018-03", facility="a camp"
    )
    factories.testimony(second, actor=coordinator, relationship="mother", consent_petitions=True)
    numbers = [str(selection["ready"].entry_no), str(second.entry_no)]
    target = tmp_path / "two.zip"
    report = json.loads(
        run(
            "--form",
            "wgeid",
            "--format",
            "docx",
            "--person",
            numbers[0],
            "--person",
            numbers[1],
            "--workers",
            "2",
            "-o",
            str(target),
            "--json",
            *WGEID_OPTIONS,
        )
    )
    assert report["written"] == 2, report["items"]
    with zipfile.ZipFile(target) as zf:
        rows = _index(zf)
        assert [r["entry"] for r in rows] == numbers
        for row in rows:
            assert hashlib.sha256(zf.read(row["file"])).hexdigest() == row["sha256"]
    assert Petition.objects.filter(generated_format="docx").count() == 2


def test_batch_takes_the_spanish_wgeid_form(selection: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "wgeid-es.zip"
    report = json.loads(
        run(
            "--form",
            "wgeid-es",
            "--format",
            "docx",
            "--place",
            "test-tekes",
            "--detained-year",
            "2018",
            "-o",
            str(target),
            "--json",
            *WGEID_OPTIONS,
        )
    )
    assert report["written"] == 1
    with zipfile.ZipFile(target) as zf:
        written = next(r for r in _index(zf) if r["result"] == "written")
        assert "wgeid-es" in written["file"]
        document = docx.Document(io.BytesIO(zf.read(written["file"])))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Comunicación de un caso de desaparición forzada o involuntaria" in text
    assert Petition.objects.get().form == "wgeid-es"
