"""Pieces the server load benchmarks share (bench/public_load.py, bench/api_load.py,
bench/load_bench.py): a free loopback port, a server started and waited for, paced clients
that record each request's time by kind, and the saturation figure from `wrk`.

Not a benchmark itself: scripts/bench.sh skips files whose names start with "_".
Traffic goes only to 127.0.0.1, bounded in count and time.
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
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: A bound on what one run of paced clients may send, whatever the settings.
MAX_REQUESTS = 200_000


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def load_average() -> str:
    try:
        return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    args: Sequence[str], env: dict[str, str], port: int, timeout: float = 180
) -> subprocess.Popen[bytes]:
    """`python -m aigaq.cli ARGS` in the background, once it accepts connections on `port`
    (its output is thrown away: a server that dies before is reported)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the server ({' '.join(args)}) did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process `pid` and its children, live and reaped (Linux
    /proc; 0.0 elsewhere): the server's own cost, which the machine's other load does not
    inflate the way it does latency."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def stat(p: int) -> list[str]:
        try:
            text = Path(f"/proc/{p}/stat").read_text()
        except OSError:
            return []
        return text[text.rindex(")") + 2 :].split()

    def children(p: int) -> list[int]:
        try:
            tasks = list(Path(f"/proc/{p}/task").iterdir())
            return [int(c) for t in tasks for c in (t / "children").read_text().split()]
        except OSError:
            return []

    # utime, stime, cutime, cstime (fields 14-17 of stat): a process's own time and that of
    # its children already reaped, so summed over the live tree nothing counts twice.
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        fields = stat(p)
        if fields:
            total += sum(int(x) for x in fields[11:15]) / tick
        todo.extend(children(p))
    return total


def postgres_cpu_seconds() -> float | None:
    """CPU seconds used so far by this machine's PostgreSQL (its postmaster's process tree:
    every backend, live or exited), or None where that cannot be read (another user's
    processes, or not Linux)."""
    try:
        procs = list(Path("/proc").glob("[0-9]*"))
    except OSError:
        return None
    total, found = 0.0, False
    for proc in procs:
        try:
            if (proc / "comm").read_text().strip() != "postgres":
                continue
            ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if (Path(f"/proc/{ppid}/comm").read_text().strip()) == "postgres":
                continue  # a backend: counted in its postmaster's tree
        except (OSError, ValueError, IndexError):
            continue
        total += tree_cpu_seconds(int(proc.name))
        found = True
    return total if found else None


def get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str] | None = None) -> int:
    conn.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = conn.getresponse()
    response.read()
    return response.status


@dataclass
class Tally:
    """Request times (ms) and errors of one kind of request."""

    times: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    #: Requests sent a second time because the server had closed the kept-alive connection.
    retried: int = 0

    def line(self, label: str) -> str:
        if not self.times:
            return f"  {label:28} no requests"
        errors = sum(self.errors.values())
        detail = f" {dict(sorted(self.errors.items()))}" if self.errors else ""
        return (
            f"  {label:28} {len(self.times):6d} requests, {errors} errors{detail}, "
            f"median {statistics.median(self.times):6.1f} ms, "
            f"p95 {percentile(self.times, 95):6.1f} ms, max {max(self.times):7.1f} ms"
            + (f"; {self.retried} sent again on a new connection" if self.retried else "")
        )


#: What a request on a kept-alive connection meets when the server has just closed it.
STALE = (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)

#: One request a client makes: (kind, path, headers).
Request = tuple[str, str, dict[str, str]]


def paced_clients(
    port: int,
    next_request: Callable[[random.Random, int], Request],
    clients: int,
    seconds: float,
    ok: Callable[[str, int], bool] = lambda kind, status: 200 <= status < 300,
) -> tuple[dict[str, Tally], float]:
    """`clients` threads, each on its own keep-alive connection, sending the request
    `next_request(rng, client)` chooses, then waiting 0.5 to 1.5 s, for `seconds`. A status
    `ok` refuses, or a failed connection (status 0), is an error. A request that finds its
    kept-alive connection closed by the server (gunicorn closes idle ones after 2 s) is sent
    once more on a new connection, as browsers and HTTP libraries do for a GET; its time
    includes both tries, and the tallies count these apart. Returns the tallies by kind
    (and "all") and the CPU seconds this process used meanwhile (the load generator's share
    of the machine)."""
    tallies: dict[str, Tally] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    sent = 0

    def client(index: int) -> None:
        nonlocal sent
        rng = random.Random(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        reused = False  # whether `conn` has answered before (kept alive since)
        time.sleep(rng.uniform(0, 1.0))  # clients arrive spread over the first second
        while time.monotonic() < stop:
            with lock:
                if sent >= MAX_REQUESTS:
                    break
                sent += 1
            kind, path, headers = next_request(rng, index)
            t0 = time.perf_counter()
            failure = ""
            retried = False
            while True:
                try:
                    status = get(conn, path, headers)
                    reused = True
                    break
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    if reused and not retried and isinstance(exc, STALE):
                        # The server closed the idle keep-alive connection as the request
                        # went out: sent again on a new one, as HTTP clients do for a GET.
                        retried, reused = True, False
                        continue
                    status, failure, reused = 0, type(exc).__name__, False
                    break
            elapsed = (time.perf_counter() - t0) * 1000
            with lock:
                for name in (kind, "all"):
                    tally = tallies.setdefault(name, Tally())
                    tally.times.append(elapsed)
                    tally.retried += retried
                    if not ok(kind, status):
                        what = failure or str(status)
                        tally.errors[what] = tally.errors.get(what, 0) + 1
            time.sleep(rng.uniform(0.5, 1.5))
        conn.close()

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    used = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    return tallies, used


#: wrk's script when each request carries one of several header values in turn (one API
#: token per connection would run into the per-token rate limit).
_WRK_ROTATE = """
local values = {%s}
local n = 0
request = function()
  n = n + 1
  wrk.headers["%s"] = values[(n %% #values) + 1]
  return wrk.format("GET", nil)
end
"""


def saturation(
    port: int,
    label: str,
    path: str,
    seconds: int,
    header: str = "",
    values: Sequence[str] = (),
    connections: int = 50,
) -> str:
    """Requests per second at `connections` open connections with no wait, by `wrk` from
    Debian when it is installed (else this process's own threads, said so), each request with
    the next of `values` as its `header`. Returns the line to print (with the CPU time the
    load generator used, since it shares the machine with the server)."""
    url = f"http://127.0.0.1:{port}{path}"
    wrk = shutil.which("wrk")
    if wrk:
        with tempfile.TemporaryDirectory() as tmp:
            command = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
            if header and values:
                script = Path(tmp) / "rotate.lua"
                quoted = ", ".join(f'"{v}"' for v in values)
                script.write_text(_WRK_ROTATE % (quoted, header), encoding="utf-8")
                command += ["-s", str(script)]
            t0 = os.times()
            out = subprocess.run(
                [*command, url],
                capture_output=True,
                text=True,
                timeout=seconds + 60,
                check=False,
            ).stdout
            t1 = os.times()
        used = (t1.children_user - t0.children_user) + (t1.children_system - t0.children_system)
        lines = out.splitlines()
        rps = next((line.split()[1] for line in lines if "Requests/sec" in line), "?")
        latency = {
            line.split()[0]: line.split()[1]
            for line in lines
            if line.strip().split(" ")[0] in ("50%", "90%", "99%")
        }
        errors = [line.strip() for line in lines if "Non-2xx" in line or "errors" in line]
        return (
            f"{label}: {rps} requests/s at {connections} connections (wrk, {seconds} s; latency "
            + ", ".join(f"p{k.rstrip('%')} {v}" for k, v in latency.items())
            + f"; wrk used {used:.1f} s of CPU)"
            + (f"; {'; '.join(errors)}" if errors else "; no errors")
        )
    # No wrk: threads of this script, no wait (the GIL makes this a weaker generator).
    count = 0
    failed = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def hammer(index: int) -> None:
        nonlocal count, failed
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = index
        while time.monotonic() < stop and count < MAX_REQUESTS:
            n += 1
            headers = {header: values[n % len(values)]} if header and values else {}
            try:
                status = get(conn, path, headers)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            with lock:
                count += 1
                failed += not 200 <= status < 300
        conn.close()

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (
        f"{label}: {count / seconds:.0f} requests/s at {connections} connections "
        f"(no wrk: Python threads), {failed} errors"
    )
