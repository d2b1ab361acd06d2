"""A content-addressed folder: each original is stored once under its SHA-256."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.conf import settings

CHUNK = 1024 * 1024


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "originals"


def path_for(sha256: str) -> Path:
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


def iter_file(fh: IO[bytes]) -> Iterable[bytes]:
    while chunk := fh.read(CHUNK):
        yield chunk


def verify(sha256: str) -> bool:
    """Fixity check: does the stored file still hash to its name?"""
    digest = hashlib.sha256()
    try:
        with path_for(sha256).open("rb") as fh:
            for chunk in iter_file(fh):
                digest.update(chunk)
    except FileNotFoundError:
        return False
    return digest.hexdigest() == sha256
