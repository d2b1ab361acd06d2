"""Chinese written without separator, partial names with a short last fragment, and the bulk
indexing path that drops and rebuilds the index's secondary structures."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction

from aigaq.people.models import Place
from aigaq.search import services
from aigaq.search.models import NameForm, NameKey
from aigaq.search.selectors import search_persons
from aigaq.search.services import index_persons, reindex_all
from tests import factories

pytestmark = pytest.mark.django_db


def test_chinese_without_separator_finds_a_person_recorded_only_in_latin_and_cyrillic(
    coordinator: Any,
) -> None:
    nuriya = factories.person("Нурия Бауыржанқызы", "Nuriya Bauyrzhan", actor=coordinator)
    factories.person("Нұрлан Серікұлы", "Nurlan Serikuly", actor=coordinator)
    hits = search_persons(user=coordinator, query="努丽亚包尔江")
    assert hits and hits[0].person == nuriya, [(h.person, h.score) for h in hits]


def test_a_long_chinese_name_without_separator_finds_the_person_recorded_with_the_dot(
    coordinator: Any,
) -> None:
    ayjamal = factories.person("阿依加玛丽·阿不都哈帕尔", "Ayjamal Abdughappar", actor=coordinator)
    factories.person("阿依加玛丽·阿不都热合曼", actor=coordinator)
    hits = search_persons(user=coordinator, query="阿依加玛丽阿不都哈帕尔")  # 11 characters
    assert hits and hits[0].person == ayjamal, [(h.person, h.score) for h in hits]


def test_a_whole_name_in_pinyin_without_space_finds_the_person(coordinator: Any) -> None:
    """MAIMAITIMAIHEMUTIJIANG, as some lists print 买买提·买合木提江, is read split at its
    syllable boundaries: one of those readings is Maimaiti Maihemutijiang."""
    memet = factories.person("买买提·买合木提江", "Memet Mehmutjan", actor=coordinator)
    factories.person("买买提·吐尔逊", "Memet Tursun", actor=coordinator)
    hits = search_persons(user=coordinator, query="MAIMAITIMAIHEMUTIJIANG")
    assert hits and hits[0].person == memet, [(h.person, h.score) for h in hits]


def test_a_partial_name_with_a_one_letter_last_fragment_prefers_that_father(
    coordinator: Any,
) -> None:
    with_d = factories.person("Қайсар Дәулетұлы", actor=coordinator)
    others = [factories.person(f"Қайсар {f}", actor=coordinator) for f in ("Серікұлы", "Бекұлы")]
    hits = search_persons(user=coordinator, query="Қайсар Д")
    assert hits[0].person == with_d, [(h.person, h.score) for h in hits]
    assert {h.person for h in hits} >= set(others)


def _schema(table: str) -> set[tuple[str, str]]:
    """Indexes and triggers of a table, with their definitions."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table]
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
        return set(cursor.fetchall())


def test_a_bulk_rebuild_restores_every_index_and_trigger_and_finds_by_substring(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    gulnar = factories.person("Гүлнар Серікқызы", "Gulnar Serikkyzy", actor=coordinator)
    factories.person("Нұрлан Серікұлы", actor=coordinator)
    before = _schema("search_namekey") | _schema("search_nameform")
    assert len(before) >= 3  # the key index, the person index, the substring index...
    keys = NameKey.objects.count()
    monkeypatch.setattr(services, "BULK_REBUILD_FROM", 1)  # take the bulk path with 2 persons
    assert reindex_all() == 2
    assert _schema("search_namekey") | _schema("search_nameform") == before
    assert NameKey.objects.count() == keys
    assert search_persons(user=coordinator, query="ulna")[0].person == gulnar
    # The insert trigger is back: a later write reaches the substring index.
    factories.person("Айгерім Болатқызы", actor=coordinator)
    assert search_persons(user=coordinator, query="igeri")


def test_a_bulk_rebuild_that_fails_leaves_the_schema_whole(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.person("Гүлнар Серікқызы", actor=coordinator)
    before = _schema("search_namekey") | _schema("search_nameform")
    monkeypatch.setattr(services, "BULK_REBUILD_FROM", 1)

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "append_rows", broken)
    with pytest.raises(RuntimeError), transaction.atomic():
        reindex_all()
    assert _schema("search_namekey") | _schema("search_nameform") == before
    assert NameKey.objects.exists()  # the failed rebuild changed nothing


def test_bulk_indexing_a_person_twice_leaves_one_set_of_rows(coordinator: Any) -> None:
    gulnar = factories.person("Гүлнар Серікқызы", "Gulnar Serikkyzy", actor=coordinator)
    rows = NameKey.objects.filter(person=gulnar).count()
    assert index_persons([gulnar.pk], workers=2) == 1
    assert NameKey.objects.filter(person=gulnar).count() == rows
    assert NameForm.objects.filter(person=gulnar).count() == 1  # both fold alike


@pytest.mark.django_db(transaction=True)
def test_analyze_after_a_bulk_load_vacuums_on_postgresql_and_analyzes_on_sqlite() -> None:
    from aigaq.search.services import analyze

    analyze()  # autocommit, as after reindex or a benchmark build
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables "
                "WHERE relname = 'search_namekey'"
            )
        else:
            cursor.execute("SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0]


@pytest.mark.usefixtures("gazetteer")
def test_search_checks_its_candidates_against_the_filters_in_one_index(coordinator: Any) -> None:
    """The candidates' check (visibility, merged, place, status, birth years, ethnicity,
    grade) reads one index keyed by id that holds every column it needs, not the person rows
    (a random page each at 1,000,000 persons): the index exists on both engines, and SQLite,
    which without planner statistics would read the rows, is told to use it."""
    from aigaq.search.candidates import db_id as _db_id
    from aigaq.search.candidates import visible as _visible
    from aigaq.search.filters import apply_filters
    from aigaq.search.filters import live_persons as _live_persons

    ili = Place.objects.get(code="cn-xj-ili")
    kept = factories.person("Гүлнар Серікқызы", actor=coordinator)
    dropped = factories.person("Гүлнар Серікқызы", actor=coordinator)
    kept.hometown = Place.objects.filter(path__startswith=ili.path).exclude(pk=ili.pk).first()
    kept.birth_year = 1975
    kept.save()
    filters = {
        "place": ili.code,
        "born_from": 1970,
        "born_to": 1980,
        "ethnicity": kept.ethnicity,
        "grade": kept.evidence_grade,
    }
    base = apply_filters(_live_persons(coordinator), filters)
    ids = [_db_id(kept.pk), _db_id(dropped.pk)]
    assert _visible(base, ids) == {_db_id(kept.pk)}
    assert _visible(base.none(), ids) == set()
    assert _visible(_live_persons(coordinator), ids) == set(ids)
    captured = []
    with connection.execute_wrapper(
        lambda run, sql, *rest: captured.append(sql) or run(sql, *rest)
    ):
        _visible(base, ids)
    # The place filter is the place's and its sub-places' ids, not a join to the places by
    # path (which PostgreSQL ran once per sub-place: 13 times for a prefecture).
    assert "people_place" not in captured[-1], captured[-1]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'people_person_filter_cover'"
            )
            (definition,) = cursor.fetchone()
            assert (
                "(id, merged_into_id, visibility, hometown_id, birth_year, birth_year_max, "
                "current_status, ethnicity, evidence_grade)"
            ) in definition
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + captured[-1], [*_visible_params(base), *ids])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert "people_person USING COVERING INDEX people_person_filter_cover" in plan, plan


def _visible_params(base: Any) -> list[Any]:
    return list(base.order_by().values_list("pk", flat=True).query.sql_with_params()[1])


@pytest.mark.usefixtures("gazetteer")
def test_a_partial_name_with_a_place_filter_keeps_only_the_persons_of_that_place(
    coordinator: Any,
) -> None:
    """The substring candidates of a partial name are checked against the filters after the
    lookup (not joined to the filtered persons): the one from the place is found, the
    namesake from elsewhere is not."""
    ili = Place.objects.get(code="cn-xj-ili")
    inside = Place.objects.filter(path__startswith=ili.path).exclude(pk=ili.pk).first()
    outside = Place.objects.exclude(path__startswith=ili.path).filter(kind="county").first()
    kept = factories.person("Айгерім Серікқызы", actor=coordinator)
    other = factories.person("Айгерім Серікқызы", actor=coordinator)
    kept.hometown, other.hometown = inside, outside
    kept.save()
    other.save()
    unfiltered = {h.person for h in search_persons(user=coordinator, query="Серікқ")}
    assert {kept, other} <= unfiltered
    hits = search_persons(user=coordinator, query="Серікқ", filters={"place": ili.code})
    assert [h.person for h in hits] == [kept]


def test_key_counts_counts_every_key_in_one_statement_per_batch_and_caps_them(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hub check counts the persons under each key of the query (a Chinese name read at
    every cut has a hundred keys) in one statement per batch, each count capped."""
    from aigaq.search import candidates

    for _ in range(3):
        factories.person("Гүлнар Серікқызы", actor=coordinator)
    factories.person("Нұрлан Серікұлы", actor=coordinator)
    by_key: dict[str, int] = {}
    for key in NameKey.objects.values_list("key", flat=True):
        by_key[key] = by_key.get(key, 0) + 1
    common = max(by_key, key=lambda k: by_key[k])
    rare = min(by_key, key=lambda k: by_key[k])
    keys = [common, rare, "t:no-such-part"]
    monkeypatch.setattr(candidates, "_COUNT_BATCH", 2)
    captured: list[str] = []
    with connection.execute_wrapper(
        lambda run, sql, *rest: captured.append(sql) or run(sql, *rest)
    ):
        counts = candidates.KeyCounts(cap=2).of(keys)
    assert counts == {common: min(2, by_key[common]), rare: by_key[rare], "t:no-such-part": 0}
    assert by_key[common] > 2  # the cap was reached
    assert len(captured) == 2  # two batches: two keys, then one
    assert candidates.KeyCounts(cap=2).of([]) == {}
    # Counts made earlier in the same search are reused: only the new key is counted.
    search = candidates.KeyCounts(cap=2)
    assert search.of([common]) == {common: counts[common]}
    captured.clear()
    with connection.execute_wrapper(
        lambda run, sql, *rest: captured.append(sql) or run(sql, *rest)
    ):
        assert search.of([common, rare]) == {common: counts[common], rare: counts[rare]}
        assert search.of([rare]) == {rare: counts[rare]}
    assert len(captured) == 1


def _namesakes_around(place: Place, coordinator: Any, outside: int) -> tuple[Any, list[Any]]:
    """One Нұрлан Серікұлы whose hometown is inside ``place`` and ``outside`` namesakes whose
    hometown is a county elsewhere."""
    inside = Place.objects.filter(path__startswith=place.path).exclude(pk=place.pk).first()
    away = Place.objects.exclude(path__startswith=place.path).filter(kind="county").first()
    kept = factories.person("Нұрлан Серікұлы", actor=coordinator)
    kept.hometown = inside
    kept.save()
    others = []
    for _ in range(outside):
        other = factories.person("Нұрлан Серікұлы", actor=coordinator)
        other.hometown = away
        other.save()
        others.append(other)
    return kept, others


def _home_db_ids(place: Place) -> list[Any]:
    from aigaq.people.selectors import place_and_inside_ids

    pk = Place._meta.pk
    assert pk is not None
    return [pk.get_db_prep_value(p, connection) for p in place_and_inside_ids(place)]


@pytest.mark.usefixtures("gazetteer")
def test_a_small_place_is_searched_place_first(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a place filter on a place where few persons live, the key postings are read only
    for the persons of that place (from the (hometown, id) index): the one namesake living
    there is found however many live elsewhere and however small the caps on the postings
    read (which, read without the place, may stop before reaching it)."""
    from aigaq.search import candidates

    hami = Place.objects.get(code="cn-xj-hami")
    kept, _others = _namesakes_around(hami, coordinator, outside=12)
    monkeypatch.setattr(candidates, "_place_sizes", {})
    monkeypatch.setattr(candidates, "CANDIDATES", 2)
    monkeypatch.setattr(candidates, "FILTER_SCAN", 3)
    captured: list[str] = []
    with connection.execute_wrapper(
        lambda run, sql, *rest: captured.append(sql) or run(sql, *rest)
    ):
        hits = search_persons(
            user=coordinator, query="Nurlan Serikuly", filters={"place": "cn-xj-hami"}
        )
    assert [h.person for h in hits] == [kept]
    assert any("hometown_id IN" in sql and "search_namekey" in sql for sql in captured), captured

    # A place where more persons live than PLACE_FIRST: the candidates are checked by
    # primary key instead (the same person found with the usual caps).
    monkeypatch.undo()
    monkeypatch.setattr(candidates, "_place_sizes", {})
    monkeypatch.setattr(candidates, "PLACE_FIRST", 0)
    captured.clear()
    with connection.execute_wrapper(
        lambda run, sql, *rest: captured.append(sql) or run(sql, *rest)
    ):
        hits = search_persons(
            user=coordinator, query="Nurlan Serikuly", filters={"place": "cn-xj-hami"}
        )
    assert [h.person for h in hits] == [kept]
    assert not any("hometown_id IN" in sql and "search_namekey" in sql for sql in captured)


@pytest.mark.usefixtures("gazetteer")
def test_the_place_first_read_keeps_the_persons_of_the_place_and_is_bounded(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The place-first read returns the postings of the place's persons only (sub-places
    included), scans at most PLACE_SCAN postings, and the place's size is counted up to
    PLACE_FIRST + 1."""
    from aigaq.names import match_keys
    from aigaq.search import candidates
    from aigaq.search.candidates import db_id as _db_id

    hami = Place.objects.get(code="cn-xj-hami")
    kept, others = _namesakes_around(hami, coordinator, outside=3)
    homes = _home_db_ids(hami)
    keys = sorted(match_keys("Нұрлан Серікұлы"))
    rows = candidates.key_rows(keys, 1000, homes=homes)
    assert rows and {pid for pid, _key in rows} == {_db_id(kept.pk)}
    everyone = {pid for pid, _key in candidates.key_rows(keys, 1000)}
    assert everyone == {_db_id(p.pk) for p in [kept, *others]}
    monkeypatch.setattr(candidates, "PLACE_SCAN", 0)
    assert candidates.key_rows(keys, 1000, homes=homes) == []

    monkeypatch.setattr(candidates, "_place_sizes", {})
    assert candidates.small_place(homes)
    monkeypatch.setattr(candidates, "PLACE_FIRST", 0)
    assert not candidates.small_place(homes)  # one person lives there
    assert candidates.small_place(_home_db_ids(Place.objects.get(code="cn-xj-urumqi")))
    # The answer is remembered for PLACE_SIZE_TTL seconds: no count the second time.
    captured: list[str] = []
    with connection.execute_wrapper(
        lambda run, sql, *rest: captured.append(sql) or run(sql, *rest)
    ):
        assert not candidates.small_place(homes)
        assert captured == []
        monkeypatch.setattr(candidates, "PLACE_SIZE_TTL", 0.0)
        assert not candidates.small_place(homes)
        assert len(captured) == 1


def test_persons_of_a_place_are_read_from_the_hometown_and_id_index(db: Any) -> None:
    """The (hometown, id) index replaces the hometown foreign key's own index (which it
    serves as well), and SQLite, told to use it, reads a place's persons from it alone."""
    from aigaq.people.models import PERSON_HOME_INDEX, Person
    from aigaq.search.candidates import home_persons_sql as _home_persons_sql

    table = Person._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        by_columns = {tuple(c["columns"]): name for name, c in constraints.items() if c["index"]}
        assert by_columns.get(("hometown_id", "id")) == PERSON_HOME_INDEX
        assert ("hometown_id",) not in by_columns, by_columns
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + _home_persons_sql(2), ["a" * 32, "b" * 32])
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert f"USING COVERING INDEX {PERSON_HOME_INDEX}" in plan, plan
