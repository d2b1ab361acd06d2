"""`aigaq lock` removes the key and stops the server in one step; the data folder (and the
config folder) then hold no record, media byte or key in clear; `aigaq unlock` with two shares
brings everything back, and a wrong share is refused with nothing written."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="runs its own SQLCipher installation in subprocesses: once is enough",
)

REPO = Path(__file__).resolve().parents[2]
PERSON_SENTINEL = "Zqxsentinelperson"
PLACE_SENTINEL = "Sentinelvillagezqx"
MEDIA_SENTINEL = b"SENTINEL-MEDIA-BYTES-7f3a"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"AIGAQ_DB_KEY", "AIGAQ_DB_KEY_FILE", "DATABASE_URL"}
    }
    env.update(
        AIGAQ_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        AIGAQ_SECRET_KEY="x" * 40,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def aigaq(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aigaq.cli", *args],
        cwd=REPO,
        env=_env(tmp_path),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


SEED = f"""
import io, django
django.setup()
from tests.factories import person
from aigaq.media.services import media_add
person("{PERSON_SENTINEL} Ali", biography="{PLACE_SENTINEL}")
media_add(actor=None, fileobj=io.BytesIO({MEDIA_SENTINEL!r} * 4096), original_name="{PLACE_SENTINEL}.txt")
print("seeded")
"""

COUNT = f"""
import django
django.setup()
from aigaq.people.models import PersonName
print(PersonName.objects.filter(full_name__startswith="{PERSON_SENTINEL}").count())
"""


def python(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _files(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


def test_lock_removes_the_key_stops_serve_and_leaves_nothing_readable(tmp_path: Path) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    key_file = config / "aigaq" / "key"
    assert aigaq(tmp_path, "init").returncode == 0
    seeded = python(tmp_path, SEED)
    assert "seeded" in seeded.stdout, seeded.stderr
    key = key_file.read_text().strip()

    # No shares yet: the lock is refused, saying the data would be lost; nothing changes.
    refused = aigaq(tmp_path, "lock")
    assert refused.returncode != 0
    assert "could never be opened again" in refused.stderr
    assert key_file.read_text().strip() == key

    made = aigaq(tmp_path, "key", "shares", "--split", "3", "--threshold", "2", "--json")
    assert made.returncode == 0, made.stderr
    shares = json.loads(made.stdout)["shares"]
    assert list(json.loads(made.stdout)) == ["shares"] and len(shares) == 3

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", "serve", "--port", str(port), "--no-worker"],
        cwd=REPO,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "serving" in line, line
        locked = aigaq(tmp_path, "lock")
        assert locked.returncode == 0, locked.stderr
        assert f"Stopped aigaq serve (process {server.pid})" in locked.stdout
        assert server.wait(timeout=30) is not None
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert not key_file.exists()
    assert (data / "LOCKED").exists()
    needles = [
        PERSON_SENTINEL.encode(),
        PLACE_SENTINEL.encode(),
        MEDIA_SENTINEL,
        key.encode(),
        key.upper().encode(),
        bytes.fromhex(key),
    ]
    files = _files(data, config)
    assert any(p.name == "aigaq.db" for p in files)
    assert any(p.suffix == ".sealed" for p in files)
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, f"{needle!r} found in {path}"

    # Locked: nothing opens the database, with a sentence rather than a traceback.
    served = aigaq(tmp_path, "migrate")
    assert served.returncode == 2 and "Traceback" not in served.stderr

    # A wrong share set: refused, nothing written.
    other = aigaq(tmp_path, "lock")
    assert other.returncode != 0 and "Already locked" in other.stderr
    typo = shares[1].split()
    typo[10] = "academic" if typo[10] != "academic" else "acid"
    bad = aigaq(tmp_path, "unlock", stdin=f"{shares[0]}\n{' '.join(typo)}\n")
    assert bad.returncode != 0 and "Share 2 has a mistyped" in bad.stderr
    assert not key_file.exists()
    # Shares of another key (an installation of its own) are refused by the database check.
    foreign = tmp_path / "foreign"
    (foreign / "data").mkdir(parents=True)
    foreign_key = "6f" * 32
    env = {"AIGAQ_DATA_DIR": str(foreign / "data")}
    from aigaq.custody.shares import shares_make

    old = os.environ.get("AIGAQ_DATA_DIR")
    os.environ.update(env)
    try:
        foreign_shares = shares_make(key=foreign_key, threshold=2, count=3)
    finally:
        if old is not None:
            os.environ["AIGAQ_DATA_DIR"] = old
    (data / "key-shares.json").rename(tmp_path / "record.json")  # the fingerprint aside
    wrong = aigaq(tmp_path, "unlock", stdin="\n".join(foreign_shares[:2]))
    assert wrong.returncode != 0 and "does not open the database" in wrong.stderr
    assert not key_file.exists() and (data / "LOCKED").exists()
    (tmp_path / "record.json").rename(data / "key-shares.json")

    unlocked = aigaq(tmp_path, "unlock", stdin=f"{shares[2]}\n\n{shares[0]}\n")
    assert unlocked.returncode == 0, unlocked.stderr
    assert key_file.read_text().strip() == key
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert not (data / "LOCKED").exists()
    assert python(tmp_path, COUNT).stdout.strip() == "1"


def test_lock_is_refused_when_the_key_comes_from_the_environment(tmp_path: Path) -> None:
    env = _env(tmp_path)
    env["AIGAQ_DB_KEY"] = "ab" * 32
    result = subprocess.run(
        [sys.executable, "-m", "aigaq.cli", "lock", "--i-have-the-key"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "AIGAQ_DB_KEY" in result.stderr and "Traceback" not in result.stderr


def test_stop_processes_stops_a_registered_process_and_removes_its_pid_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigaq.core import keys
    from aigaq.custody.lock import stop_processes

    monkeypatch.setenv("AIGAQ_DATA_DIR", str(tmp_path / "data"))
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    run = keys.run_dir()
    run.mkdir(parents=True)
    (run / f"worker-{child.pid}.pid").write_text(f"{child.pid}\n")
    (run / "serve-999999999.pid").write_text("999999999\n")  # stale: removed, not signalled
    start = time.monotonic()
    result = stop_processes(wait=5)
    assert result.stopped == [("worker", child.pid)]
    assert child.poll() is not None and time.monotonic() - start < 5
    assert list(run.iterdir()) == []
