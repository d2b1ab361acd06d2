"""Job queue benchmark: several `aigaq worker` processes on no-op jobs, on PostgreSQL.

    .venv/bin/python bench/jobs_bench.py                      # 100,000 jobs, 4 workers
    .venv/bin/python bench/jobs_bench.py --jobs 10000         # a quicker look

Two runs of N jobs each (`aigaq.core.probe.probe_job`: one transaction that writes the job's
effect, keyed by the job, and a row saying this run committed): first with every worker
running to the end, then with one worker killed (SIGKILL) when half of the jobs are done.
Each run prints the jobs per second (from the moment every worker is up to the last job), and
checks that no job was lost (one effect per job, every task successful) and none ran twice
(one committed run per job: a job whose worker was killed after its transaction committed and
before the task was marked done is taken again, and its second run finds the effect and does
nothing, as aigaq/core/jobs.py's `job_effect` makes Aigaq's own jobs do); the job a killed
worker held is run again once its lease (--lease, default 5 s here) has passed. The jobs are
queued in bulk (a few thousand rows per INSERT), not one `enqueue` each. A temporary database is made beside the one
DATABASE_URL names (default postgres://postgres@127.0.0.1:5432/postgres) and dropped after.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> tuple[str, str]:
    import psycopg

    tmp = tempfile.mkdtemp(prefix="aigaq-jobs-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    dbname = f"aigaq_jobs_bench_{os.getpid()}"
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.OperationalError as exc:
        sys.exit(f"PostgreSQL does not answer at {base} ({exc}); set DATABASE_URL.")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + dbname
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return base, dbname


def _drop(base: str, dbname: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _start(n: int, lease: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", "worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.05", "--lease", str(lease), "--worker-id", f"bench-{n}"]
        + ["--verbosity", "0"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _run(jobs: int, workers: int, lease: float, kill: bool) -> bool:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from aigaq.core.models import WorkerBeat
    from aigaq.core.probe import probe_counts, probe_jobs_enqueue

    DBTaskResult.objects.all().delete()
    WorkerBeat.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE aigaq_probe_effect, aigaq_probe_run")
    t = time.perf_counter()
    probe_jobs_enqueue(f"job-{i:07d}" for i in range(jobs))
    queued = time.perf_counter() - t
    # What autovacuum does a minute after so many rows arrive (this machine's PostgreSQL runs
    # with autovacuum off): without statistics the planner takes the task table for a few
    # hundred rows, sorts every waiting task for each claim (200 ms each at 100,000) instead of
    # reading the first one from the queue's index (0.1 ms). docs/deploy.md: keep autovacuum on.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DBTaskResult._meta.db_table}")

    def left() -> int:
        return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()

    procs = [_start(n, lease) for n in range(workers)]
    try:
        while WorkerBeat.objects.count() < workers:
            if any(p.poll() is not None for p in procs):
                sys.exit(
                    "a worker stopped: "
                    + b"".join(
                        p.stderr.read() for p in procs if p.stderr and p.poll() is not None
                    ).decode()[-2000:]
                )  # type: ignore[union-attr]
            time.sleep(0.05)
        t0, before = time.perf_counter(), left()
        killed = None
        while True:
            remaining = left()
            if not remaining:
                break
            if kill and killed is None and remaining <= jobs // 2:
                killed = procs[0]
                killed.send_signal(signal.SIGKILL)
                killed.wait()
                t_kill = time.perf_counter()
            time.sleep(0.2)
        elapsed = time.perf_counter() - t0
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=120)

    successful = DBTaskResult.objects.filter(status="SUCCESSFUL").count()
    retried = sum(
        1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) if len(ids) > 1
    )
    # A run that found its job's effect already committed (its first run's worker was killed
    # after the commit, before the task was marked done) and so did nothing.
    found_done = DBTaskResult.objects.filter(return_value="already").count()
    counts = probe_counts()
    # None lost: every task successful and one effect per job. None run twice: one committed
    # run per job, the second run of a job taken again having found its effect and done nothing.
    ok = (
        successful == jobs
        and counts["effects"] == jobs
        and counts["runs"] == jobs
        and counts["twice"] == 0
    )
    label = "one worker killed half-way" if kill else "all workers to the end"
    print(
        f"{label}: {jobs:,} jobs, {workers} workers: {before / elapsed:,.0f} jobs/s "
        f"({elapsed:.1f} s from every worker up to the last job; {jobs:,} queued in "
        f"{queued:.1f} s, {jobs / queued:,.0f} jobs/s)"
    )
    print(
        f"  tasks successful {successful:,}/{jobs:,}; effects {counts['effects']:,} "
        f"(lost {jobs - counts['effects']:,}); committed runs {counts['runs']:,} "
        f"(run twice {counts['twice']:,}); taken again after a lost worker: {retried} "
        f"(of which found their effect committed and did nothing: {found_done})"
        + (f" (lease {lease:g} s; killed at {t_kill - t0:.1f} s)" if kill and killed else "")
        + ("  OK" if ok else "  FAILED")
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("BENCH_JOBS", "100000")))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--lease", type=float, default=5.0)
    args = parser.parse_args()
    base, dbname = _setup()
    try:
        from aigaq.core.probe import probe_tables_create

        probe_tables_create()
        print(f"aigaq worker × {args.workers} on PostgreSQL, no-op jobs ({os.cpu_count()} CPUs)")
        ok = _run(args.jobs, args.workers, args.lease, kill=False)
        ok = _run(args.jobs, args.workers, args.lease, kill=True) and ok
    finally:
        _drop(base, dbname)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
