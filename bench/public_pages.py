"""Public pages benchmark: the entries list, a filtered list, a search and an entry page over
N public entries (default 100,000; env BENCH_PEOPLE), through the public server's URLs with
Django's test client (no network).

    BENCH_PEOPLE=100000 .venv/bin/python bench/public_pages.py
    BENCH_PEOPLE=100000 .venv/bin/python bench/public_pages.py --postgres

Builds the persons with bench/search_bench.py's generator and bulk path (names, search
index, county-level hometowns of Xinjiang), marks them public (no testimony: public from
published sources), spreads statuses, evidence grades and detention years over them, then
times each page BENCH_ROUNDS times (default 20) and prints median and p95 in milliseconds,
with the number of queries each page ran. No assertions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search_bench  # noqa: E402


def _prepare(n: int) -> None:
    """Public, statuses, grades and a detention event for every third person."""
    from django.db import connection, transaction

    from aigaq.core.db.bulk import append_rows
    from aigaq.people.models import Person, StatusEvent

    table = Person._meta.db_table
    if StatusEvent.objects.exists() and not Person.objects.exclude(visibility="public").exists():
        return  # a database kept with BENCH_DIR, prepared by an earlier run (one transaction)
    statuses = ["camp", "prison", "detained", "released", "lost_contact"]
    grades = ["reported", "partly_verified", "corroborated", "documented"]
    with transaction.atomic(), connection.cursor() as c:
        c.execute(f"UPDATE {table} SET visibility = 'public'")  # noqa: S608
        for i, s in enumerate(statuses):
            c.execute(
                f"UPDATE {table} SET current_status = %s WHERE entry_no % 5 = %s",  # noqa: S608
                [s, i],
            )
        for i, g in enumerate(grades):
            c.execute(
                f"UPDATE {table} SET evidence_grade = %s WHERE entry_no % 4 = %s",  # noqa: S608
                [g, i],
            )
    if StatusEvent.objects.exists():
        return
    e_table, cols, tpl, pos = search_bench._raw_inserter(
        StatusEvent, ["id", "person_id", "kind", "date_text", "date_start"]
    )
    rng = random.Random(7)
    pk = Person._meta.pk
    assert pk is not None
    rows = []
    import datetime as dt
    import uuid

    for pid, no in Person.objects.values_list("pk", "entry_no").iterator(chunk_size=5000):
        if no % 3:
            continue
        year = 2016 + rng.randrange(6)
        row = list(tpl)
        values = (
            pk.get_db_prep_value(uuid.uuid4(), connection),
            pk.get_db_prep_value(pid, connection),
            "camp",
            str(year),
            dt.date(year, 1, 1),
        )
        for idx, v in zip(pos, values, strict=True):
            row[idx] = v
        rows.append(row)
    with transaction.atomic(), connection.cursor() as c:
        append_rows(c, e_table, cols, rows)
    from aigaq.search.services import analyze

    analyze()


def _time(client: Any, url: str, rounds: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    status = 0
    queries = 0
    for i in range(rounds):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            r = client.get(url)
            if hasattr(r, "streaming_content"):
                b"".join(r.streaming_content)
            times.append((time.perf_counter() - t0) * 1000)
        status = r.status_code
        if i == 0:
            queries = len(ctx.captured_queries)
    times = times[1:] or times  # the first fills the caches of options and totals
    return statistics.median(times), search_bench._percentile(times, 95), status, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    n = int(os.environ.get("BENCH_PEOPLE", "100000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "20"))
    os.environ.setdefault("BENCH_PEOPLE", str(n))
    dbname = search_bench._setup(args.postgres)
    try:
        from django.conf import settings
        from django.test import Client
        from django.test.utils import override_settings

        from aigaq.people.models import Person

        t0 = time.perf_counter()
        if not Person.objects.exists():
            search_bench._populate(n, 42, int(os.environ.get("BENCH_WORKERS", "2")))
        towns, _parents = search_bench._assign_hometowns(n)
        _prepare(n)
        print(f"data ready: {n:,} public entries in {time.perf_counter() - t0:.1f} s")
        name = Person.objects.order_by("entry_no").values_list("primary_name", flat=True)[n // 2]
        middle = n // 2
        county = towns[0]
        pages = [
            ("list, first page", "/en/entries/"),
            ("list, deep page (keyset)", f"/en/entries/?before={middle}"),
            ("list, status filter", "/en/entries/?status=camp"),
            ("list, county filter", f"/en/entries/?place={county.code}"),
            ("list, county + year detained", f"/en/entries/?place={county.code}&detained=2018"),
            ("search, name", f"/kk/entries/?q={name}"),
            ("search, name + status", f"/kk/entries/?q={name}&status=camp"),
            ("entry page", f"/en/entries/{middle}/"),
            ("home", "/en/"),
        ]
        with override_settings(
            ROOT_URLCONF=settings.PUBLIC_URLCONF,
            MIDDLEWARE=settings.PUBLIC_MIDDLEWARE,
            DEBUG=False,
            ALLOWED_HOSTS=["*"],
        ):
            client = Client()
            print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} status")
            for label, url in pages:
                med, p95, status, queries = _time(client, url, rounds)
                print(f"{label:34} {med:10.1f} {p95:8.1f} {queries:8d} {status}")
        print(search_bench._load())
    finally:
        search_bench._drop(dbname)


if __name__ == "__main__":
    main()
