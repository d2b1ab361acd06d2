"""Publication copies that protect people: a redacted copy (rectangles over time ranges blurred
or blacked out), an audio-only copy and an anonymised copy (every detected face blurred, the
voice pitch-shifted). Each is a media.Rendition made by ffmpeg from the decrypted original; the
original is never modified.

Whatever is published (the public site, exports, publication packages, a mirror upload) takes
its file from `publication_copy(media)`, never from the original: it answers the redacted or
anonymised copy, or None when there is none (then nothing of that video may be published).

Nothing of it is written in clear: ffmpeg reads the original decrypted through the loopback
feed (media/feed.py), and writes the copy (a fragmented MP4 or M4A, which needs no seek back)
to its standard output, sealed as it streams (renditions.rendition_pending).
"""

from __future__ import annotations

import json
import math
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check
from aigaq.media import storage
from aigaq.media.feed import LoopbackFeed
from aigaq.media.models import MediaFile, RedactionPlan, Rendition
from aigaq.media.renditions import rendition_latest, rendition_pending, rendition_save
from aigaq.media.transcode import FRAGMENTED, FRAGMENTED_AUDIO, Sink, ffmpeg_run

EFFECTS = ("blur", "black")
MAX_REGIONS = 500
# A region may end this much after the probed duration (containers round their duration).
DURATION_SLACK = 0.5
# Voice change of the anonymised copy: the pitch times this factor, the tempo kept.
PITCH_FACTOR = 0.85
#: Progress of a rendering: (done, total) in milliseconds of video.
RenderProgress = Callable[[int, int], None]


class RedactionError(ValueError):
    """A plan or a rendering refused, with one sentence for the person who asked."""


@dataclass(frozen=True)
class Region:
    """A rectangle (fractions of the frame, from its top left corner) hidden between `start`
    and `end` seconds."""

    x: float
    y: float
    w: float
    h: float
    start: float
    end: float
    effect: str = "blur"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    duration: float
    audio_codec: str | None
    sample_rate: int


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def regions_clean(raw: Any, *, duration: float | None = None) -> list[Region]:
    """The regions of a plan, checked: each one's place inside the frame, its time range
    inside the video, its effect one of EFFECTS. RedactionError names the first bad region."""
    if not isinstance(raw, list):
        raise RedactionError(_("The regions could not be read; reload the page and try again."))
    if len(raw) > MAX_REGIONS:
        raise RedactionError(
            _("A plan has at most %(n)s regions; merge some of them.") % {"n": MAX_REGIONS}
        )
    out = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise RedactionError(_("Region %(n)s could not be read.") % {"n": n})
        values = {k: _number(item.get(k)) for k in ("x", "y", "w", "h", "start", "end")}
        if any(v is None for v in values.values()):
            raise RedactionError(
                _("Region %(n)s needs a place, a size, a start and an end in numbers.") % {"n": n}
            )
        x, y, w, h, start, end = (
            float(values[k] or 0) for k in ("x", "y", "w", "h", "start", "end")
        )
        if not (0 <= x < 1 and 0 <= y < 1 and w > 0 and h > 0):
            raise RedactionError(_("Region %(n)s is not inside the picture.") % {"n": n})
        if x + w > 1.0001 or y + h > 1.0001:
            raise RedactionError(_("Region %(n)s reaches outside the picture.") % {"n": n})
        if start < 0:
            raise RedactionError(_("Region %(n)s starts before the video.") % {"n": n})
        if end <= start:
            raise RedactionError(_("Region %(n)s ends before it starts.") % {"n": n})
        if duration is not None and start >= duration:
            raise RedactionError(
                _("Region %(n)s starts after the end of the video (%(d)s s).")
                % {"n": n, "d": f"{duration:.1f}"}
            )
        if duration is not None and end > duration + DURATION_SLACK:
            raise RedactionError(
                _("Region %(n)s ends after the end of the video (%(d)s s).")
                % {"n": n, "d": f"{duration:.1f}"}
            )
        effect = item.get("effect", "blur")
        if effect not in EFFECTS:
            raise RedactionError(_("Region %(n)s: choose blur or black.") % {"n": n})
        out.append(
            Region(
                x=round(x, 5),
                y=round(y, 5),
                w=round(min(w, 1 - x), 5),
                h=round(min(h, 1 - y), 5),
                start=round(start, 3),
                end=round(min(end, duration) if duration is not None else end, 3),
                effect=effect,
            )
        )
    return out


# --- the plan (a write: audited, needs media.redact) -------------------------------------


def redaction_plan_for(media: MediaFile) -> RedactionPlan | None:
    return RedactionPlan.objects.filter(media=media).first()


def redaction_plan_save(
    *,
    actor: Any,
    media: MediaFile,
    regions: Any,
    suggestions: Any = None,
    duration: float | None = None,
) -> RedactionPlan:
    """Check and save the regions of the video's plan (created on first save); `suggestions`,
    when given, replaces the suggestions still waiting (those the person accepted are among
    the regions, those rejected are gone). Nothing is saved when a region is refused."""
    check(actor, "media.redact")
    if media.kind not in (MediaFile.Kind.VIDEO, MediaFile.Kind.OTHER):
        raise RedactionError(_("Only a video can be redacted here."))
    cleaned = [r.as_dict() for r in regions_clean(regions, duration=duration)]
    kept_suggestions = None
    if suggestions is not None:
        kept_suggestions = [
            {**r.as_dict(), **_suggestion_labels(s)}
            for r, s in zip(regions_clean(suggestions, duration=duration), suggestions, strict=True)
        ]
    with transaction.atomic():
        plan, created = RedactionPlan.objects.select_for_update().get_or_create(
            media=media,
            defaults={"created_by": actor if getattr(actor, "is_authenticated", False) else None},
        )
        before = plan.regions
        plan.regions = cleaned
        fields = ["regions", "updated_at", "version"]
        if kept_suggestions is not None:
            plan.suggestions = kept_suggestions
            fields.append("suggestions")
        if plan.status != RedactionPlan.Status.RENDERING:
            plan.status = RedactionPlan.Status.DRAFT
            fields.append("status")
        plan.updated_at = timezone.now()
        plan.version += 1
        plan.save(update_fields=fields)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
            obj=plan,
            changes={"regions": [None if created else before, cleaned]},
        )
    return plan


def _suggestion_labels(item: Any) -> dict[str, str]:
    source = item.get("source") if isinstance(item, dict) else None
    label = item.get("label") if isinstance(item, dict) else None
    return {
        "source": source if source in ("face", "text") else "face",
        "label": str(label or "")[:80],
    }


def redaction_plan_mark(
    *, plan: RedactionPlan, status: str, rendition: Rendition | None = None
) -> None:
    """Record where a plan's rendering stands (the rendering job's own bookkeeping)."""
    changes: dict[str, Any] = {"status": status, "updated_at": timezone.now()}
    if rendition is not None:
        changes["rendition"] = rendition
    RedactionPlan.objects.filter(pk=plan.pk).update(**changes)


# --- publication --------------------------------------------------------------------------


def publication_copy(media: MediaFile) -> Rendition | None:
    """The copy of this video that may be published: its latest redacted copy, else its
    anonymised copy; None when there is neither. The public site, exports and publication
    packages send this, never the original (whether publishing is allowed at all is
    disclosure's question)."""
    return rendition_latest(media, Rendition.Kind.REDACTED) or rendition_latest(
        media, Rendition.Kind.ANONYMISED
    )


# --- ffmpeg --------------------------------------------------------------------------------


def work_root() -> Path:
    """The work folder of the publication copies under the data folder's tmp. Nothing is
    written here any more (the copies stream out of ffmpeg and are sealed as they come); kept
    so that a folder left by an older version is known, and for the tests that check it."""
    root = Path(settings.DATA_DIR) / "tmp" / "media-work"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


@contextmanager
def original_feed(media: MediaFile) -> Iterator[str]:
    """The original, decrypted as ffmpeg reads it, at a loopback address (media/feed.py) for
    the length of the block: no clear copy of it is written."""
    with LoopbackFeed(lambda: storage.open_original(media.sha256)) as url:
        yield url


def probe(path: Path | str) -> VideoInfo:
    """Size, duration and audio of a video (ffprobe); RedactionError when it is not one."""
    run = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-print_format",
            "json",
            "-show_streams",
            "-show_format",
            str(path),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
        timeout=120,
    )
    try:
        data = json.loads(run.stdout or b"{}")
    except ValueError:
        data = {}
    streams = data.get("streams") or []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    duration = _number((data.get("format") or {}).get("duration"))
    if run.returncode != 0 or video is None or not duration:
        raise RedactionError(_("This file is not a video that can be read."))
    return VideoInfo(
        width=int(video.get("width") or 0),
        height=int(video.get("height") or 0),
        duration=float(duration),
        audio_codec=audio.get("codec_name") if audio else None,
        sample_rate=int(audio.get("sample_rate") or 44100) if audio else 0,
    )


def _even(value: float) -> int:
    return max(0, int(round(value / 2)) * 2)


def pixel_box(region: Region, width: int, height: int) -> tuple[int, int, int, int]:
    """The region in whole, even pixels (chroma subsampling), at least 4 by 4, inside the
    frame."""
    x = min(_even(region.x * width), max(0, width - 4))
    y = min(_even(region.y * height), max(0, height - 4))
    w = max(4, _even(region.w * width))
    h = max(4, _even(region.h * height))
    return x, y, min(w, width - x), min(h, height - y)


def filter_graph(regions: Sequence[Region], width: int, height: int) -> tuple[str, str]:
    """An ffmpeg filter graph hiding each region between its start and end: a black box drawn
    over it, or the picture under it cropped, blurred and laid back on top. Returns the graph
    and the label of its output."""
    parts: list[str] = []
    label = "0:v"
    for i, region in enumerate(regions):
        x, y, w, h = pixel_box(region, width, height)
        when = f"between(t\\,{region.start:.3f}\\,{region.end:.3f})"
        out = f"v{i}"
        if region.effect == "black":
            parts.append(
                f"[{label}]drawbox=x={x}:y={y}:w={w}:h={h}:color=black:t=fill:enable='{when}'[{out}]"
            )
        else:
            radius = max(1, min(40, min(w, h) // 4 - 1))
            parts.append(f"[{label}]split[a{i}][b{i}]")
            parts.append(f"[b{i}]crop={w}:{h}:{x}:{y},boxblur={radius}:4[c{i}]")
            parts.append(f"[a{i}][c{i}]overlay={x}:{y}:enable='{when}'[{out}]")
        label = out
    if not parts:
        parts.append("[0:v]null[v0]")
        label = "v0"
    return ";".join(parts), label


def run_ffmpeg(
    args: Sequence[str],
    *,
    duration: float,
    progress: RenderProgress | None,
    sink: Sink | None = None,
) -> int:
    """Run ffmpeg (transcode.ffmpeg_run: the output, written to `pipe:1`, given to `sink` as it
    comes; progress from an extra pipe); RuntimeError when it fails (its words in the log)."""
    return ffmpeg_run(
        list(args),
        duration=duration,
        progress=progress,
        sink=sink,
        error=lambda: RuntimeError("ffmpeg failed to render a publication copy"),
    )


def _audio_args(info: VideoInfo) -> list[str]:
    if info.audio_codec is None:
        return []
    if info.audio_codec == "aac":
        return ["-map", "0:a:0", "-c:a", "copy"]
    return ["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k"]


VIDEO_ARGS = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]


def render_redacted(
    *,
    media: MediaFile,
    regions: Any,
    actor: Any = None,
    progress: RenderProgress | None = None,
    threads: int = 0,
) -> Rendition:
    """Render the video with `regions` hidden and store it as its REDACTED rendition (H.264
    and AAC in MP4, the audio copied when it is AAC already). The regions are checked again
    against the video's real duration."""
    with original_feed(media) as source:
        info = probe(source)
        cleaned = regions_clean(regions, duration=info.duration)
        graph, label = filter_graph(cleaned, info.width, info.height)
        args = ["-i", source, "-filter_complex", graph, "-map", f"[{label}]"]
        args += VIDEO_ARGS + _audio_args(info)
        if threads:
            args += ["-threads", str(threads), "-filter_complex_threads", str(threads)]
        args += [*FRAGMENTED, "-f", "mp4", "pipe:1"]
        return _render(
            media,
            args,
            duration=info.duration,
            progress=progress,
            kind=Rendition.Kind.REDACTED,
            content_type="video/mp4",
            params={"regions": [r.as_dict() for r in cleaned]},
            actor=actor,
        )


def _render(
    media: MediaFile,
    args: list[str],
    *,
    duration: float,
    progress: RenderProgress | None,
    kind: str,
    content_type: str,
    params: dict[str, Any],
    actor: Any,
) -> Rendition:
    """Run ffmpeg with `args` (ending in a pipe) and seal what it writes, as it streams, as
    `media`'s rendition of `kind`."""
    with rendition_pending() as out:
        run_ffmpeg(args, duration=duration, progress=progress, sink=out.write)
        return rendition_save(
            out, media=media, kind=kind, content_type=content_type, params=params, actor=actor
        )


def render_audio_only(
    *, media: MediaFile, actor: Any = None, progress: RenderProgress | None = None
) -> Rendition:
    """The sound alone (AAC in MP4), as the AUDIO_ONLY rendition."""
    with original_feed(media) as source:
        info = probe(source)
        if info.audio_codec is None:
            raise RedactionError(_("This video has no sound."))
        args = ["-i", source, "-vn", "-map", "0:a:0", "-c:a", "aac", "-b:a", "128k"]
        args += [*FRAGMENTED_AUDIO, "-f", "mp4", "pipe:1"]
        return _render(
            media,
            args,
            duration=info.duration,
            progress=progress,
            kind=Rendition.Kind.AUDIO_ONLY,
            content_type="audio/mp4",
            params={},
            actor=actor,
        )


def voice_filter(sample_rate: int, factor: float = PITCH_FACTOR) -> str:
    """Pitch times `factor`, the tempo unchanged: played slower (a lower voice), then sped up
    again without changing the pitch."""
    rate = sample_rate or 44100
    return f"asetrate={rate}*{factor},aresample={rate},atempo={1 / factor:.6f}"


def render_anonymised(
    *,
    media: MediaFile,
    actor: Any = None,
    detect: Callable[[str, float], list[dict[str, Any]]],
    extra_regions: Sequence[dict[str, Any]] = (),
    progress: RenderProgress | None = None,
) -> Rendition:
    """Every face `detect` finds blurred over the whole time it is seen (with the regions of
    the plan), and the voice pitch-shifted: the ANONYMISED rendition. A person checks it before
    it is published: a detector can miss a face."""
    with original_feed(media) as source:
        info = probe(source)
        faces = [{**s, "effect": "blur"} for s in detect(source, info.duration)]
        cleaned = regions_clean([*faces, *extra_regions], duration=info.duration)
        graph, label = filter_graph(cleaned, info.width, info.height)
        args = ["-i", source, "-map", f"[{label}]", *VIDEO_ARGS]
        if info.audio_codec is not None:
            graph += f";[0:a:0]{voice_filter(info.sample_rate)}[aout]"
            args += ["-map", "[aout]", "-c:a", "aac", "-b:a", "128k"]
        args[2:2] = ["-filter_complex", graph]
        args += [*FRAGMENTED, "-f", "mp4", "pipe:1"]
        return _render(
            media,
            args,
            duration=info.duration,
            progress=progress,
            kind=Rendition.Kind.ANONYMISED,
            content_type="video/mp4",
            params={
                "regions": [r.as_dict() for r in cleaned],
                "faces": len(faces),
                "pitch": PITCH_FACTOR,
            },
            actor=actor,
        )
