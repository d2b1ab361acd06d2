"""The embedded database is unreadable without its key; a wrong or missing key is refused
with one clear sentence."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLCipher-only: the PostgreSQL run covers the server database",
)

REPO = Path(__file__).resolve().parents[2]
KEY = "cd" * 32


def _aigaq(
    tmp_path: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"AIGAQ_DB_KEY", "AIGAQ_DB_KEY_FILE", "DATABASE_URL"}
    }
    env.update(
        AIGAQ_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        AIGAQ_SECRET_KEY="x" * 40,
        **(env_extra or {}),
    )
    return subprocess.run(
        [sys.executable, "-m", "aigaq.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_database_file_cannot_be_read_by_plain_sqlite(db: None) -> None:
    from tests.factories import person

    person("Гүлнар Серікқызы")
    connection.commit() if not connection.in_atomic_block else None
    path = connection.settings_dict["NAME"]
    if connection.is_in_memory_db():
        pytest.fail("the test database must be a file, so that its encryption can be checked")
    # Read in another process: opening and closing the file in this one would drop the POSIX
    # locks SQLCipher holds on it here (a close releases all of a process's locks on a file),
    # and a worker process that shares the test database could then checkpoint the WAL away
    # under this process's feet.
    probe = subprocess.run(
        [sys.executable, "-c", _PLAIN_SQLITE_PROBE, path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.stdout.split() == ["encrypted-header", "refused"], probe.stdout + probe.stderr


_PLAIN_SQLITE_PROBE = """
import sqlite3, sys
with open(sys.argv[1], "rb") as fh:
    print("plain-header" if fh.read(16).startswith(b"SQLite format 3") else "encrypted-header")
try:
    sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM sqlite_master").fetchone()
    print("read")
except sqlite3.DatabaseError:
    print("refused")
"""


def test_init_creates_key_outside_data_folder_with_private_mode(tmp_path: Path) -> None:
    result = _aigaq(tmp_path, "init")
    assert result.returncode == 0, result.stderr
    key = tmp_path / "config" / "aigaq" / "key"
    assert key.exists()
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert not any(p.name == "key" for p in (tmp_path / "data").rglob("*"))
    assert "Created a new database key" in result.stdout
    # A second run reuses the key and the database.
    before = key.read_text()
    again = _aigaq(tmp_path, "init")
    assert again.returncode == 0, again.stderr
    assert key.read_text() == before
    assert "Created a new database key" not in again.stdout


def test_wrong_key_is_refused_with_one_clear_sentence(tmp_path: Path) -> None:
    assert _aigaq(tmp_path, "init", env_extra={"AIGAQ_DB_KEY": KEY}).returncode == 0
    result = _aigaq(tmp_path, "migrate", env_extra={"AIGAQ_DB_KEY": "ef" * 32})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        "cannot be opened with the key from the environment variable AIGAQ_DB_KEY" in result.stderr
    )
    assert result.stderr.strip().count("\n") == 0


def test_missing_key_names_the_file_it_looked_for(tmp_path: Path) -> None:
    result = _aigaq(tmp_path, "serve")
    assert result.returncode == 2
    assert "No database key found" in result.stderr
    assert str(tmp_path / "config" / "aigaq" / "key") in result.stderr
    assert "Traceback" not in result.stderr


def test_key_inside_data_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "key").write_text(KEY)
    result = _aigaq(tmp_path, "migrate", env_extra={"AIGAQ_DB_KEY_FILE": str(data / "key")})
    assert result.returncode == 2
    assert "lies inside the data folder" in result.stderr


def test_sqlcipher_connection_has_wal_and_foreign_keys(db: None) -> None:
    with connection.cursor() as cur:
        cur.execute("PRAGMA foreign_keys")
        assert cur.fetchone()[0] == 1
        cur.execute("PRAGMA journal_mode")
        assert cur.fetchone()[0] == "wal"
        cur.execute("PRAGMA cipher_version")
        assert cur.fetchone()[0].startswith("4.")


def test_sqlcipher_connection_keeps_a_larger_page_cache(db: None) -> None:
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        assert cur.fetchone()[0] == -32768


@pytest.mark.django_db(transaction=True)
def test_closing_a_connection_keeps_the_planner_statistics_current() -> None:
    # PRAGMA optimize before close: a table that queries used and that has no statistics gets
    # analysed, without anyone running ANALYZE.
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE optimize_probe (a INTEGER, b INTEGER)")
        cur.execute("CREATE INDEX optimize_probe_a ON optimize_probe (a)")
        cur.executemany(
            "INSERT INTO optimize_probe VALUES (%s, %s)", [(i % 50, i) for i in range(5000)]
        )
    try:
        connection.close()
        with connection.cursor() as cur:
            cur.execute("SELECT b FROM optimize_probe WHERE a = 3 AND b > 10")
            cur.fetchall()
        connection.close()
        with connection.cursor() as cur:
            cur.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cur.fetchall(), "no statistics table after close"
            cur.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'optimize_probe'")
            assert ("optimize_probe_a",) in cur.fetchall()
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE optimize_probe")


def test_a_missing_key_beside_an_existing_database_is_said_and_never_replaced(
    tmp_path: Path,
) -> None:
    assert _aigaq(tmp_path, "init").returncode == 0
    key = tmp_path / "config" / "aigaq" / "key"
    key.unlink()

    result = _aigaq(tmp_path, "serve")
    assert result.returncode == 2
    assert "exists but its key is missing" in result.stderr
    assert str(key) in result.stderr and str(tmp_path / "data" / "aigaq.db") in result.stderr
    assert "Traceback" not in result.stderr

    again = _aigaq(tmp_path, "init")
    assert again.returncode == 2, again.stdout
    assert "exists but its key is missing" in again.stderr
    assert "Traceback" not in again.stderr
    assert not key.exists(), "init made a new key that cannot open the existing database"


def test_migrate_before_init_says_to_run_init(tmp_path: Path) -> None:
    result = _aigaq(tmp_path, "migrate", env_extra={"AIGAQ_DB_KEY": KEY})
    assert result.returncode == 2
    assert "unable to open database file" not in result.stderr
    assert "run `aigaq init`" in result.stderr
    assert "Traceback" not in result.stderr
