"""Public statistics and map pages at scale: N public entries (default 100,000; env
BENCH_PEOPLE), each with a status, ethnicity, gender, a birth year (some a range, some
unknown), a county-level hometown of the gazetteer and, for most, a dated detention event,
written with aigaq.core.db.bulk in a temporary SQLCipher database. Then times the statistics
and map pages (unfiltered and filtered) through Django's test client, each uncached (the
counts computed: the first request after a write) and cached (the same page again, counts
from the cache keyed on the data's change counter), and prints the figures.

    BENCH_PEOPLE=100000 .venv/bin/python bench/public_stats.py

No assertions: the figures are printed.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    n = int(os.environ.get("BENCH_PEOPLE", "100000"))
    tmp = tempfile.mkdtemp(prefix="aigaq-public-stats-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client, override_settings

    from aigaq.core.changes import _bump
    from aigaq.core.db.bulk import bulk_insert
    from aigaq.core.models import Visibility
    from aigaq.demo.namegen import generate_person
    from aigaq.people.gazetteer import gazetteer_load
    from aigaq.people.models import Person, Place, StatusEvent

    call_command("migrate", verbosity=0)
    gazetteer_load()
    towns = list(
        Place.objects.filter(
            kind__in=["county", "city", "district"], path__startswith="/cn/cn-xj/"
        ).values_list("pk", flat=True)
    )
    rng = random.Random(20)
    statuses = ["camp", "prison", "detained", "released", "lost_contact", "died", ""]
    ethnicities = ["kazakh"] * 6 + ["uyghur"] * 3 + ["kyrgyz", "hui", "unknown"]
    t0 = time.perf_counter()
    batch = 10000
    for start in range(0, n, batch):
        persons, events = [], []
        for i in range(start, min(n, start + batch)):
            g = generate_person(rng)
            pid = uuid.UUID(int=rng.getrandbits(128), version=4)
            born = None if rng.random() < 0.15 else 1940 + rng.randrange(63)
            persons.append(
                {
                    "id": pid,
                    "entry_no": i + 1,
                    "visibility": Visibility.PUBLIC,
                    "primary_name": g.names[0].full_name,
                    "gender": "male" if g.gender == "m" else "female",
                    "ethnicity": rng.choice(ethnicities),
                    "birth_year": born,
                    "birth_year_max": born + 5 if born and rng.random() < 0.1 else None,
                    "hometown_id": rng.choice(towns) if rng.random() < 0.9 else None,
                    "current_status": rng.choice(statuses),
                }
            )
            if rng.random() < 0.8:
                day = date(2016 + rng.randrange(6), 1 + rng.randrange(12), 1)
                persons[-1]["first_detained_year"] = day.year
                events.append(
                    {
                        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "person_id": pid,
                        "kind": rng.choice(["detained", "camp", "prison"]),
                        "date_text": day.isoformat()[:7],
                        "date_start": day,
                        "date_end": day,
                    }
                )
        with transaction.atomic():
            bulk_insert(Person, persons)
            bulk_insert(StatusEvent, events)
    print(f"{n:,} public entries written: {time.perf_counter() - t0:.1f} s")

    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF,
        MIDDLEWARE=settings.PUBLIC_MIDDLEWARE,
        ALLOWED_HOSTS=["testserver"],
    ):
        client = Client()
        pages = (
            ("/en/statistics/", {}),
            ("/en/statistics/", {"ethnicity": "kazakh", "detained": "2018"}),
            ("/en/statistics/", {"place": "cn-xj-ili"}),
            ("/en/map/", {}),
            ("/en/map/", {"status": "camp"}),
        )

        def timed(path: str, query: dict[str, str]) -> tuple[float, int]:
            t = time.perf_counter()
            r = client.get(path, query)
            elapsed = time.perf_counter() - t
            assert r.status_code == 200, r.status_code
            return elapsed, len(r.content)

        # Uncached: the counts computed on each request (the cache emptied before each),
        # then cached: the same page again with no write in between (counts from the cache).
        for path, query in pages:
            cold, warm = [], []
            for _ in range(3):
                cache.clear()
                cold.append(timed(path, query)[0])
                warm.append(timed(path, query)[0])
            size = timed(path, query)[1]
            print(
                f"{path} {query or ''}: uncached median {statistics.median(cold) * 1000:.0f} ms, "
                f"cached median {statistics.median(warm) * 1000:.1f} ms (of 3; {size // 1024} KB)"
            )
        # After a write (the change counter moved): the first request counts again.
        _bump()
        print(f"/en/statistics/ after a write: {timed('/en/statistics/', {})[0] * 1000:.0f} ms")
        print(f"/en/statistics/ again: {timed('/en/statistics/', {})[0] * 1000:.1f} ms")
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
