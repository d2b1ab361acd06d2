"""Sending stored files to a reader. Every media response goes through `media_response`, which
asks disclosure.policy first, audits the sending of a restricted file, and answers HTTP Range
requests by decrypting only the chunks a range covers (crypto.SealedReader.iter_range), so a
player seeks in a two-hour video at once. The playback pages (the player on a testimony's page,
its proxy, poster and thumbnail strip) are here too: docs/media.md, "Playback"."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import Job
from aigaq.disclosure.policy import MediaUse, media_restricted, media_visible_to
from aigaq.disclosure.selectors import testimonies_for
from aigaq.media import storage as media_storage
from aigaq.media.crypto import SealedError
from aigaq.media.http import not_satisfiable, range_response, wanted_range
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.ranges import RangeNotSatisfiable
from aigaq.media.renditions import rendition_latest, rendition_open
from aigaq.media.tasks import PLAYABLE_KINDS, renditions_job
from aigaq.people.services import photo_content_type
from aigaq.staff.access import cap_required
from aigaq.testimonies.models import Testimony, TestimonyMedia

logger = logging.getLogger(__name__)

#: Originals a browser plays as they are, while (or if) no proxy exists.
BROWSER_PLAYABLE = frozenset(
    {
        "video/mp4",
        "video/webm",
        "video/ogg",
        "audio/mp4",
        "audio/mpeg",
        "audio/ogg",
        "audio/webm",
        "audio/wav",
        "audio/x-wav",
        "audio/flac",
    }
)


def media_response(
    request: HttpRequest,
    media: MediaFile,
    *,
    use: str,
    record: Any,
    person_id: Any = None,
    rendition: Rendition | None = None,
    inline: bool = False,
) -> HttpResponseBase:
    """The file (or its `rendition`), if `request.user` may have it as `use` of `record`; else
    404, as if there were none (a refusal would tell that a restricted file is there).

    A `Range: bytes=...` request gets 206 and that range (416 when it lies outside the file);
    `If-Range` with another tag gets the whole file. A restricted file's sending is audited
    once per play, not per range: a request without Range or from byte 0 (a player's first).
    `inline`: an original a browser can play is sent to be played, not downloaded."""
    if not media_visible_to(request.user, media, use=use, record=record):
        raise Http404(_("No such file."))
    if rendition is not None and rendition.media_id != media.pk:
        raise Http404(_("No such file."))
    try:
        if rendition is not None:
            reader = rendition_open(rendition)
        else:
            reader = media_storage.open_original(media.sha256)
    except FileNotFoundError:
        raise Http404(_("No such file.")) from None
    except SealedError:
        logger.exception("media %s cannot be opened", media.pk)
        return HttpResponse(
            _(
                "This file cannot be decrypted with the media key in use: an administrator "
                "must check which database key this Aigaq runs with."
            ),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    try:
        return _ranged(request, media, reader, use, person_id, rendition, inline)
    except BaseException:
        reader.close()
        raise


def _ranged(
    request: HttpRequest,
    media: MediaFile,
    reader: Any,
    use: str,
    person_id: Any,
    rendition: Rendition | None,
    inline: bool,
) -> HttpResponseBase:
    size = int(reader.size)
    etag = f'"{(rendition.sha256 if rendition is not None else media.sha256)[:32]}"'
    try:
        wanted = wanted_range(request, size, etag)
    except RangeNotSatisfiable:
        reader.close()
        return not_satisfiable(size)
    if media_restricted(media) and (wanted is None or wanted.start == 0):
        fields = [rendition.kind] if rendition is not None else ["file"]
        audit.record_read(actor=request.user, obj=media, fields=fields, person_id=person_id)
    disposition = "inline"
    if rendition is not None:
        content_type = rendition.content_type or "application/octet-stream"
    elif use == MediaUse.PHOTO:
        head = b"".join(reader.iter_range(0, 16))
        content_type = photo_content_type(head) or "application/octet-stream"
    elif inline and media.content_type in BROWSER_PLAYABLE:
        content_type = media.content_type
    else:
        content_type, disposition = "application/octet-stream", "attachment"
    return range_response(
        reader,
        wanted,
        size=size,
        etag=etag,
        content_type=content_type,
        disposition=disposition,
        cache_control="private, no-store",
    )


# -- playback --------------------------------------------------------------------------------


def _testimony_use(request: HttpRequest, pk: Any) -> tuple[MediaFile, Testimony, str]:
    """The file, one testimony the reader may see it through, and its use there; 404 when
    there is none (a file of no visible testimony, or one the reader may not have)."""
    media = MediaFile.objects.filter(pk=pk).first()
    if media is None:
        raise Http404(_("No such file."))
    links = (
        TestimonyMedia.objects.filter(media=media, testimony__in=testimonies_for(request.user))
        .select_related("testimony")
        .order_by("pk")
    )
    for link in links:
        if media_visible_to(request.user, media, use=MediaUse.TESTIMONY, record=link.testimony):
            return media, link.testimony, link.kind
    raise Http404(_("No such file."))


def player_context(media: MediaFile, kind: str) -> dict[str, Any] | None:
    """What the player of a video or sound file shows (None for other kinds): the proxy when
    it is ready, else the original when a browser can play it; the poster and the thumbnail
    strip; the renditions job while it runs or when it failed. The caller has asked
    disclosure whether the reader may have the file."""
    if kind not in PLAYABLE_KINDS and media.kind not in PLAYABLE_KINDS:
        return None
    kind = kind if kind in PLAYABLE_KINDS else media.kind
    proxy = rendition_latest(media, Rendition.Kind.PROXY)
    job = renditions_job(media) if proxy is None else None
    thumbs = rendition_latest(media, Rendition.Kind.THUMBNAILS) if kind == "video" else None
    if proxy is not None:
        state = "ready"
    elif job is not None and job.status == Job.Status.FAILED:
        state = "failed"
    elif job is not None:
        state = "preparing"
    else:
        state = "none"
    return {
        "media": media,
        "kind": kind,
        "state": state,
        "playable": proxy is not None or media.content_type in BROWSER_PLAYABLE,
        "poster": kind == "video" and rendition_latest(media, Rendition.Kind.POSTER) is not None,
        "thumbs": thumbs,
        "job": job,
    }


@cap_required("testimony.view")
def media_play(request: HttpRequest, pk: Any) -> Any:
    """The web proxy when it is ready, else the original if a browser can play it."""
    media, testimony, _kind = _testimony_use(request, pk)
    proxy = rendition_latest(media, Rendition.Kind.PROXY)
    if proxy is None and media.content_type not in BROWSER_PLAYABLE:
        raise Http404(_("No playback copy yet."))
    return media_response(
        request, media, use=MediaUse.TESTIMONY, record=testimony, rendition=proxy, inline=True
    )


def _rendition_view(request: HttpRequest, pk: Any, kind: str) -> HttpResponseBase:
    media, testimony, _kind = _testimony_use(request, pk)
    rendition = rendition_latest(media, kind)
    if rendition is None:
        raise Http404(_("No such file."))
    return media_response(
        request, media, use=MediaUse.TESTIMONY, record=testimony, rendition=rendition
    )


@cap_required("testimony.view")
def media_thumbs(request: HttpRequest, pk: Any) -> Any:
    return _rendition_view(request, pk, Rendition.Kind.THUMBNAILS)


@cap_required("testimony.view")
def media_poster(request: HttpRequest, pk: Any) -> Any:
    return _rendition_view(request, pk, Rendition.Kind.POSTER)


@cap_required("testimony.view")
def media_player(request: HttpRequest, pk: Any) -> HttpResponse:
    """The player fragment, polled by the testimony page while the proxy is being prepared."""
    media, testimony, kind = _testimony_use(request, pk)
    player = player_context(media, kind)
    if player is None:
        raise Http404(_("No such file."))
    from aigaq.staff.transcripts import subtitle_tracks

    player["tracks"] = subtitle_tracks(request.user, testimony)
    return render(request, "staff/_player.html", {"player": player})
