"""Search benchmark: variant-spelling queries against N synthetic persons.

    BENCH_PEOPLE=100000 .venv/bin/python bench/search_bench.py            # SQLCipher
    BENCH_PEOPLE=100000 .venv/bin/python bench/search_bench.py --postgres # PostgreSQL
    BENCH_PEOPLE=300000 BENCH_DIR=/tmp/search-300k .venv/bin/python bench/search_bench.py

Creates N persons (default 1,000,000; env BENCH_PEOPLE scales it down) with the synthetic
generator (aigaq.demo.namegen), each with a birth year (15% unknown), in a temporary
database (COPY on PostgreSQL), indexes them through the search index's bulk path
(BENCH_WORKERS processes, default 2), then runs BENCH_QUERIES (default 1,000)
variant-spelling queries (namegen.variant_query: other Latin spellings, dropped
patronymics, other scripts, pinyin of the Chinese form, partial names...). With BENCH_DIR the
database is kept (SQLCipher: in that folder; PostgreSQL: a database named after N, never
dropped) and reused by the next run with the same N.

Prints median/p95/p99 latency and recall@10 (the intended person in the top 10), for all
queries, for the full-name variants (the headline: a spelling of the person's whole name)
and for partial names (a given name alone, a name and an initial: hundreds of persons
answer those equally), and per query kind. Beside the strict recall: twin-aware (the
intended person or one whose name forms are exactly the same strings) and namesake-aware
(or one generated with the same name: ethnicity, sex, given and father's name, the
surname for Hui names, which hold no father's name), with the
share of intended persons that have such namesakes - no name search can rank one of 30
equal names into a top 10. Then the same queries with the person's birth year as the
born_from/born_to filters (what a curator adds from the testimony), then with the prefecture
of the person's hometown as the place filter (every person gets a county-level hometown of
the gazetteer by entry number), and the naive approach (case-insensitive substring over
ASCII-folded names, a full scan; on BENCH_NAIVE_QUERIES, default 200, of the same queries)
with the ratios. Every block shows the load average
(shared machine). No assertions.
--postgres uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(postgres: bool) -> str | None:
    keep = os.environ.get("BENCH_DIR", "").strip()
    if keep:
        # A database kept across runs: same folder, same key (a bench key, not a secret).
        tmp = keep
        os.makedirs(tmp, exist_ok=True)
        os.environ["AIGAQ_DB_KEY"] = "be" * 32
    else:
        tmp = tempfile.mkdtemp(prefix="aigaq-search-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ["_BENCH_KEEP"] = "1" if keep else ""
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    dbname = None
    if postgres:
        import psycopg

        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        if keep:
            # Kept across runs (never dropped): one database per size.
            dbname = f"aigaq_search_bench_keep_{int(os.environ.get('BENCH_PEOPLE', '1000000'))}"
        else:
            dbname = f"aigaq_search_bench_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [dbname]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{dbname}"')
        os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + dbname
        os.environ["_BENCH_PG_BASE"] = base
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return dbname


def _drop(dbname: str | None) -> None:
    if not dbname or os.environ.get("_BENCH_KEEP"):
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(os.environ["_BENCH_PG_BASE"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def naive_fold(text: str) -> str:
    """What a plain system does: accents off, case folded (no transliteration)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _raw_inserter(model: Any, vary: list[str]) -> tuple[str, list[str], list[Any], list[int]]:
    """Table and concrete columns of ``model``, the values of a fresh instance (defaults),
    and the positions of the ``vary`` columns (set per row)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    obj = model()
    template = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields]
    names = [f.attname for f in fields]
    columns = [f.column for f in fields]
    return model._meta.db_table, columns, template, [names.index(v) for v in vary]


def _birth_year(rng: random.Random) -> int | None:
    """A birth year as the group's records have it: most known, 1940-2002, some missing."""
    if rng.random() < 0.15:
        return None
    return 1940 + int(rng.random() * 63)


def _regenerate(n: int, seed: int) -> tuple[list[Any], list[Any], list[int | None]]:
    """The persons, ids and birth years of an already built database (the generator is
    deterministic, and _populate draws from the same random stream in the same order)."""
    from aigaq.demo.namegen import generate_person

    rng = random.Random(seed)
    people: list[Any] = []
    ids: list[Any] = []
    years: list[int | None] = []
    for _i in range(n):
        people.append(generate_person(rng))
        ids.append(uuid.UUID(int=rng.getrandbits(128), version=4))
        years.append(_birth_year(rng))
    return people, ids, years


def _populate(n: int, seed: int, workers: int) -> tuple[list[Any], list[Any], list[int | None]]:
    """N persons with their names and birth years, written in batches through
    aigaq.core.db.bulk.append_rows (COPY on PostgreSQL; Django's bulk_create costs more than
    the database here), then indexed through aigaq.search's bulk path."""
    from django.db import connection, transaction

    from aigaq.core.db.bulk import append_rows
    from aigaq.demo.namegen import generate_person
    from aigaq.people.models import Person, PersonName
    from aigaq.search.services import index_persons

    rng = random.Random(seed)
    p_table, p_cols, person_tpl, (i_id, i_no, i_name, i_eth, i_sex, i_year) = _raw_inserter(
        Person, ["id", "entry_no", "primary_name", "ethnicity", "gender", "birth_year"]
    )
    n_table, n_cols, name_tpl, name_pos = _raw_inserter(
        PersonName, ["person_id", "full_name", "script", "lang", "kind", "position"]
    )
    pk = Person._meta.pk
    assert pk is not None
    people: list[Any] = []
    ids: list[Any] = []
    years: list[int | None] = []
    batch = 10000
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        person_rows, name_rows = [], []
        for i in range(start, min(n, start + batch)):
            g = generate_person(rng)
            pid = uuid.UUID(int=rng.getrandbits(128), version=4)
            year = _birth_year(rng)
            db_pid = pk.get_db_prep_value(pid, connection)
            row = list(person_tpl)
            row[i_id], row[i_no], row[i_name], row[i_eth], row[i_sex], row[i_year] = (
                db_pid,
                i + 1,
                g.names[0].full_name,
                g.ethnicity,
                "male" if g.gender == "m" else "female",
                year,
            )
            person_rows.append(row)
            for pos, form in enumerate(g.names):
                nrow = list(name_tpl)
                for idx, value in zip(
                    name_pos,
                    (db_pid, form.full_name, form.script, form.lang, form.kind, pos),
                    strict=True,
                ):
                    nrow[idx] = value
                name_rows.append(nrow)
            people.append(g)
            ids.append(pid)
            years.append(year)
        with transaction.atomic(), connection.cursor() as cursor:
            append_rows(cursor, p_table, p_cols, person_rows)
            append_rows(cursor, n_table, n_cols, name_rows)
        if (start // batch) % 10 == 0:
            print(f"  created {start + len(person_rows):,} persons", file=sys.stderr)
    t1 = time.perf_counter()
    print(f"insert persons+names: {t1 - t0:.1f} s ({n / (t1 - t0):,.0f} persons/s)")

    def progress(done: int) -> None:
        if done % 100000 < 5000:
            print(f"  indexed {done:,}", file=sys.stderr)

    index_persons(ids, fresh=True, batch_size=5000, workers=workers, progress=progress)
    t2 = time.perf_counter()
    print(
        f"index (keys + substring, {workers} workers): {t2 - t1:.1f} s "
        f"({n / (t2 - t1):,.0f} persons/s)"
    )
    return people, ids, years


#: Hometowns are spread over the county-level places by entry number with this stride.
_TOWN_STRIDE = 7919


def _assign_hometowns(n: int) -> tuple[list[Any], list[str]]:
    """Every person a hometown: a county-level place of Xinjiang from the gazetteer, chosen
    by entry number (deterministic, so a database kept with BENCH_DIR is filled once, with
    one UPDATE). Returns the towns in order and, per person index, the code of the town's
    parent (the prefecture a curator filters by: the place and everything inside it)."""
    from django.db import connection, transaction

    from aigaq.people.gazetteer import gazetteer_load
    from aigaq.people.models import Person, Place

    if not Place.objects.filter(code__startswith="cn-xj-").exists():
        gazetteer_load()
    towns = [
        p
        for p in Place.objects.filter(
            kind__in=[Place.Kind.COUNTY, Place.Kind.CITY], path__startswith="/cn/cn-xj/"
        )
        .select_related("parent")
        .order_by("code")
        if p.path.count("/") == 5  # /cn/cn-xj/<prefecture>/<county>/
    ]
    t0 = time.perf_counter()
    if Person.objects.filter(hometown__isnull=True).exists():
        pk = Place._meta.pk
        assert pk is not None
        kind = "uuid" if connection.vendor == "postgresql" else "char(32)"
        with transaction.atomic(), connection.cursor() as c:
            c.execute(f"CREATE TEMPORARY TABLE bench_towns (idx integer PRIMARY KEY, place {kind})")
            c.executemany(
                "INSERT INTO bench_towns VALUES (%s, %s)",
                [(k, pk.get_db_prep_value(t.pk, connection)) for k, t in enumerate(towns)],
            )
            table, k = Person._meta.db_table, len(towns)
            c.execute(
                f"UPDATE {table} SET hometown_id = (SELECT place FROM bench_towns WHERE "  # noqa: S608
                # (entry_no * stride) mod k, without overflowing PostgreSQL's integer
                f"idx = (({table}.entry_no % {k}) * {_TOWN_STRIDE % k}) % {k}) "
                "WHERE hometown_id IS NULL"
            )
            c.execute("DROP TABLE bench_towns")
        # Every person row was rewritten: fresh statistics, and on PostgreSQL a VACUUM, or
        # the checks read dead row versions and the heap instead of the index.
        from aigaq.search.services import analyze

        analyze()
        print(f"hometowns set ({len(towns)} county-level places): {time.perf_counter() - t0:.1f} s")
    parents = [t.parent.code for t in towns]
    return towns, [parents[((i + 1) * _TOWN_STRIDE) % len(towns)] for i in range(n)]


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true", help="run against PostgreSQL")
    args = parser.parse_args()
    n = int(os.environ.get("BENCH_PEOPLE", "1000000"))
    nq = int(os.environ.get("BENCH_QUERIES", "1000"))
    n_naive = int(os.environ.get("BENCH_NAIVE_QUERIES", "200"))
    dbname = _setup(args.postgres)
    try:
        _run(n, nq, n_naive, args.postgres)
    finally:
        _drop(dbname)


def _name_identity(person: Any) -> tuple[Any, ...]:
    """What the generated name is made of: a Hui name (surname and given name, 马宝忠) holds
    no father's name, so Hui persons with the same surname and given name are namesakes
    whoever their fathers were."""
    father = None if person.ethnicity == "hui" else person.father
    return (person.ethnicity, person.gender, person.given, father, person.surname)


class _Tally:
    """Latency and recall of one search approach over a list of queries."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.strict: list[bool] = []
        self.twin: list[bool] = []
        self.namesake: list[bool] = []
        self.bound: list[float] = []

    def add(
        self,
        ms: float,
        strict: bool,
        twin: bool,
        namesake: bool = False,
        bound: float | None = None,
    ) -> None:
        self.times.append(ms)
        self.strict.append(strict)
        self.twin.append(twin)
        self.namesake.append(namesake or twin)
        if bound is not None:
            self.bound.append(bound)

    def line(self) -> str:
        t, k = self.times, len(self.times)
        return (
            f"n={k:4d}  median {statistics.median(t):6.1f}  p95 {_percentile(t, 95):6.1f}  "
            f"p99 {_percentile(t, 99):6.1f} ms  recall@10 {sum(self.strict) / k:.3f}  "
            f"twin-aware {sum(self.twin) / k:.3f}  namesake-aware {sum(self.namesake) / k:.3f}"
            + (f"  ceiling {sum(self.bound) / k:.3f}" if len(self.bound) == k else "")
        )


#: Query kinds that name only part of the person (a given name alone, a name and the first
#: letters of the father's): hundreds of persons answer them equally, so recall@10 of one
#: intended person is not what they measure. Reported apart from the full-name variants.
PARTIAL_KINDS = frozenset({"partial", "given_only", "russian_given"})


def _run(n: int, nq: int, n_naive: int, postgres: bool) -> None:
    from django.db import connection, transaction

    from aigaq.core.models import User
    from aigaq.demo.namegen import variant_query
    from aigaq.search.models import NameForm, NameKey
    from aigaq.search.selectors import search_persons
    from aigaq.search.services import analyze

    print(f"search benchmark on {connection.vendor}, {n:,} persons, {nq:,} queries; {_load()}")
    seed = 20180101
    # The marker names the data version and the names library's keys: a database built by
    # an older generator or names library is rebuilt.
    from aigaq.names import KEYS_VERSION

    marker = (
        Path(os.environ["AIGAQ_DATA_DIR"])
        / f"bench-built-v2-k{KEYS_VERSION}-{connection.vendor}-{n}"
    )
    if marker.exists():
        people, ids, years = _regenerate(n, seed)
        print(f"reusing the database built earlier in {marker.parent}")
    else:
        people, ids, years = _populate(
            n, seed=seed, workers=int(os.environ.get("BENCH_WORKERS", "2"))
        )
        t = time.perf_counter()
        analyze()
        print(f"ANALYZE / PRAGMA optimize: {time.perf_counter() - t:.1f} s; {_load()}")
        if os.environ.get("BENCH_DIR"):
            marker.write_text(f"{n}\n")
    print(f"index rows: {NameKey.objects.count():,} keys, {NameForm.objects.count():,} forms")
    if not postgres:
        with connection.cursor() as c:
            c.execute("PRAGMA page_count")
            pages = int(c.fetchone()[0])
            c.execute("PRAGMA page_size")
            size = int(c.fetchone()[0])
        print(f"database file: {pages * size / 1e6:,.0f} MB")
    else:
        with connection.cursor() as c:
            c.execute("SELECT pg_database_size(current_database())")
            print(f"database size: {int(c.fetchone()[0]) / 1e6:,.0f} MB")
    user, _created = User.objects.get_or_create(username="bench", defaults={"role": "coordinator"})
    _towns, prefecture_of = _assign_hometowns(n)

    # Twins: persons whose name forms are exactly the intended person's (same strings). No
    # search by name can tell them apart, so a twin in the top 10 counts as found in the
    # "twin-aware" recall; the strict recall wants the intended person itself.
    by_forms: dict[frozenset[str], list[int]] = {}
    for idx, person in enumerate(people):
        by_forms.setdefault(frozenset(nf.full_name for nf in person.names), []).append(idx)

    # Namesakes: persons generated with the same ethnicity, gender, given and father's name
    # (and surname): the same name, recorded with another subset of its forms. A search may
    # rank them equal to the intended person; their share shows the ceiling of strict recall.
    by_name: dict[tuple[Any, ...], list[int]] = {}
    for idx, person in enumerate(people):
        by_name.setdefault(_name_identity(person), []).append(idx)

    def namesakes_of(i: int) -> set[str]:
        return {ids[j].hex for j in by_name[_name_identity(people[i])]}

    def twins_of(i: int) -> set[str]:
        group = by_forms[frozenset(nf.full_name for nf in people[i].names)]
        return {ids[j].hex for j in group}

    rng = random.Random(7)
    sample = rng.sample(range(n), min(nq, n))
    queries = []
    for i in sample:
        q, kind = variant_query(rng, people[i])
        queries.append((q, kind, i))

    def twin_group(i: int) -> int:
        return len(by_forms[frozenset(nf.full_name for nf in people[i].names)])

    # The harness holds every generated person (millions of objects, which no server
    # holds): frozen out of the garbage collector, or each full collection, about a second
    # at 1,000,000 persons, lands on whichever query triggers it and shows as a search
    # taking 1-2 s.
    gc.collect()
    gc.freeze()

    # Warm-up (caches of the names library, database pages).
    for q, _kind, _i in queries[:20]:
        search_persons(user=user, query=q, limit=10)

    def bound_of(i: int, admits: Any) -> float:
        """The best recall@10 any search by name can expect for person i: variant_query makes
        the query from the name alone (ethnicity, sex, given and father's name; never from
        the person's own record, apart from avoiding its stored spellings), so the intended
        person and its namesakes that pass the filters are interchangeable to such a search,
        and a top 10 holds the intended one of g of them with probability min(1, 10/g)."""
        group = by_name[_name_identity(people[i])]
        g = sum(1 for j in group if admits(j)) if admits else len(group)
        return min(1.0, 10 / max(1, g))

    def measure(
        filters_of: Any = None,
        admits_of: Any = None,
    ) -> tuple[
        _Tally,
        _Tally,
        _Tally,
        dict[str, _Tally],
        list[tuple[float, str, str]],
        list[tuple[str, str, list[str]]],
    ]:
        overall, full, partial = _Tally(), _Tally(), _Tally()
        per_kind: dict[str, _Tally] = {}
        # Full-name queries that found neither the person nor a namesake: what the names
        # library misses (printed with BENCH_MISSES=N, the first N).
        misses: list[tuple[str, str, list[str]]] = []
        slow: list[tuple[float, str, str]] = []
        for q, kind, i in queries:
            filters = filters_of(i) if filters_of else None
            if filters_of and filters is None:
                continue
            t = time.perf_counter()
            hits = search_persons(user=user, query=q, filters=filters, limit=10)
            ms = (time.perf_counter() - t) * 1000
            got = {h.person.pk.hex for h in hits}
            strict = ids[i].hex in got
            twin = bool(got & twins_of(i))
            namesake = bool(got & namesakes_of(i))
            # The ceiling is that of full names only (a partial name has many more equal
            # answers than the namesakes).
            is_partial = kind in PARTIAL_KINDS
            bound = None if is_partial else bound_of(i, admits_of(i) if admits_of else None)
            overall.add(ms, strict, twin, namesake)
            (partial if is_partial else full).add(ms, strict, twin, namesake, bound)
            per_kind.setdefault(kind, _Tally()).add(ms, strict, twin, namesake, bound)
            slow.append((ms, q, kind))
            if not namesake and not is_partial:
                misses.append((q, kind, [nf.full_name for nf in people[i].names]))
        return overall, full, partial, per_kind, slow, misses

    overall, full, partial, per_kind, slow, misses = measure()
    print(f"aigaq.search ({_load()}):")
    print(f"  all queries              {overall.line()}")
    print(f"  full-name variants       {full.line()}")
    print(f"  partial names            {partial.line()}")
    for kind, tally in sorted(per_kind.items(), key=lambda kv: -len(kv[1].times)):
        print(f"    {kind:<22} {tally.line()}")
    sizes = [twin_group(i) for i in sample]
    print(
        f"  twins: {sum(x > 1 for x in sizes) / len(sizes):.1%} of the intended persons have at "
        f"least one other person with exactly the same name forms (median group "
        f"{statistics.median(sizes):.0f}, p90 {_percentile(sorted(sizes), 90):.0f}); a name "
        "search cannot tell them apart, so 'twin-aware' counts any of them in the top 10 as "
        "found, 'recall@10' only the intended person"
    )
    sizes = sorted(len(by_name[_name_identity(people[i])]) for i in sample)
    over10 = sum(x > 10 for x in sizes) / len(sizes)
    print(
        f"  namesakes: {sum(x > 1 for x in sizes) / len(sizes):.1%} of the intended persons "
        f"share ethnicity, sex, given and father's name with others (median group "
        f"{statistics.median(sizes):.0f}, p90 {_percentile(sizes, 90):.0f}; {over10:.1%} in a "
        "group of more than 10, where a name alone cannot put the intended one in the top 10); "
        "'namesake-aware' counts any of them in the top 10 (their recorded forms may differ); "
        "'ceiling' is the best recall@10 any search by name can expect on these queries, "
        "mean(min(1, 10/g)) over the g namesakes that pass the filters (full-name variants "
        "only)"
    )
    slow.sort(key=lambda t: -t[0])
    print("  slowest: " + "; ".join(f"{t:.0f} ms {q!r} ({k})" for t, q, k in slow[:8]))
    for q, kind, forms in misses[: int(os.environ.get("BENCH_MISSES", "0"))]:
        print(f"  missed ({kind}): {q!r} for {' | '.join(forms)}")

    # What a curator does with a name that has namesakes: add the birth year the testimony
    # gives, as the list filters born_from/born_to (two years either side).
    def year_filter(i: int) -> dict[str, int] | None:
        year = years[i]
        return None if year is None else {"born_from": year - 2, "born_to": year + 2}

    def filtered_pass(title: str, filters_of: Any, admits_of: Any) -> None:
        f_overall, f_full, f_partial, _pk, f_slow, _misses = measure(filters_of, admits_of)
        print(f"{title} ({_load()}):")
        print(f"  all queries              {f_overall.line()}")
        print(f"  full-name variants       {f_full.line()}")
        print(f"  partial names            {f_partial.line()}")
        f_slow.sort(key=lambda t: -t[0])
        print("  slowest: " + "; ".join(f"{t:.0f} ms {q!r} ({k})" for t, q, k in f_slow[:5]))

    def born_near(i: int) -> Any:
        year = years[i]
        assert year is not None
        return lambda j: (other := years[j]) is not None and abs(other - year) <= 2

    filtered_pass(
        "with the birth year as a filter (+-2 years; persons with a known year)",
        year_filter,
        born_near,
    )

    # The other filter a curator reaches for: the place, here the prefecture of the person's
    # hometown (the place and everything inside it; 11 prefectures, each holding 1.4-17% of
    # the persons). The index does not hold places: the candidates are checked
    # against the person table.
    def place_filter(i: int) -> dict[str, str]:
        return {"place": prefecture_of[i]}

    def same_prefecture(i: int) -> Any:
        return lambda j: prefecture_of[j] == prefecture_of[i]

    filtered_pass(
        "with the hometown's prefecture as the place filter", place_filter, same_prefecture
    )

    # The naive approach: a folded copy of every name and a LIKE '%query%' full scan.
    from aigaq.people.models import PersonName

    t0 = time.perf_counter()
    want = PersonName.objects.count()
    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_naive_names (person_id TEXT, folded TEXT)")
        c.execute("SELECT COUNT(*) FROM bench_naive_names")
        have = int(c.fetchone()[0])
    if have != want:
        # A kept database whose naive table is missing or was left half-filled by a killed
        # run: fill it again in one transaction, so it is either whole or empty.
        with transaction.atomic(), connection.cursor() as c:
            c.execute("DELETE FROM bench_naive_names")
            rows = []
            for pid, name in PersonName.objects.values_list("person_id", "full_name").iterator(
                chunk_size=20000
            ):
                rows.append((pid.hex, naive_fold(name)))
                if len(rows) >= 20000:
                    c.executemany("INSERT INTO bench_naive_names VALUES (%s, %s)", rows)
                    rows = []
            if rows:
                c.executemany("INSERT INTO bench_naive_names VALUES (%s, %s)", rows)
    print(f"naive table ({want:,} names) ready in {time.perf_counter() - t0:.1f} s")
    naive = _Tally()
    subset = queries[:n_naive]
    like = "LIKE" if connection.vendor == "sqlite" else "ILIKE"
    sql = f"SELECT DISTINCT person_id FROM bench_naive_names WHERE folded {like} %s LIMIT 10"  # noqa: S608
    for q, _kind, i in subset:
        t = time.perf_counter()
        with connection.cursor() as c:
            c.execute(sql, ["%" + naive_fold(q).replace("%", "").replace("_", "") + "%"])
            got = {r[0] for r in c.fetchall()}
        ms = (time.perf_counter() - t) * 1000
        naive.add(ms, ids[i].hex in got, bool(got & twins_of(i)), bool(got & namesakes_of(i)))
    ours = _Tally()
    for (ms, strict, twin, namesake), _q in zip(
        zip(overall.times, overall.strict, overall.twin, overall.namesake, strict=True),
        subset,
        strict=False,
    ):
        ours.add(ms, strict, twin, namesake)
    print(f"naive substring over ASCII-folded names, same first {len(subset)} queries ({_load()}):")
    print(f"  naive                    {naive.line()}")
    print(f"  aigaq.search             {ours.line()}")
    med_r = statistics.median(naive.times) / statistics.median(ours.times)
    p95_r = _percentile(naive.times, 95) / _percentile(ours.times, 95)
    rec = sum(ours.strict) / max(1, sum(naive.strict))
    rec_t = sum(ours.namesake) / max(1, sum(naive.namesake))
    print(
        f"ratios naive/aigaq: median time x{med_r:.2f}, p95 time x{p95_r:.2f}; aigaq finds "
        f"x{rec:.1f} as many intended persons (x{rec_t:.1f} namesake-aware)"
    )


if __name__ == "__main__":
    main()
