"""The redaction page of one video (/media/<id>/redact/): the video, the regions drawn over it
(static/redaction.js), the suggestions waiting for a person's decision, and the buttons that
start the background jobs (render, find faces and text, audio-only and anonymised copies).

Who may open it: the media.redact capability, and a testimony the file is attached to that
disclosure lets the reader see the file through (media_visible_to); anything else is a 404,
as if there were no such file."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aigaq.disclosure.policy import MediaUse, media_visible_to
from aigaq.disclosure.selectors import testimonies_for
from aigaq.media import redaction, redaction_jobs
from aigaq.media.models import MediaFile, RedactionPlan, Rendition
from aigaq.media.renditions import rendition_latest
from aigaq.staff.access import cap_required
from aigaq.staff.media import media_response
from aigaq.testimonies.models import Testimony

# The size of the JSON of a plan's regions that is read at all.
MAX_PLAN_BYTES = 256 * 1024
COPIES = (Rendition.Kind.REDACTED, Rendition.Kind.AUDIO_ONLY, Rendition.Kind.ANONYMISED)


def _media_and_testimony(request: HttpRequest, pk: Any) -> tuple[MediaFile, Testimony]:
    """The file and a testimony through which the reader may see it; else 404."""
    media = get_object_or_404(MediaFile, pk=pk)
    for testimony in testimonies_for(request.user).filter(media_links__media=media)[:20]:
        if media_visible_to(request.user, media, use=MediaUse.TESTIMONY, record=testimony):
            return media, testimony
    raise Http404(_("No such file."))


def _read_json(text: str) -> Any:
    if len(text) > MAX_PLAN_BYTES:
        raise redaction.RedactionError(_("The plan is too large."))
    try:
        return json.loads(text or "[]")
    except ValueError:
        raise redaction.RedactionError(
            _("The regions could not be read; reload the page and try again.")
        ) from None


def _duration(request: HttpRequest) -> float | None:
    """The video's length as the browser measured it (a region may not end after it); the
    rendering checks again against ffprobe's."""
    try:
        value = float(request.POST.get("duration") or "")
    except ValueError:
        return None
    return value if 0 < value < 48 * 3600 else None


@cap_required("media.redact")
@require_http_methods(["GET", "POST"])
def redaction_page(request: HttpRequest, pk: Any) -> HttpResponse:
    media, testimony = _media_and_testimony(request, pk)
    plan = redaction.redaction_plan_for(media)
    error = ""
    regions_text = json.dumps(plan.regions if plan else [])
    suggestions_text = json.dumps(plan.suggestions if plan else [])
    if request.method == "POST":
        action = request.POST.get("action", "save")
        regions_text = request.POST.get("regions", "[]")
        suggestions_text = request.POST.get("suggestions", suggestions_text)
        try:
            if action in ("save", "render"):
                plan = redaction.redaction_plan_save(
                    actor=request.user,
                    media=media,
                    regions=_read_json(regions_text),
                    suggestions=_read_json(suggestions_text),
                    duration=_duration(request),
                )
                if action == "save":
                    messages.success(request, _("The plan is saved."))
                    return redirect("staff:redaction", pk=media.pk)
                job = redaction_jobs.redaction_render_start(actor=request.user, plan=plan)
            elif action == "suggest":
                job = redaction_jobs.redaction_suggest_start(actor=request.user, media=media)
            elif action == "audio_only":
                job = redaction_jobs.audio_only_start(actor=request.user, media=media)
            elif action == "anonymised":
                job = redaction_jobs.anonymised_start(actor=request.user, media=media)
            else:
                raise redaction.RedactionError(_("Unknown action."))
        except (redaction.RedactionError, ValidationError) as exc:
            error = str(exc.messages[0] if isinstance(exc, ValidationError) else exc)
        else:
            messages.success(
                request,
                _("Started: %(title)s. This page shows it when it is done.") % {"title": job.title},
            )
            return redirect("staff:job_detail", pk=job.pk)
    copies = [(kind, rendition_latest(media, kind)) for kind in COPIES]
    context = {
        "media": media,
        "testimony": testimony,
        "plan": plan,
        "error": error,
        "regions_json": regions_text,
        "suggestions_json": suggestions_text,
        "copies": [(Rendition.Kind(k).label, r) for k, r in copies],
        "rendering": plan is not None and plan.status == RedactionPlan.Status.RENDERING,
        "publication": redaction.publication_copy(media),
        "labels": _labels(),
    }
    return render(request, "staff/redaction.html", context, status=400 if error else 200)


def _labels() -> dict[str, str]:
    """The words static/media/redaction.js writes into the page, in the page's language."""
    return {
        "from": _("from"),
        "until": _("until"),
        "fromHere": _("From here"),
        "untilHere": _("Until here"),
        "blur": _("blur"),
        "black": _("black"),
        "remove": _("Remove"),
        "accept": _("Accept"),
        "reject": _("Reject"),
        "face": _("face"),
        "text": _("text"),
        "seek": _("Go to its start"),
    }


@cap_required("media.redact")
def redaction_video(request: HttpRequest, pk: Any) -> Any:
    """The original, for the editor to play (through media_response, which asks disclosure)."""
    media, testimony = _media_and_testimony(request, pk)
    return media_response(request, media, use=MediaUse.TESTIMONY, record=testimony)


@cap_required("media.redact")
def redaction_copy(request: HttpRequest, pk: Any, rendition: Any) -> Any:
    """A redacted, audio-only or anonymised copy of the video, to check it."""
    media, testimony = _media_and_testimony(request, pk)
    copy = get_object_or_404(Rendition, pk=rendition, media=media, kind__in=COPIES)
    return media_response(request, media, use=MediaUse.TESTIMONY, record=testimony, rendition=copy)
