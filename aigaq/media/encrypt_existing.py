"""Encrypt in place the originals an older Aigaq stored in clear.

Before the media archive was encrypted, an original lived in clear at
MEDIA_ROOT/originals/aa/bb/<sha256>. Sealed, it lives at MEDIA_ROOT/originals/cc/dd/<name>.sealed
where <name> = disk_name(sha256) (a keyed hash: aigaq.media.keys) and cc/dd its first four
characters. The suffix tells the two apart for as long as both kinds share the folder.

For each clear original, `encrypt_existing` seals it to a temporary file beside its final place,
fsyncs it, decrypts it again and checks that the plaintext hashes to the SHA-256 in its name,
renames it into place (atomic), fsyncs the folder, and only then removes the clear copy. Cut
off at any point (power, Ctrl-C, a full disk) and run again, it finishes the job: a file is
either still in clear, or sealed and checked, or both (then the sealed copy is checked again
before the clear one goes); temporary files left by the cut-off run are removed. A clear file
whose bytes no longer match its name is left where it is and reported, never sealed under a
name it does not deserve.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from aigaq.media.crypto import SealedError, SealedReader, SealedWriter, SealedWrongKey
from aigaq.media.keys import SHA256_HEX, MediaKeys, disk_name, media_keys

SEALED_SUFFIX = ".sealed"
TEMP_PREFIX = ".sealing-"
LOCK_NAME = ".encrypt-existing.lock"
READ_SIZE = 1024 * 1024


class EncryptExistingError(Exception):
    """The run cannot go on (another run holds the lock, the media key is not the one that
    sealed the files already there); nothing was lost."""


def originals_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "originals"


def sealed_path(sha256: str, keys: MediaKeys | None = None, root: Path | None = None) -> Path:
    """Where the sealed original with this plaintext SHA-256 lives."""
    name = disk_name(sha256, keys)
    return (root or originals_root()) / name[:2] / name[2:4] / (name + SEALED_SUFFIX)


def clear_originals(root: Path) -> Iterator[Path]:
    """Clear originals as an older Aigaq stored them: aa/bb/<sha256>, with aa/bb its start."""
    if not root.is_dir():
        return
    for first in sorted(root.iterdir()):
        if len(first.name) != 2 or not first.is_dir():
            continue
        for second in sorted(first.iterdir()):
            if len(second.name) != 2 or not second.is_dir():
                continue
            for path in sorted(second.iterdir()):
                name = path.name
                if (
                    SHA256_HEX.fullmatch(name)
                    and name[:2] == first.name
                    and name[2:4] == second.name
                    and path.is_file()
                ):
                    yield path


@dataclass
class EncryptReport:
    sealed: int = 0  # clear originals sealed, checked and removed in this run
    finished: int = 0  # already sealed by a cut-off run: checked again, clear copy removed
    bytes: int = 0
    temporary_removed: int = 0  # temporary files a cut-off run left behind
    altered: list[str] = field(default_factory=list)  # clear files that no longer match

    @property
    def ok(self) -> bool:
        return not self.altered


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sealed_matches(path: Path, sha256: str, keys: MediaKeys) -> bool:
    """Does the sealed file decrypt to bytes hashing to sha256? A wrong key stops the run."""
    try:
        with SealedReader.open(path, keys.encryption) as reader:
            return reader.sha256() == sha256
    except SealedWrongKey as exc:
        raise EncryptExistingError(
            f"{exc} The files sealed so far were sealed with another key: nothing was changed."
        ) from None
    except SealedError:
        return False


def _remove_empty_folders(folder: Path, root: Path) -> None:
    # Empty aa/bb folders would still tell the first characters of a SHA-256 that was here.
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _remove_clear(clear: Path, root: Path) -> None:
    os.unlink(clear)
    _fsync_dir(clear.parent)
    _remove_empty_folders(clear.parent, root)


def _seal_one(clear: Path, keys: MediaKeys, root: Path, report: EncryptReport) -> None:
    sha256 = clear.name
    target = sealed_path(sha256, keys, root)
    if target.exists() and _sealed_matches(target, sha256, keys):
        _remove_clear(clear, root)
        report.finished += 1
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, clear.open("rb") as src:
            writer = SealedWriter(out, keys.encryption)
            while piece := src.read(READ_SIZE):
                writer.write(piece)
            result = writer.close()
            out.flush()
            os.fsync(out.fileno())
        if result.sha256 != sha256:
            tmp.unlink()
            report.altered.append(str(clear))
            return
        if not _sealed_matches(tmp, sha256, keys):
            raise EncryptExistingError(
                f"The sealed copy of {clear} does not read back as written (a failing disk?); "
                "the clear file was kept."
            )
        os.chmod(tmp, 0o440)
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _remove_clear(clear, root)
    report.sealed += 1
    report.bytes += result.size


def _remove_temporaries(root: Path) -> int:
    count = 0
    for tmp in root.glob(f"*/*/{TEMP_PREFIX}*"):
        tmp.unlink()
        _remove_empty_folders(tmp.parent, root)
        count += 1
    return count


def encrypt_existing(
    *, root: Path | None = None, keys: MediaKeys | None = None, progress: str | None = None
) -> EncryptReport:
    """Seal every clear original under `root` (MEDIA_ROOT/originals). Resumable; see above.
    `progress`: the label of a progress bar (in bytes) on stderr; none without it."""
    root = root or originals_root()
    keys = keys or media_keys()
    report = EncryptReport()
    if not root.is_dir():
        return report
    with open(root / LOCK_NAME, "a+b") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EncryptExistingError(
                "Another `aigaq media encrypt-existing` is running on this data folder; "
                "let it finish."
            ) from None
        report.temporary_removed = _remove_temporaries(root)
        todo = list(clear_originals(root))
        from tqdm import tqdm

        total = sum(path.stat().st_size for path in todo)
        with tqdm(
            total=total, unit="B", unit_scale=True, desc=progress, disable=progress is None
        ) as bar:
            for clear in todo:
                size = clear.stat().st_size
                _seal_one(clear, keys, root, report)
                bar.update(size)
    return report
