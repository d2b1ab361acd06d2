"""The files the public may be sent: an entry's photo, the redacted publication copies of
published testimonies' videos and their subtitles (the reviewed transcripts and translations,
as WebVTT: `public_subtitles_allowed`). Each request asks aigaq.disclosure.public first (a photo:
`public_photo_allowed`; a video: `public_rendition_allowed`), so a withdrawal of consent
stops the file on the next request; anything else is 404, as if there were no file. Videos
answer HTTP Range requests (aigaq.media.ranges) by decrypting only the chunks asked, so a
player seeks at once. Originals are never sent, save a photo the public may see (a photo has
no redacted copy: disclosure decides whether it may be shown at all)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_safe

from aigaq.disclosure.public import (
    PublicEntry,
    public_photo_allowed,
    public_rendition_allowed,
    public_subtitles_allowed,
)
from aigaq.media import storage as media_storage
from aigaq.media.crypto import SealedError
from aigaq.media.http import not_satisfiable, range_response, wanted_range
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.ranges import RangeNotSatisfiable
from aigaq.media.renditions import rendition_open
from aigaq.people.services import photo_content_type
from aigaq.transcripts import languages as transcript_languages
from aigaq.transcripts import selectors as transcript_selectors
from aigaq.transcripts.subtitles import render as render_subtitles

logger = logging.getLogger(__name__)


def _unavailable() -> HttpResponse:
    return HttpResponse(status=503, content_type="text/plain; charset=utf-8")


def _send(
    request: HttpRequest, reader: Any, *, etag: str, content_type: str | None
) -> HttpResponseBase:
    try:
        size = int(reader.size)
        try:
            wanted = wanted_range(request, size, etag)
        except RangeNotSatisfiable:
            reader.close()
            return not_satisfiable(size)
        if content_type is None:
            content_type = photo_content_type(b"".join(reader.iter_range(0, 16)))
            if content_type is None:  # not an image after all: never sent as anything else
                reader.close()
                raise Http404
        # Cache-Control no-store: asked again on every request, so a withdrawal of consent
        # stops the file at once.
        return range_response(reader, wanted, size=size, etag=etag, content_type=content_type)
    except BaseException:
        reader.close()
        raise


@require_safe
def entry_photo(request: HttpRequest, number: int, media_id: Any) -> HttpResponseBase:
    """The photo of public entry `number`, when disclosure allows it."""
    if not public_photo_allowed(number, media_id):
        raise Http404
    media = MediaFile.objects.filter(pk=media_id).first()
    if media is None:
        raise Http404
    try:
        reader = media_storage.open_original(media.sha256)
    except FileNotFoundError:
        raise Http404 from None
    except SealedError:
        logger.exception("photo %s cannot be opened", media.pk)
        return _unavailable()
    return _send(request, reader, etag=f'"{media.sha256[:32]}"', content_type=None)


@require_safe
def video(request: HttpRequest, rendition_id: Any) -> HttpResponseBase:
    """A published testimony's redacted publication copy, when disclosure allows it."""
    rendition = Rendition.objects.filter(pk=rendition_id).select_related("media").first()
    if rendition is None or not public_rendition_allowed(rendition):
        raise Http404
    try:
        reader = rendition_open(rendition)
    except FileNotFoundError:
        raise Http404 from None
    except SealedError:
        logger.exception("rendition %s cannot be opened", rendition.pk)
        return _unavailable()
    content_type = rendition.content_type or "application/octet-stream"
    if not content_type.startswith(("video/", "audio/")):
        reader.close()
        raise Http404
    return _send(request, reader, etag=f'"{rendition.sha256[:32]}"', content_type=content_type)


def subtitle_tracks(entry: PublicEntry, page_language: str) -> dict[int, list[dict[str, Any]]]:
    """For each testimony of the entry whose subtitles disclosure allows (PublicTestimony.
    subtitles), the `<track>` of each reviewed language: one query, none when no testimony
    may have any. The track in the page's language, if there is one, is the default."""
    numbers = [t.number for t in entry.testimonies if t.subtitles]
    out: dict[int, list[dict[str, Any]]] = {}
    for number, codes in transcript_selectors.reviewed_languages(numbers).items():
        mine = next((c for c in codes if c.split("_")[0] == page_language), None)
        out[number] = [
            {
                "url": reverse("public:subtitles", args=[number, code]),
                "srclang": code.replace("_", "-"),
                "label": transcript_languages.name_of(code),
                "default": code == mine,
            }
            for code in codes
        ]
    return out


@require_safe
def subtitles(request: HttpRequest, number: int, language: str) -> HttpResponse:
    """A published testimony's reviewed transcript or translation as WebVTT, for the
    `<track>` of its redacted video, when disclosure allows it (asked on every request)."""
    if language not in transcript_languages.languages() or not public_subtitles_allowed(number):
        raise Http404
    transcript = transcript_selectors.reviewed_transcript(number, language)
    if transcript is None:
        raise Http404
    response = HttpResponse(
        render_subtitles(transcript, "vtt"), content_type="text/vtt; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response
