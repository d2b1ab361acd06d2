"""Duplicate-detection benchmark: N synthetic persons with planted cross-script duplicates.

    BENCH_PEOPLE=100000 .venv/bin/python bench/dedup_bench.py

Creates N persons (default 1,000,000; env BENCH_PEOPLE) with aigaq.demo.namegen in a
SQLCipher database (BENCH_DIR, or a temporary folder; a database already built there is
reused, so the build is paid once: the key is fixed for bench databases), with birth years, genders and hometowns; BENCH_DUP_RATE (default 0.05) of
them are entered a second time with *other* name forms of the same generated person (e.g.
Cyrillic + Latin on one entry, Chinese + Russian on the other), the same gender, and the same
birth year (10% one year off, 10% missing). Match keys are written to search.NameKey (setup,
BENCH_WORKERS processes, default 2, not timed). Then candidate generation (aigaq.dedup.scan.find_candidates) runs in a
fresh process, which prints its wall time and peak RSS. Prints pairs found, recall of the
planted duplicates and precision (planted pairs among pairs found; the other pairs found are
mostly different generated persons with the same full name and birth year, which a curator
would also want to see). No assertions.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from multiprocessing import Pool
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _env(tmp: str) -> None:
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    # A fixed key (synthetic data only) so that BENCH_DIR can reopen a database built earlier,
    # whatever key the caller set (scripts/bench.sh sets a random one for every run).
    if os.environ.get("BENCH_DIR"):
        os.environ["AIGAQ_DB_KEY"] = "be" * 32
    else:
        os.environ.setdefault("AIGAQ_DB_KEY", "be" * 32)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)


def _keys(batch: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """The search index's keys (aigaq.search.services.keys_for_names, as index_persons
    computes them) of one chunk of persons; runs in a worker process."""
    from aigaq.search.services import keys_for_names

    return [(pid, k) for pid, names in batch for k in keys_for_names(names)]


CHUNK = 20_000


def _populate(n: int, dup_rate: float, seed: int) -> tuple[set[tuple[str, str]], int]:
    """N persons written in chunks with raw executemany (aigaq.core.db.bulk.bulk_insert), their match keys computed on BENCH_WORKERS processes while this one writes.
    The NameKey indexes are dropped during the build and created once at the end (a sort,
    much cheaper than millions of random index inserts); the schema ends up as migrated."""
    from django.db import connection, transaction

    from aigaq.core.db.bulk import bulk_insert
    from aigaq.demo.namegen import generate_person
    from aigaq.people.models import Person, PersonName, Place

    rng = random.Random(seed)
    places = [
        Place.objects.create(code=f"bench-{i}", kind="county", name=f"County {i}", path=f"/b{i}/")
        for i in range(40)
    ]
    planted: set[tuple[str, str]] = set()
    persons: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    index_rows: list[tuple[str, list[str]]] = []
    entry = 0
    total = 0

    def add(forms: list[Any], gender: str, year: int | None, place: Place) -> str:
        nonlocal entry
        entry += 1
        pid = uuid.uuid4()
        persons.append(
            {
                "id": pid,
                "entry_no": entry,
                "gender": "male" if gender == "m" else "female",
                "birth_year": year,
                "hometown_id": place.pk,
                "primary_name": forms[0].full_name,
            }
        )
        for pos, f in enumerate(forms):
            names.append(
                {
                    "person_id": pid,
                    "full_name": f.full_name,
                    "script": f.script,
                    "lang": f.lang,
                    "position": pos,
                }
            )
        index_rows.append((pid.hex, [f.full_name for f in forms]))
        return str(pid.hex)

    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'search_namekey' AND sql IS NOT NULL"
        )
        key_indexes = cur.fetchall()
        for name, _sql in key_indexes:
            cur.execute(f'DROP INDEX "{name}"')
    originals = int(n / (1 + dup_rate))
    key_seconds = 0.0
    with Pool(workers) as pool:
        pending: list[Any] = []

        def flush() -> None:
            nonlocal total
            with transaction.atomic():
                bulk_insert(Person, persons)
                bulk_insert(PersonName, names)
            total += len(persons)
            chunk = list(index_rows)
            pending.append(
                pool.map_async(_keys, [chunk[i : i + 2000] for i in range(0, len(chunk), 2000)])
            )
            persons.clear()
            names.clear()
            index_rows.clear()

        def drain(keep: int) -> None:
            nonlocal key_seconds
            while len(pending) > keep:
                t = time.perf_counter()
                parts = pending.pop(0).get()
                with transaction.atomic(), connection.cursor() as cur:
                    for rows in parts:
                        cur.executemany(
                            "INSERT INTO search_namekey (person_id, key) VALUES (%s, %s)", rows
                        )
                key_seconds += time.perf_counter() - t

        for _ in range(originals):
            g = generate_person(rng)
            year = rng.randint(1940, 2002)
            place = places[rng.randrange(len(places))]
            if entry < n - 1 and rng.random() < dup_rate and len(g.names) >= 2:
                forms = list(g.names)
                rng.shuffle(forms)
                k = max(1, len(forms) // 2)
                a = add(forms[:k], g.gender, year, place)
                r = rng.random()
                year2 = None if r < 0.1 else (year + rng.choice((-1, 1)) if r < 0.2 else year)
                b = add(forms[k:], g.gender, year2, place)
                planted.add((a, b) if a < b else (b, a))
            else:
                add(list(g.names), g.gender, year, place)
            if len(persons) >= CHUNK:
                flush()
                drain(keep=2)
                print(f"setup: {total} persons ({time.perf_counter() - t0:.0f} s)", flush=True)
        if persons:
            flush()
        drain(keep=0)
    print(f"setup: {total} persons and their match keys in {time.perf_counter() - t0:.0f} s")
    t1 = time.perf_counter()
    with connection.cursor() as cur:
        for _name, sql in key_indexes:
            cur.execute(sql)
        cur.execute("ANALYZE")
    print(f"setup: NameKey indexes built in {time.perf_counter() - t1:.0f} s")
    return planted, total


def scan_child() -> None:
    """Runs in a fresh process: candidate generation only, with its own peak RSS."""
    import django

    django.setup()
    from aigaq.dedup import scan

    t0 = time.perf_counter()
    found, stats = scan.find_candidates(min_score=float(os.environ.get("BENCH_MIN_SCORE", "0.8")))
    wall = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "wall_s": wall,
        "peak_rss_mb": rss_mb,
        "stats": dict(stats.__dict__),
        "pairs": [[f.a.hex, f.b.hex] for f in found],
    }
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps(out))


def main() -> None:
    n = int(os.environ.get("BENCH_PEOPLE", "1000000"))
    dup_rate = float(os.environ.get("BENCH_DUP_RATE", "0.05"))
    # BENCH_DIR reuses a database built by an earlier run (with the fixed bench key).
    tmp = os.environ.get("BENCH_DIR") or tempfile.mkdtemp(prefix="aigaq-dedup-bench-")
    os.makedirs(tmp, exist_ok=True)
    reuse = Path(tmp, "planted.json").exists()
    _env(tmp)
    import django

    django.setup()
    from django.core.management import call_command

    from aigaq.names import KEYS_VERSION

    if reuse:
        saved = json.loads(Path(tmp, "planted.json").read_text())
        if saved.get("keys_version") != KEYS_VERSION:
            sys.exit(
                f"{tmp} holds match keys of another version of aigaq.names "
                f"({saved.get('keys_version')}, now {KEYS_VERSION}): remove it or choose "
                "another BENCH_DIR."
            )
        planted, total = {tuple(p) for p in saved["planted"]}, saved["total"]
    else:
        print(f"database in {tmp} (key {os.environ['AIGAQ_DB_KEY']}; reuse with BENCH_DIR)")
        call_command("migrate", verbosity=0)
        planted, total = _populate(n, dup_rate, seed=7)
        Path(tmp, "planted.json").write_text(
            json.dumps({"planted": sorted(planted), "total": total, "keys_version": KEYS_VERSION})
        )
    from django.db import connection

    connection.close()
    out = os.path.join(tmp, "scan.json")
    env = {**os.environ, "BENCH_OUT": out}
    subprocess.run([sys.executable, __file__, "--scan"], check=True, env=env)
    result = json.loads(Path(out).read_text())
    found = {tuple(p) for p in result["pairs"]}
    hit = len(found & planted)
    print(f"persons: {total}  planted duplicate pairs: {len(planted)}")
    print(
        f"candidate generation: {result['wall_s']:.1f} s wall, peak RSS {result['peak_rss_mb']:.0f} MB"
    )
    print(f"stats: {json.dumps(result['stats'])}")
    print(f"pairs found: {len(found)}")
    print(f"recall of planted duplicates: {hit / max(1, len(planted)):.3f}")
    print(f"precision (planted among found): {hit / max(1, len(found)):.3f}")


if __name__ == "__main__":
    if "--scan" in sys.argv:
        scan_child()
    else:
        main()
