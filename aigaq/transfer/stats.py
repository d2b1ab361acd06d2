"""What an instance holds, in numbers anyone can compare: the count of every kind of record
(each model of Aigaq's apps) and one digest over the SHA-256 of every media file. Two
instances that hold the same records and the same files give the same answer (a move to
PostgreSQL, an archive imported elsewhere, a restored backup)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS

from aigaq.media.models import MediaFile


def record_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """{"app.model": rows} for every model of Aigaq's apps, sorted by name, in the database
    ``using`` names (`aigaq migrate-to` asks its target too)."""
    counts = {}
    for model in apps.get_models():
        if not model.__module__.startswith("aigaq."):
            continue
        counts[model._meta.label_lower] = model._default_manager.using(using).count()
    return dict(sorted(counts.items()))


def media_digest(using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    """(files, digest): the SHA-256 of the sorted SHA-256 hashes of every media file, one per
    line ("\\n" after each), in hexadecimal. Read in order from the hash's unique index."""
    digest = hashlib.sha256()
    files = 0
    hashes = MediaFile.objects.using(using).order_by("sha256").values_list("sha256", flat=True)
    for sha in hashes.iterator(chunk_size=5000):
        digest.update(sha.encode("ascii") + b"\n")
        files += 1
    return files, digest.hexdigest()


def instance_stats(using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    files, digest = media_digest(using)
    return {"records": record_counts(using), "media": {"files": files, "sha256_digest": digest}}
