"""The transcript and translation pages (issue #18; the back end is aigaq/transcripts/).

* `/testimonies/<n>/transcript/<lang>/`: the transcript editor beside the video player. Each
  segment is a plain form (start, end, speaker, text) that saves without JavaScript; with it,
  static/staff/transcript.js adds the player's keyboard shortcuts and htmx saves a segment
  without reloading the page (docs/translation.md, "Using the editor").
* `/testimonies/<n>/translation/<lang>/`: the translator's page, the transcript's segment
  beside its translation, stale ones marked, the glossary of the pair beside each segment;
  claim, release, submit, and the reviewer's sign-off.
* `/translations/` (the translators' queue), `/translations/review/` (the review queue) and
  `/transcripts/search/` (full text over transcripts and translations).
* The subtitles of the testimony's player (`<track>`, WebVTT), the SRT and VTT downloads and
  the publication package.

Every write goes through aigaq.transcripts.services; every read of testimonies starts from
disclosure (`testimonies_for`), as the back end's selectors do.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aigaq.core.jobs import job_visible
from aigaq.core.locking import EditConflict
from aigaq.core.models import Job
from aigaq.core.permissions import has_cap
from aigaq.disclosure.selectors import testimonies_for
from aigaq.staff.access import cap_required
from aigaq.testimonies import selectors as testimony_selectors
from aigaq.testimonies.models import Testimony
from aigaq.transcripts import engines, languages, selectors, services, tasks
from aigaq.transcripts.models import Segment, Speaker, Status, Transcript, fmt_ms
from aigaq.transcripts.package import PackageRefused
from aigaq.transcripts.subtitles import FORMATS, subtitles_export
from aigaq.transcripts.subtitles import render as render_subtitles

QUEUE_PER_PAGE = 50

# -- small helpers ---------------------------------------------------------------------------

_TIME = re.compile(r"^(?:(?:(\d+):)?(\d{1,2}):)?(\d+)(?:[.,](\d{1,3}))?$")


def parse_time(text: str) -> int:
    """'1:02:03.5', '2:03', '63.25' or '63,25' → milliseconds; ValidationError otherwise."""
    value = (text or "").strip()
    found = _TIME.match(value)
    if not found:
        raise ValidationError(
            _("“%(t)s” is not a time: write it as 0:01:02.500 (hours, minutes, seconds).")
            % {"t": value[:20]},
            code="time",
        )
    hours, minutes, seconds, fraction = found.groups()
    if (hours or minutes) and int(seconds) >= 60:
        raise ValidationError(_("“%(t)s”: seconds go up to 59.") % {"t": value[:20]}, code="time")
    ms = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes or 0)) * 60 + int(seconds)) * 1000 + ms


def _language(code: str) -> str:
    try:
        return languages.normalise(code)
    except ValidationError:
        raise Http404(_("No such language.")) from None


def _testimony(request: HttpRequest, number: int) -> Testimony:
    testimony = testimony_selectors.testimony_for_page(
        visible=testimonies_for(request.user), number=number
    )
    if testimony is None:
        raise Http404(_("No such testimony."))
    return testimony


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _version(request: HttpRequest, name: str = "version") -> int | None:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        return None


def _player(request: HttpRequest, testimony: Testimony) -> dict[str, Any] | None:
    """The first video (else sound) player of the testimony the reader may have."""
    from aigaq.staff.selectors import testimony_page_data

    players = testimony_page_data(user=request.user, testimony=testimony)["players"]
    videos = [m for m in players if m["player"]["kind"] == "video"]
    chosen = (videos or players or [None])[0]
    return chosen["player"] if chosen else None


def subtitle_tracks(user: Any, testimony: Testimony) -> list[dict[str, Any]]:
    """The `<track>` elements of the testimony's players: every reviewed language."""
    return [
        {
            "language": t.language,
            "srclang": t.language.replace("_", "-"),
            "label": languages.name_of(t.language),
            "url": reverse("staff:subtitle_track", args=[testimony.number, t.language]),
        }
        for t in selectors.transcripts_of(reader=user, testimony=testimony)
        if t.status == Status.REVIEWED
    ]


def transcripts_panel(user: Any, testimony: Testimony) -> dict[str, Any]:
    """The testimony page's "Transcript and translations" panel."""
    existing = selectors.transcripts_of(reader=user, testimony=testimony)
    original = next((t for t in existing if not t.is_translation), None)
    rows = [
        {
            "transcript": t,
            "name": languages.name_of(t.language),
            "url": reverse(
                "staff:translation_page" if t.is_translation else "staff:transcript_editor",
                args=[testimony.number, t.language],
            ),
            "downloads": [
                (
                    fmt.upper(),
                    reverse("staff:subtitle_download", args=[testimony.number, t.language, fmt]),
                )
                for fmt in FORMATS
            ],
        }
        for t in existing
    ]
    have = {t.language for t in existing}
    start_language = testimony.language
    try:
        start_language = languages.normalise(testimony.language)
    except ValidationError:
        start_language = languages.languages()[0]
    return {
        "rows": rows,
        "original": original,
        "start_url": reverse("staff:transcript_editor", args=[testimony.number, start_language]),
        "start_language": languages.name_of(start_language),
        "translate_into": [
            (
                languages.name_of(code),
                reverse("staff:translation_page", args=[testimony.number, code]),
            )
            for code in languages.languages()
            if code not in have
        ]
        if original is not None
        else [],
    }


# -- the transcript editor --------------------------------------------------------------------


def _editor_row(seg: Segment, **over: Any) -> dict[str, Any]:
    row = {
        "seg": seg,
        "start": fmt_ms(seg.start_ms),
        "end": fmt_ms(seg.end_ms),
        "speaker": seg.speaker,
        "text": seg.text,
        "version": seg.version,
        "error": None,
        "theirs": None,
    }
    row.update(over)
    return row


def _transcript_context(
    request: HttpRequest, testimony: Testimony, transcript: Transcript
) -> dict[str, Any]:
    user = request.user
    segments = list(transcript.segments.order_by("position"))
    last_end = segments[-1].end_ms if segments else 0
    return {
        "testimony": testimony,
        "transcript": transcript,
        "language_name": languages.name_of(transcript.language),
        "rtl": languages.is_rtl(transcript.language),
        "rows": [_editor_row(s) for s in segments],
        "new": {"start": fmt_ms(last_end), "end": "", "speaker": Speaker.TESTIFIER, "text": ""},
        "speakers": Speaker.choices,
        "player": _player(request, testimony),
        "tracks": subtitle_tracks(user, testimony),
        "may_edit": has_cap(user, "transcripts.edit"),
        "may_review": _may_review(user, transcript),
        "claimed_by_other": transcript.claimed_by_id not in (None, user.pk),
        "machine": machine_panel(
            user, testimony, transcript.language, transcript, translate_from=None
        ),
    }


def _may_review(user: Any, transcript: Transcript) -> bool:
    return (
        has_cap(user, "transcripts.review")
        and transcript.submitted_at is not None
        and transcript.status != Status.REVIEWED
        and transcript.translator_id != user.pk
    )


def _fresh(transcript: Transcript) -> Transcript:
    return Transcript.objects.select_related(
        "testimony", "claimed_by", "translator", "reviewer"
    ).get(pk=transcript.pk)


@cap_required("testimony.view")
def transcript_editor(request: HttpRequest, number: int, lang: str) -> HttpResponse:
    testimony = _testimony(request, number)
    language = _language(lang)
    transcript = (
        Transcript.objects.filter(testimony=testimony, language=language)
        .select_related("claimed_by", "translator", "reviewer")
        .first()
    )
    if transcript is not None and transcript.is_translation:
        return redirect("staff:translation_page", number=number, lang=language)
    if transcript is None:
        original = Transcript.objects.filter(
            testimony=testimony, kind=Transcript.Kind.ORIGINAL
        ).first()
        if original is not None:  # the testimony's transcript is in another language
            return redirect("staff:transcript_editor", number=number, lang=original.language)
        here = reverse("staff:transcript_editor", args=[number, language])
        if request.method == "POST" and request.POST.get("action") == "machine_draft":
            return _machine_draft(request, testimony, language, None, here)
        if request.method == "POST" and request.POST.get("action") == "create":
            try:
                services.transcript_create(
                    actor=request.user, testimony=testimony, language=language
                )
            except ValidationError as exc:
                messages.error(request, _message(exc))
            return redirect(here)
        return render(
            request,
            "staff/transcripts/start.html",
            {
                "testimony": testimony,
                "language": language,
                "language_name": languages.name_of(language),
                "kind": "transcript",
                "may_start": has_cap(request.user, "transcripts.edit"),
                "choices": languages.choices(),
                "machine": machine_panel(
                    request.user, testimony, language, None, translate_from=None
                ),
            },
        )
    transcript.testimony = testimony
    if request.method == "POST":
        return _editor_post(request, testimony, transcript)
    return render(
        request,
        "staff/transcripts/editor.html",
        _transcript_context(request, testimony, transcript),
    )


#: One POST handler of a transcript page: (request, testimony, transcript, here) → response.
Handler = Callable[[HttpRequest, Testimony, Transcript, str], HttpResponse]


def _page_url(transcript: Transcript, number: int) -> str:
    name = "staff:translation_page" if transcript.is_translation else "staff:transcript_editor"
    return reverse(name, args=[number, transcript.language])


def _dispatch(
    request: HttpRequest,
    testimony: Testimony,
    transcript: Transcript,
    handlers: Mapping[str, Handler],
) -> HttpResponse:
    """The POST of the editor and of the translator's page: the course of the work (claim,
    release, submit, sign off) and the machine draft are the same on both; each page adds its
    own actions (`handlers`, by the form's `action`)."""
    action = request.POST.get("action", "")
    here = _page_url(transcript, testimony.number)
    if action in ("claim", "release", "submit", "review"):
        return _course(request, transcript, action, here)
    if action == "machine_draft":
        source = transcript.source.language if transcript.source is not None else None
        return _machine_draft(request, testimony, transcript.language, source, here)
    handler = handlers.get(action)
    if handler is None:
        messages.error(request, _("Nothing was changed: the form did not say what to do."))
        return redirect(here)
    return handler(request, testimony, transcript, here)


def _posted_segment(
    request: HttpRequest, transcript: Transcript, here: str
) -> Segment | HttpResponse:
    """The segment the form names, or (it was removed meanwhile) the page again with a
    message."""
    seg = (
        Segment.objects.filter(
            transcript=transcript, pk=_int_or_none(request.POST.get("segment")) or 0
        )
        .select_related("source")
        .first()
    )
    if seg is None:
        messages.error(
            request,
            _("That segment is no longer there: the page shows the translation as it is now.")
            if transcript.is_translation
            else _("That segment is no longer there: the page shows the transcript as it is now."),
        )
        return redirect(here)
    return seg


def _machine_draft(
    request: HttpRequest,
    testimony: Testimony,
    language: str,
    translate_from: str | None,
    here: str,
) -> HttpResponse:
    """Queue a machine draft (speech recognition, or machine translation of the transcript)
    and show its job's page; what makes it impossible now is said on this page."""
    try:
        job = tasks.machine_draft_start(
            actor=request.user,
            testimony=testimony,
            language=language,
            translate_from=translate_from,
        )
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return redirect(here)
    return redirect("staff:job_detail", pk=job.pk)


def machine_panel(
    user: Any,
    testimony: Testimony,
    language: str,
    transcript: Transcript | None,
    *,
    translate_from: str | None,
) -> dict[str, Any]:
    """What the page says about machine drafts: the button when an engine is set up and a
    draft may be made now, else why not (no engine: how to set one up)."""
    kind = engines.MT if translate_from else engines.ASR
    capability = "transcripts.translate" if translate_from else "transcripts.edit"
    blocked = ""
    if transcript is not None and (
        transcript.status in (Status.HUMAN_DRAFT, Status.REVIEWED)
        or transcript.segments.exclude(status__in=(Status.TODO, Status.MACHINE_DRAFT)).exists()
    ):
        blocked = _("A person has worked on this; a machine draft never replaces it.")
    elif kind == engines.ASR and language not in engines.WHISPER_LANGUAGES:
        blocked = _(
            "Speech recognition does not know %(lang)s (Whisper has no Uyghur and no Kyrgyz)."
        ) % {"lang": languages.name_of(language)}
    elif kind == engines.ASR and tasks.sound_of(testimony) is None:
        blocked = _("This testimony has no video or sound file to listen to.")
    elif kind == engines.ASR and transcript is not None and transcript.translations.exists():
        blocked = _("Translations follow this transcript's segments: a new draft would undo them.")
    return {
        "kind": kind,
        "configured": engines.configured(kind),
        "may": has_cap(user, capability),
        "blocked": blocked,
        "weak": kind == engines.ASR and language in engines.WHISPER_WEAK,
        "language_name": languages.name_of(language),
        "source_name": languages.name_of(translate_from) if translate_from else "",
    }


def _editor_post(
    request: HttpRequest, testimony: Testimony, transcript: Transcript
) -> HttpResponse:
    return _dispatch(
        request,
        testimony,
        transcript,
        {
            "save": _editor_segment_action,
            "split": _editor_segment_action,
            "join": _editor_segment_action,
            "add": _segment_add,
        },
    )


def _editor_segment_action(
    request: HttpRequest, testimony: Testimony, transcript: Transcript, here: str
) -> HttpResponse:
    seg = _posted_segment(request, transcript, here)
    if isinstance(seg, HttpResponse):
        return seg
    action = request.POST.get("action")
    if action == "save":
        return _segment_save(request, testimony, transcript, seg, here)
    try:
        seg = _save_typed(request, seg)
        if action == "split":
            at_ms = _split_time(request, seg)
            at_char = _int_or_none(request.POST.get("at_char"))
            first, _second = services.segment_split(
                actor=request.user, segment=seg, at_ms=at_ms, at_char=at_char
            )
            anchor = f"#seg-{first.position + 1}"
        else:
            joined = services.segment_join(actor=request.user, segment=seg)
            anchor = f"#seg-{joined.position + 1}"
    except EditConflict:
        messages.error(request, _conflict_sentence())
        return redirect(here)
    except ValidationError as exc:
        messages.error(request, _message(exc))
        return redirect(here)
    return redirect(here + anchor)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save_typed(request: HttpRequest, seg: Segment) -> Segment:
    """Before a split or a join: what was typed into the segment's form is saved first (the
    segment's version guards it), so a split never loses words typed since the last save."""
    post = request.POST
    if "text" not in post:
        return seg
    saved: Segment = services.segment_edit(
        actor=request.user,
        segment=seg,
        expected_version=_version(request),
        text=post.get("text", ""),
        start_ms=parse_time(post.get("start", "")) if post.get("start") else None,
        end_ms=parse_time(post.get("end", "")) if post.get("end") else None,
        speaker=post.get("speaker") or None,
    )
    return saved


def _split_time(request: HttpRequest, seg: Segment) -> int:
    """Where to split: the player's moment when the page sent one inside the segment, else
    its middle (a split without JavaScript)."""
    at = (request.POST.get("at") or "").strip()
    if at:
        at_ms = parse_time(at)
        if seg.start_ms < at_ms < seg.end_ms:
            return at_ms
    return (seg.start_ms + seg.end_ms) // 2


def _conflict_sentence() -> str:
    return _(
        "Someone else changed this transcript while you had it open; nothing was changed. "
        "The page now shows it as it is: do it again there."
    )


def _segment_add(
    request: HttpRequest, testimony: Testimony, transcript: Transcript, here: str
) -> HttpResponse:
    post = request.POST
    new = {
        "start": post.get("start", ""),
        "end": post.get("end", ""),
        "speaker": post.get("speaker", Speaker.TESTIFIER),
        "text": post.get("text", ""),
    }
    try:
        start_ms, end_ms = parse_time(new["start"]), parse_time(new["end"])
        seg = services.segment_add(
            actor=request.user,
            transcript=transcript,
            start_ms=start_ms,
            end_ms=end_ms,
            text=new["text"],
            speaker=new["speaker"],
        )
    except ValidationError as exc:
        context = _transcript_context(request, testimony, _fresh(transcript))
        context["new"] = new
        context["new_error"] = _message(exc)
        return render(request, "staff/transcripts/editor.html", context, status=200)
    del seg
    return redirect(here + "#new-segment")


def _segment_save(
    request: HttpRequest, testimony: Testimony, transcript: Transcript, seg: Segment, here: str
) -> HttpResponse:
    post = request.POST
    typed = {
        "start": post.get("start", ""),
        "end": post.get("end", ""),
        "speaker": post.get("speaker", seg.speaker),
        "text": post.get("text", ""),
    }
    row: dict[str, Any]
    try:
        start_ms, end_ms = parse_time(typed["start"]), parse_time(typed["end"])
        saved = services.segment_edit(
            actor=request.user,
            segment=seg,
            expected_version=_version(request),
            text=typed["text"],
            start_ms=start_ms,
            end_ms=end_ms,
            speaker=typed["speaker"],
        )
        if saved.position != seg.position and not request.htmx:  # type: ignore[attr-defined]
            return redirect(here + f"#seg-{saved.position + 1}")
        row = _editor_row(saved, saved=True)
    except EditConflict as exc:
        current: Segment = exc.current
        row = _editor_row(
            current,
            **typed,
            version=current.version,
            error=_(
                "Someone saved this segment while you were editing it. Your text is kept in the "
                "box; theirs is shown below it. Save again to keep yours."
            ),
            theirs={
                "start": fmt_ms(current.start_ms),
                "end": fmt_ms(current.end_ms),
                "text": current.text,
            },
        )
    except ValidationError as exc:
        row = _editor_row(seg, **typed, error=_message(exc))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "staff/transcripts/_segment.html",
            {
                "row": row,
                "transcript": _fresh(transcript),
                "testimony": testimony,
                "speakers": Speaker.choices,
                "may_edit": True,
            },
        )
    if row["error"] is None:
        return redirect(here + f"#seg-{row['seg'].position + 1}")
    context = _transcript_context(request, testimony, _fresh(transcript))
    context["rows"] = [row if r["seg"].pk == seg.pk else r for r in context["rows"]]
    return render(request, "staff/transcripts/editor.html", context)


def _course(request: HttpRequest, transcript: Transcript, action: str, here: str) -> HttpResponse:
    """Claim, release, submit, sign off: one button each, the result said in a message."""
    try:
        if action == "claim":
            services.transcript_claim(actor=request.user, transcript=transcript)
            messages.success(request, _("It is yours to work on now; others see that you hold it."))
        elif action == "release":
            services.transcript_release(actor=request.user, transcript=transcript)
            messages.success(request, _("Released: it is back in the queue."))
        elif action == "submit":
            services.transcript_submit(
                actor=request.user, transcript=transcript, expected_version=_version(request)
            )
            messages.success(request, _("Submitted: it waits for a reviewer's sign-off."))
        else:
            services.transcript_review(
                actor=request.user, transcript=transcript, expected_version=_version(request)
            )
            messages.success(request, _("Signed off: it counts as done."))
    except EditConflict:
        messages.error(request, _conflict_sentence())
    except ValidationError as exc:
        messages.error(request, _message(exc))
    return redirect(here)


# -- the translator's page --------------------------------------------------------------------


def _translation_rows(translation: Transcript) -> list[dict[str, Any]]:
    targets = list(translation.segments.select_related("source").order_by("position"))
    source_language = translation.source.language if translation.source else ""
    terms = list(
        selectors.glossary(source_language=source_language, target_language=translation.language)
    )
    return [_translation_row(seg, terms) for seg in targets]


def _translation_row(seg: Segment, terms: list[Any], **over: Any) -> dict[str, Any]:
    source = seg.source
    folded = source.text.casefold() if source is not None else ""
    row = {
        "seg": seg,
        "source": source,
        "seen": source.fingerprint if source is not None else "",
        "start": fmt_ms(seg.start_ms),
        "end": fmt_ms(seg.end_ms),
        "text": seg.text,
        "version": seg.version,
        "stale": seg.stale,
        "glossary": [t for t in terms if t.term.casefold() in folded],
        "error": None,
        "theirs": None,
    }
    row.update(over)
    return row


def _translation_context(
    request: HttpRequest, testimony: Testimony, translation: Transcript
) -> dict[str, Any]:
    user = request.user
    rows = _translation_rows(translation)
    return {
        "testimony": testimony,
        "transcript": translation,
        "source": translation.source,
        "source_name": languages.name_of(translation.source.language) if translation.source else "",
        "language_name": languages.name_of(translation.language),
        "rtl": languages.is_rtl(translation.language),
        "source_rtl": languages.is_rtl(translation.source.language)
        if translation.source
        else False,
        "rows": rows,
        "stale_count": sum(1 for r in rows if r["stale"]),
        "empty_count": sum(1 for r in rows if not r["text"]),
        "player": _player(request, testimony),
        "tracks": subtitle_tracks(user, testimony),
        "may_edit": has_cap(user, "transcripts.translate"),
        "may_review": _may_review(user, translation),
        "claimed_by_other": translation.claimed_by_id not in (None, user.pk),
        "machine": machine_panel(
            user,
            testimony,
            translation.language,
            translation,
            translate_from=translation.source.language if translation.source else None,
        ),
    }


@cap_required("testimony.view")
def translation_page(request: HttpRequest, number: int, lang: str) -> HttpResponse:
    testimony = _testimony(request, number)
    language = _language(lang)
    translation = (
        Transcript.objects.filter(testimony=testimony, language=language)
        .select_related("source", "claimed_by", "translator", "reviewer")
        .first()
    )
    if translation is not None and not translation.is_translation:
        return redirect("staff:transcript_editor", number=number, lang=language)
    if translation is None:
        original = Transcript.objects.filter(
            testimony=testimony, kind=Transcript.Kind.ORIGINAL
        ).first()
        here = reverse("staff:translation_page", args=[number, language])
        if request.method == "POST" and original and request.POST.get("action") == "machine_draft":
            return _machine_draft(request, testimony, language, original.language, here)
        if request.method == "POST" and request.POST.get("action") == "create" and original:
            try:
                services.translation_create(
                    actor=request.user, transcript=original, language=language
                )
            except ValidationError as exc:
                messages.error(request, _message(exc))
            return redirect(here)
        return render(
            request,
            "staff/transcripts/start.html",
            {
                "testimony": testimony,
                "language": language,
                "language_name": languages.name_of(language),
                "kind": "translation",
                "original": original,
                "original_name": languages.name_of(original.language) if original else "",
                "may_start": has_cap(request.user, "transcripts.translate")
                and original is not None,
                "machine": machine_panel(
                    request.user, testimony, language, None, translate_from=original.language
                )
                if original is not None
                else None,
            },
        )
    translation.testimony = testimony
    if request.method == "POST":
        return _translation_post(request, testimony, translation)
    return render(
        request,
        "staff/transcripts/translation.html",
        _translation_context(request, testimony, translation),
    )


def _translation_post(
    request: HttpRequest, testimony: Testimony, translation: Transcript
) -> HttpResponse:
    return _dispatch(
        request,
        testimony,
        translation,
        {"term": _glossary_add, "save": _translation_save},
    )


def _glossary_add(
    request: HttpRequest, testimony: Testimony, translation: Transcript, here: str
) -> HttpResponse:
    try:
        services.glossary_term_add(
            actor=request.user,
            source_language=translation.source.language if translation.source else "",
            target_language=translation.language,
            term=request.POST.get("term", ""),
            translation=request.POST.get("term_translation", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Added to the glossary."))
    except ValidationError as exc:
        messages.error(request, _message(exc))
    return redirect(here + "#glossary")


def _translation_save(
    request: HttpRequest, testimony: Testimony, translation: Transcript, here: str
) -> HttpResponse:
    seg = _posted_segment(request, translation, here)
    if isinstance(seg, HttpResponse):
        return seg
    text = request.POST.get("text", "")
    seen = request.POST.get("seen") or None
    terms = list(
        selectors.glossary(
            source_language=translation.source.language if translation.source else "",
            target_language=translation.language,
        )
    )
    try:
        saved = services.segment_edit(
            actor=request.user,
            segment=seg,
            expected_version=_version(request),
            text=text,
            seen_source_hash=seen,
        )
        saved = Segment.objects.select_related("source").get(pk=saved.pk)
        row = _translation_row(saved, terms, saved=True)
        if saved.stale:
            row["error"] = _(
                "The transcript's segment changed while you were translating it. Your text is "
                "saved, marked stale: read the segment as it is now and save again."
            )
    except EditConflict as exc:
        current = Segment.objects.select_related("source").get(pk=exc.current.pk)
        row = _translation_row(
            current,
            terms,
            text=text,
            seen=seen or "",
            error=_(
                "Someone saved this segment while you were translating it. Your text is kept in "
                "the box; theirs is shown below it. Save again to keep yours."
            ),
            theirs={"text": current.text},
        )
    except ValidationError as exc:
        row = _translation_row(seg, terms, text=text, seen=seen or "", error=_message(exc))
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "staff/transcripts/_translation_segment.html",
            {
                "row": row,
                "transcript": translation,
                "testimony": testimony,
                "rtl": languages.is_rtl(translation.language),
                "source_rtl": languages.is_rtl(translation.source.language)
                if translation.source
                else False,
                "may_edit": True,
            },
        )
    if row["error"] is None:
        return redirect(here + f"#seg-{row['seg'].position + 1}")
    context = _translation_context(request, testimony, _fresh(translation))
    context["rows"] = [row if r["seg"].pk == seg.pk else r for r in context["rows"]]
    return render(request, "staff/transcripts/translation.html", context)


# -- queues and search ------------------------------------------------------------------------


def _queue_language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang") or ""
    try:
        return languages.normalise(wanted) if wanted else languages.languages()[0]
    except ValidationError:
        return languages.languages()[0]


@cap_required("transcripts.translate")
def translation_queue(request: HttpRequest) -> HttpResponse:
    """What waits in one language: the work begun, highest priority then oldest, with who
    holds it; and the transcripts not yet translated into it. A coordinator raises a
    testimony's priority here."""
    language = _queue_language(request)
    if request.method == "POST":
        try:
            priority = int(request.POST.get("priority", ""))
        except ValueError:
            priority = None  # type: ignore[assignment]
        number = _int_or_none(request.POST.get("number"))
        testimony = (
            testimony_selectors.testimony_for_page(
                visible=testimonies_for(request.user), number=number
            )
            if number is not None
            else None
        )
        if testimony is None:
            messages.error(request, _("No such testimony."))
        else:
            try:
                services.testimony_prioritise(
                    actor=request.user,
                    testimony=testimony,
                    priority=priority,  # type: ignore[arg-type]
                )
                messages.success(
                    request,
                    _("%(t)s now has priority %(p)s.") % {"t": testimony.label, "p": priority},
                )
            except ValidationError as exc:
                messages.error(request, _message(exc))
        return redirect(reverse("staff:translation_queue") + f"?lang={language}")
    waiting = selectors.translation_queue(reader=request.user, language=language)
    page = Paginator(waiting, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    untranslated = selectors.untranslated(reader=request.user, language=language)[:QUEUE_PER_PAGE]
    return render(
        request,
        "staff/transcripts/queue.html",
        {
            "language": language,
            "language_name": languages.name_of(language),
            "tabs": languages.choices(),
            "page": page,
            "untranslated": list(untranslated),
            "may_prioritise": has_cap(request.user, "transcripts.prioritise"),
            "keep": f"lang={language}",
        },
    )


@cap_required("transcripts.review")
def review_queue(request: HttpRequest) -> HttpResponse:
    language = _queue_language(request)
    waiting = list(selectors.review_queue(reader=request.user, language=language)[:200])
    return render(
        request,
        "staff/transcripts/review_queue.html",
        {
            "language": language,
            "language_name": languages.name_of(language),
            "tabs": languages.choices(),
            "waiting": waiting,
        },
    )


@cap_required("testimony.view")
def transcript_search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "")[:200]
    hits = selectors.search_segments(reader=request.user, query=query) if query.strip() else []
    rows = [
        {
            "hit": h,
            "language_name": languages.name_of(h.language),
            "rtl": languages.is_rtl(h.language),
            "at": fmt_ms(h.start_ms),
            "testimony_url": reverse("staff:testimony_detail", args=[h.testimony_number])
            + f"?t={h.start_ms / 1000:.1f}",
            "segment_url": reverse(
                "staff:translation_page"
                if h.kind == Transcript.Kind.TRANSLATION
                else "staff:transcript_editor",
                args=[h.testimony_number, h.language],
            )
            + f"?t={h.start_ms / 1000:.1f}#seg-{h.position + 1}",
        }
        for h in hits
    ]
    return render(
        request,
        "staff/transcripts/search.html",
        {"q": query, "rows": rows, "limit": selectors.SEARCH_LIMIT},
    )


# -- subtitles and the publication package ---------------------------------------------------------


@cap_required("testimony.view")
def subtitle_track(request: HttpRequest, number: int, lang: str) -> HttpResponse:
    """The WebVTT file a `<track>` of the player loads: a testimony the reader may see."""
    testimony = _testimony(request, number)
    language = _language(lang)
    transcript = Transcript.objects.filter(testimony=testimony, language=language).first()
    if transcript is None:
        raise Http404(_("No such transcript."))
    response = HttpResponse(
        render_subtitles(transcript, "vtt"), content_type="text/vtt; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@cap_required("testimony.view")
def subtitle_download(request: HttpRequest, number: int, lang: str, fmt: str) -> HttpResponse:
    """An SRT or WebVTT file to download (recorded as an export)."""
    testimony = _testimony(request, number)
    language = _language(lang)
    if fmt not in FORMATS:
        raise Http404(_("No such format."))
    try:
        _transcript, text = subtitles_export(
            actor=request.user, testimony=testimony, language=language, fmt=fmt
        )
    except ValidationError:
        raise Http404(_("No such transcript.")) from None
    content_type = "text/vtt" if fmt == "vtt" else "application/x-subrip"
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="T{testimony.number}.{language}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@cap_required("export.run")
def publication_package(request: HttpRequest, number: int) -> Any:
    """Queue the publication package (aigaq/transcripts/package.py) as a background job and
    show the job's page, where the zip is fetched once built: only for a testimony disclosure
    allows to be published; a refusal is said on the testimony's page."""
    testimony = _testimony(request, number)
    if request.method != "POST":
        return redirect("staff:testimony_detail", number=number)
    try:
        job = tasks.package_start(actor=request.user, testimony=testimony)
    except PackageRefused as exc:
        messages.error(request, _message(exc))
        return redirect("staff:testimony_detail", number=number)
    return redirect("staff:job_detail", pk=job.pk)


@cap_required("export.run")
def publication_package_download(request: HttpRequest, pk: Any) -> Any:
    """The zip a package job built: to whoever may follow the job and make packages, while
    the testimony is still one they may see and may be published (checked again)."""
    job = Job.objects.filter(pk=pk, kind=tasks.PACKAGE, status=Job.Status.DONE).first()
    if job is None or not job_visible(request.user, job):
        raise Http404(_("No such package."))
    testimony = _testimony(request, int(job.params.get("number") or 0))
    from aigaq.transcripts.package import package_check

    try:
        package_check(actor=request.user, testimony=testimony)
    except PackageRefused as exc:
        messages.error(request, _message(exc))
        return redirect("staff:testimony_detail", number=testimony.number)
    path = tasks.package_path(job)
    if not path.is_file():
        raise Http404(_("This package is no longer kept; make it again."))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    response["Cache-Control"] = "private, no-store"
    return response


# -- names and places mentioned -------------------------------------------------------------------


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _mention_span(seg: Segment, post: Mapping[str, str]) -> tuple[int, int]:
    """Where the chosen words are in the segment: the offsets the page sent when they still
    cover those words (a selection made with the mouse), else the first place the typed words
    occur (the page without JavaScript). ValidationError when they are not in the text."""
    words = (post.get("words") or "").strip()
    start, end = _int_or_none(post.get("start")), _int_or_none(post.get("end"))
    if (
        start is not None
        and end is not None
        and 0 <= start < end <= len(seg.text)
        and (not words or seg.text[start:end].strip() == words)
    ):
        return start, end
    if not words:
        raise ValidationError(_("Choose the words of the segment to link."), code="span")
    at = seg.text.find(words)
    if at < 0:
        at = seg.text.casefold().find(words.casefold())
    if at < 0:
        raise ValidationError(
            _("“%(w)s” is not in segment %(n)s.") % {"w": words[:60], "n": seg.position + 1},
            code="span",
        )
    return at, at + len(words)


def _mention_candidates(request: HttpRequest, kind: str, query: str) -> list[dict[str, Any]]:
    """The records the search finds for the words (the search of the persons list and of the
    place pickers: any script, any order of the name's parts)."""
    from aigaq.search.selectors import search_persons, search_places

    if not query.strip():
        return []
    if kind == "place":
        return [
            {"id": h.place.pk, "label": str(h.place), "note": h.place.get_kind_display()}
            for h in search_places(query, limit=10)
        ]
    return [
        {"id": h.person.pk, "label": f"#{h.person.entry_no} {h.person.primary_name}", "note": ""}
        for h in search_persons(user=request.user, query=query, limit=10)
    ]


@cap_required("testimony.view")
def transcript_mentions(request: HttpRequest, number: int, lang: str) -> HttpResponse:
    """Names and places said in a transcript or translation, linked to their records: choose
    a segment's words, find the person or place, record the mention; the list of mentions.
    Who may edit the transcript (or translate, for a translation) may link and unlink."""
    from aigaq.people.models import Person, Place
    from aigaq.transcripts.models import Mention

    testimony = _testimony(request, number)
    transcript = Transcript.objects.filter(testimony=testimony, language=_language(lang)).first()
    if transcript is None:
        raise Http404(_("No such transcript."))
    capability = "transcripts.translate" if transcript.is_translation else "transcripts.edit"
    here = reverse("staff:transcript_mentions", args=[number, transcript.language])
    source = request.POST if request.method == "POST" else request.GET
    segments = list(transcript.segments.order_by("position"))
    chosen = next((s for s in segments if str(s.pk) == source.get("segment", "")), None)
    kind = "place" if source.get("kind") == "place" else "person"
    error = ""
    if request.method == "POST":
        try:
            if source.get("action") == "remove":
                mention_id = _uuid_or_none(source.get("mention"))
                mention = (
                    Mention.objects.filter(pk=mention_id, segment__transcript=transcript).first()
                    if mention_id is not None
                    else None
                )
                if mention is not None:
                    services.mention_remove(actor=request.user, mention=mention)
                    messages.success(request, _("The link was taken away."))
                return redirect(here)
            if chosen is None:
                raise ValidationError(_("Choose a segment."), code="segment")
            start, end = _mention_span(chosen, source)
            target = _uuid_or_none(source.get("target"))
            person = (
                Person.objects.filter(pk=target).first() if kind == "person" and target else None
            )
            place = Place.objects.filter(pk=target).first() if kind == "place" and target else None
            if person is None and place is None:
                raise ValidationError(_("Choose the person or the place to link."), code="target")
            services.mention_add(
                actor=request.user,
                segment=chosen,
                start=start,
                end=end,
                person=person,
                place=place,
            )
            messages.success(request, _("Linked."))
            return redirect(here + f"#seg-{chosen.position + 1}")
        except ValidationError as exc:
            error = _message(exc)
    words = (source.get("words") or "").strip()
    query = (source.get("q") or words)[:200]
    mentions = list(
        Mention.objects.filter(segment__transcript=transcript)
        .select_related("segment", "person", "place")
        .order_by("segment__position", "start")
    )
    by_segment: dict[int, list[Any]] = {}
    for m in mentions:
        by_segment.setdefault(m.segment_id, []).append(m)
    return render(
        request,
        "staff/transcripts/mentions.html",
        {
            "testimony": testimony,
            "transcript": transcript,
            "language_name": languages.name_of(transcript.language),
            "rtl": languages.is_rtl(transcript.language),
            "rows": [
                {"seg": s, "at": fmt_ms(s.start_ms), "mentions": by_segment.get(s.pk, [])}
                for s in segments
            ],
            "mentions": mentions,
            "may_link": has_cap(request.user, capability),
            "chosen": chosen,
            "kind": kind,
            "words": words,
            "start": source.get("start", ""),
            "end": source.get("end", ""),
            "q": query,
            "candidates": _mention_candidates(request, kind, query)
            if chosen is not None and has_cap(request.user, capability)
            else [],
            "error": error,
            "editor_url": _page_url(transcript, testimony.number),
        },
        status=400 if error else 200,
    )
