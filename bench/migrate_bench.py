"""`aigaq migrate-to` at scale: N persons (default 100,000; env BENCH_PEOPLE), each with two or
three names, most with a status event, filed in the search index, written in bulk
(aigaq.core.db.bulk, as bench/public_stats.py) into a temporary SQLCipher instance, with M small
media files (default 1,000; env BENCH_MEDIA) ingested and sealed through the real service. Then
moved with `aigaq migrate-to` into a new PostgreSQL database (dropped at the end; the server
from BENCH_PG, default postgres://postgres@127.0.0.1:5432), media folder and key file included,
and the time of each phase printed.

    BENCH_PEOPLE=100000 BENCH_MEDIA=1000 .venv/bin/python bench/migrate_bench.py

No assertions beyond the move's own comparison: the figures are printed.
"""

from __future__ import annotations

import io
import os
import random
import shutil
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
    m = int(os.environ.get("BENCH_MEDIA", "1000"))
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    tmp = tempfile.mkdtemp(prefix="aigaq-migrate-bench-")
    os.environ["AIGAQ_DATA_DIR"] = os.path.join(tmp, "laptop")
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ["AIGAQ_DB_KEY"] = uuid.uuid4().hex + uuid.uuid4().hex
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("AIGAQ_DB_KEY_FILE", None)
    Path(os.environ["AIGAQ_DATA_DIR"]).mkdir(parents=True)
    import django

    django.setup()
    import psycopg
    from django.core.management import call_command
    from django.db import transaction

    from aigaq.core.db.bulk import bulk_insert
    from aigaq.core.models import Visibility
    from aigaq.core.sequences import sequence_raise_to
    from aigaq.demo.namegen import generate_person
    from aigaq.media.models import MediaFile
    from aigaq.media.services import media_ingest
    from aigaq.people.gazetteer import gazetteer_load
    from aigaq.people.models import Person, PersonName, Place, StatusEvent
    from aigaq.people.services import ENTRY_SEQUENCE
    from aigaq.search.services import persons_index_new
    from aigaq.transfer import migrate_to as move

    call_command("migrate", verbosity=0)
    gazetteer_load()
    towns = list(Place.objects.filter(kind__in=["county", "city"]).values_list("pk", flat=True))
    rng = random.Random(22)
    t0 = time.perf_counter()
    batch = 10000
    for start in range(0, n, batch):
        persons, names, events, index = [], [], [], {}
        for i in range(start, min(n, start + batch)):
            g = generate_person(rng)
            pid = uuid.UUID(int=rng.getrandbits(128), version=4)
            forms = [nm.full_name for nm in g.names[:3]]
            persons.append(
                {
                    "id": pid,
                    "entry_no": i + 1,
                    "visibility": rng.choice([Visibility.INTERNAL, Visibility.PUBLIC]),
                    "primary_name": forms[0],
                    "gender": "male" if g.gender == "m" else "female",
                    "ethnicity": "kazakh",
                    "birth_year": 1940 + rng.randrange(63),
                    "hometown_id": rng.choice(towns) if towns else None,
                    "current_status": "camp",
                }
            )
            for position, form in enumerate(forms):
                names.append({"person_id": pid, "full_name": form, "position": position})
            index[pid] = forms
            if rng.random() < 0.8:
                day = date(2016 + rng.randrange(6), 1 + rng.randrange(12), 1)
                events.append(
                    {
                        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "person_id": pid,
                        "kind": "camp",
                        "date_text": day.isoformat()[:7],
                        "date_start": day,
                        "date_end": day,
                    }
                )
        with transaction.atomic():
            bulk_insert(Person, persons)
            bulk_insert(PersonName, names)
            bulk_insert(StatusEvent, events)
            persons_index_new(list(index), index)
    sequence_raise_to(ENTRY_SEQUENCE, n)
    written = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(m):
        media_ingest(
            actor=None,
            fileobj=io.BytesIO(rng.randbytes(2048 + rng.randrange(6144))),
            original_name=f"scan-{i}.bin",
            kind=MediaFile.Kind.OTHER,
        )
    ingested = time.perf_counter() - t0
    laptop_db = Path(os.environ["AIGAQ_DATA_DIR"]) / "aigaq.db"
    print(
        f"laptop instance: {n:,} persons written and indexed in {written:.1f} s, {m:,} media "
        f"files sealed in {ingested:.1f} s; database {laptop_db.stat().st_size / 2**20:.0f} MiB"
    )

    dbname = f"w_migrate_bench_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE {dbname} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    marks: list[tuple[float, str]] = []
    start = time.perf_counter()

    def log(line: str) -> None:
        marks.append((time.perf_counter() - start, line))

    try:
        outcome = move.migrate_to(
            f"{server}/{dbname}",
            media_to=Path(tmp) / "server" / "media",
            media_key_file=Path(tmp) / "server-credentials" / "db_key",
            log=log,
        )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)")
        shutil.rmtree(tmp, ignore_errors=True)
    for at, line in marks:
        print(f"  {at:7.1f} s  {line}")
    rows = sum(t["target"]["rows"] for t in outcome.comparison.tables)
    print(
        f"migrate-to: {outcome.seconds:.1f} s in all, {rows:,} rows in "
        f"{len(outcome.comparison.tables)} tables, {outcome.media_copied:,} media files copied; "
        f"comparison {'EQUAL' if outcome.comparison.ok else 'DIFFERENT: '}"
        + ", ".join(outcome.comparison.differences)
    )
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
