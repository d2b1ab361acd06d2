"""JSON API under load: `aigaq serve --production` (gunicorn, DEBUG off) on loopback over
PostgreSQL with N persons (default 1,000,000; env BENCH_PEOPLE), called with API tokens.

    .venv/bin/python bench/api_load.py
    BENCH_PEOPLE=10000 BENCH_SECONDS=20 .venv/bin/python bench/api_load.py
    BENCH_KEEP=1 .venv/bin/python bench/api_load.py     # keep the database; the next run reuses it

The database is DATABASE_URL (default postgres://postgres@127.0.0.1:5432/bench_api), made
for the bench and dropped at the end; with BENCH_KEEP=1 it is kept, and a later run that
finds it seeded with the same BENCH_PEOPLE skips the seeding.

Seeding (timed): BENCH_WORKERS processes (default 2) each generate a block of persons with
aigaq.demo.namegen (names in Cyrillic, Latin, Chinese characters and Arabic script, a
county-level hometown of the gazetteer, a status with its timeline event, visibility mostly
internal, some public, 5% restricted; every 20th person a testimony by a relative, every
50th a relative among the entries), compute their search index rows (the same
keys_for_names / forms_for_names as aigaq.search.services.index_persons) and COPY it all
into PostgreSQL with the foreign-key triggers off (session_replication_role, the data is
made consistent) and the secondary indexes dropped, which are then built once; VACUUM
ANALYZE as autovacuum would leave a database that has been running.

Then an interviewer (sees public and internal entries, not restricted ones) gets one
internal:read token per client (`aigaq api token create`: the per-token rate limit,
AIGAQ_API_RATE, stays on as configured), and:
(a) BENCH_CLIENTS (default 50) clients for BENCH_SECONDS (default 60), each waiting 0.5 to
    1.5 s between calls, mixing persons list pages (keyset, some with a status filter), an
    entry, and searches by a name in Kazakh Cyrillic, Latin, Chinese characters and Arabic
    script: prints requests, errors (a status other than 2xx, or a failed connection; a 404
    for an entry the interviewer may not see is expected and counted apart), median and p95
    per kind and overall, and the CPU time the clients used.
(b) Saturation with `wrk` (Debian's; scripts/bench.sh installs it) at 50 connections, no
    wait, BENCH_WRK_SECONDS (default 20) each on an entry and on a search, the tokens taken
    in turn: requests/s and latency, with wrk's CPU time.
Load average before and after. Traffic only to 127.0.0.1, bounded in time. No assertions.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402
import search_bench  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_api"
CHUNK = 10_000
SEED = 22
#: The tables written in bulk: their secondary indexes are dropped during the load.
BULK_TABLES = (
    "people_person",
    "people_personname",
    "people_statusevent",
    "people_personrelation",
    "testimonies_testifier",
    "testimonies_testimony",
    "testimonies_testimonyperson",
    "search_namekey",
    "search_nameform",
)
SCRIPTS = {"Cyrl": "cyrillic", "Latn": "latin", "Hani": "han", "Arab": "arabic"}
STATUSES = ["camp", "prison", "detained", "released", "lost_contact", "camp", "camp", ""]
GRADES = ["reported", "partly_verified", "corroborated", "documented"]
RELATIONSHIPS = ["mother", "father", "son", "daughter", "brother", "sister", "wife", "husband"]


# --- the database ---------------------------------------------------------------------


def _database(n: int, keep: bool) -> tuple[str, str, bool]:
    """(admin url, bench database name, whether it already holds N persons)."""
    import psycopg

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    base, name = url.rsplit("/", 1)
    admin = base + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        seeded = False
        if exists and keep:
            with psycopg.connect(url) as db:
                table = db.execute("SELECT to_regclass('people_person')").fetchone()
                if table and table[0]:
                    row = db.execute("SELECT count(*), max(entry_no) FROM people_person").fetchone()
                    seeded = row is not None and row[0] == n and row[1] == n
        if exists and not seeded:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    os.environ["DATABASE_URL"] = url
    return admin, name, seeded


def _drop(admin: str, name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- seeding --------------------------------------------------------------------------


def _inserters() -> dict[str, tuple[str, list[str], list[Any], list[int]]]:
    from aigaq.people.models import Person, PersonName, PersonRelation, StatusEvent
    from aigaq.testimonies.models import Testifier, Testimony, TestimonyPerson

    return {
        "person": search_bench._raw_inserter(
            Person,
            [
                "id",
                "entry_no",
                "primary_name",
                "ethnicity",
                "gender",
                "birth_year",
                "hometown_id",
                "current_status",
                "evidence_grade",
                "visibility",
                "first_detained_year",
            ],
        ),
        "name": search_bench._raw_inserter(
            PersonName, ["person_id", "full_name", "script", "lang", "kind", "position"]
        ),
        "event": search_bench._raw_inserter(
            StatusEvent,
            ["id", "person_id", "kind", "date_text", "date_start", "place_id", "testimony_id"],
        ),
        "relation": search_bench._raw_inserter(
            PersonRelation, ["id", "person_id", "relative_id", "relationship"]
        ),
        "testifier": search_bench._raw_inserter(Testifier, ["id", "full_name", "gender"]),
        "testimony": search_bench._raw_inserter(
            Testimony, ["id", "number", "testifier_id", "recorded_on", "summary", "place_id"]
        ),
        "link": search_bench._raw_inserter(
            TestimonyPerson, ["id", "testimony_id", "person_id", "relationship"]
        ),
    }


def _row(inserter: tuple[str, list[str], list[Any], list[int]], *values: Any) -> list[Any]:
    row = list(inserter[2])
    for idx, value in zip(inserter[3], values, strict=True):
        row[idx] = value
    return row


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _seed_chunk(job: tuple[int, int, list[Any]]) -> int:
    """Generate and write the persons of block `chunk` (entries chunk*CHUNK+1...), with
    their names, timeline, testimonies and search index rows. Runs in a worker process,
    on its own database connection, in one transaction."""
    chunk, n, towns = job
    from django.db import connection, transaction

    from aigaq.core.db.bulk import append_rows
    from aigaq.demo.namegen import generate_person
    from aigaq.search.services import forms_for_names, keys_for_names

    ins = _inserters()
    rng = random.Random(SEED * 1_000_003 + chunk)
    rows: dict[str, list[list[Any]]] = {k: [] for k in ins}
    keys: list[tuple[Any, str, int | None, int | None]] = []
    forms: list[tuple[Any, str]] = []
    previous: Any = None
    first = chunk * CHUNK + 1
    for no in range(first, min(n, first + CHUNK - 1) + 1):
        g = generate_person(rng)
        pid = _uuid(rng)
        year = search_bench._birth_year(rng)
        status = rng.choice(STATUSES)
        town = towns[(no * 7919) % len(towns)]
        visibility = rng.choices(["internal", "public", "restricted"], [80, 15, 5])[0]
        detained = 2016 + rng.randrange(6) if status else None
        rows["person"].append(
            _row(
                ins["person"],
                pid,
                no,
                g.names[0].full_name,
                g.ethnicity,
                "male" if g.gender == "m" else "female",
                year,
                town,
                status,
                rng.choice(GRADES),
                visibility,
                detained if status in ("camp", "prison", "detained") else None,
            )
        )
        full_names = [form.full_name for form in g.names]
        for pos, form in enumerate(g.names):
            rows["name"].append(
                _row(
                    ins["name"],
                    pid,
                    form.full_name,
                    SCRIPTS.get(form.script, "other"),
                    form.lang,
                    form.kind,
                    pos,
                )
            )
        keys.extend((pid, k, year, year) for k in keys_for_names(full_names))
        forms.extend((pid, f) for f in forms_for_names(full_names))
        testimony = None
        if no % 20 == 0:
            relative = generate_person(rng)
            testifier, testimony = _uuid(rng), _uuid(rng)
            relationship = rng.choice(RELATIONSHIPS)
            rows["testifier"].append(
                _row(ins["testifier"], testifier, relative.names[0].full_name, "female")
            )
            rows["testimony"].append(
                _row(
                    ins["testimony"],
                    testimony,
                    no // 20,
                    testifier,
                    date(2019 + rng.randrange(6), 1 + rng.randrange(12), 1 + rng.randrange(28)),
                    "Synthetic testimony for the API benchmark.",
                    town,
                )
            )
            rows["link"].append(_row(ins["link"], _uuid(rng), testimony, pid, relationship))
        if status and detained:
            rows["event"].append(
                _row(
                    ins["event"],
                    _uuid(rng),
                    pid,
                    status,
                    str(detained),
                    date(detained, 1, 1),
                    town,
                    testimony,
                )
            )
        if no % 50 == 0 and previous is not None:
            rows["relation"].append(_row(ins["relation"], _uuid(rng), pid, previous, "brother"))
        previous = pid
    with transaction.atomic(), connection.cursor() as cursor:
        # The rows are made consistent here: no foreign-key trigger per row (superuser only).
        cursor.execute("SET LOCAL session_replication_role = replica")
        for kind, table_rows in rows.items():
            table, columns, _tpl, _pos = ins[kind]
            append_rows(cursor, table, columns, table_rows)
        append_rows(cursor, "search_namekey", ("person_id", "key", "year_lo", "year_hi"), keys)
        append_rows(cursor, "search_nameform", ("person_id", "form"), forms)
    connection.close()
    return len(rows["person"])


def _seed(n: int, workers: int) -> None:
    import multiprocessing

    from django.db import connection, connections, transaction

    from aigaq.core.sequences import sequence_raise_to
    from aigaq.people.gazetteer import gazetteer_load
    from aigaq.people.models import Place
    from aigaq.people.services import ENTRY_SEQUENCE
    from aigaq.search.services import index_mark_current
    from aigaq.testimonies.models import NUMBER_SEQUENCE

    t0 = time.perf_counter()
    gazetteer_load()
    towns = list(
        Place.objects.filter(
            kind__in=[Place.Kind.COUNTY, Place.Kind.CITY], path__startswith="/cn/cn-xj/"
        )
        .order_by("code")
        .values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT x.indisprimary AND NOT x.indisunique",
            [list(BULK_TABLES)],
        )
        dropped = cursor.fetchall()
        for name, _sql in dropped:
            cursor.execute(f'DROP INDEX "{name}"')
    connections.close_all()  # the workers are forked: each opens its own connection
    jobs = [(c, n, towns) for c in range((n + CHUNK - 1) // CHUNK)]
    done = 0
    t1 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for count in pool.imap_unordered(_seed_chunk, jobs):
            done += count
            if done % 100_000 < CHUNK:
                rate = done / (time.perf_counter() - t1)
                print(f"  {done:,} persons written ({rate:,.0f}/s)", file=sys.stderr)
    t2 = time.perf_counter()
    print(
        f"seed: {n:,} persons with names, timeline, testimonies and index rows written in "
        f"{t2 - t1:.1f} s ({n / (t2 - t1):,.0f} persons/s, {workers} processes)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, sql in dropped:
            cursor.execute(sql)
    sequence_raise_to(ENTRY_SEQUENCE, n)
    sequence_raise_to(NUMBER_SEQUENCE, n // 20)
    index_mark_current()
    t3 = time.perf_counter()
    print(f"seed: {len(dropped)} secondary indexes built in {t3 - t2:.1f} s")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    t4 = time.perf_counter()
    print(f"seed: VACUUM (ANALYZE) {t4 - t3:.1f} s; seeding in all {t4 - t0:.1f} s")


# --- the requests ---------------------------------------------------------------------


def _tokens(count: int) -> list[str]:
    from django.core.management import call_command

    from aigaq.core.models import User

    user, _created = User.objects.get_or_create(
        username="bench-api", defaults={"role": "interviewer"}
    )
    tokens = []
    for i in range(count):
        out = StringIO()
        call_command(
            "api",
            "token",
            "create",
            "--user",
            user.username,
            "--scope",
            "internal:read",
            "--expires",
            "1",
            "--name",
            f"bench client {i}",
            "--json",
            stdout=out,
            stderr=StringIO(),
        )
        tokens.append(json.loads(out.getvalue())["token"])
    return tokens


def _queries(n: int) -> dict[str, list[str]]:
    """Names to search for, by script: forms of random visible entries as recorded."""
    from aigaq.people.models import PersonName

    rng = random.Random(5)
    sample = [rng.randrange(1, n + 1) for _ in range(min(n, 2000))]
    rows = PersonName.objects.filter(
        person__entry_no__in=sample, person__visibility__in=["public", "internal"]
    ).values_list("full_name", "script", "lang")
    by_kind: dict[str, list[str]] = {"kk-cyrillic": [], "latin": [], "chinese": [], "arabic": []}
    for full_name, script, lang in rows:
        if script == "cyrillic" and lang == "kk":
            by_kind["kk-cyrillic"].append(full_name)
        elif script == "latin":
            by_kind["latin"].append(full_name)
        elif script == "han":
            by_kind["chinese"].append(full_name)
        elif script == "arabic":
            by_kind["arabic"].append(full_name)
    return {k: v[:200] for k, v in by_kind.items()}


def _visible_entry(n: int) -> int:
    """An entry near the middle that the interviewer may see (for the saturation run)."""
    from aigaq.people.models import Person

    found = (
        Person.objects.filter(entry_no__gte=n // 2, visibility="internal")
        .order_by("entry_no")
        .values_list("entry_no", flat=True)
        .first()
    )
    return int(found or 1)


def main() -> None:
    n = int(os.environ.get("BENCH_PEOPLE", "1000000"))
    clients = int(os.environ.get("BENCH_CLIENTS", "50"))
    seconds = float(os.environ.get("BENCH_SECONDS", "60"))
    wrk_seconds = int(os.environ.get("BENCH_WRK_SECONDS", "20"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    keep = os.environ.get("BENCH_KEEP", "") == "1"
    print(f"before: {_uptime()}")
    tmp = tempfile.mkdtemp(prefix="aigaq-api-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ["XDG_CONFIG_HOME"] = os.path.join(tmp, "cfg")
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", "be" * 32)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("AIGAQ_DEBUG", None)
    admin, name, seeded = _database(n, keep)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        if seeded:
            print(f"seed: database {name} already holds {n:,} persons (BENCH_KEEP=1): reused")
        else:
            _seed(n, workers)
        tokens = _tokens(clients)
        queries = _queries(n)
        entry = _visible_entry(n)
        connections.close_all()
        _measure(n, clients, seconds, wrk_seconds, tokens, queries, entry)
    finally:
        if not keep:
            _drop(admin, name)
        print(f"after: {_uptime()}")


def _uptime() -> str:
    try:
        env = {k: v for k, v in os.environ.items() if k != "TZ"}  # Django sets the office's
        return subprocess.run(
            ["uptime"], capture_output=True, text=True, check=False, env=env
        ).stdout.strip()
    except OSError:
        return _common.load_average()


def _measure(
    n: int,
    clients: int,
    seconds: float,
    wrk_seconds: int,
    tokens: list[str],
    queries: dict[str, list[str]],
    entry_no: int,
) -> None:
    port = _common.free_port()
    env = {**os.environ, "AIGAQ_ALLOWED_HOSTS": "127.0.0.1"}
    t0 = time.perf_counter()
    server = _common.start_server(
        ["serve", "--production", "--bind", f"127.0.0.1:{port}"], env, port
    )
    print(f"server: aigaq serve --production up in {time.perf_counter() - t0:.1f} s")
    auth = [f"Bearer {t}" for t in tokens]

    def next_request(rng: random.Random, client: int) -> _common.Request:
        headers = {"Authorization": auth[client % len(auth)]}
        roll = rng.random()
        if roll < 0.25:
            params: dict[str, Any] = {"after": rng.randrange(0, n), "limit": 50}
            if rng.random() < 0.3:
                params["status"] = "camp"
            return "persons list page", f"/api/v1/persons?{urlencode(params)}", headers
        if roll < 0.6:
            return "entry", f"/api/v1/persons/{rng.randrange(1, n + 1)}", headers
        kind = rng.choice(list(queries))
        q = rng.choice(queries[kind])
        return f"search, {kind}", f"/api/v1/search/persons?q={quote(q)}", headers

    def ok(kind: str, status: int) -> bool:
        # An entry the interviewer may not see (restricted) answers 404, as it should.
        return 200 <= status < 300 or (kind == "entry" and status == 404)

    try:
        warm = _common.paced_clients(port, next_request, 4, 3)  # each process's first requests
        del warm
        served0 = _common.tree_cpu_seconds(server.pid)
        pg0 = _common.postgres_cpu_seconds()
        tallies, cpu = _common.paced_clients(port, next_request, clients, seconds, ok)
        served = _common.tree_cpu_seconds(server.pid) - served0
        pg1 = _common.postgres_cpu_seconds()
        total = tallies.get("all", _common.Tally())
        count = max(1, len(total.times))
        print(
            f"(a) {clients} clients for {seconds:.0f} s, each waiting 0.5-1.5 s between calls, "
            f"over {n:,} persons: {len(total.times)} requests "
            f"({len(total.times) / seconds:.1f}/s), {sum(total.errors.values())} errors; "
            f"the clients used {cpu:.1f} s of CPU ({cpu / seconds * 100:.0f}% of one core), "
            f"the server {served:.1f} s ({served / count * 1000:.1f} ms a request), "
            + (
                f"PostgreSQL {pg1 - pg0:.1f} s ({(pg1 - pg0) / count * 1000:.1f} ms a request)"
                if pg0 is not None and pg1 is not None
                else "PostgreSQL's own not readable"
            )
        )
        for kind in sorted(k for k in tallies if k != "all"):
            print(tallies[kind].line(kind))
        print(total.line("all"))
        print(f"    {_common.load_average()}")
        entry = f"/api/v1/persons/{entry_no}"
        name = queries["kk-cyrillic"][0]
        search = f"/api/v1/search/persons?q={quote(name)}"
        print(
            "(b) "
            + _common.saturation(port, f"entry {entry}", entry, wrk_seconds, "Authorization", auth)
        )
        print(
            "(b) "
            + _common.saturation(
                port, f"search q={name}", search, wrk_seconds, "Authorization", auth
            )
        )
        print(f"    {_common.load_average()}")
    finally:
        _common.stop_server(server)


if __name__ == "__main__":
    main()
