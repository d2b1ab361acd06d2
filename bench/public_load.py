"""Public server under load: `aigaq serve --public` on loopback over N public entries (default
1,000,000; env BENCH_PEOPLE), visited the way people visit it.

    BENCH_PEOPLE=100000 BENCH_DIR=/tmp/public-100k .venv/bin/python bench/public_load.py

The server is `aigaq serve --production --public` (BENCH_PRODUCTION=0: the plain
`aigaq serve --public`).

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
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import public_pages  # noqa: E402
import search_bench  # noqa: E402

MAX_REQUESTS = 200_000  # a bound on what one run may send, whatever the settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: BENCH_PRODUCTION=0 measures the plain `aigaq serve --public` (waitress) instead of the
#: production server (`aigaq serve --production --public`: gunicorn, gthread workers).
PRODUCTION = os.environ.get("BENCH_PRODUCTION", "1") != "0"


def _start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "AIGAQ_ALLOWED_HOSTS": "127.0.0.1"}
    command = [sys.executable, "-m", "aigaq.cli", "serve", "--public", "--port", str(port)]
    if PRODUCTION:
        command.insert(4, "--production")
        env.setdefault("AIGAQ_SECRET_KEY", "public-load-bench-secret-not-for-production")
    print("server:", " ".join(command[2:]))
    server = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the public server stopped (exit {server.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("the public server did not start")


def _get(conn: http.client.HTTPConnection, path: str) -> int:
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    response.read()
    return response.status


def _visitors(port: int, paths: list[str], visitors: int, seconds: float) -> None:
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    sent = 0

    def visit(seed: int) -> None:
        nonlocal errors, sent
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            with lock:
                if sent >= MAX_REQUESTS:
                    return
                sent += 1
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                status = _get(conn, path)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                times.append(elapsed)
                if status != 200:
                    errors += 1
            time.sleep(rng.uniform(0.5, 1.5))
        conn.close()

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=visit, args=(i,)) for i in range(visitors)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    used = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(
        f"(a) {visitors} visitors, {seconds:.0f} s: {len(times)} requests, {errors} errors, "
        f"median {statistics.median(times):.1f} ms, p95 {search_bench._percentile(times, 95):.1f} "
        f"ms, max {max(times):.1f} ms; the visitors used {used:.1f} s of CPU "
        f"({used / seconds * 100:.0f}% of one core)"
    )


def _saturation(port: int, label: str, path: str, seconds: int) -> None:
    url = f"http://127.0.0.1:{port}{path}"
    wrk = shutil.which("wrk")
    if wrk:
        t0 = os.times()
        out = subprocess.run(
            [wrk, "-t2", "-c50", f"-d{seconds}s", "--latency", url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        ).stdout
        t1 = os.times()
        used = (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
        rps = next((line.split()[1] for line in out.splitlines() if "Requests/sec" in line), "?")
        errors = [
            line.strip() for line in out.splitlines() if "Non-2xx" in line or "errors" in line
        ]
        print(
            f"(b) {label}: {rps} requests/s at 50 connections (wrk, {seconds} s; wrk used "
            f"{used:.1f} s of CPU){'; ' + '; '.join(errors) if errors else ''}"
        )
        return
    # No wrk: 50 threads of this script, no wait (the GIL makes this a weaker generator).
    count = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def hammer() -> None:
        nonlocal count
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop and count < MAX_REQUESTS:
            try:
                _get(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            with lock:
                count += 1
        conn.close()

    threads = [threading.Thread(target=hammer) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(
        f"(b) {label}: {count / seconds:.0f} requests/s at 50 connections (no wrk: Python threads)"
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
        port = _free_port()
        server = _start_server(port)
        try:
            for path in paths[:20]:  # warm the server's caches (facet options, totals)
                with_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                _get(with_conn, path)
                with_conn.close()
            _visitors(port, paths, visitors, seconds)
            _saturation(port, "entry page", paths[0], 20)
            _saturation(port, "search page", f"/kk/entries/?q={quote(names[0])}", 20)
        finally:
            server.terminate()
            server.wait(timeout=60)
        print(search_bench._load())
    finally:
        search_bench._drop(dbname)


if __name__ == "__main__":
    main()
