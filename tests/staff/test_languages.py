"""The pages in the reader's language: places by their Kazakh, Russian or Chinese name, name
scripts and the history's coded values by their labels."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from aigaq.core.models import AuditEntry
from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Person, Place, PlaceName
from aigaq.people.services import place_names_refresh, place_save
from aigaq.staff.history import readable
from tests import factories

pytestmark = pytest.mark.django_db


def kulja() -> Place:
    place = place_save(Place(code="cn-xj-ili-yining-city", kind="city", name="Yining"))
    for name, lang in (
        ("Yining", "en"),
        ("Құлжа қаласы", "kk_cyrl"),
        ("Құлжа", "alt"),
        ("Кульджа", "ru"),
        ("伊宁市", "zh"),
    ):
        PlaceName.objects.create(place=place, name=name, lang=lang)
    return place_names_refresh(place=place)


def in_language(client: Any, language: str) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize(
    ("language", "shown"),
    [("kk", "Құлжа қаласы"), ("ru", "Кульджа"), ("en", "Yining"), ("zh-hans", "伊宁市")],
)
def test_a_place_is_shown_in_the_pages_language(
    client: Any, coordinator: Any, language: str, shown: str
) -> None:
    person = factories.person("Гүлнар Серікқызы", actor=coordinator, hometown=kulja())
    client.force_login(coordinator)
    page = in_language(client, language).get(f"/persons/{person.entry_no}/").content.decode()
    assert f"<dd>{shown}</dd>" in page
    listed = client.get("/persons/").content.decode()
    assert shown in listed


def test_a_language_without_a_name_for_the_place_shows_the_name_of_lists() -> None:
    place = kulja()
    assert place.name_in("de") == "Yining"
    with translation.override("tr"):
        assert str(place) == "Yining"


def test_the_place_picker_offers_places_in_the_pages_language(
    client: Any, coordinator: Any
) -> None:
    kulja()
    client.force_login(coordinator)
    page = in_language(client, "kk").get("/places/suggest/", {"hometown_q": "Кульдж"})
    assert "Құлжа қаласы" in page.content.decode()


def test_loading_the_gazetteer_gives_each_place_its_names_for_the_interface() -> None:
    gazetteer_load()
    tacheng = Place.objects.get(code="cn-xj-tacheng-tacheng")
    assert tacheng.local_names["kk"] == "Шәуешек қаласы"
    assert tacheng.local_names["ru"] == "Чугучак"
    assert tacheng.local_names["zh-hans"] == "塔城市"


def test_the_script_of_a_name_is_shown_by_its_label(client: Any, coordinator: Any) -> None:
    person = factories.person("Гүлнар Серікқызы", "古丽娜尔", actor=coordinator)
    client.force_login(coordinator)
    page = in_language(client, "ru").get(f"/persons/{person.entry_no}/").content.decode()
    assert "Кириллица" in page and "Китайские иероглифы" in page
    assert "<td>cyrillic</td>" not in page and "<td>han</td>" not in page


def test_the_history_shows_coded_values_by_their_labels(coordinator: Any) -> None:
    person = factories.person("Гүлнар Серікқызы", actor=coordinator, gender="female")
    entry = AuditEntry.objects.filter(object_id=str(person.pk), action="create").get()
    with translation.override("kk"):
        rows = {
            row["label"]: str(row["after"]) for row in readable(coordinator, [entry])[0]["rows"]
        }
        female = str(Person._meta.get_field("gender").verbose_name)
        assert rows[female] == "Әйел"
        assert "female" not in rows.values()
