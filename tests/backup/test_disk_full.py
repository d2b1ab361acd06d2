"""A destination that fills during a backup: a clear message, the earlier snapshot intact."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aigaq.backups import restic
from aigaq.backups.models import BackupDestination
from aigaq.backups.services import _error_sentence, backup_run, backup_verify, destination_add
from tests.backup.conftest import add_media

pytestmark = pytest.mark.timeout(600)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs (the suite runs as root here and in CI; elsewhere the simulated test
    below covers the message)."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_destination_that_fills_keeps_its_earlier_snapshot_and_says_so(
    transactional_db: Any, data_folder: Path, small_disk: Path, capsys: Any
) -> None:
    add_media(2)
    destination_add(actor=None, name="usb", url=str(small_disk / "repo"))
    first = backup_run()
    assert first.ok, first.as_dict()
    good = BackupDestination.objects.get()
    free = shutil.disk_usage(small_disk).free
    add_media(1, size=free + 4 * 1024 * 1024)  # random bytes: restic cannot shrink them

    with pytest.raises(CommandError, match="every destination"):
        call_command("backup")

    err = capsys.readouterr().err
    assert "usb is full" in err and "earlier snapshots are intact" in err
    failed = BackupDestination.objects.get()
    assert failed.last_ok_at == good.last_ok_at and failed.last_snapshot == good.last_snapshot
    assert "is full" in failed.last_error
    # The earlier snapshot is still the latest, whole, and restores to what it held.
    repo = restic.Repository(str(small_disk / "repo"), restic.repository_password())
    (only,) = repo.snapshots()
    assert only["short_id"] == good.last_snapshot[:8]
    report = backup_verify(source="usb")
    assert report.ok and report.media_checked == 2
    assert not (data_folder / ".backup").exists()  # the staged copy is gone


def test_restics_no_space_message_is_read_as_a_full_destination() -> None:
    """The same message where no tmpfs can be mounted: restic's ENOSPC output, simulated."""
    stderr = (
        "Fatal: unable to save snapshot: Save(<data/3f1c2a>): write /mnt/usb/repo/data/3f/"
        "3f1c2a: no space left on device\n"
    )
    kind, _message = restic.classify(stderr)
    assert kind == "disk_full"
    sentence = _error_sentence(restic.ResticError(kind, "", stderr), "usb")
    assert "usb is full" in sentence and "earlier snapshots are intact" in sentence


def test_a_restic_that_keeps_retrying_on_enospc_is_stopped_as_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """restic 0.14 retries a failed pack for minutes and removes it each time, so the disk's free
    space comes back between tries: the watcher reads restic's own ENOSPC lines instead. A
    stand-in restic says so once and keeps running; it is interrupted as a full destination
    while the disk has plenty of room."""
    fake = tmp_path / "bin" / "restic"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        "trap 'echo interrupted >&2; exit 130' INT\n"
        "echo 'Save(<data/3f1c2a>) returned error, retrying after 552ms: "
        "write /mnt/usb/repo/data/3f/3f1c2a: no space left on device' >&2\n"
        "while :; do sleep 0.1; done\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(restic, "FULL_GRACE_SECONDS", 1.0)
    monkeypatch.setattr(restic, "WATCH_SECONDS", 0.2)
    repo = restic.Repository(str(tmp_path / "repo"), "not-a-real-password")

    with pytest.raises(restic.ResticError) as caught:
        repo.backup(["media"], cwd=tmp_path, exclude=[])

    assert caught.value.kind == "disk_full"
    assert "no space left on device" in caught.value.detail
    assert "not-a-real-password" not in caught.value.detail


def test_a_restic_that_fails_on_a_roomy_disk_for_another_reason_is_not_called_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "bin" / "restic"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Fatal: wrong password or no key found' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    repo = restic.Repository(str(tmp_path / "repo"), "not-a-real-password")

    with pytest.raises(restic.ResticError) as caught:
        repo.backup(["media"], cwd=tmp_path, exclude=[])

    assert caught.value.kind != "disk_full"
