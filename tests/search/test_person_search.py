"""Finding persons across scripts, spellings, partial names and entry numbers."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.core.models import AuditEntry, Visibility
from aigaq.people.models import Place
from aigaq.people.services import NameInput, person_update, tag_get_or_create
from aigaq.search.models import NameForm, NameKey
from aigaq.search.selectors import SYSTEM, search_persons
from aigaq.search.services import reindex_all
from tests import factories

pytestmark = pytest.mark.django_db

GULNAR = ("Гүлнар Серікқызы", "Gulnar Serikkyzy", "古丽娜尔·赛力克")


@pytest.fixture
def gulnar(coordinator: Any) -> Any:
    return factories.person(*GULNAR, actor=coordinator)


@pytest.fixture
def crowd(coordinator: Any) -> list[Any]:
    names = [
        ("Нұрлан Серікұлы", "Nurlan Serikuly"),
        ("Айгүл Бақытқызы", "Aigul Bakytkyzy"),
        ("Мемет Тұрсын", "Memet Tursun", "买买提·吐尔逊"),
        ("Гүлзат Қуанышқызы", "Gulzat Kuanyshkyzy"),
        ("Ержан Асқарұлы",),
    ]
    return [factories.person(*n, actor=coordinator) for n in names]


def entry_nos(hits: list[Any]) -> list[int]:
    return [h.person.entry_no for h in hits]


@pytest.mark.parametrize(
    "query",
    [
        "Gulnar Serikqizi",
        "Гүлнар Серікқызы",
        "gulnar serikkyzy",
        "古丽娜尔·赛力克",
        "古丽娜尔",
        "gulnar",
        "Serikqyzy Gulnar",
        "Гульнар Серикова",
    ],
)
def test_the_same_woman_is_found_by_any_spelling_in_any_script(
    gulnar: Any, crowd: Any, coordinator: Any, query: str
) -> None:
    hits = search_persons(user=coordinator, query=query)
    assert hits, query
    assert hits[0].person == gulnar, [(h.person, h.score) for h in hits]


def test_a_partial_name_of_three_letters_or_more_finds_the_person(
    gulnar: Any, crowd: Any, coordinator: Any
) -> None:
    hits = search_persons(user=coordinator, query="guln")
    assert gulnar.entry_no in entry_nos(hits)
    assert hits[0].reason == "partial name"


def test_an_exact_spelling_ranks_before_a_variant(coordinator: Any) -> None:
    exact = factories.person("Nurlan Serikuly", actor=coordinator)
    variant = factories.person("Nurlan Berikuly", actor=coordinator)
    hits = search_persons(user=coordinator, query="Nurlan Serikuly")
    assert entry_nos(hits)[:2] == [exact.entry_no, variant.entry_no]
    assert hits[0].score == 1.0 and hits[0].reason == "exact name"
    assert hits[1].score < 1.0


def test_the_name_as_typed_ranks_before_a_son_or_father_with_the_same_two_names(
    coordinator: Any,
) -> None:
    # Асхат, son of Мұратжан, recorded with the patronymic suffix only (in two scripts);
    # then Мұратжан, son of Асхат, entered later, whose Arabic-script form holds the two
    # names bare: the same parts, which a search blind to order scored equal (and the
    # later entry first).
    asqat = factories.person("Асхат Мұратжанұлы", "Askhat Muratzhanuly", actor=coordinator)
    son_of_asqat = factories.person("Мұратжан Асхатұлы", "مۇراتجان اسحات", actor=coordinator)
    for query in ("Асхат Мұратжан", "Askhat Muratzhan", "Muratzhanuly Askhat"):
        hits = search_persons(user=coordinator, query=query)
        assert entry_nos(hits)[:2] == [asqat.entry_no, son_of_asqat.entry_no], query
        assert (hits[0].score, hits[0].reason) == (1.0, "exact name"), query
        assert hits[1].reason == "same names, father and son swapped", query
        assert hits[1].score < 1.0
    # Typed the other way round, the other one comes first.
    hits = search_persons(user=coordinator, query="Мұратжан Асхат")
    assert entry_nos(hits)[:2] == [son_of_asqat.entry_no, asqat.entry_no]


@pytest.mark.parametrize(
    ("typed", "suffixed"),
    [
        ("Асхат Мұратжан", "Асхат Мұратжанов"),  # -ov
        ("Гүлнар Серік", "Гүлнар Серікова"),  # -ova
        ("Ербол Жұмабай", "Ербол Жұмабаев"),  # -ev
        ("Айгүл Оралбай", "Айгүл Оралбаева"),  # -eva
        ("Askhat Muratzhan", "Askhat Muratzhanov"),  # passport Latin
    ],
)
def test_the_name_as_typed_ranks_before_the_same_name_with_a_russian_surname_suffix(
    coordinator: Any, typed: str, suffixed: str
) -> None:
    # Both score 1.0 (the same names in the same roles); the older entry is the one typed, so
    # a tie broken by entry number (newest first) put the suffixed form first.
    as_typed = factories.person(typed, actor=coordinator)
    with_suffix = factories.person(suffixed, actor=coordinator)
    hits = search_persons(user=coordinator, query=typed)
    assert entry_nos(hits)[:2] == [as_typed.entry_no, with_suffix.entry_no]
    assert hits[0].score == hits[1].score == 1.0
    assert hits[0].typed and not hits[1].typed
    # And the other way round: the suffixed form typed comes first.
    hits = search_persons(user=coordinator, query=suffixed)
    assert entry_nos(hits)[:2] == [with_suffix.entry_no, as_typed.entry_no]


@pytest.mark.parametrize(
    ("swapped", "names", "query"),
    [
        # In characters, with and without the dot.
        (
            "哈力木汗·肯杰古丽",
            ("Кенжегүл Ғалымханқызы", "Kenzhegul Galymkhanqyzy"),
            "肯杰古丽·哈力木汗",
        ),
        (
            "哈力木汗·肯杰古丽",
            ("Кенжегүл Ғалымханқызы", "Kenzhegul Galymkhanqyzy"),
            "肯杰古丽哈力木汗",
        ),
        # 海拉提·别克苏力坦 romanised as a Chinese passport prints it.
        ("别克苏力坦·海拉提", ("Қайрат Бексұлтанұлы", "Qairat Beksultan"), "Hailati Biekesulitan"),
        ("别克苏力坦·海拉提", ("Қайрат Бексұлтанұлы", "Qairat Beksultan"), "HAILATI BIEKESULITAN"),
    ],
)
def test_a_name_in_characters_or_pinyin_finds_the_person_recorded_without_characters(
    coordinator: Any, swapped: str, names: tuple[str, ...], query: str
) -> None:
    # Ten persons with the two names swapped, recorded in characters, fill a top 10 through
    # the whole-name keys, which the Cyrillic and Latin forms do not share with the query:
    # the person recorded without characters is reached through the bridge keys, and the
    # name in its roles outranks theirs.
    for _ in range(10):
        factories.person(swapped, actor=coordinator)
    sought = factories.person(*names, actor=coordinator)
    hits = search_persons(user=coordinator, query=query, limit=10)
    assert hits[0].person == sought, [(h.person.primary_name, h.score) for h in hits]
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize("form", ["{n}", "#{n}", "# {n}"])
def test_the_entry_number_finds_the_person(
    gulnar: Any, crowd: Any, coordinator: Any, form: str
) -> None:
    hits = search_persons(user=coordinator, query=form.format(n=gulnar.entry_no))
    assert hits[0].person == gulnar
    assert hits[0].reason == "entry number"


def test_the_chinese_id_number_is_searched_only_for_users_allowed_restricted_data(
    coordinator: Any, translator: Any
) -> None:
    person = factories.person(
        "Ержан Асқарұлы",
        actor=coordinator,
        chinese_id="654021198001011231",
        visibility=Visibility.INTERNAL,
    )
    hits = search_persons(user=coordinator, query="6540 2119 8001 0112 31")
    assert [h.person for h in hits] == [person]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.READ, person_id=person.pk).exists()
    assert search_persons(user=translator, query="654021198001011231") == []
    assert search_persons(user=SYSTEM, query="654021198001011231") == []


def test_a_viewer_never_sees_internal_persons(gulnar: Any, viewer: Any, coordinator: Any) -> None:
    assert gulnar.visibility == Visibility.INTERNAL
    public = factories.person("Gulnar Serikova", actor=coordinator, visibility=Visibility.PUBLIC)
    for query in ("Gulnar Serikqizi", "gulnar", "guln", str(gulnar.entry_no)):
        assert [h.person for h in search_persons(user=viewer, query=query)] in ([public], [])
    assert search_persons(user=viewer, query="gulnar")[0].person == public


def test_an_anonymous_user_sees_nothing(gulnar: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert search_persons(user=AnonymousUser(), query="gulnar") == []


def test_merged_persons_are_never_found(gulnar: Any, coordinator: Any) -> None:
    from aigaq.people.models import Person

    other = factories.person("Gulnar Serikkyzy", actor=coordinator)
    Person.objects.filter(pk=other.pk).update(merged_into=gulnar)
    assert [h.person for h in search_persons(user=coordinator, query="Gulnar Serikkyzy")] == [
        gulnar
    ]


def test_renaming_a_person_updates_the_index(gulnar: Any, coordinator: Any) -> None:
    person_update(
        actor=coordinator,
        person=gulnar,
        expected_version=gulnar.version,
        names=[NameInput("Айгерім Болатқызы"), NameInput("Aigerim Bolatkyzy")],
    )
    assert search_persons(user=coordinator, query="Gulnar Serikqizi") == []
    assert search_persons(user=coordinator, query="古丽娜尔") == []
    assert search_persons(user=coordinator, query="Aigerim Bolatqyzy")[0].person == gulnar
    assert not NameForm.objects.filter(person=gulnar, form__contains="gulnar").exists()


def test_a_rebuilt_index_answers_the_same(gulnar: Any, crowd: Any, coordinator: Any) -> None:
    before = NameKey.objects.count()
    assert reindex_all() == 6
    assert NameKey.objects.count() == before
    assert search_persons(user=coordinator, query="gulnar serikqizi")[0].person == gulnar
    assert search_persons(user=coordinator, query="ulna")[0].person == gulnar


def test_hits_carry_the_matched_name_and_all_names(gulnar: Any, coordinator: Any) -> None:
    hit = search_persons(user=coordinator, query="古丽娜尔·赛力克")[0]
    assert hit.matched_name == "古丽娜尔·赛力克"
    assert hit.names == list(GULNAR)


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("gazetteer")
def test_filters_combine_with_the_query(coordinator: Any) -> None:
    shihezi = Place.objects.get(code__endswith="shihezi")
    xinjiang = Place.objects.get(code="cn-xj")
    almaty = Place.objects.filter(code__startswith="kz-").exclude(kind="region").first()
    tag = tag_get_or_create("imam")
    a = factories.person(
        "Gulnar Serikkyzy",
        actor=coordinator,
        hometown=shihezi,
        ethnicity="kazakh",
        birth_year=1975,
        evidence_grade="corroborated",
        tags=[tag],
        status="camp",
    )
    b = factories.person(
        "Gulnar Serikova", actor=coordinator, hometown=almaty, birth_year=1990, status="prison"
    )

    def found(**filters: Any) -> list[Any]:
        return [h.person for h in search_persons(user=coordinator, query="gulnar", filters=filters)]

    assert set(found()) == {a, b}
    assert found(place=xinjiang) == [a]  # sub-places included
    assert found(place=shihezi.code) == [a]
    assert found(status="prison") == [b]
    assert found(ethnicity="kazakh") == [a]
    assert found(born_from=1970, born_to=1980) == [a]
    assert found(born_from=1985) == [b]
    assert found(tag="imam") == [a]
    assert found(grade="corroborated") == [a]
    assert found(place="no-such-place") == []


def test_a_filter_finds_the_one_it_keeps_among_many_namesakes_it_drops(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigaq.search import candidates

    # Small caps stand in for a large database: 12 namesakes fill every candidate list and
    # every name part is a "hub"; only one of them was born in 1975.
    monkeypatch.setattr(candidates, "CANDIDATES", 8)
    monkeypatch.setattr(candidates, "HUB", 3)
    others = [
        factories.person("Nurlan Serikuly", actor=coordinator, birth_year=1990 + i)
        for i in range(12)
    ]
    wanted = factories.person("Нұрлан Серікұлы", actor=coordinator, birth_year=1975)
    for query in ("Nurlan Serikuli", "Nurlan", "Серікұлы Нұрлан"):
        hits = search_persons(
            user=coordinator, query=query, filters={"born_from": 1973, "born_to": 1977}
        )
        assert [h.person for h in hits] == [wanted], query
    unfiltered = search_persons(user=coordinator, query="Nurlan Serikuli", limit=20)
    assert len(unfiltered) >= 8 and {h.person for h in unfiltered} <= {wanted, *others}


def test_the_index_files_each_key_under_the_persons_birth_years(coordinator: Any) -> None:
    exact = factories.person("Nurlan Serikuly", actor=coordinator, birth_year=1975)
    decade = factories.person(
        "Nurlan Serikuly", actor=coordinator, birth_year=1970, birth_year_max=1979
    )
    unknown = factories.person("Nurlan Serikuly", actor=coordinator)

    def years(person: Any) -> set[tuple[Any, Any]]:
        return set(NameKey.objects.filter(person=person).values_list("year_lo", "year_hi"))

    assert years(exact) == {(1975, 1975)}
    assert years(decade) == {(1970, 1979)}
    assert years(unknown) == {(None, None)}
    # An edit of the birth year alone (no name changed) re-files the keys.
    person_update(actor=coordinator, person=exact, expected_version=exact.version, birth_year=1981)
    assert years(exact) == {(1981, 1981)}


def test_a_birth_year_filter_follows_an_edited_year_and_overlapping_ranges(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigaq.search import candidates

    # More namesakes than the candidate list holds: only a filter decided in the index as it
    # is read finds the one born in the asked years.
    monkeypatch.setattr(candidates, "CANDIDATES", 8)
    for i in range(12):
        factories.person("Nurlan Serikuly", actor=coordinator, birth_year=1990 + i)
    wanted = factories.person("Нұрлан Серікұлы", actor=coordinator, birth_year=1960)
    decade = factories.person(
        "Nurlan Serikuly", actor=coordinator, birth_year=1940, birth_year_max=1949
    )

    def found(**years: int) -> list[Any]:
        hits = search_persons(user=coordinator, query="Nurlan Serikuli", filters=years)
        return [h.person for h in hits]

    assert found(born_from=1958, born_to=1962) == [wanted]
    assert found(born_from=1945, born_to=1950) == [decade]  # "1940s" overlaps 1945-1950
    assert found(born_to=1941) == [decade]
    assert found(born_from=1930, born_to=1939) == []
    wanted = person_update(
        actor=coordinator, person=wanted, expected_version=wanted.version, birth_year=1966
    )
    assert found(born_from=1958, born_to=1962) == []
    assert found(born_from=1965, born_to=1967) == [wanted]
    # The command line's user (no visibility limits) gets the same answer.
    hits = search_persons(
        user=SYSTEM, query="Nurlan Serikuli", filters={"born_from": 1965, "born_to": 1967}
    )
    assert [h.person for h in hits] == [wanted]


def test_the_upgrade_fills_the_birth_years_of_an_existing_index(coordinator: Any) -> None:
    import importlib

    from django.db import connection

    fill = importlib.import_module("aigaq.search.migrations.0005_add_key_birth_years").FILL
    exact = factories.person("Nurlan Serikuly", actor=coordinator, birth_year=1975)
    decade = factories.person(
        "Aigul Serikkyzy", actor=coordinator, birth_year=1970, birth_year_max=1979
    )
    unknown = factories.person("Gulnar Serikkyzy", actor=coordinator)
    NameKey.objects.update(year_lo=None, year_hi=None)  # an index built before the columns
    with connection.cursor() as cursor:
        cursor.execute(fill)
    rows = set(NameKey.objects.values_list("person_id", "year_lo", "year_hi"))
    assert {(pid, lo, hi) for pid, lo, hi in rows if pid == exact.pk} == {(exact.pk, 1975, 1975)}
    assert {(lo, hi) for pid, lo, hi in rows if pid == decade.pk} == {(1970, 1979)}
    assert {(lo, hi) for pid, lo, hi in rows if pid == unknown.pk} == {(None, None)}


def test_a_viewer_finds_the_public_entry_among_many_internal_namesakes(
    coordinator: Any, viewer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigaq.search import candidates

    monkeypatch.setattr(candidates, "CANDIDATES", 8)
    for _i in range(12):
        factories.person("Nurlan Serikuly", actor=coordinator, visibility=Visibility.INTERNAL)
    public = factories.person("Нұрлан Серікұлы", actor=coordinator, visibility=Visibility.PUBLIC)
    hits = search_persons(user=viewer, query="Nurlan Serikuli")
    assert [h.person for h in hits] == [public]


# --- odd input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "g",
        "古",
        "🌸🌸",
        "\u200d\u200f\u202e",
        "%",
        "_",
        "'; DROP TABLE search_namekey; --",
        "x" * 10_000,
        "Gulnar " * 2000,
    ],
)
def test_odd_queries_find_no_one_and_change_nothing(
    gulnar: Any, crowd: Any, coordinator: Any, query: str
) -> None:
    keys, forms = NameKey.objects.count(), NameForm.objects.count()
    # Not everyone (a wildcard read as SQL), not an error: no one.
    # bench/odd_queries_bench.py prints the time each of these takes.
    assert search_persons(user=coordinator, query=query) == []
    assert (NameKey.objects.count(), NameForm.objects.count()) == (keys, forms)
    assert entry_nos(search_persons(user=coordinator, query="Gulnar Serikkyzy")) == [
        gulnar.entry_no
    ]


@pytest.mark.parametrize(
    "query",
    [
        '"gulnar" AND',
        "Гүлнар 古丽娜尔 gulnar مۇھەممەت",
        "Gül\u200dnar\u200f Serik\u200bqyzy 🌸",
    ],
)
def test_odd_queries_that_hold_her_name_find_her_and_no_one_else(
    gulnar: Any, crowd: Any, coordinator: Any, query: str
) -> None:
    assert entry_nos(search_persons(user=coordinator, query=query)) == [gulnar.entry_no]


def test_invisible_characters_do_not_hide_a_name(gulnar: Any, coordinator: Any) -> None:
    hits = search_persons(user=coordinator, query="Gül\u200dnar\u200f Serik\u200bqyzy 🌸")
    assert hits and hits[0].person == gulnar


def test_a_single_character_finds_nothing_rather_than_everything(
    gulnar: Any, crowd: Any, coordinator: Any
) -> None:
    assert search_persons(user=coordinator, query="g") == []


def test_a_ten_thousand_character_query_is_cut_not_scanned(
    gulnar: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        search_persons(user=coordinator, query="gulnar " * 1500)


def test_a_search_runs_a_bounded_number_of_queries(
    gulnar: Any, crowd: Any, coordinator: Any, django_assert_max_num_queries: Any
) -> None:
    for i in range(20):
        factories.person(f"Gulnar Testqyzy{i}", actor=coordinator)
    with django_assert_max_num_queries(12):
        hits = search_persons(user=coordinator, query="gulnar")
    assert len(hits) == 20


def test_the_staff_person_list_uses_the_cross_script_search(
    gulnar: Any, crowd: Any, coordinator: Any
) -> None:
    from aigaq.search.selectors import person_search

    found = list(person_search(user=coordinator, query="Gulnar Serikqizi"))
    assert found[0] == gulnar
    assert list(person_search(user=coordinator, query="古丽娜尔"))[0] == gulnar
    assert list(person_search(user=coordinator, query="Gulnar", filters={"status": "camp"})) == []
