"""Subtitle files (SRT, WebVTT) in and out, through pysubs2.

Reading is strict where pysubs2 is lenient: it reads "-00:00:01,000" as one second and folds a
timing line it cannot read into the previous subtitle's text, so every timing line is checked
here first. A file is refused whole, with what is wrong and where, before anything is written:
too large (checked before it is read), not UTF-8, neither SRT nor WebVTT, a time it cannot
read, a negative time, an end before its start, two subtitles that overlap.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pysubs2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.permissions import check
from aigaq.disclosure.policy import testimony_visible_to
from aigaq.testimonies.models import Testimony
from aigaq.transcripts import languages
from aigaq.transcripts.models import Segment, Speaker, Transcript
from aigaq.transcripts.services import (
    SegmentInput,
    check_timing,
    segments_replace,
    transcript_create,
    translation_create,
    translation_fill,
)

FORMATS = ("srt", "vtt")
#: A subtitle file of a two-hour testimony is a few hundred kilobytes; anything much larger is
#: not one (AIGAQ_SUBTITLE_MAX_MB).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s+.*)?$")
_NEGATIVE = re.compile(r"(^|\s)-\s*\d")


class SubtitleRefused(ValidationError):
    """A subtitle file that cannot be imported as it is."""


def max_bytes() -> int:
    return int(getattr(settings, "SUBTITLE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}"


def _too_large(size: int) -> SubtitleRefused:
    return SubtitleRefused(
        _(
            "This file is %(size)s MB; a subtitle file may be at most %(max)s MB. It is "
            "probably not a subtitle file. Nothing was imported."
        )
        % {"size": _mb(size), "max": _mb(max_bytes())},
        code="too_large",
    )


def read_file(path: Path) -> bytes:
    """A subtitle file's bytes, its size checked before anything is read."""
    size = path.stat().st_size
    if size > max_bytes():
        raise _too_large(size)
    with path.open("rb") as fh:
        data = fh.read(max_bytes() + 1)
    if len(data) > max_bytes():  # it grew meanwhile
        raise _too_large(len(data))
    return data


def detect_format(text: str, name: str = "") -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix in ("srt", "vtt"):
        return suffix
    if text.lstrip().startswith("WEBVTT"):
        return "vtt"
    if "-->" in text:
        return "srt"
    raise SubtitleRefused(
        _("This is neither an SRT nor a WebVTT subtitle file. Nothing was imported."),
        code="format",
    )


def parse(data: bytes, *, name: str = "") -> list[SegmentInput]:
    """The subtitles of an SRT or WebVTT file, in the file's order, checked."""
    if len(data) > max_bytes():
        raise _too_large(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubtitleRefused(
            _(
                "This file is not UTF-8 text (byte %(pos)s cannot be read as UTF-8; it may be "
                "in a Windows or a Chinese encoding). Save it as UTF-8 and import it again. "
                "Nothing was imported."
            )
            % {"pos": exc.start},
            code="encoding",
        ) from None
    fmt = detect_format(text, name)
    timings = 0
    for n, line in enumerate(text.splitlines(), start=1):
        if "-->" not in line:
            continue
        timings += 1
        if _NEGATIVE.search(line.split("-->")[0]) or _NEGATIVE.search(line.split("-->")[1]):
            raise SubtitleRefused(
                _("Line %(n)s has a negative time: %(line)s. Nothing was imported.")
                % {"n": n, "line": line.strip()[:80]},
                code="negative",
            )
        if not _TIMING.match(line):
            raise SubtitleRefused(
                _("Line %(n)s has a time that cannot be read: %(line)s. Nothing was imported.")
                % {"n": n, "line": line.strip()[:80]},
                code="timing",
            )
    try:
        subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    except Exception as exc:  # pysubs2 raises several kinds on a broken file
        raise SubtitleRefused(
            _("This subtitle file cannot be read (%(e)s). Nothing was imported.")
            % {"e": str(exc)[:200]},
            code="unreadable",
        ) from None
    events = [e for e in subs.events if not e.is_comment]
    if len(events) != timings:
        raise SubtitleRefused(
            _(
                "This file has %(t)s timing lines but %(e)s subtitles could be read from it; "
                "check its blank lines and numbering. Nothing was imported."
            )
            % {"t": timings, "e": len(events)},
            code="structure",
        )
    if not events:
        raise SubtitleRefused(_("This file has no subtitles. Nothing was imported."), code="empty")
    cues: list[SegmentInput] = []
    for n, event in enumerate(events, start=1):
        where = _("Subtitle %(n)s") % {"n": n}
        check_timing(int(event.start), int(event.end), where=where)
        if cues and event.start < cues[-1].end_ms:
            raise SubtitleRefused(
                _(
                    "Subtitles %(a)s and %(b)s overlap: %(b)s starts before %(a)s ends. "
                    "Nothing was imported."
                )
                % {"a": n - 1, "b": n},
                code="overlap",
            )
        cues.append(
            SegmentInput(
                int(event.start), int(event.end), event.plaintext.strip(), Speaker.TESTIFIER
            )
        )
    return cues


def render(transcript: Transcript, fmt: str) -> str:
    """The transcript or translation as an SRT or WebVTT file. A translation is timed by the
    transcript's segments (the source of each of its segments); empty segments are left out."""
    if fmt not in FORMATS:
        raise ValidationError(_("Choose srt or vtt."), code="format")
    subs = pysubs2.SSAFile()
    rows = transcript.segments.select_related("source").order_by("position")
    for seg in rows:
        if not seg.text.strip():
            continue
        timed: Segment = seg.source if seg.source is not None else seg
        text = seg.text.replace("\r", "").replace("\n", "\\N")
        subs.events.append(pysubs2.SSAEvent(start=timed.start_ms, end=timed.end_ms, text=text))
    return str(subs.to_string(fmt))


@dataclass(frozen=True)
class ImportResult:
    transcript: Transcript
    created: bool
    changed: int
    subtitles: int
    sha256: str


def _may_see(actor: Any, testimony: Testimony) -> None:
    from django.core.exceptions import PermissionDenied

    if actor is not None and not testimony_visible_to(actor, testimony):
        raise PermissionDenied("testimony.view")


def subtitles_import(
    *,
    actor: Any,
    testimony: Testimony,
    language: str,
    data: bytes,
    name: str = "",
    as_: str | None = None,
    replace: bool = False,
) -> ImportResult:
    """Import a subtitle file as the testimony's transcript or as a translation of it. The
    same file twice changes nothing. `as_`: "transcript" or "translation"; by default a
    transcript when the testimony has none yet or has it in this language, else a
    translation. A transcript that has other segments already is replaced only with
    `replace`."""
    _may_see(actor, testimony)
    language = languages.normalise(language)
    cues = parse(data, name=name)
    sha = hashlib.sha256(data).hexdigest()
    note = f"{Path(name).name or 'subtitles'} sha256:{sha}"
    with transaction.atomic():
        original = Transcript.objects.filter(
            testimony=testimony, kind=Transcript.Kind.ORIGINAL
        ).first()
        if as_ is None:
            as_ = (
                "transcript" if original is None or original.language == language else "translation"
            )
        if as_ not in ("transcript", "translation"):
            raise ValidationError(_("Import as transcript or as translation."), code="as")
        created = False
        if as_ == "transcript":
            if original is not None and original.language != language:
                raise SubtitleRefused(
                    _(
                        "T%(n)s's transcript is in %(lang)s; import this file as a translation "
                        "(--as translation). Nothing was imported."
                    )
                    % {"n": testimony.number, "lang": languages.name_of(original.language)},
                    code="language",
                )
            if original is None:
                original = transcript_create(actor=actor, testimony=testimony, language=language)
                created = True
            existing = list(original.segments.values_list("start_ms", "end_ms", "text"))
            wanted = [(c.start_ms, c.end_ms, c.text) for c in cues]
            if existing and existing != wanted and not replace:
                raise SubtitleRefused(
                    _(
                        "T%(n)s already has a %(lang)s transcript of %(count)s segments, "
                        "different from this file. Nothing was imported; import it with "
                        "--replace to replace them (the translations follow, marked stale)."
                    )
                    % {
                        "n": testimony.number,
                        "lang": languages.name_of(language),
                        "count": len(existing),
                    },
                    code="exists",
                )
            changed = segments_replace(actor=actor, transcript=original, segments=cues, note=note)
            return ImportResult(original, created, len(cues) if changed else 0, len(cues), sha)
        if original is None:
            raise SubtitleRefused(
                _(
                    "T%(n)s has no transcript yet: import or type the transcript first; a "
                    "translation keeps its segments. Nothing was imported."
                )
                % {"n": testimony.number},
                code="no_transcript",
            )
        translation = Transcript.objects.filter(testimony=testimony, language=language).first()
        if translation is None:
            translation = translation_create(actor=actor, transcript=original, language=language)
            created = True
        elif not translation.is_translation:
            raise SubtitleRefused(
                _("The transcript is in %(lang)s: import it as the transcript.")
                % {"lang": languages.name_of(language)},
                code="language",
            )
        changed_count = translation_fill(
            actor=actor, translation=translation, texts=cues, note=note
        )
        return ImportResult(translation, created, changed_count, len(cues), sha)


def subtitles_export(
    *, actor: Any, testimony: Testimony, language: str, fmt: str
) -> tuple[Transcript, str]:
    """The testimony's transcript or translation in `language` as an SRT or WebVTT file's
    text, recorded as an export in the audit log."""
    _may_see(actor, testimony)
    if actor is not None:
        check(actor, "testimony.view")
    language = languages.normalise(language)
    transcript = Transcript.objects.filter(testimony=testimony, language=language).first()
    if transcript is None:
        raise ValidationError(
            _("T%(n)s has no transcript or translation in %(lang)s.")
            % {"n": testimony.number, "lang": languages.name_of(language)},
            code="missing",
        )
    text = render(transcript, fmt)
    audit.record_export(
        actor=actor,
        model=Transcript,
        label=f"T{testimony.number} {language}.{fmt}",
        changes={"format": fmt, "testimony": testimony.number, "language": language},
    )
    return transcript, text
