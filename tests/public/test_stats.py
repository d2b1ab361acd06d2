"""The public statistics and map: counts over public entries only (GROUP BY), birth ranges
spread over their years, SVG pages in every language, bars and counties linking to the
filtered list, forged filters never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest

from aigaq.core import audit
from aigaq.core.changes import changes_current
from aigaq.core.models import Visibility
from aigaq.people.gazetteer import gazetteer_load
from aigaq.people.models import Place
from aigaq.people.services import person_update
from aigaq.public import stats
from aigaq.public.filters import filtered
from aigaq.public.geo import county_map
from aigaq.public.languages import PUBLIC_LANGUAGES
from aigaq.testimonies import services as testimony_services
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(coordinator: Any) -> dict[str, Any]:
    gazetteer_load()
    yining = Place.objects.get(code="cn-xj-ili-yining-city")
    emin = Place.objects.get(code="cn-xj-tacheng-emin")
    ili = Place.objects.get(code="cn-xj-ili")

    def public(**fields: Any) -> Any:
        return factories.person(actor=coordinator, visibility=Visibility.PUBLIC, **fields)

    a = public(
        status="camp", date="2018-03", gender="male", ethnicity="kazakh",
        birth_year=1970, birth_year_max=1975, hometown=yining,
    )  # fmt: skip
    b = public(
        status="prison", date="2017", gender="female", ethnicity="kazakh",
        birth_year=1990, hometown=emin,
    )  # fmt: skip
    c = public(gender="female", ethnicity="uyghur", hometown=ili)
    hidden = factories.person(
        actor=coordinator,
        status="camp",
        date="2018",
        gender="male",
        ethnicity="uyghur",
        birth_year=1950,
        hometown=yining,
    )  # fmt: skip: internal, never counted
    return {"a": a, "b": b, "c": c, "hidden": hidden}


def test_counts_only_public_entries(entries: dict[str, Any]) -> None:
    persons, _ = filtered({})
    s = stats.compute(persons)
    assert s.total == 3
    assert s.status == {"camp": 1, "prison": 1, "": 1}
    assert s.ethnicity == {"kazakh": 2, "uyghur": 1}
    assert s.gender == {"male": 1, "female": 2}
    assert s.detained == {2018: 1, 2017: 1, None: 1}
    assert s.county == {
        "cn-xj-ili-yining-city": 1,
        "cn-xj-tacheng-emin": 1,
        stats.NOT_TO_COUNTY: 1,
    }


def test_a_birth_range_spreads_over_its_years(entries: dict[str, Any]) -> None:
    s = stats.compute(filtered({})[0])
    # a: born 1970-1975, first detained 2018: ages 43-48, all in 40-49. b: born 1990,
    # detained 2017: 27. c: no birth year.
    assert s.age[(40, 49)] == pytest.approx(1.0)
    assert s.age[(18, 29)] == pytest.approx(1.0)
    assert s.age[None] == pytest.approx(1.0)
    spread = dict(stats.age_spread(1965, 1974, 2018))  # ages 44..53
    assert spread[(40, 49)] == pytest.approx(0.6) and spread[(50, 59)] == pytest.approx(0.4)
    assert sum(spread.values()) == pytest.approx(1.0)


def test_the_filter_narrows_the_counts(entries: dict[str, Any]) -> None:
    s = stats.compute(filtered({"ethnicity": "kazakh", "detained": "2018"})[0])
    assert s.total == 1 and s.status == {"camp": 1}


@pytest.mark.parametrize("lang", [lang.code for lang in PUBLIC_LANGUAGES])
def test_the_pages_answer_in_every_language(
    public_client: Any, entries: dict[str, Any], lang: str
) -> None:
    for page in ("statistics", "map"):
        r = public_client.get(f"/{lang}/{page}/")
        assert r.status_code == 200, page
        html = r.content.decode()
        assert 'role="img"' in html and "<title" in html and "<details>" in html
        assert f'dir="{"rtl" if lang == "ar" else "ltr"}"' in html
        for box in re.findall(r'viewBox="([^"]*)"', html):
            assert re.fullmatch(r"[0-9. ]+", box), box  # never a localised number


def test_bars_link_to_the_filtered_list_keeping_other_filters(
    public_client: Any, entries: dict[str, Any]
) -> None:
    html = public_client.get("/en/statistics/", {"gender": "female"}).content.decode()
    assert "/en/entries/?gender=female&amp;status=prison" in html
    assert "/en/entries/?gender=female&amp;ethnicity=kazakh" in html
    assert "/en/entries/?gender=female&amp;detained=2017" in html
    assert "/en/entries/?gender=female&amp;place=cn-xj-tacheng-emin" in html
    assert "/en/entries/?gender=male" not in html  # the gender bar replaces, never adds
    assert "/en/entries/?gender=female&amp;status=camp" not in html  # a is male


def test_every_county_links_to_its_filtered_list(
    public_client: Any, entries: dict[str, Any]
) -> None:
    html = public_client.get("/en/map/").content.decode()
    paths = re.findall(r'<a href="([^"]+)"><path class="county"', html)
    codes = [c["code"] for c in county_map()["counties"] if c["code"]]
    assert len(paths) == len(codes) > 100
    assert {p.split("place=")[1] for p in paths} == set(codes)
    assert "Yining: 1" in html or "1</title>" in html


def test_forged_filters_never_break_the_pages(public_client: Any, entries: dict[str, Any]) -> None:
    forged = [
        {"status": "'; DROP TABLE x; --"},
        {"place": "x" * 5000},
        {"detained": "99999999999999999999"},
        {"detained": "-1", "gender": "\x00"},
        {"ethnicity": "<script>", "tag": "(.*)+$"},
    ]
    for params in forged:
        for page in ("statistics", "map"):
            r = public_client.get(f"/ar/{page}/", params)
            assert r.status_code == 200, (page, params)
            assert "<script>" not in r.content.decode()


def test_the_counts_are_cached_until_the_next_write(
    public_client: Any,
    entries: dict[str, Any],
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    """Repeated views are served from the cache (no counting query); the first request after
    a committed write (a new public entry, a withdrawal of consent, an entry made internal)
    counts again."""

    def total(page: str = "statistics") -> int:
        html = public_client.get(f"/en/{page}/").content.decode()
        found = re.search(r"Public entries: (\d+)", html)
        assert found, html[:500]
        return int(found.group(1))

    assert total() == 3 and total("map") == 3
    # Served from the cache: no GROUP BY over the persons (only the change counter, the
    # place names and the session-free page's own reads).
    with django_assert_max_num_queries(3) as queries:
        assert total() == 3
    assert not any("GROUP BY" in q["sql"] for q in queries.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        new = factories.public_person("Нұрлан Жаңа", actor=coordinator, ethnicity="kazakh")
    assert total() == 4 and total("map") == 4

    t = new.testimony_links.get().testimony
    with django_capture_on_commit_callbacks(execute=True):
        testimony_services.consent_withdraw(actor=coordinator, testimony=t, reason="asked")
    assert total() == 3 and total("map") == 3

    with django_capture_on_commit_callbacks(execute=True):
        person_update(
            actor=coordinator,
            person=entries["a"],
            expected_version=None,
            visibility=Visibility.INTERNAL,
        )
    assert total() == 2 and total("map") == 2


def test_a_read_of_restricted_data_leaves_the_counter_alone(
    coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    p = factories.person("Айгүл Оқылған", actor=coordinator)
    before = changes_current()
    with django_capture_on_commit_callbacks(execute=True):
        audit.record_read(actor=coordinator, obj=p, fields=["chinese_id"])
    assert changes_current() == before
    for occupation in ("teacher", "imam"):  # two transactions: two steps
        with django_capture_on_commit_callbacks(execute=True):
            person_update(actor=coordinator, person=p, expected_version=None, occupation=occupation)
    assert changes_current() == before + 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # one: one step
        person_update(actor=coordinator, person=p, expected_version=None, occupation="driver")
        person_update(actor=coordinator, person=p, expected_version=None, occupation="farmer")
    assert len(callbacks) >= 2
    assert changes_current() == before + 3
