"""The archive of originals: each stored once, sealed (encrypted), under a keyed name.

An original's identity is the SHA-256 of its plaintext. It is kept as a sealed file
(aigaq.media.crypto) under the object name originals/cc/dd/<name>.sealed, where <name> is the
keyed hash of that SHA-256 (aigaq.media.keys.disk_name; docs/decisions/0008-media-encryption.md),
in the archive's store (aigaq.media.objects: the folder MEDIA_ROOT, or an S3-compatible bucket;
decision 0032). No clear byte of an original is ever written: `store_stream` seals the bytes
as they arrive, into a temporary `.sealing-*` file of this machine's MEDIA_ROOT/originals, then
hands that sealed file to the store (a rename into place, or an upload). Originals an older
Aigaq left in clear (aa/bb/<sha256>, in a folder store) are read until `aigaq media
encrypt-existing` has sealed them.

`open_original(sha256)` is the one way to read an original.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
import tempfile
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeGuard

from django.conf import settings

from aigaq.core.faults import pause_at
from aigaq.media.objects import ObjectStore, is_folder, object_store

CHUNK = 1024 * 1024
#: A file's identity in the archive: its SHA-256 as 64 lowercase hexadecimal characters,
#: nothing else (MediaFile.sha256 is checked against it by a validator and by a database
#: constraint).
SHA256_PATTERN = r"^[0-9a-f]{64}\Z"
_SHA256 = re.compile(SHA256_PATTERN)
SEALED_SUFFIX = ".sealed"
TEMP_PREFIX = ".sealing-"
# Temporary names an older Aigaq used; swept like ours.
TEMP_PREFIXES = (TEMP_PREFIX, ".incoming-")
# A sealed file's place under originals/ or renditions/: /cc/dd/<64 hex>.sealed.
_NAMED = re.compile(r"^/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.sealed\Z")
# The crash tests stop an ingest once this much is sealed (core/faults.py; inert elsewhere).
FAULT_AFTER_BYTES = 8 * 1024 * 1024


class BadHash(ValueError):
    """A text that is not a SHA-256 in the store's form; never turned into a path."""


class TooLarge(ValueError):
    """More bytes than the limit arrived; nothing was kept."""


class DiskFull(OSError):
    """The disk filled while a file was stored; nothing was kept."""


def is_sha256(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and _SHA256.match(value) is not None


def _check(sha256: str) -> None:
    if not is_sha256(sha256):
        raise BadHash(f"not a SHA-256: {str(sha256)[:80]!r}")


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "originals"


def object_name(sha256: str, keys: Any = None) -> str:
    """The sealed original's name in the archive's store, originals/cc/dd/<name>.sealed.
    Anything but 64 lowercase hexadecimal characters is refused (BadHash), so no text from
    outside (a bundle, a URL) can point outside the store."""
    from aigaq.media.keys import disk_name

    _check(sha256)
    name = disk_name(sha256, keys)
    return f"originals/{name[:2]}/{name[2:4]}/{name}{SEALED_SUFFIX}"


def path_for(sha256: str) -> Path:
    """Where the sealed original with this SHA-256 lives in a folder store (whether or not it
    is there); see object_name."""
    return Path(settings.MEDIA_ROOT) / object_name(sha256)


def clear_path_for(sha256: str) -> Path:
    """Where an older Aigaq kept this original in clear (until encrypt-existing seals it)."""
    _check(sha256)
    return media_root() / sha256[:2] / sha256[2:4] / sha256


def exists(sha256: str) -> bool:
    if object_store().exists(object_name(sha256)):
        return True
    return is_folder() and clear_path_for(sha256).exists()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    # An empty cc/dd folder would still tell the first characters of a name that was here.
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


@dataclass
class Stored:
    sha256: str
    size: int
    placed: bool  # this call put the file in place (the archive did not have it)
    name: str  # its object name in the store


def seal_to(
    chunks: Iterable[bytes], folder: Path, *, max_bytes: int | None = None
) -> tuple[Path, str, int]:
    """Seal the chunks into a new temporary file in `folder` (fsynced), hashing the plaintext
    as it goes. Returns (temporary path, sha256, size). On any error the temporary file is
    removed: a full disk raises DiskFull, more than `max_bytes` raises TooLarge."""
    from aigaq.media.crypto import SealedWriter
    from aigaq.media.keys import media_keys

    key = media_keys().encryption
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            writer = SealedWriter(out, key)
            size = 0
            for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    writer.abort()
                    raise TooLarge("file too large")
                writer.write(chunk)
                if size > FAULT_AFTER_BYTES:
                    pause_at("media.sealing")
            result = writer.close()
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if _disk_full(exc):
            raise DiskFull(exc.errno, "the disk is full") from None
        raise
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return tmp, result.sha256, result.size


def _place(tmp: Path, sha256: str, size: int) -> Stored:
    name = object_name(sha256)
    return Stored(sha256, size, object_store().put(tmp, name), name)


def store_stream(chunks: Iterable[bytes], max_bytes: int | None = None) -> Stored:
    """Seal chunks into a temporary file while hashing, then move it into place under its
    keyed name. Never holds the whole file in memory; never writes a clear byte."""
    tmp, sha, size = seal_to(chunks, media_root(), max_bytes=max_bytes)
    return _place(tmp, sha, size)


def remove(sha256: str) -> bool:
    """Remove the stored original (sealed or clear) and the folders it leaves empty. For
    orphans only: a file a record refers to is never removed."""
    removed = object_store().delete(object_name(sha256))
    if not is_folder():
        return removed
    for path in (clear_path_for(sha256),):
        try:
            os.chmod(path, 0o640)
            path.unlink()
        except FileNotFoundError:
            continue
        removed = True
        _remove_empty_folders(path.parent, media_root())
    return removed


class PlacedGuard:
    """A file just placed in the archive for a record not yet committed. Unless `keep()` is
    called (registered with transaction.on_commit), the file is removed when the guard is
    dropped: a transaction rolled back drops its on-commit callbacks, and with them the guard,
    so a failed save never leaves an orphan."""

    def __init__(self, name: str) -> None:
        self._finalizer = weakref.finalize(self, _remove_object, object_store(), name)

    def keep(self) -> None:
        self._finalizer.detach()

    def discard(self) -> None:
        self._finalizer()


def _remove_object(store: ObjectStore, name: str) -> None:
    store.delete(name)


def _is_sealed(path: Path) -> bool:
    from aigaq.media.crypto import MAGIC

    with path.open("rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def adopt(path: Path, sha256: str) -> bool:
    """Move a file whose plaintext SHA-256 is already known (a field bundle's media, staged
    sealed) into the archive, unless it is there. A sealed file is checked to open under this
    installation's key and renamed (copied across file systems); a clear one is sealed first
    and its hash checked. The staged file is gone afterwards. Returns whether this call put
    the file in place (the archive did not have it)."""
    from aigaq.media.crypto import SealedReader
    from aigaq.media.keys import media_keys

    name = object_name(sha256)
    store = object_store()
    if store.exists(name):
        path.unlink(missing_ok=True)
        return False
    if not _is_sealed(path):
        with path.open("rb") as src:
            tmp, sha, size = seal_to(iter_file(src), media_root())
        if sha != sha256:
            tmp.unlink()
            raise ValueError(f"{path.name} does not hash to {sha256[:12]}")
        placed = _place(tmp, sha, size).placed
        path.unlink()
        return placed
    SealedReader.open(path, media_keys().encryption).close()  # the right key, a whole file
    return store.put(path, name)  # renamed, copied from another file system, or uploaded


def iter_file(fh: IO[bytes]) -> Iterable[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def check(sha256: str) -> str:
    """Fixity of one original, decrypted as it is re-hashed: "ok", "missing", "altered" (the
    bytes no longer hash to the SHA-256, or the sealed file was tampered with) or "wrong_key"
    (sealed under another media key)."""
    from aigaq.media.crypto import SealedError, SealedWrongKey

    if not is_sha256(sha256):
        return "missing"
    try:
        reader = open_original(sha256)
    except FileNotFoundError:
        return "missing"
    except SealedWrongKey:
        return "wrong_key"
    except SealedError:
        return "altered"
    digest = hashlib.sha256()
    try:
        with reader:
            for chunk in reader.iter_range(0, None):
                digest.update(chunk)
    except SealedError:
        return "altered"
    return "ok" if digest.hexdigest() == sha256 else "altered"


def verify(sha256: str) -> bool:
    """Fixity check: does the stored original still decrypt to bytes hashing to its SHA-256?"""
    return check(sha256) == "ok"


def stored_files(root: Path | None = None) -> Iterator[Path]:
    """Every file under the archive folder (sealed, clear or temporary), lock files aside."""
    root = root or media_root()
    if not root.is_dir():
        return
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.startswith(".encrypt-existing"):
                continue
            yield Path(dirpath) / name


class ClearReader(io.FileIO):
    """An original an older Aigaq stored in clear (until `aigaq media encrypt-existing` has
    sealed it), read through the same interface as crypto.SealedReader."""

    @property
    def size(self) -> int:
        return os.fstat(self.fileno()).st_size

    def iter_range(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Bytes start..end (end exclusive; None: to the end), in pieces."""
        stop = self.size if end is None else min(end, self.size)
        self.seek(start)
        while (left := stop - self.tell()) > 0:
            chunk = self.read(min(CHUNK, left))
            if not chunk:
                break
            yield chunk


def open_original(sha256: str) -> Any:
    """The original with this SHA-256, decrypted as it is read: a crypto.SealedReader (seekable,
    `iter_range(start, end)` for HTTP Range requests, `size` of the plaintext), or a ClearReader with
    the same interface for an original not yet sealed. FileNotFoundError when neither exists;
    crypto.SealedWrongKey when the media key in use did not seal it (never garbage bytes)."""
    store = object_store()
    try:
        return open_sealed(store, object_name(sha256))
    except FileNotFoundError:
        if not is_folder():
            check_archive_key()
            raise
    try:
        return ClearReader(clear_path_for(sha256), "rb")
    except FileNotFoundError:
        # Under another key every file has another name: say so rather than "missing".
        check_archive_key()
        raise


def open_sealed(store: ObjectStore, name: str, key: bytes | None = None) -> Any:
    """The sealed file `name` of the store, decrypted as it is read (crypto.SealedReader, which
    closes the file with itself). FileNotFoundError when it is not there."""
    from aigaq.media.crypto import SealedReader
    from aigaq.media.keys import media_keys

    fh = store.open(name)
    try:
        reader = SealedReader(fh, key or media_keys().encryption, name=name)
    except BaseException:
        fh.close()
        raise
    reader._owns = True
    return reader


def check_archive_key(prefix: str = "originals") -> None:
    """Raise crypto.SealedWrongKey when the sealed files under `prefix` of the archive
    ("originals", "renditions") were sealed with another media key (another database key is in
    use): files would seem missing, and orphaned, when they are only locked. Looks at one
    sealed file; nothing when there is none."""
    from aigaq.media.crypto import SealedError, SealedWrongKey
    from aigaq.media.keys import media_keys

    store = object_store()
    key = media_keys().encryption
    for name, _mtime in store.entries(prefix):
        if not _NAMED.match(name[len(prefix) :]):
            continue
        try:
            open_sealed(store, name, key).close()
        except SealedWrongKey:
            raise SealedWrongKey(
                "The media key in use does not open the media archive: its files were sealed "
                "with another key. Check which database key this Aigaq uses (the media key is "
                "derived from it); nothing was changed."
            ) from None
        except SealedError:
            continue  # one damaged file says nothing of the key: try another
        return
