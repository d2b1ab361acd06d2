"""kill -9 of `aigaq backup` (and of the restic it runs) in the middle of sending a snapshot:
the earlier snapshot stays whole and restorable, and the next backup succeeds. On SQLCipher
and on PostgreSQL (pg_dump)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from aigaq.backups import restic
from aigaq.backups.models import BackupDestination
from aigaq.backups.services import backup_verify, destination_add
from tests.backup.conftest import add_media
from tests.crash.conftest import WAIT, Crash, kill_group

# On both engines: the snapshot of the database differs (the SQLite backup API, pg_dump).


def test_a_backup_killed_mid_way_keeps_the_earlier_snapshot_and_the_next_one_succeeds(
    crash: Crash, tmp_path: Path, transactional_db: Any
) -> None:
    repo_path = tmp_path / "usb" / "repo"
    destination_add(actor=None, name="usb", url=str(repo_path))
    add_media(2)
    first = crash.run("backup")
    assert first.returncode == 0, first.stdout + first.stderr
    good = BackupDestination.objects.get()
    repo = restic.Repository(str(repo_path), restic.repository_password())
    assert len(repo.snapshots()) == 1

    add_media(3, size=6 * 1024 * 1024)  # random bytes: restic has real work to do
    process = crash.start("backup")
    locks = repo_path / "locks"
    deadline = time.monotonic() + WAIT
    while not any(locks.iterdir()):  # restic holds its lock: the backup is being sent
        assert process.poll() is None, process.stdout.read() if process.stdout else ""
        assert time.monotonic() < deadline, "restic never took its lock"
        time.sleep(0.02)
    kill_group(process)

    # The earlier snapshot is whole (whatever the killed one left is not a snapshot) and the
    # destination still names it as the last good one.
    after = BackupDestination.objects.get()
    assert after.last_snapshot == good.last_snapshot and after.last_ok_at == good.last_ok_at
    assert good.last_snapshot[:8] in [s["short_id"] for s in repo.snapshots()]
    assert backup_verify(source="usb").ok

    again = crash.run("backup")
    assert again.returncode == 0, again.stdout + again.stderr
    newest = BackupDestination.objects.get()
    assert newest.last_snapshot != good.last_snapshot and newest.last_error == ""
    report = backup_verify(source="usb")
    assert report.ok and report.media_checked == 5
