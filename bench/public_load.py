"""Public server under load: `aigaq serve --public` on loopback over N public entries (default
1,000,000; env BENCH_PEOPLE), visited the way people visit it.

    BENCH_PEOPLE=100000 BENCH_DIR=/tmp/public-100k .venv/bin/python bench/public_load.py

The server is `aigaq serve --production --public` (BENCH_PRODUCTION=0: the plain
`aigaq serve --public`; BENCH_SERVER_ARGS adds to the production one, e.g. "--workers 8
--threads 2").

(a) BENCH_VISITORS (default 50) visitors at once for BENCH_SECONDS (default 60), each waiting
    about a second between pages (0.5 to 1.5 s), mixing entry pages, the list and searches in
    several scripts: prints requests, errors, median and p95 in milliseconds.
(b) Saturation: requests per second at 50 open connections with no wait, for an entry page
    and a search page, by `wrk` from Debian when it is installed (else by this script's own
    threads, said so).
The load generator shares the 2-core machine with the server: the CPU time it used is printed
beside each figure. Traffic goes only to 127.0.0.1, bounded in count and time. No assertions.
"""

from __future__ import annotations

import http.client
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402
import public_pages  # noqa: E402
import search_bench  # noqa: E402

#: BENCH_PRODUCTION=0 measures the plain `aigaq serve --public` (waitress) instead of the
#: production server (`aigaq serve --production --public`: gunicorn, gthread workers).
PRODUCTION = os.environ.get("BENCH_PRODUCTION", "1") != "0"


def _visitors(port: int, paths: list[str], visitors: int, seconds: float) -> None:
    def next_request(rng: random.Random, _visitor: int) -> _common.Request:
        path = rng.choice(paths)
        return _kind(path), path, {}

    tallies, used = _common.paced_clients(
        port, next_request, visitors, seconds, ok=lambda _kind, status: status == 200
    )
    times = tallies["all"].times
    errors = sum(tallies["all"].errors.values())
    print(
        f"(a) {visitors} visitors, {seconds:.0f} s: {len(times)} requests, {errors} errors, "
        f"median {statistics.median(times):.1f} ms, p95 {_common.percentile(times, 95):.1f} "
        f"ms, max {max(times):.1f} ms; the visitors used {used:.1f} s of CPU "
        f"({used / seconds * 100:.0f}% of one core)"
    )
    for kind in sorted(k for k in tallies if k != "all"):
        print(tallies[kind].line(kind))


def _kind(path: str) -> str:
    """What a path shows: an entry page, a search, or a list or home page."""
    if "?q=" in path:
        return "search page"
    return (
        "entry page"
        if "/entries/" in path and path.rstrip("/")[-1].isdigit()
        else "list or home page"
    )


def main() -> None:
    n = int(os.environ.get("BENCH_PEOPLE", "1000000"))
    visitors = int(os.environ.get("BENCH_VISITORS", "50"))
    seconds = float(os.environ.get("BENCH_SECONDS", "60"))
    os.environ.setdefault("BENCH_PEOPLE", str(n))
    dbname = search_bench._setup(postgres=False)
    try:
        from aigaq.people.models import Person

        t0 = time.perf_counter()
        if not Person.objects.exists():
            search_bench._populate(n, 42, int(os.environ.get("BENCH_WORKERS", "2")))
        search_bench._assign_hometowns(n)
        public_pages._prepare(n)
        print(f"data ready: {n:,} public entries in {time.perf_counter() - t0:.1f} s")
        rng = random.Random(3)
        numbers = [rng.randrange(1, n + 1) for _ in range(200)]
        from aigaq.people.models import PersonName

        # The names of 40 entries in every form they were recorded in (several scripts).
        forms = PersonName.objects.filter(person__entry_no__in=numbers[:40])
        queries = list(forms.values_list("full_name", flat=True))
        names = queries[:1] or ["Серік"]
        langs = ["kk", "ru", "en", "zh", "ar"]
        paths = [f"/{rng.choice(langs)}/entries/{no}/" for no in numbers]
        paths += [f"/{rng.choice(langs)}/entries/?q={quote(q)}" for q in queries]
        paths += [f"/{lang}/entries/" for lang in langs] + [f"/{lang}/" for lang in langs]
        from django.db import connections

        connections.close_all()
        port = _common.free_port()
        env = {**os.environ, "AIGAQ_ALLOWED_HOSTS": "127.0.0.1"}
        args = ["serve", "--public", "--port", str(port)]
        if PRODUCTION:
            args.insert(1, "--production")
            args += os.environ.get("BENCH_SERVER_ARGS", "").split()  # e.g. --workers 8
            env.setdefault("AIGAQ_SECRET_KEY", "public-load-bench-secret-not-for-production")
        print("server:", " ".join(args))
        server = _common.start_server(args, env, port)
        try:
            # Warm the server as one that has been up a while: every process's caches (the
            # facet options and the total, kept OPTIONS_SECONDS) filled. Each request on a
            # new connection, so that they spread over the server's processes.
            t1 = time.perf_counter()
            for path in paths[:20] + paths[-10:] * 4:
                with_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                _common.get(with_conn, path)
                with_conn.close()
            print(f"warm-up: 60 pages in {time.perf_counter() - t1:.1f} s")
            _visitors(port, paths, visitors, seconds)
            print("(b) " + _common.saturation(port, "entry page", paths[0], 20))
            search = f"/kk/entries/?q={quote(names[0])}"
            print("(b) " + _common.saturation(port, "search page", search, 20))
        finally:
            _common.stop_server(server)
        print(_common.load_average())
    finally:
        search_bench._drop(dbname)


if __name__ == "__main__":
    main()
