"""Writes to the search index (derived data: no audit entries, rebuilt by ``aigaq reindex``).

``person_index_update`` runs after every person write (registered in
aigaq.people.hooks.PERSON_WRITTEN by SearchConfig.ready), inside the writing transaction.
``index_persons`` is the bulk path (reindex, demo data, imports): a few statements per batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, transaction

from aigaq.core.db.bulk import append_rows
from aigaq.names import KEYS_VERSION, bridge_keys, match_keys, to_comparison
from aigaq.people.models import Person, PersonName
from aigaq.search.models import IndexState, NameForm, NameKey

BATCH = 2000
#: Fresh bulk loads of at least this many persons into an empty index (reindex, benchmark)
#: on SQLite drop the secondary indexes and the substring trigger first and build them once
#: at the end: sorting 17 keys x N rows once is far cheaper than N random b-tree inserts.
BULK_REBUILD_FROM = 50_000
#: SQLite page cache during bulk indexing (KiB): random inserts into the key index miss the
#: default 2 MB cache on every row, and every miss is a page decryption under SQLCipher.
_BULK_CACHE_KIB = 262_144
_KEY_MAX = 80
_FORM_MAX = 300


@lru_cache(maxsize=1 << 18)
def _name_keys(name: str) -> frozenset[str]:
    """Match keys and bridge keys (for duplicate detection) of one name (cached: in a real
    database, as in the synthetic one, the same full names recur thousands of times, and
    match_keys costs ~0.2 ms per new name)."""
    keys = match_keys(name) | bridge_keys(name)
    return frozenset(k for k in keys if len(k) <= _KEY_MAX)


@lru_cache(maxsize=1 << 18)
def _name_form(name: str) -> str:
    return to_comparison(name)[:_FORM_MAX]


def keys_for_names(names: Iterable[str]) -> set[str]:
    """All match keys of a person's names (keys longer than the column are dropped)."""
    out: set[str] = set()
    for name in names:
        out.update(_name_keys(name))
    return out


def forms_for_names(names: Iterable[str]) -> list[str]:
    """Distinct comparison forms of a person's names, in the names' order."""
    seen: dict[str, None] = {}
    for name in names:
        form = _name_form(name)
        if form:
            seen.setdefault(form, None)
    return list(seen)


def person_index_update(person: Person) -> None:
    """Re-file one person under the keys of their current names (the PERSON_WRITTEN hook)."""
    index_persons([person.pk])


def persons_index_new(ids: list[Any], names: Mapping[Any, list[str]], workers: int = 1) -> None:
    """File persons just created in bulk under their keys (the PERSONS_CREATED hook): no old
    rows to delete, and the names the caller wrote, not read back."""
    index_persons(ids, fresh=True, workers=workers, names=names)


def _chunks(ids: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


Years = tuple[int | None, int | None]
_NO_YEARS: Years = (None, None)


def _rows_for(batch: list[tuple[Any, list[str], Years]]) -> tuple[list[Any], list[Any]]:
    """Index rows (person_id, key, year_lo, year_hi) and (person_id, form) of
    (person_id, names, years) triples."""
    key_rows: list[tuple[Any, str, int | None, int | None]] = []
    form_rows: list[tuple[Any, str]] = []
    for db_pid, person_names, (lo, hi) in batch:
        key_rows.extend((db_pid, k, lo, hi) for k in keys_for_names(person_names))
        form_rows.extend((db_pid, f) for f in forms_for_names(person_names))
    return key_rows, form_rows


def _years_of(chunk: list[Any]) -> dict[Any, Years]:
    """(year_lo, year_hi) of these persons by database id: the birth year and the latest
    possible one."""
    pk_field = Person._meta.pk
    assert pk_field is not None
    rows = Person.objects.filter(pk__in=chunk).values_list("pk", "birth_year", "birth_year_max")
    return {
        pk_field.get_db_prep_value(pk, connection): (lo, hi if hi is not None else lo)
        for pk, lo, hi in rows
    }


def _by_db_id(names: Mapping[Any, list[str]]) -> Iterator[tuple[Any, list[str]]]:
    pk_field = Person._meta.pk
    assert pk_field is not None
    for pid, ns in names.items():
        yield pk_field.get_db_prep_value(pid, connection), ns


def _names_batches(
    ids: list[Any], batch_size: int, known: Mapping[Any, list[str]] | None = None
) -> Iterator[tuple[list[Any], list[Any]]]:
    """(person ids, [(db person id, names, years)]) per batch: names from ``known`` (a bulk
    writer that has them at hand) or read in one query per batch; birth years in one query
    per batch."""
    for chunk in _chunks(ids, batch_size):
        years = _years_of(chunk)
        names: dict[Any, list[str]]
        if known is not None:
            names = {pid: known[pid] for pid in chunk}
        else:
            names = defaultdict(list)
            rows = (
                PersonName.objects.filter(person_id__in=chunk)
                .order_by("person_id", "position", "id")
                .values_list("person_id", "full_name")
            )
            for pid, full_name in rows:
                names[pid].append(full_name)
        yield (
            chunk,
            [(db_pid, ns, years.get(db_pid, _NO_YEARS)) for db_pid, ns in _by_db_id(names)],
        )


def index_persons(
    person_ids: Iterable[Any],
    *,
    batch_size: int = BATCH,
    fresh: bool = False,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    names: Mapping[Any, list[str]] | None = None,
) -> int:
    """(Re)build the index rows of these persons; returns how many persons were indexed.

    ``fresh=True`` skips deleting old rows (persons just created in bulk). Rows are written
    with ``executemany`` in batches; each batch is one transaction. ``workers > 1`` computes
    the keys (pure Python, the costly part) in that many forked processes while this one
    writes; used by ``aigaq reindex`` and the benchmark. ``names``: every person's full
    names, by person id, when the caller has just written them (saves reading them back)."""
    ids = list(person_ids)
    done = 0

    def write(chunk: list[Any], key_rows: list[Any], form_rows: list[Any]) -> None:
        nonlocal done
        # One transaction per batch in autocommit (reindex); inside a caller's transaction
        # (an import, a person write) no savepoint: FTS5 flushes its pending terms to a new
        # segment at every savepoint, which made each batch slower than the one before
        # (30,000 imported persons: 33 s of substring-index writes instead of 3 s).
        with transaction.atomic(savepoint=False):
            if not fresh:
                NameKey.objects.filter(person_id__in=chunk).delete()
                NameForm.objects.filter(person_id__in=chunk).delete()
            with connection.cursor() as cursor:
                append_rows(
                    cursor, "search_namekey", ("person_id", "key", "year_lo", "year_hi"), key_rows
                )
                append_rows(cursor, "search_nameform", ("person_id", "form"), form_rows)
        done += len(chunk)
        if progress is not None:
            progress(done)

    with _bulk_mode(fresh and len(ids) >= BULK_REBUILD_FROM):
        if workers <= 1 or len(ids) <= batch_size:
            for chunk, pairs in _names_batches(ids, batch_size, names):
                write(chunk, *_rows_for(pairs))
            return done
        import multiprocessing

        batches = list(_names_batches(ids, batch_size, names))  # read first: workers never touch DB
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.imap(_rows_for, [pairs for _chunk, pairs in batches])
            for (chunk, _pairs), (key_rows, form_rows) in zip(batches, results, strict=True):
                write(chunk, key_rows, form_rows)
        return done


@contextmanager
def _bulk_mode(rebuild: bool) -> Iterator[None]:
    """SQLite: a large page cache while indexing; with ``rebuild`` and an empty index, the
    secondary indexes of search_namekey and the FTS insert trigger are dropped first and
    rebuilt at the end (also when indexing fails, so the schema is always whole).
    PostgreSQL: with ``rebuild`` and an empty index, the same for the secondary indexes of
    both tables (the key index and the trigram GIN index)."""
    if connection.vendor == "postgresql":
        with _pg_bulk_mode(rebuild):
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
        saved: list[str] = []
        if rebuild:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM search_namekey)")
            has_keys = cursor.fetchone()[0]
            cursor.execute("SELECT EXISTS (SELECT 1 FROM search_nameform)")
            rebuild = not has_keys and not cursor.fetchone()[0]
        if rebuild:
            cursor.execute(
                "SELECT name, type, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
                "(type = 'index' AND tbl_name = 'search_namekey') OR "
                "(type = 'trigger' AND name = 'search_nameform_ai'))"
            )
            for name, kind, sql in cursor.fetchall():
                cursor.execute(f'DROP {kind.upper()} "{name}"')
                saved.append(sql)
    try:
        with _recreated(saved, _sqlite_create):
            yield
    finally:
        # A pragma, outside the transaction's fate (Django would refuse it in a failed one).
        connection.connection.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def _recreated(saved: list[str], create: Callable[[list[str]], None]) -> Iterator[None]:
    """Run the body, then recreate the dropped schema objects (``saved``: their SQL).

    On failure inside a transaction its rollback brings them back (DDL is transactional on
    both engines, and a failed transaction can run nothing more); in autocommit they are
    recreated, so the schema is always whole."""
    outer = connection.in_atomic_block
    try:
        yield
    except BaseException:
        if saved and not outer:
            create(saved)
        raise
    if saved:
        create(saved)


def _sqlite_create(statements: list[str]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        cursor.execute("INSERT INTO search_nameform_fts(search_nameform_fts) VALUES ('rebuild')")


@contextmanager
def _pg_bulk_mode(rebuild: bool) -> Iterator[None]:
    saved: list[str] = []
    with connection.cursor() as cursor:
        if rebuild:
            cursor.execute(
                "SELECT NOT EXISTS (SELECT 1 FROM search_namekey) "
                "AND NOT EXISTS (SELECT 1 FROM search_nameform)"
            )
            rebuild = bool(cursor.fetchone()[0])
        if rebuild:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i "
                "JOIN pg_class c ON c.relname = i.indexname "
                "JOIN pg_index x ON x.indexrelid = c.oid "
                "WHERE i.schemaname = current_schema() "
                "AND i.tablename IN ('search_namekey', 'search_nameform') "
                "AND NOT x.indisprimary AND NOT x.indisunique"
            )
            for name, sql in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                saved.append(sql)
    with _recreated(saved, _pg_create):
        yield


def _pg_create(statements: list[str]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Index builds sort in memory: give them room (this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # Django's foreign keys are checked at commit; an index cannot be built over rows
        # with checks pending, so run them now (and defer again afterwards, as declared).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reindex_all(*, workers: int = 1, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from PersonName (``aigaq reindex``), and record that it now
    holds the keys of the installed names library."""
    with transaction.atomic():
        NameKey.objects.all().delete()
        NameForm.objects.all().delete()
    ids = list(Person.objects.order_by("entry_no").values_list("pk", flat=True))
    count = index_persons(ids, fresh=True, workers=workers, progress=progress)
    analyze()
    index_mark_current()
    return count


_VERSION = "names_version"


def index_is_current(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the index was built with the installed names library's keys (an index of
    no persons is current whatever it says)."""
    stamps = IndexState.objects.using(using).filter(name=_VERSION)
    stamp = stamps.values_list("value", flat=True).first()
    return stamp == str(KEYS_VERSION) or not Person.objects.using(using).exists()


def index_mark_current() -> None:
    """Record that the index holds the installed names library's keys."""
    IndexState.objects.update_or_create(name=_VERSION, defaults={"value": str(KEYS_VERSION)})


def analyze() -> None:
    """Refresh the query planner's statistics (after bulk loads). Without them SQLite may
    answer "these 40 persons, if visible" by walking an index over every person."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
        elif connection.vendor == "postgresql":
            # VACUUM also sets the visibility map, without which the key lookups (meant to
            # be index-only scans) read the table's pages for every row: at 1,000,000
            # persons a freshly loaded index answered in 200-600 ms instead of 1-5 ms.
            # VACUUM cannot run in a transaction; there, ANALYZE alone (autovacuum follows).
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in (
                "search_namekey",
                "search_nameform",
                "people_person",
                "people_personname",
            ):
                cursor.execute(f"{command} {table}")
