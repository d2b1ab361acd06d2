"""The public site's first pages: languages in the URL, the public-only server, and entries
shown only as disclosure.public allows."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.disclosure.public import public_entry, public_persons
from aigaq.people.models import Person
from aigaq.public.languages import PUBLIC_LANGUAGES
from tests import factories

pytestmark = pytest.mark.django_db


published = factories.public_person


def test_the_root_sends_a_visitor_to_their_language(public_client: Any) -> None:
    r = public_client.get("/", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9,en;q=0.5")
    assert r.status_code == 302 and r["Location"] == "/ar/"
    assert public_client.get("/", HTTP_ACCEPT_LANGUAGE="sv").headers["Location"] == "/en/"


@pytest.mark.parametrize("lang", [lang.code for lang in PUBLIC_LANGUAGES])
def test_home_answers_in_each_language(public_client: Any, lang: str) -> None:
    r = public_client.get(f"/{lang}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in page
    assert r["Content-Language"] == lang
    assert "default-src 'none'" in r["Content-Security-Policy"]


def test_an_unknown_language_is_not_found(public_client: Any) -> None:
    assert public_client.get("/xx/").status_code == 404


def test_the_public_server_has_no_staff_sign_in_or_admin(public_client: Any) -> None:
    for path in ("/persons/", "/login/", "/admin/", "/accounts/login/", "/desk/", "/public/en/"):
        assert public_client.get(path).status_code == 404, path


def test_the_staff_server_previews_the_public_site(client: Any) -> None:
    assert client.get("/public/en/").status_code == 200


def test_an_entry_shows_only_when_public_and_consented(
    public_client: Any, coordinator: Any
) -> None:
    shown = published("Серік Оспанов", "Serik Ospanov", actor=coordinator)
    internal = factories.person("Ерлан Ішкі", actor=coordinator)
    withdrawn = published("Асхат Қайтарылған", actor=coordinator)
    t = withdrawn.testimony_links.get().testimony
    from django.utils import timezone

    t.consent_withdrawn_at = timezone.now()
    t.save()
    page = public_client.get(f"/kk/entries/{shown.entry_no}/").content.decode()
    assert "Серік Оспанов" in page and "Serik Ospanov" in page
    assert public_client.get(f"/kk/entries/{internal.entry_no}/").status_code == 404
    assert public_client.get(f"/kk/entries/{withdrawn.entry_no}/").status_code == 404
    assert set(public_persons()) == {shown}


def test_anonymity_shows_initials_only(public_client: Any, coordinator: Any) -> None:
    p = published("Гүлнар Серікқызы", "Gulnar Serikqyzy", actor=coordinator, anonymous=True)
    entry = public_entry(p)
    assert entry is not None and entry.name == "Г. С." and entry.names == ()
    page = public_client.get(f"/en/entries/{p.entry_no}/").content.decode()
    assert "Гүлнар" not in page and "Gulnar" not in page
    # The list and a search build their cards apart from the entry (disclosure.public_cards):
    # the same initials there, and no name form.
    for params in ({}, {"q": f"#{p.entry_no}"}):
        listed = public_client.get("/en/entries/", params).content.decode()
        assert f"/en/entries/{p.entry_no}/" in listed and "Г. С." in listed
        assert "Гүлнар" not in listed and "Gulnar" not in listed


def test_a_search_in_cyrillic_finds_a_latin_entry(public_client: Any, coordinator: Any) -> None:
    p = published("Serik Ospanov", actor=coordinator)
    factories.person("Серік Оспанов", actor=coordinator)  # internal namesake: never shown
    page = public_client.get("/kk/entries/", {"q": "Серік Оспанов"}).content.decode()
    assert f"/kk/entries/{p.entry_no}/" in page
    assert page.count('class="card"') == 1


def test_a_retired_number_leads_to_the_entry_kept(public_client: Any, coordinator: Any) -> None:
    from aigaq.dedup.services import person_merge

    kept = published("Марат Бекұлы", actor=coordinator)
    gone = published("Марат Бекулы", actor=coordinator)
    person_merge(actor=coordinator, survivor=kept, retired=gone)
    r = public_client.get(f"/ru/entries/{gone.entry_no}/")
    assert r.status_code == 302 and r["Location"] == f"/ru/entries/{kept.entry_no}/"


def test_odd_search_input_never_breaks_the_page(public_client: Any) -> None:
    for q in ("x" * 10_000, "'; DROP TABLE people_person; --", "(.*)+$", "\x00\x1f", "ئۇيغۇر"):
        assert public_client.get("/en/entries/", {"q": q}).status_code == 200
    assert public_client.get("/en/entries/", {"page": "99999"}).status_code == 200
    assert public_client.get("/en/entries/", {"page": "-1"}).status_code == 200


def test_the_list_reads_its_places_in_one_query_whatever_the_number_of_entries(
    public_client: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    """No query per entry: a page of 25 entries from 25 hometowns reads the places once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aigaq.people.gazetteer import gazetteer_load
    from aigaq.people.models import Place

    gazetteer_load()
    towns = list(Place.objects.filter(kind="county")[:25])
    assert len(towns) == 25
    for i, town in enumerate(towns):
        factories.person(f"Serik Ospanov{i}", actor=coordinator, visibility="public", hometown=town)
    public_client.get("/en/entries/")  # the facet options and totals, read once
    with CaptureQueriesContext(connection) as pages:
        html = public_client.get("/en/entries/").content.decode()
    assert all(f"<bdi>{town}</bdi>" in html for town in towns[:5])
    place_reads = [q for q in pages.captured_queries if 'FROM "people_place"' in q["sql"]]
    assert len(place_reads) <= 3, [q["sql"][:120] for q in place_reads]
    with django_assert_max_num_queries(10):
        public_client.get(f"/en/entries/{Person.objects.get(hometown=towns[0]).entry_no}/")


def test_a_name_search_page_reads_no_row_per_hit(
    public_client: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    """A search's hits hold only their keys and entry numbers (search_persons with
    explained=False): the page reads its cards, counts and places in a few queries, never one
    per hit."""
    for i in range(30):
        factories.person(f"Serik Ospanov{'x' * (i % 3)}", actor=coordinator, visibility="public")
    public_client.get("/en/entries/", {"q": "Serik Ospanov"})  # the facet options, read once
    with django_assert_max_num_queries(20):  # 13 today; a read per hit would be 25 more
        html = public_client.get("/en/entries/", {"q": "Серік Оспанов"}).content.decode()
    assert html.count('class="card') >= 25
