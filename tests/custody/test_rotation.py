"""`aigaq key rotate`: a new database key, the media sealed again under it, nothing lost; an
interruption between two steps is finished by running it again (its journal)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.custody.test_lock import (
    MEDIA_SENTINEL,
    SEED,
    aigaq,
    pytestmark,  # noqa: F401 - SQLCipher installations in subprocesses, run once
    python,
)

MEDIA = MEDIA_SENTINEL * 4096
MEDIA_SHA = hashlib.sha256(MEDIA).hexdigest()

CHECK = f"""
import django
django.setup()
from aigaq.people.models import PersonName
from aigaq.media import storage
print(PersonName.objects.filter(full_name__startswith="Zqxsentinelperson").count())
with storage.open_original("{MEDIA_SHA}") as reader:
    print(b"".join(reader.iter_range(0)) == {MEDIA_SENTINEL!r} * 4096)
print(storage.path_for("{MEDIA_SHA}"))
"""

INTERRUPTED = """
import django, sys
django.setup()
from aigaq.custody import rotation
def between(step):
    if step == sys.argv[1]:
        raise SystemExit("interrupted after " + step)
rotation.between = between
rotation.rotate()
"""


def _installation(tmp_path: Path) -> tuple[str, Path]:
    assert aigaq(tmp_path, "init").returncode == 0
    assert "seeded" in python(tmp_path, SEED).stdout
    before = python(tmp_path, CHECK).stdout.split()
    assert before[:2] == ["1", "True"], before
    assert aigaq(tmp_path, "key", "shares", "--json").returncode == 0
    return (tmp_path / "config" / "aigaq" / "key").read_text().strip(), Path(before[2])


def _assert_rotated(tmp_path: Path, old_key: str, old_media: Path) -> None:
    key_file = tmp_path / "config" / "aigaq" / "key"
    new_key = key_file.read_text().strip()
    assert new_key != old_key and len(new_key) == 64
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    after = python(tmp_path, CHECK)
    lines = after.stdout.split()
    assert lines[:2] == ["1", "True"], after.stderr
    assert Path(lines[2]) != old_media and not old_media.exists()
    data = tmp_path / "data"
    assert not (data / "key-rotation.json").exists()
    assert not (tmp_path / "config" / "aigaq" / "key.new").exists()
    sealed = list(data.rglob("*.sealed"))
    assert len(sealed) == 1
    # The old shares are gone with the old key: a lock asks for new ones.
    refused = aigaq(tmp_path, "lock")
    assert refused.returncode != 0 and "No key shares" in refused.stderr
    # The old key opens nothing any more.
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(data / "aigaq.db"))
    conn.execute(f"PRAGMA key = \"x'{old_key}'\"")
    with pytest.raises(sqlcipher.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def test_rotate_rekeys_the_database_and_reseals_the_media(tmp_path: Path) -> None:
    old_key, old_media = _installation(tmp_path)
    refused = aigaq(tmp_path, "key", "rotate", stdin="no\n")
    assert refused.returncode != 0
    assert (tmp_path / "config" / "aigaq" / "key").read_text().strip() == old_key
    result = aigaq(tmp_path, "key", "rotate", "--yes")
    assert result.returncode == 0, result.stderr
    assert "make new ones now" in result.stdout
    _assert_rotated(tmp_path, old_key, old_media)


@pytest.mark.parametrize("step", ["resealed", "rekeyed"])
def test_an_interrupted_rotation_is_finished_by_running_it_again(tmp_path: Path, step: str) -> None:
    old_key, old_media = _installation(tmp_path)
    cut = python(tmp_path, INTERRUPTED.replace("sys.argv[1]", repr(step)))
    assert f"interrupted after {step}" in cut.stderr
    journal = tmp_path / "data" / "key-rotation.json"
    assert set(json.loads(journal.read_text())) == {"old", "new"}
    resumed = aigaq(tmp_path, "key", "rotate", "--yes")
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming" in resumed.stdout
    _assert_rotated(tmp_path, old_key, old_media)


def test_rotate_refuses_while_aigaq_serves(tmp_path: Path) -> None:
    old_key, _media = _installation(tmp_path)
    import os

    run = tmp_path / "data" / "run"
    run.mkdir(exist_ok=True)
    (run / f"serve-{os.getpid()}.pid").write_text(f"{os.getpid()}\n")
    result = aigaq(tmp_path, "key", "rotate", "--yes")
    assert result.returncode != 0 and "Stop aigaq serve" in result.stderr
    assert (tmp_path / "config" / "aigaq" / "key").read_text().strip() == old_key
    assert not (tmp_path / "data" / "key-rotation.json").exists()
