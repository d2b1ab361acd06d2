"""Petitions at scale, in a temporary SQLCipher database (or DATABASE_URL's PostgreSQL):

1. The coordinator's lists (overdue, waiting for a signature, answers of the week) over
   BENCH_PETITIONS petitions (default 100,000) about as many persons (one in ten restricted),
   written in bulk, and the families to call this week over as many family contacts (one per
   person, due from 60 days back to 300 ahead): the median and 95th percentile of 30 calls of
   `petitions.selectors.coordinator_lists` and of `casework.selectors.families_to_call`, for
   a coordinator (who sees everyone) and for an interviewer (who does not see the restricted
   persons, so disclosure leaves rows out), with the load average; BENCH_EXPLAIN=1 prints each
   query's plan (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN ANALYZE).
2. A batch of BENCH_BATCH WGEID petitions (default 3,000) as PDF, each person with names in
   Kazakh Cyrillic, Uyghur Arabic script, Chinese and Latin, a dated detention in a county and a
   testimony consented for petitions, through `petitions.batch.petitions_batch` (what
   `aigaq petitions batch` runs): the whole time, the cost per document and per page, where it
   is spent (preparing the facts and the check, rendering the HTML, WeasyPrint's layout and PDF),
   and the process's resident memory every tenth of the way (flat is the aim).

    BENCH_PETITIONS=100000 BENCH_BATCH=3000 .venv/bin/python bench/petitions_bench.py

BENCH_PETITIONS=0 skips part 1, BENCH_BATCH=0 part 2; BENCH_WORKERS sets the batch's worker
processes (default the cores, at most 4). With DATABASE_URL set (postgres://...), a temporary
database is made on its server and dropped at the end; otherwise a temporary
SQLCipher database. No assertions: the figures are printed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    n_petitions = int(os.environ.get("BENCH_PETITIONS", "100000"))
    n_batch = int(os.environ.get("BENCH_BATCH", "3000"))
    tmp = tempfile.mkdtemp(prefix="aigaq-petitions-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    pg_base = os.environ.get("DATABASE_URL", "")
    pg_db = ""
    if pg_base:
        import psycopg

        pg_db = f"aigaq_petitions_bench_{os.getpid()}"
        # The database DATABASE_URL names need not exist: the server's own makes the new one.
        pg_admin = pg_base.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_db}"')
        os.environ["DATABASE_URL"] = pg_base.rsplit("/", 1)[0] + "/" + pg_db
    try:
        run(n_petitions, n_batch, tmp)
    finally:
        if pg_db:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_db}"')


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed_calls(fn, runs: int = 30) -> tuple[float, float, float, object]:  # type: ignore[no-untyped-def]
    """The median and 95th percentile of `runs` calls of fn (wall clock, ms), the median CPU
    time of this process (ms: on a loaded machine the wall clock waits for a core), and the
    last call's result."""
    times, cpu = [], []
    result = None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    times.sort()
    return (
        statistics.median(times) * 1000,
        times[max(0, int(len(times) * 0.95) - 1)] * 1000,
        statistics.median(cpu) * 1000,
        result,
    )


def run(n_petitions: int, n_batch: int, tmp: str) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from aigaq.casework.models import CaseContact
    from aigaq.casework.selectors import families_to_call
    from aigaq.core.db.bulk import bulk_insert
    from aigaq.core.models import Role
    from aigaq.people.models import Person, Place
    from aigaq.petitions import batch as batch_module
    from aigaq.petitions import render
    from aigaq.petitions.models import Petition
    from aigaq.petitions.selectors import coordinator_lists
    from aigaq.testimonies.models import Testifier

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench-admin", password=None)
    coordinator = get_user_model().objects.create_user("bench-coord", role=Role.COORDINATOR)
    interviewer = get_user_model().objects.create_user("bench-interviewer", role=Role.INTERVIEWER)
    rng = random.Random(19)
    today = timezone.localdate()

    # 1. The coordinator's lists and the families to call -------------------------------------
    t0 = time.perf_counter()
    chunk = 10000
    states = [s for s, _label in Petition.State.choices]
    for start in range(0, n_petitions, chunk):
        persons, petitions, testifiers, contacts = [], [], [], []
        for i in range(start, min(n_petitions, start + chunk)):
            pid = uuid.UUID(int=rng.getrandbits(128), version=4)
            persons.append(
                {
                    "id": pid,
                    "entry_no": 5_000_000 + i,
                    "primary_name": f"Bench Person {i}",
                    "visibility": "restricted" if rng.random() < 0.1 else "internal",
                }
            )
            state = rng.choice(states)
            due = (
                today + dt.timedelta(days=rng.randrange(-400, 400)) if rng.random() < 0.6 else None
            )
            answered = (
                today - dt.timedelta(days=rng.randrange(0, 700))
                if state in ("answered", "follow_up", "closed")
                else None
            )
            petitions.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "form": rng.choice(["wgeid", "wgad", "kz-mfa-kk", "kz-mfa-ru"]),
                    "person_id": pid,
                    "state": state,
                    "next_action": "Call" if due else "",
                    "next_action_due": due,
                    "answered_on": answered,
                    "generated_at": timezone.now() if rng.random() < 0.5 else None,
                }
            )
            tid = uuid.UUID(int=rng.getrandbits(128), version=4)
            testifiers.append({"id": tid, "full_name": f"Bench Testifier {i}"})
            contacts.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "person_id": pid,
                    "testifier_id": tid,
                    "consent": True,
                    "method": "phone",
                    "handle": "+7 700 000 0000",
                    "next_contact_due": today + dt.timedelta(days=rng.randrange(-60, 300)),
                }
            )
        with transaction.atomic():
            bulk_insert(Person, persons)
            bulk_insert(Petition, petitions)
            bulk_insert(Testifier, testifiers)
            bulk_insert(CaseContact, contacts)
    if n_petitions:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(
            f"{n_petitions:,} petitions and {n_petitions:,} family contacts written: "
            f"{time.perf_counter() - t0:.1f} s"
        )
    for label, reader in (("coordinator", coordinator), ("interviewer", interviewer)):
        if not n_petitions:
            break
        median, p95, cpu, lists = timed_calls(lambda r=reader: coordinator_lists(r, today))
        print(
            f"coordinator_lists for a {label} over {n_petitions:,} petitions: median "
            f"{median:.1f} ms, p95 {p95:.1f} ms, CPU median {cpu:.1f} ms (overdue {len(lists.overdue)}, unsigned "
            f"{len(lists.unsigned)}, answered {len(lists.answered)} shown); {load()}"
        )
        median, p95, cpu, called = timed_calls(lambda r=reader: families_to_call(r, today))
        print(
            f"families_to_call for a {label} over {n_petitions:,} contacts: median "
            f"{median:.1f} ms, p95 {p95:.1f} ms, CPU median {cpu:.1f} ms ({len(called)} shown); "
            f"{load()}"
        )

    if os.environ.get("BENCH_EXPLAIN") and n_petitions:
        from django.test.utils import CaptureQueriesContext

        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
        for name, fn in (
            ("coordinator_lists", lambda: coordinator_lists(interviewer, today)),
            ("families_to_call", lambda: families_to_call(interviewer, today)),
        ):
            with CaptureQueriesContext(connection) as ctx:
                fn()
            print(f"{name} for an interviewer: {len(ctx.captured_queries)} queries")
            for q in ctx.captured_queries:
                with connection.cursor() as cur:
                    cur.execute(explain + q["sql"])
                    plan = [str(row[-1]) for row in cur.fetchall()]
                print(f"  {q['time']} s  {q['sql'][:400]}...")
                for line in plan:
                    print("      " + line)

    # 2. A batch of PDFs ---------------------------------------------------------------------
    if n_batch <= 0:
        return
    from aigaq.people.services import status_event_add
    from aigaq.testimonies.services import RelationInput, testifier_create, testimony_create

    county = Place.objects.create(
        code="bench-tekes",
        kind="county",
        name="Tekes",
        local_names={"kk": "Текес", "ru": "Текес", "zh-hans": "特克斯县"},
    )
    kk = ["Серік", "Ерлан", "Нұрлан", "Айдос", "Бақыт", "Жанар", "Гүлнар", "Әлия"]
    ug = ["سېرىك", "ئەرلان", "نۇرلان", "ئايدوس", "باقىت", "جانار"]
    zh = ["赛力克", "叶尔兰", "努尔兰", "艾多斯", "巴合提", "加娜尔"]
    from aigaq.people.services import NameInput, person_create

    t0 = time.perf_counter()
    chosen = []
    for i in range(n_batch):
        j = rng.randrange(6)
        person = person_create(
            actor=user,
            names=[
                NameInput(f"{kk[j]} Оспанұлы {i}"),
                NameInput(f"{ug[j]} ئوسپان"),
                NameInput(f"{zh[j]}·乌斯满"),
                NameInput(f"Bench Ospanuly {i}"),
            ],
            gender="male",
            birth_year=1960 + rng.randrange(40),
            hometown=county,
        )
        status_event_add(
            actor=user, person=person, kind="detained", date_text="2018-05-12", place=county
        )
        testimony_create(
            actor=user,
            testifier=testifier_create(actor=user, full_name=f"Гүлжан Тоқтарқызы {i}"),
            recorded_on=dt.date(2019, 3, 1),
            relations=[RelationInput(person, "mother")],
            consent_petitions=True,
        )
        chosen.append(person)
    print(f"{n_batch:,} persons ready for WGEID written: {time.perf_counter() - t0:.1f} s")

    spent = {"prepare": 0.0, "html": 0.0, "pdf": 0.0}
    real_prepare, real_html, real_pdf = batch_module.prepare, render.render_html, render._pdf

    def timed(name, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t

        return wrapper

    batch_module.prepare = timed("prepare", real_prepare)
    render.render_html = timed("html", real_html)
    render._pdf = timed("pdf", real_pdf)
    memory: list[tuple[int, float]] = [(0, rss_mib())]
    sample = chosen[: min(100, len(chosen))]
    # A tenth of the way each time, of the sample first and then of the whole batch.
    step = max(1, len(sample) // 10)

    def progress(done: int) -> None:
        if done % step == 0:
            memory.append((done, rss_mib()))

    entries = {
        "forces": "Officers of the county public security bureau.",
        "steps": "Letters to the embassy in 2019; no answer.",
        "source_name": "Гүлжан Тоқтарқызы",
        "source_address": "Almaty, Abai avenue 1",
        "source_relationship": "mother",
        "family_consent": True,
    }
    # Where the time goes, on a sample in this process.
    t0 = time.perf_counter()
    result = batch_module.petitions_batch(
        actor=user,
        form="wgeid",
        persons=sample,
        fmt="pdf",
        output=Path(tmp) / "sample.zip",
        entries=entries,
        progress=progress,
    )
    total = time.perf_counter() - t0
    other = total - sum(spent.values())
    print(
        f"one process, {len(sample)} documents: {total:.1f} s, "
        f"{total / max(1, len(result.written)):.3f} s a document; spent on: "
        + ", ".join(f"{k} {v:.1f} s ({v / total:.0%})" for k, v in spent.items())
        + f", the rest (ZIP, index, recording the drafts) {other:.1f} s ({other / total:.0%})"
    )
    print(
        "resident memory (MiB) by documents done: " + ", ".join(f"{d}: {m:.0f}" for d, m in memory)
    )
    batch_module.prepare, render.render_html, render._pdf = real_prepare, real_html, real_pdf
    workers = int(os.environ.get("BENCH_WORKERS", str(min(4, os.cpu_count() or 1))))
    out = Path(tmp) / "batch.zip"
    step = max(1, n_batch // 10)
    memory.clear()
    memory.append((0, rss_mib()))
    c0 = os.times()
    t0 = time.perf_counter()
    result = batch_module.petitions_batch(
        actor=user,
        form="wgeid",
        persons=chosen,
        fmt="pdf",
        output=out,
        entries=entries,
        progress=progress,
        workers=workers,
    )
    total = time.perf_counter() - t0
    c1 = os.times()
    # This process and its workers (reaped when the batch ends): what the batch costs whatever
    # else the machine is doing.
    cpu = sum(getattr(c1, k) - getattr(c0, k) for k in ("user", "system"))
    cpu += sum(getattr(c1, k) - getattr(c0, k) for k in ("children_user", "children_system"))
    pages = sum(i.pages or 0 for i in result.written)
    print(
        f"batch of {n_batch:,} WGEID PDFs with {workers} worker processes: {total:.1f} s "
        f"({len(result.written)} written, {len(result.skipped)} skipped, {pages} pages, "
        f"{out.stat().st_size / 2**20:.1f} MiB ZIP); {total / max(1, len(result.written)):.3f} s "
        f"a document, {total / max(1, pages):.3f} s a page"
    )
    print(
        f"CPU time of the batch (this process and its workers): {cpu:.1f} s, "
        f"{cpu / max(1, pages):.3f} s a page; {workers} idle cores would take about "
        f"{cpu / workers:.0f} s"
    )
    print(
        "resident memory of the main process (MiB) by documents done: "
        + ", ".join(f"{d}: {m:.0f}" for d, m in memory)
    )
    print(load())


if __name__ == "__main__":
    main()
