"""Exports of the persons and testimonies lists: the list's filters and the reader's sight,
restricted columns only on request and only for their readers, one audit entry per export,
and no cell a spreadsheet would run as a formula (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from aigaq.core.models import AuditEntry
from aigaq.staff import exports
from tests import factories

pytestmark = pytest.mark.django_db

CHINESE_ID = "65010219700101123X"


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read the file as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def exports_logged() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT))


@pytest.fixture
def people(coordinator: Any) -> dict[str, Any]:
    return {
        "uyghur": factories.person(
            "Memet Tursun",
            actor=coordinator,
            ethnicity="uyghur",
            status="detained",
            chinese_id=CHINESE_ID,
        ),
        "kazakh": factories.person("Ақан Серікұлы", actor=coordinator, ethnicity="kazakh"),
        "public": factories.person(
            "Public Person", actor=coordinator, ethnicity="kazakh", visibility="public"
        ),
    }


def test_persons_csv_has_the_rows_of_the_lists_filters(
    signed_in: Any, coordinator: Any, people: dict[str, Any]
) -> None:
    client = signed_in(coordinator)
    rows = csv_rows(client.get("/persons/export.csv?ethnicity=uyghur&page=3"))
    assert rows[0][:3] == ["Entry number", "Name", "Other names"]
    assert [r[1] for r in rows[1:]] == ["Memet Tursun"]
    assert rows[1][0] == str(people["uyghur"].entry_no)
    everyone = csv_rows(client.get("/persons/export.csv"))
    assert len(everyone) == 1 + 3
    by_name = csv_rows(client.get("/persons/export.csv?q=Ақан"))
    assert [r[1] for r in by_name[1:]] == ["Ақан Серікұлы"]


def test_persons_xlsx_has_the_same_rows_with_numbers_as_numbers(
    signed_in: Any, coordinator: Any, people: dict[str, Any]
) -> None:
    response = signed_in(coordinator).get("/persons/export.xlsx?ethnicity=kazakh")
    assert "spreadsheetml" in response["Content-Type"]
    rows = xlsx_rows(response)
    assert sorted(r[1] for r in rows[1:]) == ["Public Person", "Ақан Серікұлы"]
    assert {r[0] for r in rows[1:]} == {people["kazakh"].entry_no, people["public"].entry_no}


def test_headers_and_values_are_in_the_pages_language(
    signed_in: Any, coordinator: Any, people: dict[str, Any]
) -> None:
    client = signed_in(coordinator)
    rows = csv_rows(client.get("/persons/export.csv", HTTP_ACCEPT_LANGUAGE="ru"))
    with translation.override("ru"):
        assert rows[0][0] == translation.gettext("entry number").capitalize()
        assert rows[0][0] != "Entry number"
        uyghur = translation.pgettext("ethnicity", "Uyghur")  # the people, not the language
    assert uyghur in [r[6] for r in rows[1:]]


def test_restricted_columns_only_on_request_and_only_for_their_readers(
    signed_in: Any,
    coordinator: Any,
    interviewer: Any,
    translator: Any,
    viewer: Any,
    people: dict[str, Any],
) -> None:
    plain = csv_rows(signed_in(coordinator).get("/persons/export.csv"))
    assert "Chinese ID number" not in plain[0]
    assert CHINESE_ID not in str(plain)
    for reader in (coordinator, interviewer):
        rows = csv_rows(signed_in(reader).get("/persons/export.csv?restricted=1"))
        assert "Chinese ID number" in rows[0]
        assert CHINESE_ID in [r[rows[0].index("Chinese ID number")] for r in rows[1:]]
    for reader in (translator, viewer):
        client = signed_in(reader)
        assert client.get("/persons/export.csv?restricted=1").status_code == 403
        assert client.get("/persons/export.xlsx?restricted=1").status_code == 403
        rows = csv_rows(client.get("/persons/export.csv"))
        assert "Chinese ID number" not in rows[0]
        assert CHINESE_ID not in str(rows)
    # A viewer (the press) exports only what the list shows them: public entries.
    assert [r[1] for r in csv_rows(signed_in(viewer).get("/persons/export.csv"))[1:]] == [
        "Public Person"
    ]


def test_every_export_is_audited_once_with_its_filters_and_row_count(
    signed_in: Any, coordinator: Any, people: dict[str, Any]
) -> None:
    client = signed_in(coordinator)
    csv_rows(client.get("/persons/export.csv?ethnicity=kazakh&restricted=1"))
    (entry,) = exports_logged()
    assert entry.actor == coordinator
    assert entry.object_type == "people.person"
    assert entry.changes == {
        "format": "csv",
        "filters": {"ethnicity": "kazakh"},
        "rows": 2,
        "restricted_fields": ["chinese_id"],
    }
    # A Chinese ID number typed as the search is a restricted value: never in the log.
    xlsx_rows(client.get(f"/persons/export.xlsx?q={CHINESE_ID}"))
    latest = exports_logged()[0]
    assert latest.changes["filters"] == {"q": "[restricted]"}
    assert latest.changes["format"] == "xlsx"
    assert CHINESE_ID not in str(latest.changes)


FORMULAS = ['=HYPERLINK("http://x")', "+7 701", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_cells_that_begin_like_a_formula_get_a_leading_apostrophe(
    signed_in: Any, coordinator: Any
) -> None:
    for i, text in enumerate(FORMULAS):
        factories.person(f"Formula Person {i}", actor=coordinator, occupation=text)
    client = signed_in(coordinator)
    rows = csv_rows(client.get("/persons/export.csv"))
    column = rows[0].index("Occupation")
    assert sorted(r[column] for r in rows[1:]) == sorted("'" + t for t in FORMULAS)
    sheet = xlsx_rows(client.get("/persons/export.xlsx"))
    # (Depending on the XML reader, a carriage return may come back as a line feed; the
    # apostrophe is what matters.)
    expected = sorted("'" + t.replace("\r", "\n") for t in FORMULAS)
    assert sorted(str(r[column]).replace("\r", "\n") for r in sheet[1:]) == expected
    raw = b"".join(client.get("/persons/export.xlsx").streaming_content)
    cells = [cell for row in load_workbook(io.BytesIO(raw)).active.iter_rows() for cell in row]
    assert [c.data_type for c in cells if c.column == column + 1] == ["s"] * 7  # all text
    assert not [c for c in cells if c.data_type == "f"]  # and no formula anywhere


def test_neutralise_leaves_plain_values_alone() -> None:
    assert exports.neutralise("Memet") == "Memet"
    assert exports.neutralise("a=b") == "a=b"
    assert exports.neutralise(-5) == -5  # a number is a number, not a formula
    assert exports.neutralise(None) == ""
    assert exports.neutralise("=1") == "'=1"


def test_testimonies_export_follows_filters_consent_and_the_readers_sight(
    signed_in: Any, coordinator: Any, viewer: Any, translator: Any, people: dict[str, Any]
) -> None:
    phone = "+77010000000"
    told = factories.testifier(
        "Айгүл Сәрсенқызы", actor=coordinator, phone=phone, visibility="internal"
    )
    field = factories.testimony(
        people["kazakh"],
        actor=coordinator,
        testifier_obj=told,
        location="field",
        consent_press=True,
        consent_anonymous=True,
        visibility="public",
        summary="=evil()",
    )
    factories.testimony(people["uyghur"], actor=coordinator, location="office")
    client = signed_in(coordinator)
    rows = csv_rows(client.get("/testimonies/export.csv?location=field"))
    assert len(rows) == 2
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert header[0] == "Testimony number"
    assert row["Testimony number"] == field.label  # "T12", as every page names it
    assert row["Testifier"] == "Айгүл Сәрсенқызы"
    by_number = csv_rows(client.get(f"/testimonies/export.csv?q={field.label}"))
    assert [r[0] for r in by_number[1:]] == [field.label]
    assert row["Summary"] == "'=evil()"
    assert f"#{people['kazakh'].entry_no}" in row["About"]
    assert "Phone" not in header
    with_phone = csv_rows(client.get("/testimonies/export.csv?location=field&restricted=1"))
    assert dict(zip(with_phone[0], with_phone[1], strict=True))["Phone"] == "'" + phone
    assert exports_logged()[0].changes["restricted_fields"] == ["phone"]
    # A translator reads the anonymous testifier's initials, and gets no phone column.
    assert signed_in(translator).get("/testimonies/export.csv?restricted=1").status_code == 403
    seen = csv_rows(signed_in(translator).get("/testimonies/export.csv?location=field"))
    assert dict(zip(seen[0], seen[1], strict=True))["Testifier"] == "А. С."
    assert phone not in str(seen)
    # A viewer sees the internal persons it concerns as "an entry you may not see".
    press = xlsx_rows(signed_in(viewer).get("/testimonies/export.xlsx"))
    assert len(press) == 2  # only the public testimony consented for the press
    assert "an entry you may not see" in press[1][press[0].index("About")]
    assert "Ақан" not in str(press)


def test_a_filter_that_cannot_be_read_exports_nothing(signed_in: Any, coordinator: Any) -> None:
    response = signed_in(coordinator).get("/persons/export.csv?born_from=abc&restricted=1")
    assert response.status_code == 400
    assert b"Nothing was exported" in response.content
    assert b"/persons/?born_from=abc" in response.content
    bad = signed_in(coordinator).get("/testimonies/export.xlsx?location=moon")
    assert bad.status_code == 400
    assert signed_in(coordinator).get("/persons/export.pdf").status_code == 404
    assert exports_logged() == []


def test_xlsx_past_its_row_limit_is_refused_with_the_way_out(
    signed_in: Any, coordinator: Any, people: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 2)
    response = signed_in(coordinator).get("/persons/export.xlsx")
    assert response.status_code == 400
    assert b"export CSV" in response.content
    assert exports_logged() == []
    assert len(csv_rows(signed_in(coordinator).get("/persons/export.csv"))) == 4


def test_list_pages_link_their_exports_with_the_current_filters(
    signed_in: Any, coordinator: Any, viewer: Any, people: dict[str, Any]
) -> None:
    page = signed_in(coordinator).get("/persons/?ethnicity=uyghur&page=1").content.decode()
    assert 'href="/persons/export.csv?ethnicity=uyghur"' in page
    assert 'href="/persons/export.xlsx?ethnicity=uyghur"' in page
    assert 'href="/persons/export.csv?ethnicity=uyghur&amp;restricted=1"' in page
    listing = signed_in(coordinator).get("/testimonies/?location=field").content.decode()
    assert 'href="/testimonies/export.csv?location=field"' in listing
    press = signed_in(viewer).get("/persons/").content.decode()
    assert "/persons/export.csv" in press
    assert "restricted=1" not in press
