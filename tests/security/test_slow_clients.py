"""Slow clients (slowloris): connections that trickle a request's body, or stop half-way, do
not tie up the server. The real servers on loopback, with short limits from the environment:

* `aigaq serve --production` (gunicorn, gthread): more tricklers than the worker has threads;
  a normal request still answers, and each trickler is cut once its body is later than
  AIGAQ_CLIENT_TIMEOUT plus its length at AIGAQ_CLIENT_MIN_RATE (core/production.py,
  SlowBodyGuard).
* `aigaq serve` (waitress): waitress reads bodies itself before a thread takes the request,
  so tricklers hold connections, not threads: a normal request still answers; a connection
  that goes silent is closed after AIGAQ_CHANNEL_TIMEOUT.

Every wait has a generous ceiling (WAIT); nothing here measures speed."""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_production_server import ROOT, free_port, production_env

WAIT = 120  # seconds: a ceiling for a busy machine, never a timing assertion
TRICKLERS = 4  # more than the server's threads (2)


def _start(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[str]:
    server = subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", "serve", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if server.poll() is not None:
                break
            continue
        seen.append(line)
        if "is serving" in line:
            break
    while time.monotonic() < deadline and server.poll() is None:
        try:  # the laptop server says so just before it listens
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise AssertionError(f"the server never said it was serving: {''.join(seen)!r}")


def _stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    try:
        server.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


class Trickler(threading.Thread):
    """A POST that announces a large body and sends one byte every `every` seconds (or, with
    `stall`, a few bytes and then nothing), until the server answers or closes."""

    def __init__(self, port: int, *, stall: bool = False, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.port, self.stall, self.every = port, stall, every
        self.cut = threading.Event()
        self.stop = threading.Event()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        self.sock.sendall(
            b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100000\r\n\r\nusername="
        )

    def run(self) -> None:
        self.sock.settimeout(self.every)
        try:
            while not self.stop.is_set():
                try:
                    if self.sock.recv(4096) == b"":
                        break  # closed by the server
                    break  # answered (a refusal): no longer held
                except TimeoutError:
                    pass
                if not self.stall:
                    self.sock.sendall(b"a")
        except OSError:
            pass  # reset by the server
        finally:
            self.cut.set()
            self.sock.close()


def _normal_request(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=WAIT) as r:  # noqa: S310
        return int(r.status)


@pytest.fixture
def server_env(worker_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    env = production_env(worker_env, tmp_path)
    env.update(AIGAQ_CLIENT_TIMEOUT="2", AIGAQ_CLIENT_MIN_RATE="50000", AIGAQ_CHANNEL_TIMEOUT="2")
    return env


def _tricklers(port: int, **kwargs: Any) -> list[Trickler]:
    out = [Trickler(port, **kwargs) for _ in range(TRICKLERS)]
    for t in out:
        t.start()
    return out


def test_tricklers_do_not_hold_the_production_server(server_env: dict[str, str]) -> None:
    port = free_port()
    server = _start(
        ["--production", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
        server_env,
        port,
    )
    tricklers: list[Trickler] = []
    try:
        tricklers = _tricklers(port)
        time.sleep(1)  # let them take the threads (a pause, not a measure)
        assert _normal_request(port) == 200
        for t in tricklers:
            assert t.cut.wait(WAIT), "a trickling connection was never cut"
        assert _normal_request(port) == 200
    finally:
        for t in tricklers:
            t.stop.set()
        _stop(server)


def test_tricklers_do_not_hold_the_laptop_server_and_silent_ones_are_closed(
    server_env: dict[str, str],
) -> None:
    port = free_port()
    server = _start(
        ["--host", "127.0.0.1", "--port", str(port), "--threads", "2", "--no-worker"],
        server_env,
        port,
    )
    tricklers: list[Trickler] = []
    try:
        tricklers = _tricklers(port)
        silent = _tricklers(port, stall=True)
        time.sleep(1)
        assert _normal_request(port) == 200
        for t in silent:
            assert t.cut.wait(WAIT), "a silent connection was never closed"
        assert _normal_request(port) == 200
    finally:
        for t in tricklers:
            t.stop.set()
        _stop(server)
