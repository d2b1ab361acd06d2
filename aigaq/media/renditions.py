"""Renditions (media.Rendition): files derived from an original, sealed like the originals.

A rendition's plaintext is sealed under the media encryption key at
MEDIA_ROOT/renditions/cc/dd/<name>.sealed, where <name> is the keyed hash (keys.disk_name) of
its own plaintext SHA-256: like an original, nobody holding the data folder can tell which
known file it is. Writers make the rendition in a temporary folder (make sure it is inside
the data folder's tmp and removed at once: the clear copy must not outlive the call), then
call `rendition_store`.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from aigaq.media.crypto import SealedReader, SealedWriter
from aigaq.media.keys import disk_name, media_keys
from aigaq.media.models import MediaFile, Rendition

READ_SIZE = 1024 * 1024


def renditions_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "renditions"


def rendition_path(sha256: str) -> Path:
    name = disk_name(sha256)
    return renditions_root() / name[:2] / name[2:4] / (name + ".sealed")


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
    """Seal the clear file `source` as a rendition of `media` and record it (the caller removes
    `source`). With `replace`, earlier renditions of that kind are removed (rows and files)."""
    keys = media_keys()
    root = renditions_root()
    root.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".sealing-")
    try:
        with os.fdopen(fd, "wb") as out:
            writer = SealedWriter(out, keys.encryption)
            with source.open("rb") as src:
                while chunk := src.read(READ_SIZE):
                    digest.update(chunk)
                    size += len(chunk)
                    writer.write(chunk)
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = rendition_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    with transaction.atomic():
        old = list(Rendition.objects.filter(media=media, kind=kind)) if replace else []
        rendition = Rendition.objects.create(
            media=media,
            kind=kind,
            sha256=sha,
            size=size,
            content_type=content_type,
            params=params or {},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for r in old:
            r.delete()
            if r.sha256 != sha and not Rendition.objects.filter(sha256=r.sha256).exists():
                transaction.on_commit(partial(_unlink, rendition_path(r.sha256)))
    return rendition


def _unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


def rendition_open(rendition: Rendition) -> SealedReader:
    """The rendition's plaintext, decrypted as it is read (seekable; iter_range for HTTP
    Range requests). Raises FileNotFoundError when the sealed file is missing."""
    return SealedReader.open(rendition_path(rendition.sha256), media_keys().encryption)


def rendition_latest(media: MediaFile, kind: str) -> Rendition | None:
    return Rendition.objects.filter(media=media, kind=kind).order_by("-created_at").first()
