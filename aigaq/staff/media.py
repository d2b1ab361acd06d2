"""Sending stored files to a reader. Every media response goes through `media_response`, which
asks disclosure.policy first and audits the sending of a restricted file."""

from __future__ import annotations

import io
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.disclosure.policy import MediaUse, media_restricted, media_visible_to
from aigaq.media import storage as media_storage
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_open
from aigaq.people.services import photo_content_type


def media_response(
    request: HttpRequest,
    media: MediaFile,
    *,
    use: str,
    record: Any,
    person_id: Any = None,
    rendition: Rendition | None = None,
) -> FileResponse:
    """The file, if `request.user` may have it as `use` of `record`; else 404, as if there
    were none (a refusal would tell that a restricted file is there). With `rendition` (one of
    `media`'s), that derived copy is sent instead, decrypted as it is read, under the same
    rule as its original."""
    if not media_visible_to(request.user, media, use=use, record=record):
        raise Http404(_("No such file."))
    if rendition is not None:
        if rendition.media_id != media.pk:
            raise Http404(_("No such file."))
        try:
            reader = rendition_open(rendition)
        except FileNotFoundError:
            raise Http404(_("No such file.")) from None
        if media_restricted(media):
            audit.record_read(actor=request.user, obj=media, fields=[rendition.kind])
        copy = FileResponse(reader, content_type=rendition.content_type or "video/mp4")
        copy["Cache-Control"] = "private, no-store"
        copy["X-Content-Type-Options"] = "nosniff"
        return copy
    try:  # decrypted as it is sent (the archive is sealed at rest)
        fh = io.BufferedReader(media_storage.open_original(media.sha256))
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None
    if media_restricted(media):
        audit.record_read(actor=request.user, obj=media, fields=["file"], person_id=person_id)
    head = fh.read(16)
    fh.seek(0)
    if use == MediaUse.PHOTO:
        content_type = photo_content_type(head) or "application/octet-stream"
        response = FileResponse(fh, content_type=content_type)
    else:
        response = FileResponse(fh, content_type="application/octet-stream", as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
