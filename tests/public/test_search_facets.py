"""The public list's filters and facets: counts over the current result, shareable
addresses, keyset pages by entry number, forged values ignored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache

from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Place, Tag
from aigaq.public import filters
from tests import factories

published = factories.public_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def option(page: str, key: str, value: str) -> str:
    """The text of one <option> of the facet `key`."""
    select = re.search(rf'<select id="f-{key}" name="{key}">(.*?)</select>', page, re.S)
    assert select is not None, key
    found = re.search(rf'<option value="{re.escape(value)}"[^>]*>(.*?)</option>', select[1], re.S)
    assert found is not None, (key, value)
    return " ".join(found[1].split())


def test_facets_count_the_current_result_and_filter_it(
    public_client: Any,
    coordinator: Any,
) -> None:
    gazetteer_load()
    ili = Place.objects.get(code="cn-xj-ili")
    county = Place.objects.filter(path__startswith=ili.path, kind="county").first()
    assert county is not None
    a = published(
        "Серік Оспанов", actor=coordinator, status="camp", date="2018-03", hometown=county
    )
    b = published("Айгүл Тұрсын", actor=coordinator, status="camp", date="2017", gender="female")
    c = published("Марат Бек", actor=coordinator, status="released", date="2019")
    tag = Tag.objects.create(slug="imam", label="Imam")
    a.tags.add(tag)
    page = public_client.get("/en/entries/").content.decode()
    assert option(page, "status", "camp") == "Re-education camp (2)"
    assert option(page, "status", "released") == "Released (1)"
    assert option(page, "place", "cn-xj-ili") == f"{ili} (1)"
    assert option(page, "place", county.code).endswith(f"{county} (1)")
    assert option(page, "detained", "2018") == "2018 (1)"
    assert option(page, "tag", "imam") == "Imam (1)"
    assert "3 entries" in page

    page = public_client.get("/en/entries/", {"status": "camp", "gender": "female"}).content
    text = page.decode()
    assert f"/en/entries/{b.entry_no}/" in text
    assert f"/en/entries/{a.entry_no}/" not in text and f"/en/entries/{c.entry_no}/" not in text
    assert "1 entry" in text
    # each filter in use is a link that removes it; the address is the state
    assert 'href="?status=camp"' in text and 'href="?gender=female"' in text

    text = public_client.get("/en/entries/", {"place": "cn-xj-ili"}).content.decode()
    assert f"/en/entries/{a.entry_no}/" in text and f"/en/entries/{b.entry_no}/" not in text
    text = public_client.get("/en/entries/", {"detained": "2017"}).content.decode()
    assert f"/en/entries/{b.entry_no}/" in text and f"/en/entries/{a.entry_no}/" not in text


def test_a_search_keeps_its_filters(public_client: Any, coordinator: Any) -> None:
    a = published("Serik Ospanov", actor=coordinator, gender="male")
    b = published("Serik Ospanov", actor=coordinator, gender="female")
    text = public_client.get("/kk/entries/", {"q": "Серік Оспанов", "gender": "female"})
    page = text.content.decode()
    assert f"/kk/entries/{b.entry_no}/" in page and f"/kk/entries/{a.entry_no}/" not in page
    assert option(page, "gender", "female").endswith("(1)")


def test_forged_facet_values_are_ignored(public_client: Any, coordinator: Any) -> None:
    p = published("Серік Оспанов", actor=coordinator)
    forged = {
        "status": "<script>",
        "place": "' OR 1=1 --",
        "tag": "x" * 5000,
        "detained": "99999999999999999999",
        "grade": "\x00",
        "gender": "robot",
        "before": "abc",
        "after": "-5",
        "page": "1e9",
    }
    r = public_client.get("/en/entries/", forged)
    assert r.status_code == 200
    assert f"/en/entries/{p.entry_no}/" in r.content.decode()
    assert filters.read(forged) == {}


def test_pages_move_by_entry_number(public_client: Any, coordinator: Any, monkeypatch: Any) -> None:
    from aigaq.public import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    people = [published(f"Адам Тест {i}", actor=coordinator) for i in range(5)]
    numbers = sorted((p.entry_no for p in people), reverse=True)
    first = public_client.get("/en/entries/").content.decode()
    assert f"/en/entries/{numbers[0]}/" in first and f"/en/entries/{numbers[2]}/" not in first
    assert f'rel="next" href="?before={numbers[1]}"' in first
    assert 'rel="prev"' not in first
    second = public_client.get("/en/entries/", {"before": numbers[1]}).content.decode()
    assert f"/en/entries/{numbers[2]}/" in second and f"/en/entries/{numbers[3]}/" in second
    assert f'rel="prev" href="?after={numbers[2]}"' in second
    back = public_client.get("/en/entries/", {"after": numbers[2]}).content.decode()
    assert f"/en/entries/{numbers[0]}/" in back and f"/en/entries/{numbers[1]}/" in back
    assert 'rel="prev"' not in back
    last = public_client.get("/en/entries/", {"before": numbers[3]}).content.decode()
    assert f"/en/entries/{numbers[4]}/" in last and 'rel="next"' not in last
    past = public_client.get("/en/entries/", {"before": 1})
    assert past.status_code == 200 and "No entry matches." in past.content.decode()
    assert "Back to the first page" in past.content.decode()


def test_a_search_past_its_last_page_gets_the_last_page(
    public_client: Any,
    coordinator: Any,
    monkeypatch: Any,
) -> None:
    from aigaq.public import views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    published("Serik Ospanov", actor=coordinator)
    published("Serik Ospanov", actor=coordinator)
    r = public_client.get("/en/entries/", {"q": "Serik Ospanov", "page": "999"})
    assert r.status_code == 200 and "Page 2 of 2" in r.content.decode()


def test_large_results_are_not_counted(
    public_client: Any, coordinator: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(filters, "FACET_CAP", 1)
    published("Серік Оспанов", actor=coordinator, status="camp")
    published("Айгүл Тұрсын", actor=coordinator, status="camp")
    page = public_client.get("/en/entries/", {"status": "camp"}).content.decode()
    assert option(page, "status", "camp") == "Re-education camp"
    assert "More than 1 entries" in page or "More than 1 entr" in page


def test_the_options_offer_only_what_public_entries_have(coordinator: Any) -> None:
    """The places, detention years and tags in the drop-downs come from public entries only:
    an internal entry's hometown, year or tag is never offered (it would tell that such an
    entry exists)."""
    gazetteer_load()
    ili = Place.objects.get(code="cn-xj-ili")
    kashgar = Place.objects.get(code="cn-xj-kashgar")
    ili_county = Place.objects.filter(path__startswith=ili.path, kind="county").first()
    kashgar_county = Place.objects.filter(path__startswith=kashgar.path, kind="county").first()
    assert ili_county is not None and kashgar_county is not None
    shown = published(
        "Серік Оспанов", actor=coordinator, status="camp", date="2018-03", hometown=ili_county
    )
    hidden = factories.person(
        "Айгүл Тұрсын", actor=coordinator, status="camp", date="2016", hometown=kashgar_county
    )
    imam = Tag.objects.create(slug="imam", label="Imam")
    poet = Tag.objects.create(slug="poet", label="Poet")
    shown.tags.add(imam)
    hidden.tags.add(poet)

    places = {code for code, _label, _depth in filters.place_options()}
    assert {"cn-xj-ili", ili_county.code} <= places
    assert "cn-xj-kashgar" not in places and kashgar_county.code not in places
    assert filters.year_options() == [2018]
    assert [t.slug for t in filters.tag_options()] == ["imam"]


def test_the_place_options_are_named_in_the_page_language(
    public_client: Any, coordinator: Any
) -> None:
    """The place facet's names follow the visitor's language, each language read apart
    (the options are kept for a while: an English list page first must not leave English
    names on the Kazakh and Russian pages)."""
    gazetteer_load()
    ili = Place.objects.get(code="cn-xj-ili")
    assert ili.local_names.get("kk") and ili.local_names.get("ru")
    published("Серік Оспанов", actor=coordinator, status="camp", hometown=ili)
    for lang in ("en", "kk", "ru", "en"):
        page = public_client.get(f"/{lang}/entries/").content.decode()
        assert option(page, "place", "cn-xj-ili") == f"{ili.name_in(lang)} (1)", lang
    assert len({ili.name_in(lang) for lang in ("en", "kk", "ru")}) == 3
