"""The gazetteer: loading it, and finding places by any of their names."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Place, PlaceName
from aigaq.search.selectors import search_places

pytestmark = pytest.mark.django_db


def codes(query: str) -> list[str]:
    return [h.place.code for h in search_places(query)]


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize(
    "query", ["石河子", "Шихэцзы", "shihezi", "Shihezi", "SHIHEZI", "石河子市"]
)
def test_shihezi_is_found_by_its_name_in_any_script(query: str) -> None:
    assert codes(query)[0].endswith("shihezi")


@pytest.mark.usefixtures("gazetteer")
def test_two_chinese_characters_are_enough() -> None:
    assert codes("哈密")[0].endswith("hami")
    assert any(c.endswith("tacheng") for c in codes("塔城")[:2])


@pytest.mark.usefixtures("gazetteer")
def test_kazakh_names_of_places_are_found() -> None:
    assert any("yining" in c for c in codes("Құлжа")[:3])


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "🌸",
        "\u200d\u200f",
        "x" * 10_000,  # folds to one letter in the comparison form
        "%_",
    ],
)
def test_odd_place_queries_find_nothing_without_error(query: str) -> None:
    assert search_places(query) == []


@pytest.mark.usefixtures("gazetteer")
def test_a_place_hit_lists_its_names_in_every_script() -> None:
    hit = search_places("石河子")[0]
    names = set(hit.names)
    assert {"石河子", "石河子市"} <= names  # Chinese
    assert {"Shihezi", "Shíhézǐ Shì"} <= names  # pinyin, with and without tones
    assert {"Шихэцзы", "Шихэцзы қаласы"} <= names  # Russian, Kazakh
    assert {"شىخەنزە", "Shixenze"} <= names  # Uyghur in Arabic and Latin script
    assert len(hit.names) == len(names)  # each name once


def test_loading_the_gazetteer_sets_parents_and_paths() -> None:
    result = gazetteer_load()
    assert result.created > 150
    shihezi = Place.objects.get(code__endswith="shihezi")
    assert shihezi.path.startswith("/cn/cn-xj/")
    assert shihezi.path.endswith(f"/{shihezi.code}/")
    assert shihezi.parent is not None


def test_loading_the_gazetteer_twice_changes_nothing() -> None:
    gazetteer_load()
    places, names = Place.objects.count(), PlaceName.objects.count()
    again = gazetteer_load()
    assert (again.created, again.updated, again.names_added) == (0, 0, 0)
    assert (Place.objects.count(), PlaceName.objects.count()) == (places, names)


def test_the_command_loads_only_if_empty_when_asked() -> None:
    out = StringIO()
    call_command("gazetteer", "load", "--if-empty", stdout=out)
    assert "places created" in out.getvalue()
    out = StringIO()
    call_command("gazetteer", "load", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()


def test_a_broken_gazetteer_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "g.json"
    bad.write_text(
        json.dumps(
            {
                "places": [
                    {"code": "zz", "kind": "country", "parent": None, "names": {"en": "Z"}},
                    {"code": "zz-a", "kind": "county", "parent": "nowhere", "names": {}},
                ]
            }
        )
    )
    with pytest.raises(ValidationError):
        gazetteer_load(path=bad)
    assert not Place.objects.exists()
    bad.write_text("{not json")
    with pytest.raises(ValidationError):
        gazetteer_load(path=bad)


@pytest.mark.usefixtures("gazetteer")
def test_the_places_command_prints_json() -> None:
    out = StringIO()
    call_command("places", "石河子", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data[0]["code"].endswith("shihezi")
    assert {"id", "kind", "names"} <= set(data[0])
    assert "Shihezi" in data[0]["names"]
