"""A content-addressed folder: each original is stored once under its SHA-256."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeGuard

from django.conf import settings

CHUNK = 1024 * 1024
#: A file's name in the store: its SHA-256 as 64 lowercase hexadecimal characters, nothing else
#: (MediaFile.sha256 is checked against it by a validator and by a database constraint).
SHA256_PATTERN = r"^[0-9a-f]{64}\Z"
_SHA256 = re.compile(SHA256_PATTERN)


class BadHash(ValueError):
    """A text that is not a SHA-256 in the store's form; never turned into a path."""


def is_sha256(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and _SHA256.match(value) is not None


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "originals"


def path_for(sha256: str) -> Path:
    """Where the file with this hash lives. Anything but 64 lowercase hexadecimal characters
    is refused (BadHash), so no text from outside (a bundle, a URL) can point outside the
    store."""
    if not is_sha256(sha256):
        raise BadHash(f"not a SHA-256: {str(sha256)[:80]!r}")
    return media_root() / sha256[:2] / sha256[2:4] / sha256


def store_stream(chunks: Iterable[bytes], max_bytes: int | None = None) -> tuple[str, int]:
    """Write chunks to a temporary file while hashing, then move it into place.
    Never holds the whole file in memory. Returns (sha256, size)."""
    root = media_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise ValueError("file too large")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = path_for(sha)
        if final.exists():
            os.unlink(tmp)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            os.chmod(final, 0o440)
        return sha, size
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def adopt(path: Path, sha256: str) -> None:
    """Move a file whose hash is already known (checked as it was unpacked: a field bundle's
    media) into the store under that hash, unless the store has it. The same file system: a
    rename; another: a copy into the store, then a rename."""
    final = path_for(sha256)
    if final.exists():
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    with path.open("rb") as fh:
        os.fsync(fh.fileno())
    try:
        os.replace(path, final)
    except OSError:  # another file system
        fd, tmp = tempfile.mkstemp(dir=media_root(), prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out, path.open("rb") as src:
                shutil.copyfileobj(src, out, CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, final)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    os.chmod(final, 0o440)


def iter_file(fh: IO[bytes]) -> Iterable[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def verify(sha256: str) -> bool:
    """Fixity check: does the stored file still hash to its name?"""
    if not is_sha256(sha256):
        return False
    digest = hashlib.sha256()
    try:
        with path_for(sha256).open("rb") as fh:
            for chunk in iter_file(fh):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == sha256


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
    the same interface for an original not yet sealed. FileNotFoundError when neither exists."""
    from aigaq.media.crypto import SealedReader
    from aigaq.media.encrypt_existing import sealed_path
    from aigaq.media.keys import media_keys

    if not is_sha256(sha256):
        raise BadHash(f"not a SHA-256: {str(sha256)[:80]!r}")
    sealed = sealed_path(sha256)
    if sealed.exists():
        return SealedReader.open(sealed, media_keys().encryption)
    return ClearReader(path_for(sha256), "rb")
