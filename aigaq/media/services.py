from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.faults import pause_at
from aigaq.core.models import AuditEntry
from aigaq.media import storage
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.probe import NotMedia, ProbeResult, probe


class MediaRefused(ValueError):
    """A file not taken into the archive, with one sentence for whoever gave it. Nothing was
    stored and no record changed."""


class MediaTooLarge(MediaRefused):
    pass


class MediaNotAccepted(MediaRefused):
    """Not what it was given as (a text file as a video, a video cut short), empty, or with a
    name that is not a plain file name."""


class MediaDiskFull(MediaRefused):
    pass


@dataclass
class Ingested:
    media: MediaFile
    new: bool  # the archive did not have these bytes before


def _limit_mb() -> int:
    return max(1, int(settings.AIGAQ_MAX_UPLOAD_BYTES) // (1024 * 1024))


def check_file_name(name: str) -> str:
    """A file's own name, as it is kept beside it: no folder part, no `..`, no control
    characters (it is shown on pages and written into exports, never used as a path)."""
    text = str(name or "")
    if (
        "/" in text
        or "\\" in text
        or text.strip() in ("", ".", "..")
        or text.startswith("..")
        or any(ord(c) < 32 or ord(c) == 127 for c in text)
    ):
        raise MediaNotAccepted(
            _(
                "The file name “%(name)s” is not a plain file name (it holds a folder part, "
                "“..” or control characters); rename the file and try again."
            )
            % {"name": text[:80].encode("unicode_escape").decode("ascii")}
        )
    return text[:255]


def guess_kind(name: str) -> str:
    """The kind a file's name suggests (for the command line, when --kind is not given)."""
    content_type = mimetypes.guess_type(name)[0] or ""
    if content_type.startswith("video/"):
        return MediaFile.Kind.VIDEO
    if content_type.startswith("audio/"):
        return MediaFile.Kind.AUDIO
    if content_type.startswith("image/"):
        return MediaFile.Kind.PHOTO
    if content_type == "application/pdf":
        return MediaFile.Kind.DOCUMENT
    return MediaFile.Kind.OTHER


def media_add(
    *,
    actor: Any,
    fileobj: IO[bytes] | Any,
    original_name: str,
    kind: str = MediaFile.Kind.OTHER,
    restricted: bool = False,
) -> Ingested:
    """Check what the file is by its content (aigaq.media.probe), then hash, seal and store it
    (streamed) and record it with its size, SHA-256 and probed metadata. The same bytes twice
    give one record; bytes ingested for a restricted use (an ID card, or `restricted`) make
    that record restricted, whichever use came first.

    Refusals (MediaRefused and its kinds) store nothing and change no record. A file placed in
    the archive for a new record is removed again if the caller's transaction rolls back."""
    if kind not in MediaFile.Kind.values:
        raise MediaNotAccepted(_("Unknown kind of file."))
    name = check_file_name(original_name)
    restricted = restricted or kind in MediaFile.RESTRICTED_KINDS
    limit = int(settings.AIGAQ_MAX_UPLOAD_BYTES)
    too_large = MediaTooLarge(
        _("The file is too large (the limit is %(mb)s MB). Nothing was saved.")
        % {"mb": _limit_mb()}
    )
    size_hint = getattr(fileobj, "size", None)
    if isinstance(size_hint, int) and size_hint > limit:
        raise too_large
    try:
        probed = probe(fileobj, kind)
    except NotMedia as exc:
        raise MediaNotAccepted(str(exc)) from None
    try:
        stored = storage.store_stream(storage.iter_file(fileobj), max_bytes=limit)
    except storage.TooLarge:
        raise too_large from None
    except storage.DiskFull:
        raise MediaDiskFull(
            _("The disk is full: the file could not be stored. Nothing was saved; free some space.")
        ) from None
    guard = storage.PlacedGuard(stored.name) if stored.placed else None
    try:
        result = _record(actor, stored, name, kind, restricted, probed, guard)
    except BaseException:
        if guard is not None:
            guard.discard()
        raise
    return result


def _record(
    actor: Any,
    stored: storage.Stored,
    name: str,
    kind: str,
    restricted: bool,
    probed: ProbeResult,
    guard: storage.PlacedGuard | None,
) -> Ingested:
    with transaction.atomic():
        existing = MediaFile.objects.filter(sha256=stored.sha256).first()
        if existing is not None:
            if guard is not None:  # the record's file was missing: this restores it
                guard.keep()
            if restricted:
                existing = media_restrict(actor=actor, media=existing)
            return Ingested(existing, False)
        media = MediaFile.objects.create(
            sha256=stored.sha256,
            size=stored.size,
            original_name=name,
            content_type=probed.content_type or mimetypes.guess_type(name)[0] or "",
            kind=kind,
            restricted=restricted,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **probed.fields(),
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=media,
            changes={"sha256": [None, stored.sha256], "size": [None, stored.size]},
        )
        if guard is not None:
            transaction.on_commit(guard.keep)
        pause_at("media.recorded")
    return Ingested(media, True)


def media_ingest(
    *,
    actor: Any,
    fileobj: IO[bytes] | Any,
    original_name: str,
    kind: str = MediaFile.Kind.OTHER,
    restricted: bool = False,
) -> MediaFile:
    """media_add, returning the record."""
    return media_add(
        actor=actor, fileobj=fileobj, original_name=original_name, kind=kind, restricted=restricted
    ).media


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


def _uses() -> list[tuple[Any, str]]:
    """(model, field name) of every record that uses a MediaFile (a testimony's file, a
    person's photo...), found from the relations themselves so that this layer names none of
    them. Renditions are derived files, not uses."""
    out = []
    for rel in MediaFile._meta.get_fields(include_hidden=True):
        if rel.auto_created and not rel.concrete and rel.is_relation:
            model = rel.related_model
            if model is Rendition or model is None:
                continue
            out.append((model, rel.field.attname))  # type: ignore[union-attr]
    return out


def media_unattached() -> Any:
    """Originals kept in the archive that no record uses yet (`aigaq media add` without
    --testimony): a queryset."""
    used: Q = Q()
    for model, attname in _uses():
        ids = model._base_manager.exclude(**{f"{attname}__isnull": True}).values(attname)
        used |= Q(pk__in=ids)
    return MediaFile.objects.exclude(used) if used else MediaFile.objects.all()


def media_export_to(*, actor: Any, media: MediaFile, out: IO[bytes]) -> int:
    """Write the decrypted original to `out` for an authorised user (export.run, and
    restricted.read for a restricted file), audited as an export. Returns the bytes written.
    Raises PermissionDenied for anyone else, FileNotFoundError when the file is missing, and
    crypto.SealedError (wrong key, altered) before any byte is written for a file that does
    not open."""
    from aigaq.core.permissions import require

    require(actor, "export.run")
    if media.restricted:
        require(actor, "restricted.read")
    written = 0
    with storage.open_original(media.sha256) as reader:
        # Audited before the first byte leaves: an export cut short was still an export.
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=AuditEntry.Action.EXPORT,
                obj=media,
                changes={"sha256": [None, media.sha256], "size": [None, reader.size]},
                note=_("Original exported, decrypted"),
            )
        for chunk in reader.iter_range(0, None):
            out.write(chunk)
            written += len(chunk)
    return written
