"""Staff and public servers under load on loopback: SESSIONS (default 50) signed-in staff
sessions editing entries through the edit form, and READERS (default 200) public readers,
for SECONDS (default 60; first argument), against `aigaq serve` and `aigaq serve --public`
on a fresh SQLCipher data folder of the bench's own.

    .venv/bin/python bench/load_bench.py 15        # a short run

Staff users are made with a confirmed authenticator and a session already verified by it (as
tests/conftest.py's force_login does), so the bench measures editing, not signing in. Each
staff session loops: open a random entry's edit form, post it back with a changed occupation
(a 409 is an edit conflict another session caused: counted apart, not an error). Each reader
loops over the public home page, the list, searches and entry pages. Prints requests/s, p50
and p95 latency and the errors (any 5xx or failed connection) per side. Only 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
SESSIONS = int(os.environ.get("SESSIONS", "50"))
READERS = int(os.environ.get("READERS", "200"))

SEED = """
import json, sys, django
django.setup()
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from aigaq.core.models import User
from tests.conftest import PASSWORD, verified_device
from tests.factories import person, public_person
from tests.staff.conftest import person_post

n = int(sys.argv[1])
out = {"cookies": [], "entries": [], "public": []}
for i in range(n):
    user = User.objects.create_user(username=f"bench{i}", password=PASSWORD, role="coordinator")
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()
    out["cookies"].append(session.session_key)
for i in range(n):
    p = person(f"Benchmark Entry{i:03d}uly", f"Бенчмарк Жазба{i:03d}")
    out["entries"].append([p.entry_no, person_post(*[x.full_name for x in p.names.all()])])
for i in range(20):
    out["public"].append(public_person(f"Public Reader{i:02d}uly", actor=None).entry_no)
print(json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(env: dict[str, str], *args: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", "serve", "--port", str(port), "--no-worker", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("a server did not start")


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.errors: dict[str, int] = {}
        self.conflicts = 0
        self.statuses: dict[str, int] = {}

    def add(self, seconds: float, status: int | str) -> None:
        with self.lock:
            self.times.append(seconds)
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            if status == 409:
                self.conflicts += 1
            elif not isinstance(status, int) or status >= 500:
                self.errors[str(status)] = self.errors.get(str(status), 0) + 1

    def line(self, name: str, seconds: float) -> str:
        t = sorted(self.times) or [0.0]
        p95 = t[min(len(t) - 1, int(len(t) * 0.95))]
        return (
            f"{name}: {len(self.times)} requests, {len(self.times) / seconds:.1f} req/s, "
            f"p50 {statistics.median(t) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"errors {sum(self.errors.values())} {self.errors or ''}"
            + (f", edit conflicts (409) {self.conflicts}" if self.conflicts else "")
            + f"; statuses {dict(sorted(self.statuses.items()))}"
        )


def _request(
    tally: Tally, conn: http.client.HTTPConnection, method: str, path: str, **kw: object
) -> tuple[int, str, http.client.HTTPResponse | None]:
    start = time.perf_counter()
    try:
        conn.request(method, path, **kw)  # type: ignore[arg-type]
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
    except OSError as exc:
        tally.add(time.perf_counter() - start, type(exc).__name__)
        conn.close()
        return 0, "", None
    tally.add(time.perf_counter() - start, response.status)
    return response.status, body, response


def _editor(port: int, cookie: str, entries: list, stop: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookies = {"sessionid": cookie}
    while time.monotonic() < stop:
        entry_no, data = random.choice(entries)
        jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
        status, body, response = _request(
            tally, conn, "GET", f"/persons/{entry_no}/edit/", headers={"Cookie": jar}
        )
        if response is None or status != 200:
            continue
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name] = rest.split(";", 1)[0]
        version = re.search(r'name="version" value="(\d+)"', body)
        form = {**data, "occupation": f"edited {random.random():.6f}"}
        form["version"] = version.group(1) if version else ""
        jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
        _request(
            tally,
            conn,
            "POST",
            f"/persons/{entry_no}/edit/",
            body=urlencode(form),
            headers={
                "Cookie": jar,
                "X-CSRFToken": cookies.get("csrftoken", ""),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )


def _reader(port: int, paths: list[str], stop: float, tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < stop:
        _request(tally, conn, "GET", random.choice(paths), headers={"Host": "127.0.0.1"})
        time.sleep(random.uniform(0.5, 1.5))  # a person reads the page


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="aigaq-load-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "AIGAQ_DB_KEY_FILE"}}
    env.update(
        AIGAQ_DATA_DIR=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        AIGAQ_DB_KEY="cd" * 32,
        AIGAQ_SECRET_KEY="load-bench-secret-not-for-production",
        AIGAQ_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    subprocess.run(
        [sys.executable, "-m", "aigaq.cli", "init"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    seeded = subprocess.run(
        [sys.executable, "-c", SEED, str(SESSIONS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    staff, staff_port = _serve(env)
    public, public_port = _serve(env, "--public")
    paths = [
        "/en/",
        "/en/entries/",
        "/en/entries/?q=Reader",
        "/ru/entries/?q=" + quote("Бенчмарк"),
    ] + [f"/en/entries/{n}/" for n in seed["public"]]
    try:
        stop = time.monotonic() + SECONDS
        staff_tally, public_tally = Tally(), Tally()
        threads = [
            threading.Thread(
                target=_editor, args=(staff_port, c, seed["entries"], stop, staff_tally)
            )
            for c in seed["cookies"]
        ] + [
            threading.Thread(target=_reader, args=(public_port, paths, stop, public_tally))
            for _ in range(READERS)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        took = time.monotonic() - started
        print(
            f"{SESSIONS} staff sessions editing, {READERS} public readers, {took:.0f} s "
            f"(SQLCipher, loopback, load generator on the same machine)"
        )
        print(staff_tally.line("staff", took))
        print(public_tally.line("public", took))
    finally:
        for server in (staff, public):
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
