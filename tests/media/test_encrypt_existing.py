"""Clear originals from an older Aigaq are sealed in place, resumably, losing nothing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.media import encrypt_existing as ee
from aigaq.media.crypto import SealedReader, SealedWriter
from aigaq.media.keys import derive_media_keys, media_keys

KEYS = derive_media_keys("cd" * 32)


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = tmp_path / "media" / "originals"
    path.mkdir(parents=True)
    return path


def put_clear(root: Path, data: bytes) -> str:
    """An original as the clear storage wrote it: aa/bb/<sha256>, read-only."""
    sha = hashlib.sha256(data).hexdigest()
    path = root / sha[:2] / sha[2:4] / sha
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.chmod(path, 0o440)
    return sha


def originals(count: int) -> list[bytes]:
    sizes = [0, 1, 300_000, 5_000, 1_000_000, 17, 600_000, 2]
    return [f"testimony {i} ".encode() + os.urandom(sizes[i % len(sizes)]) for i in range(count)]


def sha_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_all_sealed(root: Path, contents: list[bytes], keys: Any = KEYS) -> None:
    sealed = {ee.sealed_path(sha_of(data), keys, root) for data in contents}
    for data in contents:
        with SealedReader.open(ee.sealed_path(sha_of(data), keys, root), keys.encryption) as r:
            assert b"".join(r.iter_all()) == data
    files = {p for p in root.rglob("*") if p.is_file()} - {root / ee.LOCK_NAME}
    # No clear copy, no temporary file: the sealed files and nothing else...
    assert files == sealed
    for path in files:
        assert not any(data[:12] in path.read_bytes() for data in contents)
    # ...and no name or folder left that starts like one of the SHA-256s.
    folders = {p for p in root.rglob("*") if p.is_dir()}
    assert folders == {p.parent for p in sealed} | {p.parent.parent for p in sealed}
    assert not any(sha_of(data) in str(p) for p in files for data in contents)


def test_every_clear_original_is_sealed_checked_and_its_clear_copy_removed(root: Path) -> None:
    contents = originals(8)
    for data in contents:
        put_clear(root, data)
    report = ee.encrypt_existing(keys=KEYS)
    assert (report.sealed, report.finished, report.altered) == (8, 0, [])
    assert report.bytes == sum(len(d) for d in contents)
    assert_all_sealed(root, contents)


def test_a_second_run_finds_nothing_to_do(root: Path) -> None:
    contents = originals(3)
    for data in contents:
        put_clear(root, data)
    ee.encrypt_existing(keys=KEYS)
    report = ee.encrypt_existing(keys=KEYS)
    assert (report.sealed, report.finished, report.temporary_removed) == (0, 0, 0)
    assert_all_sealed(root, contents)


class Interrupted(BaseException):
    """Stands for a power cut or Ctrl-C (a BaseException, like KeyboardInterrupt)."""


@pytest.mark.parametrize("after", [0, 2, 5])
@pytest.mark.parametrize("stage", ["while sealing", "after the rename"])
def test_a_run_interrupted_anywhere_is_finished_by_the_next_with_no_file_lost(
    root: Path, monkeypatch: pytest.MonkeyPatch, stage: str, after: int
) -> None:
    contents = originals(6)
    for data in contents:
        put_clear(root, data)
    calls = {"n": 0}
    if stage == "while sealing":
        real_write = SealedWriter.write

        def write(self: SealedWriter, data: Any) -> int:
            # Every original is read in pieces of 1 MiB at most: one write per file here.
            if calls["n"] == after:
                raise Interrupted
            calls["n"] += 1
            return real_write(self, data)

        monkeypatch.setattr(SealedWriter, "write", write)
    else:
        real_remove = ee._remove_clear

        def remove(clear: Path, top: Path) -> None:
            if calls["n"] == after:
                raise Interrupted  # sealed and renamed into place, clear copy still there
            calls["n"] += 1
            real_remove(clear, top)

        monkeypatch.setattr(ee, "_remove_clear", remove)
    with pytest.raises(Interrupted):
        ee.encrypt_existing(keys=KEYS)
    monkeypatch.undo()
    # Every original is still readable, in clear or sealed, in between.
    for data in contents:
        sha = hashlib.sha256(data).hexdigest()
        clear = root / sha[:2] / sha[2:4] / sha
        assert clear.exists() or ee.sealed_path(sha, KEYS, root).exists()
    report = ee.encrypt_existing(keys=KEYS)
    assert report.sealed + report.finished == len(contents) - after
    assert report.finished == (1 if stage == "after the rename" else 0)
    assert_all_sealed(root, contents)


def test_temporary_files_left_by_a_power_cut_are_removed(root: Path) -> None:
    contents = originals(2)
    for data in contents:
        put_clear(root, data)
    stale = root / "ab" / "cd" / (ee.TEMP_PREFIX + "x1y2")
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a sealed file")
    report = ee.encrypt_existing(keys=KEYS)
    assert report.temporary_removed == 1 and not stale.exists()
    assert_all_sealed(root, contents)


def test_a_damaged_sealed_copy_beside_its_clear_original_is_sealed_again(root: Path) -> None:
    data = b"testimony " + os.urandom(400_000)
    sha = put_clear(root, data)
    target = ee.sealed_path(sha, KEYS, root)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"AIGAQMED" + os.urandom(1000))
    report = ee.encrypt_existing(keys=KEYS)
    assert report.sealed == 1
    assert_all_sealed(root, [data])


def test_a_clear_original_that_no_longer_matches_its_sha256_is_left_and_reported(
    root: Path,
) -> None:
    good = b"testimony good " + os.urandom(1000)
    put_clear(root, good)
    sha = put_clear(root, b"testimony as recorded")
    clear = root / sha[:2] / sha[2:4] / sha
    os.chmod(clear, 0o640)
    clear.write_bytes(b"testimony as damaged")
    report = ee.encrypt_existing(keys=KEYS)
    assert report.altered == [str(clear)] and report.sealed == 1
    assert clear.read_bytes() == b"testimony as damaged"
    assert not ee.sealed_path(sha, KEYS, root).exists()
    assert not list(root.rglob(ee.TEMP_PREFIX + "*"))


def test_a_sealed_copy_under_another_key_stops_the_run_and_changes_nothing(root: Path) -> None:
    data = b"testimony " + os.urandom(5000)
    sha = put_clear(root, data)
    other = derive_media_keys("ce" * 32)
    target = ee.sealed_path(sha, KEYS, root)  # where this key would look for it
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        SealedWriter(out, other.encryption).write(data)
    before = sorted(p for p in root.rglob("*"))
    with pytest.raises(ee.EncryptExistingError, match="another key"):
        ee.encrypt_existing(keys=KEYS)
    assert sorted(p for p in root.rglob("*") if p.name != ee.LOCK_NAME) == before
    assert (root / sha[:2] / sha[2:4] / sha).read_bytes() == data


def test_files_that_are_not_clear_originals_are_left_alone(root: Path) -> None:
    sha = hashlib.sha256(b"x").hexdigest()
    misplaced = root / "00" / "00" / sha  # a SHA-256 name in the wrong folder
    misplaced.parent.mkdir(parents=True)
    misplaced.write_bytes(b"x")
    note = root / "README"
    note.write_text("not media")
    report = ee.encrypt_existing(keys=KEYS)
    assert report.sealed == 0 and misplaced.exists() and note.exists()


def test_the_command_seals_with_the_installation_key_and_says_what_it_did(
    root: Path, capsys: Any
) -> None:
    contents = originals(2)
    for data in contents:
        put_clear(root, data)
    call_command("media", "encrypt-existing")
    out = capsys.readouterr().out
    assert "Originals encrypted: 2" in out
    assert_all_sealed(root, contents, media_keys())


def test_the_command_fails_when_an_original_no_longer_matches(root: Path) -> None:
    sha = put_clear(root, b"testimony as recorded")
    clear = root / sha[:2] / sha[2:4] / sha
    os.chmod(clear, 0o640)
    clear.write_bytes(b"altered")
    with pytest.raises(CommandError, match="1 originals no longer match"):
        call_command("media", "encrypt-existing")
