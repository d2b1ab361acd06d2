from __future__ import annotations

import mimetypes
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.media import storage
from aigaq.media.models import MediaFile


class MediaTooLarge(ValueError):
    pass


def media_ingest(
    *,
    actor: Any,
    fileobj: IO[bytes],
    original_name: str,
    kind: str = MediaFile.Kind.OTHER,
    restricted: bool = False,
) -> MediaFile:
    """Hash and store a file (streamed), and record it. The same bytes twice give one record;
    bytes ingested for a restricted use (an ID card, or `restricted`) make that record
    restricted, whichever use came first."""
    restricted = restricted or kind in MediaFile.RESTRICTED_KINDS
    limit = int(settings.AIGAQ_MAX_UPLOAD_BYTES)
    try:
        sha, size = storage.store_stream(storage.iter_file(fileobj), max_bytes=limit)
    except ValueError:
        raise MediaTooLarge(f"{original_name} is larger than the limit of {limit} bytes") from None
    with transaction.atomic():
        existing = MediaFile.objects.filter(sha256=sha).first()
        if existing is not None:
            if restricted:
                existing = media_restrict(actor=actor, media=existing)
            return existing
        media = MediaFile.objects.create(
            sha256=sha,
            size=size,
            original_name=original_name[:255],
            content_type=mimetypes.guess_type(original_name)[0] or "",
            kind=kind,
            restricted=restricted,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=media,
            changes={"sha256": [None, sha], "size": [None, size]},
        )
    return media


def media_restrict(*, actor: Any, media: MediaFile) -> MediaFile:
    """Mark a file restricted in all its uses (one of them is restricted: an ID card). Never
    undone here: a file once shown to be an ID card stays restricted."""
    with transaction.atomic():
        current = MediaFile.objects.select_for_update().get(pk=media.pk)
        if current.restricted:
            return current
        current.restricted = True
        current.updated_at = timezone.now()
        current.save(update_fields=["restricted", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes={"restricted": [False, True]},
        )
    return current
