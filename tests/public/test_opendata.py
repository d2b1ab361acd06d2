"""Open data: the CSV, the JSON, one document per entry, the data dictionary, the feed and the
sitemap, all built from disclosure.public alone."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.utils import timezone

from aigaq.core.csvcells import neutralise_cell
from aigaq.public import opendata
from aigaq.public.languages import PUBLIC_LANGUAGES
from tests import factories

pytestmark = pytest.mark.django_db


published = factories.public_person


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_csv_has_one_row_per_public_entry_with_formulas_neutralised(
    public_client: Any, coordinator: Any
) -> None:
    a = published("Serik Ospanov", "Серік Оспанов", actor=coordinator)
    b = published("=HYPERLINK(1)", actor=coordinator)
    factories.person("Ерлан Ішкі", actor=coordinator)  # internal: never written
    r = public_client.get("/data/entries.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(r).lstrip("\ufeff"))))
    assert rows[0] == opendata.csv_header()
    by_no = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_no) == {str(a.entry_no), str(b.entry_no)}
    assert by_no[str(a.entry_no)]["names"] == "Serik Ospanov; Серік Оспанов"
    assert by_no[str(a.entry_no)]["url"].endswith(f"/en/entries/{a.entry_no}/")
    assert by_no[str(b.entry_no)]["name"].startswith("'=")
    assert "Ішкі" not in body(r)


def test_json_array_and_one_document_per_entry_hold_only_dictionary_fields(
    public_client: Any, coordinator: Any
) -> None:
    a = published("Gulnar Serikqyzy", actor=coordinator, anonymous=True)
    docs = json.loads(body(public_client.get("/data/entries.json")))
    assert [d["entry_no"] for d in docs] == [a.entry_no]
    doc = docs[0]
    assert doc["name"] == "G. S." and doc["anonymous"] is True and doc["names"] == []
    one = public_client.get(f"/data/entries/{a.entry_no}.json").json()
    assert one == doc

    def check(document: dict[str, Any], fields: tuple[opendata.Field, ...]) -> None:
        assert list(document) == [f.name for f in fields]
        for f in fields:
            value = document[f.name]
            if f.children and isinstance(value, list):
                for item in value:
                    check(item, f.children)
            elif f.children and isinstance(value, dict):
                check(value, f.children)

    check(doc, opendata.FIELDS)
    assert doc["testimonies"][0]["testifier_named"] is False


def test_a_withdrawn_or_internal_entry_has_no_document(
    public_client: Any, coordinator: Any
) -> None:
    p = published("Асхат Қайтарылған", actor=coordinator)
    t = p.testimony_links.get().testimony
    t.consent_withdrawn_at = timezone.now()
    t.save()
    assert public_client.get(f"/data/entries/{p.entry_no}.json").status_code == 404
    assert public_client.get("/data/entries/999999.json").status_code == 404
    assert json.loads(body(public_client.get("/data/entries.json"))) == []


def test_the_data_page_shows_every_field_in_each_language(public_client: Any) -> None:
    for lang in PUBLIC_LANGUAGES:
        r = public_client.get(f"/{lang.code}/data/")
        assert r.status_code == 200
        page = r.content.decode()
        for f in opendata.FIELDS:
            assert f"<code>{f.name}</code>" in page, f.name
    d = public_client.get("/ru/data/dictionary.json").json()
    assert d["language"] == "ru" and [f["name"] for f in d["fields"]] == [
        f.name for f in opendata.FIELDS
    ]
    status = next(f for f in d["fields"] if f["name"] == "current_status")
    assert {"value": "camp", "label": "Лагерь перевоспитания"} in status["values"] or status[
        "values"
    ]


def test_feed_lists_new_entries_in_the_language(public_client: Any, coordinator: Any) -> None:
    p = published("Serik Ospanov", actor=coordinator)
    r = public_client.get("/kk/feed.atom")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    text = r.content.decode()
    assert f"/kk/entries/{p.entry_no}/" in text and "Serik Ospanov" in text
    assert 'xml:lang="kk"' in text


def test_sitemap_lists_every_page_in_every_language_with_alternates(
    public_client: Any, coordinator: Any
) -> None:
    p = published("Serik Ospanov", actor=coordinator)
    index = body(public_client.get("/sitemap.xml"))
    assert "/sitemaps/pages.xml" in index
    chunk = p.entry_no // opendata.SITEMAP_CHUNK
    assert f"/sitemaps/entries-{chunk}.xml" in index
    entries = body(public_client.get(f"/sitemaps/entries-{chunk}.xml"))
    for lang in PUBLIC_LANGUAGES:
        assert f"<loc>http://testserver/{lang.code}/entries/{p.entry_no}/</loc>" in entries
        assert f'hreflang="{lang.code}"' in entries
    pages = body(public_client.get("/sitemaps/pages.xml"))
    assert "<loc>http://testserver/ar/data/</loc>" in pages
    assert "<loc>http://testserver/de/</loc>" in pages


def test_neutralise_cell() -> None:
    assert neutralise_cell("=1+1") == "'=1+1"
    assert neutralise_cell("-5") == "'-5"
    assert neutralise_cell(-5) == -5
    assert neutralise_cell(None) == ""
    assert neutralise_cell("Serik") == "Serik"
