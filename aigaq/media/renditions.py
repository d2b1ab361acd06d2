"""Renditions (media.Rendition): files derived from an original, sealed like the originals.

A rendition's plaintext is sealed under the media encryption key and kept in the archive's
store (aigaq.media.objects: MEDIA_ROOT or an S3-compatible bucket) as
renditions/cc/dd/<name>.sealed, where <name> is the keyed hash (keys.disk_name) of its own
plaintext SHA-256: like an original, nobody holding the data folder can tell which known file
it is. No rendition is ever written in clear, not even for a moment: the jobs pipe
ffmpeg's output into `rendition_pending()` (sealed as it streams, in a temporary file of the
renditions folder), read it back decrypted if they must (`PendingRendition.open`, through the
loopback feed for ffprobe), then `rendition_save` moves it into place and records it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from aigaq.media.crypto import SealedReader, SealedWriter
from aigaq.media.keys import disk_name, media_keys
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.objects import object_store

READ_SIZE = 1024 * 1024


def renditions_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "renditions"


def rendition_name(sha256: str, keys: Any = None) -> str:
    """The rendition's object name in the archive's store."""
    name = disk_name(sha256, keys)
    return f"renditions/{name[:2]}/{name[2:4]}/{name}.sealed"


def rendition_path(sha256: str) -> Path:
    """Where the rendition lives in a folder store."""
    return Path(settings.MEDIA_ROOT) / rendition_name(sha256)


class PendingRendition:
    """A rendition being written: plaintext goes in with `write()` (from a pipe, say) and is
    sealed as it streams into a temporary file of the renditions folder; `finish()` ends it,
    after which `open()` reads it back decrypted (to probe it, say) and `rendition_save`
    records it. No clear byte reaches the disk. Use it through `rendition_pending()`, which
    removes the temporary file unless it was saved."""

    def __init__(self) -> None:
        root = renditions_root()
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=root, prefix=".sealing-")
        self.path: Path | None = Path(tmp)
        self._out = os.fdopen(fd, "wb")
        self._key = media_keys().encryption
        self._writer = SealedWriter(self._out, self._key)
        self.sha256 = ""
        self.size = 0
        self.finished = False

    def write(self, data: bytes | bytearray | memoryview) -> int:
        return self._writer.write(data)

    def finish(self) -> None:
        if self.finished:
            return
        result = self._writer.close()
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        self.sha256, self.size, self.finished = result.sha256, result.size, True

    def open(self) -> SealedReader:
        if not self.finished or self.path is None:
            raise ValueError("a pending rendition is read only once finished")
        return SealedReader.open(self.path, self._key)

    def discard(self) -> None:
        if not self.finished:
            self._writer.abort()
        if not self._out.closed:
            self._out.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


@contextmanager
def rendition_pending() -> Iterator[PendingRendition]:
    """A PendingRendition, removed on leaving the block unless `rendition_save` kept it."""
    pending = PendingRendition()
    try:
        yield pending
    finally:
        pending.discard()


def rendition_save(
    pending: PendingRendition,
    *,
    media: MediaFile,
    kind: str,
    content_type: str,
    params: dict[str, Any] | None = None,
    actor: Any = None,
    replace: bool = True,
) -> Rendition:
    """Move the sealed file of `pending` into place and record it as a rendition of `media`.
    With `replace`, earlier renditions of that kind are removed (rows and files)."""
    pending.finish()
    if pending.path is None:
        raise ValueError("this pending rendition was discarded")
    sha = pending.sha256
    store = object_store()
    store.put(pending.path, rendition_name(sha))  # a rename into place, or an upload
    pending.path = None
    with transaction.atomic():
        old = list(Rendition.objects.filter(media=media, kind=kind)) if replace else []
        rendition = Rendition.objects.create(
            media=media,
            kind=kind,
            sha256=sha,
            size=pending.size,
            content_type=content_type,
            params=params or {},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for r in old:
            r.delete()
            if r.sha256 != sha and not Rendition.objects.filter(sha256=r.sha256).exists():
                transaction.on_commit(partial(store.delete, rendition_name(r.sha256)))
    return rendition


def rendition_store(
    *,
    media: MediaFile,
    kind: str,
    source: Path,
    content_type: str,
    params: dict[str, Any] | None = None,
    actor: Any = None,
    replace: bool = True,
) -> Rendition:
    """Seal the file `source` as a rendition of `media` and record it (the caller removes
    `source`). The jobs never write a clear rendition: they stream ffmpeg's output into a
    `rendition_pending()`; this is for files that exist already (tests, imports)."""
    with rendition_pending() as pending, source.open("rb") as src:
        while chunk := src.read(READ_SIZE):
            pending.write(chunk)
        return rendition_save(
            pending,
            media=media,
            kind=kind,
            content_type=content_type,
            params=params,
            actor=actor,
            replace=replace,
        )


def rendition_open(rendition: Rendition) -> SealedReader:
    """The rendition's plaintext, decrypted as it is read (seekable; iter_range for HTTP
    Range requests). Raises FileNotFoundError when the sealed file is missing."""
    return rendition_open_sha(rendition.sha256)


def rendition_open_sha(sha256: str) -> SealedReader:
    """The rendition with this plaintext SHA-256, as rendition_open."""
    from aigaq.media.storage import open_sealed

    reader: SealedReader = open_sealed(object_store(), rendition_name(sha256))
    return reader


def rendition_latest(media: MediaFile, kind: str) -> Rendition | None:
    return Rendition.objects.filter(media=media, kind=kind).order_by("-created_at").first()
