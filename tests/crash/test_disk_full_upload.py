"""`aigaq media add` onto a disk that fills (an 8 MiB tmpfs as the archive): a clear message,
no record, no half-written file, and the file stored before it intact. (A destination that
fills during a backup: tests/backup/test_disk_full.py.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aigaq.media.fixity import fixity_check
from aigaq.media.models import MediaFile
from tests.crash.conftest import Crash


@pytest.fixture
def small_archive(crash: Crash) -> Iterator[Path]:
    folder = crash.data / "media"
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (tests/media/test_ingest.py simulates it)")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_file_larger_than_the_free_space_is_refused_clearly_and_leaves_nothing(
    crash: Crash, small_archive: Path, tmp_path: Path, transactional_db: Any
) -> None:
    small = tmp_path / "first.bin"
    small.write_bytes(os.urandom(1024 * 1024))
    first = crash.run("media", "add", str(small), "--kind", "other")
    assert first.returncode == 0, first.stderr
    before = sorted(p for p in small_archive.rglob("*") if p.is_file())

    big = tmp_path / "camera-2.bin"
    big.write_bytes(os.urandom(12 * 1024 * 1024))
    full = crash.run("media", "add", str(big), "--kind", "other")
    assert full.returncode != 0 and "Traceback" not in full.stderr
    assert "The disk is full" in full.stderr and "Nothing was saved" in full.stderr
    assert sorted(p for p in small_archive.rglob("*") if p.is_file()) == before
    assert MediaFile.objects.count() == 1
    report = fixity_check()
    assert report.ok == 1 and not report.problems
