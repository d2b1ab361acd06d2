"""The JSON endpoints and the command line."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tests import factories

pytestmark = pytest.mark.django_db


def test_person_endpoint_needs_sign_in(client: Any, coordinator: Any) -> None:
    factories.person("Gulnar Serikkyzy", actor=coordinator)
    response = client.get("/search/persons/?q=gulnar")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/search/persons/%3Fq%3Dgulnar"
    assert b"Gulnar" not in response.content


def test_person_endpoint_returns_hits_best_first(client: Any, coordinator: Any) -> None:
    p = factories.person("Гүлнар Серікқызы", "Gulnar Serikkyzy", actor=coordinator)
    client.force_login(coordinator)
    data = client.get("/search/persons/", {"q": "Gulnar Serikqizi"}).json()
    assert data["results"][0]["entry_no"] == p.entry_no
    assert "Гүлнар Серікқызы" in data["results"][0]["names"]
    assert "chinese_id" not in data["results"][0]


def test_person_endpoint_shows_a_viewer_only_public_persons(client: Any, viewer: Any) -> None:
    factories.person("Gulnar Serikkyzy")
    client.force_login(viewer)
    assert client.get("/search/persons/", {"q": "gulnar"}).json() == {"results": []}


@pytest.mark.parametrize("q", ["", "g", "🌸", "x" * 10_000])
def test_person_endpoint_answers_odd_queries_with_no_one(
    client: Any, coordinator: Any, q: str
) -> None:
    factories.person("Gulnar Serikkyzy", actor=coordinator)
    client.force_login(coordinator)
    response = client.get("/search/persons/", {"q": q, "limit": "nope"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_person_endpoint_reads_a_limit_it_cannot_read_as_the_default(
    client: Any, coordinator: Any
) -> None:
    p = factories.person("Gulnar Serikkyzy", actor=coordinator)
    client.force_login(coordinator)
    response = client.get("/search/persons/", {"q": "gulnar", "limit": "nope"})
    assert [hit["entry_no"] for hit in response.json()["results"]] == [p.entry_no]


def test_person_endpoint_combines_the_query_with_the_filters(client: Any, coordinator: Any) -> None:
    older = factories.person("Gulnar Serikkyzy", actor=coordinator, birth_year=1960)
    younger = factories.person("Gulnar Serikkyzy", actor=coordinator, birth_year=1990)
    in_camp = factories.person("Gulnar Serikkyzy", actor=coordinator, status="camp")
    client.force_login(coordinator)

    def found(**params: str) -> set[int]:
        response = client.get("/search/persons/", {"q": "Гүлнар Серікқызы", **params})
        assert response.status_code == 200
        return {hit["entry_no"] for hit in response.json()["results"]}

    assert found() == {older.entry_no, younger.entry_no, in_camp.entry_no}
    assert found(born_from="1985") == {younger.entry_no}
    assert found(born_from="1955", born_to="1965") == {older.entry_no}
    assert found(status="camp") == {in_camp.entry_no}


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"born_from": "sixties"}, "born_from must be a year, such as 1975."),
        ({"born_to": "0"}, "born_to must be a year, such as 1975."),
        ({"born_from": "1990", "born_to": "1980"}, "born_to is before born_from."),
    ],
)
def test_person_endpoint_refuses_a_birth_year_it_cannot_read(
    client: Any, coordinator: Any, params: dict[str, str], error: str
) -> None:
    factories.person("Gulnar Serikkyzy", actor=coordinator, birth_year=1985)
    client.force_login(coordinator)
    response = client.get("/search/persons/", {"q": "Gulnar", **params})
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_search_command_refuses_a_reversed_birth_year_range(coordinator: Any) -> None:
    from django.core.management.base import CommandError

    factories.person("Gulnar Serikkyzy", actor=coordinator, birth_year=1985)
    with pytest.raises(CommandError, match="born_to is before born_from"):
        call_command("search", "Gulnar", "--born-from", "1990", "--born-to", "1980")
    out = StringIO()
    call_command(
        "search", "Gulnar", "--born-from", "1980", "--born-to", "1990", "--json", stdout=out
    )
    assert [hit["names"] for hit in json.loads(out.getvalue())] == [["Gulnar Serikkyzy"]]


@pytest.mark.usefixtures("gazetteer")
def test_place_endpoint_finds_places_in_any_script(client: Any, viewer: Any) -> None:
    client.force_login(viewer)
    data = client.get("/search/places/", {"q": "Шихэцзы"}).json()
    assert data["results"][0]["code"].endswith("shihezi")


def test_search_command_prints_json_hits(coordinator: Any) -> None:
    p = factories.person("Гүлнар Серікқызы", "古丽娜尔·赛力克", actor=coordinator)
    out = StringIO()
    call_command("search", "Gulnar Serikqizi", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data[0]["entry_no"] == p.entry_no
    assert data[0]["names"] == ["Гүлнар Серікқызы", "古丽娜尔·赛力克"]
    assert 0 < data[0]["score"] <= 1


def test_search_command_prints_a_table(coordinator: Any) -> None:
    factories.person("Gulnar Serikkyzy", actor=coordinator)
    out = StringIO()
    call_command("search", "gulnar", stdout=out)
    assert "Gulnar Serikkyzy" in out.getvalue()
    out = StringIO()
    call_command("search", "", stdout=out)
    assert "No match" in out.getvalue()


def test_reindex_command_rebuilds_the_index(coordinator: Any) -> None:
    from aigaq.search.models import NameForm, NameKey
    from aigaq.search.selectors import search_persons

    p = factories.person("Gulnar Serikkyzy", actor=coordinator)
    keys = set(NameKey.objects.values_list("key", flat=True))
    forms = set(NameForm.objects.values_list("form", flat=True))
    NameKey.objects.all().delete()
    NameForm.objects.all().delete()
    assert search_persons(user=coordinator, query="Gulnar Serikqyzy") == []
    call_command("reindex", stdout=StringIO())
    assert set(NameKey.objects.values_list("key", flat=True)) == keys
    assert set(NameForm.objects.values_list("form", flat=True)) == forms
    assert search_persons(user=coordinator, query="Gulnar Serikqyzy")[0].person == p


def test_init_rebuilds_an_index_built_by_another_names_library(coordinator: Any) -> None:
    from aigaq.names import KEYS_VERSION
    from aigaq.search.models import IndexState, NameKey
    from aigaq.search.selectors import search_persons

    person = factories.person("Memet Tursun", actor=coordinator)
    # As an index from before the pinyin readings: stamped with version 1 and missing keys.
    IndexState.objects.update_or_create(name="names_version", defaults={"value": "1"})
    NameKey.objects.all().delete()
    assert not search_persons(user=coordinator, query="Maimaiti Tuerxun")
    out = StringIO()
    call_command("init", stdout=out)
    assert "rebuilding" in out.getvalue()
    assert IndexState.objects.get(name="names_version").value == str(KEYS_VERSION)
    assert search_persons(user=coordinator, query="Maimaiti Tuerxun")[0].person == person


def test_init_leaves_a_current_index_alone(coordinator: Any) -> None:
    from aigaq.search.models import NameKey

    factories.person("Gulnar Serikkyzy", actor=coordinator)
    call_command("init", stdout=StringIO())  # stamps the index of the installed library
    NameKey.objects.all().delete()  # so that a rebuild would show
    out = StringIO()
    call_command("init", stdout=out)
    assert "rebuilding" not in out.getvalue()
    assert not NameKey.objects.exists()


def test_serve_warns_when_the_index_is_stale(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress  # type: ignore[import-untyped]
    from django.db import connection

    from aigaq.search.models import IndexState

    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's own connection
    factories.person("Gulnar Serikkyzy", actor=coordinator)
    IndexState.objects.update_or_create(name="names_version", defaults={"value": "1"})
    err = StringIO()
    call_command("serve", stdout=StringIO(), stderr=err)
    assert "aigaq init" in err.getvalue()
    IndexState.objects.filter(name="names_version").delete()
    call_command("reindex", stdout=StringIO())
    err = StringIO()
    call_command("serve", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_the_stale_index_is_a_system_check_of_the_search_app(coordinator: Any) -> None:
    """The core commands learn of a stale index through Django's checks, not an import: the
    search app's database check warns while the index is older than the names library."""
    from django.core import checks

    from aigaq.search.checks import STALE_INDEX
    from aigaq.search.models import IndexState

    def stale_warnings() -> list[Any]:
        found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
        return [m for m in found if m.id == STALE_INDEX]

    factories.person("Gulnar Serikkyzy", actor=coordinator)
    IndexState.objects.update_or_create(name="names_version", defaults={"value": "1"})
    assert [m.level for m in stale_warnings()] == [checks.WARNING]
    assert checks.run_checks(tags=[checks.Tags.database]) == []  # no database asked, no query
    call_command("reindex", "--if-stale", stdout=StringIO())
    assert stale_warnings() == []


def test_person_ranking_counts_the_entries_that_match_as_well_as_the_first(
    coordinator: Any,
) -> None:
    from aigaq.search.selectors import person_ranking

    same = [factories.person("Гүлнар Серікқызы", actor=coordinator) for _ in range(3)]
    factories.person("Гүлнар Серікбайқызы", actor=coordinator)
    ranking = person_ranking(user=coordinator, query="Gulnar Serikqyzy", limit=10)
    assert ranking.equal_best == 3
    assert ranking.at_limit is False
    assert set(list(ranking.persons)[:3]) == set(same)
    assert all(ranking.hits[p.pk].reason == "exact name" for p in same)
    cut = person_ranking(user=coordinator, query="Gulnar Serikqyzy", limit=2)
    assert (cut.equal_best, cut.at_limit) == (2, True)
    assert person_ranking(user=coordinator, query="").equal_best == 0
