"""`aigaq serve --production`: gunicorn, static files collected with hashed names and served
compressed with far-future cache headers, settings only from the environment (secrets from
`*_FILE` files), stopped cleanly by SIGTERM. The real server is started on the test database
(SQLCipher, or PostgreSQL in the suite's PostgreSQL run)."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from aigaq.core import keys
from aigaq.core.production import TrustedProxy

ROOT = Path(__file__).resolve().parents[2]
WAIT = 180  # seconds: a generous ceiling for a busy machine, never a timing assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def production_env(base: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """The environment of a server: the secret key in a file, no default host names."""
    env = {k: v for k, v in base.items() if k not in ("AIGAQ_SECRET_KEY", "PYTHONUNBUFFERED")}
    secret = tmp_path / "secret_key"
    secret.write_text("s" * 60 + "\n", encoding="utf-8")
    env.update(
        AIGAQ_SECRET_KEY_FILE=str(secret),
        AIGAQ_ALLOWED_HOSTS="127.0.0.1",
        AIGAQ_STATIC_ROOT=str(tmp_path / "static"),
    )
    return env


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (localhost)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_serve_production_serves_pages_and_compressed_hashed_static_files_and_stops_on_sigterm(
    worker_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    env = production_env(worker_env, tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", "serve", "--production"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + WAIT
        serving = False
        while not serving and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if server.poll() is not None:
                    break
                continue
            seen.append(line)
            serving = "is serving" in line and "production mode with gunicorn" in line
        assert serving, f"the server never said it was serving: {''.join(seen)!r}"

        base = f"http://127.0.0.1:{port}"
        status, headers, body = fetch(base + "/login/")
        assert status == 200
        assert headers["server"] == "gunicorn"
        page = body.decode()
        assert "Traceback" not in page
        # Hashed names from the manifest, never the plain name.
        found = re.search(r"/static/aigaq/aigaq\.([0-9a-f]{12})\.css", page)
        assert found, page[:2000]
        assert "/static/aigaq/aigaq.css" not in page
        css = found.group(0)
        assert (tmp_path / "static" / css.removeprefix("/static/")).exists()

        status, headers, gz = fetch(base + css, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip"
        assert "immutable" in headers["cache-control"]
        max_age = int(re.search(r"max-age=(\d+)", headers["cache-control"]).group(1))  # type: ignore[union-attr]
        assert max_age >= 365 * 24 * 3600
        status, headers, br = fetch(base + css, **{"Accept-Encoding": "br"})
        assert status == 200 and headers.get("content-encoding") == "br"
        status, headers, plain = fetch(base + css)
        assert status == 200 and "content-encoding" not in headers
        assert len(gz) < len(plain) and len(br) < len(plain)

        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the server did not stop: {''.join(seen)!r}")
        assert server.returncode == 0, "".join(seen)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=WAIT)


def run_aigaq(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aigaq.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def test_serve_production_refuses_to_start_without_a_secret_key_or_host_names(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGAQ_SECRET_KEY")}
    env["AIGAQ_ALLOWED_HOSTS"] = "aigaq.example.org"
    done = run_aigaq(env, "serve", "--production", "--port", str(free_port()))
    assert done.returncode == 2
    assert "Production mode needs AIGAQ_SECRET_KEY" in done.stderr
    assert "Traceback" not in done.stderr

    env = production_env(dict(os.environ), tmp_path)
    del env["AIGAQ_ALLOWED_HOSTS"]
    done = run_aigaq(env, "serve", "--production", "--port", str(free_port()))
    assert done.returncode == 2 and "needs AIGAQ_ALLOWED_HOSTS" in done.stderr

    env = production_env(dict(os.environ), tmp_path)
    env["AIGAQ_DEBUG"] = "1"
    done = run_aigaq(env, "serve", "--production", "--port", str(free_port()))
    assert done.returncode == 2 and "AIGAQ_DEBUG=1 is refused" in done.stderr


def test_a_secret_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGAQ_SECRET_KEY")}
    env["AIGAQ_SECRET_KEY_FILE"] = str(tmp_path / "missing")
    done = run_aigaq(env, "check")
    assert done.returncode == 2
    assert f"The file {tmp_path / 'missing'} named by AIGAQ_SECRET_KEY_FILE" in done.stderr


def test_settings_read_a_variable_or_the_file_its_file_variable_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIGAQ_EXAMPLE", raising=False)
    monkeypatch.delenv("AIGAQ_EXAMPLE_FILE", raising=False)
    assert keys.env_or_file("AIGAQ_EXAMPLE") == ""
    secret = tmp_path / "example"
    secret.write_text("  from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("AIGAQ_EXAMPLE_FILE", str(secret))
    assert keys.env_or_file("AIGAQ_EXAMPLE") == "from-a-file"
    monkeypatch.setenv("AIGAQ_EXAMPLE", "from-the-environment")
    assert keys.env_or_file("AIGAQ_EXAMPLE") == "from-the-environment"
    monkeypatch.delenv("AIGAQ_EXAMPLE")
    secret.write_text("\n", encoding="utf-8")
    with pytest.raises(keys.ConfigurationError, match="is empty"):
        keys.env_or_file("AIGAQ_EXAMPLE")


def test_the_trusted_proxy_gives_the_client_address_and_others_cannot_claim_one() -> None:
    seen: list[dict[str, Any]] = []

    def inner(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.append(dict(environ))
        return []

    app = TrustedProxy(inner, "10.0.0.1")
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9", "HTTP_X_FORWARDED_PROTO": "https"}
    app({"REMOTE_ADDR": "10.0.0.1", **forwarded}, print)
    assert seen[-1]["REMOTE_ADDR"] == "203.0.113.9"
    assert seen[-1]["HTTP_X_FORWARDED_PROTO"] == "https"
    app({"REMOTE_ADDR": "198.51.100.7", **forwarded}, print)
    assert seen[-1]["REMOTE_ADDR"] == "198.51.100.7"
    assert "HTTP_X_FORWARDED_FOR" not in seen[-1] and "HTTP_X_FORWARDED_PROTO" not in seen[-1]
