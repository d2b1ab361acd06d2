"""What a file is, by its content: checked before an original is accepted as a kind.

- video and audio: ffprobe must find a video (or audio) stream and a duration, and read every
  packet the container announces (`-count_packets`): a file cut short is refused, not archived
  as a video that will never play to its end;
- photo and ID-card images: Pillow must recognise and verify the image;
- documents: a PDF (its `%PDF-` head and `%%EOF` tail) or an image (a scanned page);
- other: anything that is not empty.

ffprobe needs to seek (an MP4 from a phone keeps its index at the end), and no clear copy of an
upload may touch the disk. So a file object that is not a plain file on disk is served to
ffprobe over HTTP on 127.0.0.1, from a one-off random address, with Range requests answered
from the (decrypting) file object itself: a sealed upload is decrypted only in memory, one
chunk at a time. A plain file given by path (`aigaq media add FILE`) is read by ffprobe directly.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from django.utils.translation import gettext as _

from aigaq.media.feed import feed_fileobj

PROBE_TIMEOUT_S = 600
IMAGE_FORMATS = {"image2", "png_pipe", "jpeg_pipe", "webp_pipe", "gif", "bmp_pipe", "tiff_pipe"}
PDF_TAIL = 2048


class NotMedia(ValueError):
    """The file is not what it was given as; the message says so in one sentence."""


@dataclass
class ProbeResult:
    duration: float | None = None
    video_codec: str = ""
    audio_codec: str = ""
    width: int | None = None
    height: int | None = None
    recorded_at: datetime | None = None
    container: str = ""
    content_type: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        """The MediaFile fields this result fills."""
        return {
            "duration": self.duration,
            "video_codec": self.video_codec[:40],
            "audio_codec": self.audio_codec[:40],
            "width": self.width,
            "height": self.height,
            "recorded_at": self.recorded_at,
            "container": self.container[:60],
        }


def ffprobe_available() -> bool:
    return shutil.which("ffprobe") is not None


# --- a seekable file object served to ffprobe ---------------------------------------------------


def _plain_path(fileobj: Any) -> str | None:
    """The path of a file object that is an ordinary file on disk opened by name (the caller's
    own clear file: `aigaq media add`), else None."""
    name = getattr(fileobj, "name", None)
    raw = getattr(fileobj, "raw", fileobj)
    if isinstance(name, str) and isinstance(raw, io.FileIO) and os.path.isfile(name):
        return name
    return None


def _size_of(fileobj: Any) -> int:
    size = getattr(fileobj, "size", None)
    if isinstance(size, int):
        return size
    here = fileobj.tell()
    end = int(fileobj.seek(0, os.SEEK_END))
    fileobj.seek(here)
    return end


_RANGE = re.compile(r"bytes=(\d+)-(\d*)\Z")


@contextlib.contextmanager
def serve_for_ffprobe(fileobj: Any) -> Iterator[str]:
    """A one-off http://127.0.0.1 address that serves `fileobj` with Range support."""
    with feed_fileobj(fileobj, _size_of(fileobj)) as url:
        yield url


# --- ffprobe --------------------------------------------------------------------------------


def _ffprobe(target: str) -> tuple[dict[str, Any], str]:
    argv = [
        "ffprobe",
        "-v",
        "error",
        "-count_packets",
        "-show_format",
        "-show_streams",
        "-print_format",
        "json",
        "-i",
        target,
    ]
    try:
        proc = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PROBE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise NotMedia(_("The file could not be read as media in time.")) from None
    try:
        data = json.loads(proc.stdout or b"{}")
    except ValueError:
        data = {}
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        data.setdefault("_failed", True)
    return data if isinstance(data, dict) else {}, stderr


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and number > 0 else None  # not NaN, positive


def _recorded_at(tags: dict[str, Any]) -> datetime | None:
    for key in ("creation_time", "com.apple.quicktime.creationdate", "date"):
        value = tags.get(key)
        if isinstance(value, str) and value.strip():
            text = value.strip().replace("Z", "+00:00")
            with contextlib.suppress(ValueError):
                parsed = datetime.fromisoformat(text)
                if parsed.tzinfo is None:
                    from datetime import UTC

                    parsed = parsed.replace(tzinfo=UTC)
                return parsed
    return None


def _probe_av(fileobj: Any, kind: str) -> ProbeResult:
    if not ffprobe_available():
        raise NotMedia(
            _(
                "This computer cannot check video or audio files: ffmpeg is not installed "
                "(on Debian: apt install ffmpeg)."
            )
        )
    path = _plain_path(fileobj)
    if path is not None:
        data, stderr = _ffprobe(path)
    else:
        with serve_for_ffprobe(fileobj) as url:
            data, stderr = _ffprobe(url)
    fileobj.seek(0)
    streams = [s for s in data.get("streams") or [] if isinstance(s, dict)]
    fmt = data.get("format") or {}
    container = str(fmt.get("format_name") or "")
    video = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    duration = _number(fmt.get("duration")) or max(
        (_number(s.get("duration")) or 0.0 for s in streams), default=0.0
    )
    truncated = "partial file" in stderr or any(
        (_number(s.get("nb_frames")) or 0) > int(s.get("nb_read_packets") or 0) for s in streams
    )
    if data.get("_failed") or not streams:
        raise NotMedia(
            _(
                "This file is not a video or audio recording that can be read (or it was cut "
                "short); it was not accepted."
            )
            if kind == "video" or kind == "audio"
            else _("This file cannot be read as media.")
        )
    if truncated:
        raise NotMedia(
            _("This recording is incomplete (cut short, or damaged); it was not accepted.")
        )
    if kind == "video" and (not video or container in IMAGE_FORMATS):
        raise NotMedia(_("This file holds no video: it is not a video recording."))
    if kind == "audio" and not audio:
        raise NotMedia(_("This file holds no sound: it is not an audio recording."))
    if not duration:
        raise NotMedia(_("This recording has no length: it is damaged or not a recording."))
    first_video = video[0] if video else {}
    return ProbeResult(
        duration=round(duration, 3),
        video_codec=str(first_video.get("codec_name") or ""),
        audio_codec=str(audio[0].get("codec_name") or "") if audio else "",
        width=int(first_video["width"]) if first_video.get("width") else None,
        height=int(first_video["height"]) if first_video.get("height") else None,
        recorded_at=_recorded_at(fmt.get("tags") or {}),
        container=container,
    )


# --- images and documents -----------------------------------------------------------------------


def _probe_image(fileobj: Any) -> ProbeResult:
    from PIL import Image, UnidentifiedImageError

    fileobj.seek(0)
    try:
        with Image.open(fileobj) as image:
            fmt, (width, height) = image.format or "", image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise NotMedia(
            _("This file is not an image (JPEG, PNG, WebP...) that can be read.")
        ) from None
    finally:
        fileobj.seek(0)
    return ProbeResult(
        width=width,
        height=height,
        container=fmt.lower(),
        content_type=Image.MIME.get(fmt, ""),
    )


def _is_pdf(fileobj: Any) -> bool:
    fileobj.seek(0)
    head = fileobj.read(8)
    size = _size_of(fileobj)
    fileobj.seek(max(0, size - PDF_TAIL))
    tail = fileobj.read(PDF_TAIL)
    fileobj.seek(0)
    return head.startswith(b"%PDF-") and b"%%EOF" in tail


def probe(fileobj: IO[bytes] | Any, kind: str) -> ProbeResult:
    """Check that `fileobj` (seekable, read from its start) is a `kind` (MediaFile.Kind value)
    and return what was learnt of it. Raises NotMedia with a sentence for the person who gave
    the file. The file object is left at its start."""
    fileobj.seek(0)
    if not fileobj.read(1):
        fileobj.seek(0)
        raise NotMedia(_("The file is empty (0 bytes)."))
    fileobj.seek(0)
    if kind in ("video", "audio"):
        return _probe_av(fileobj, kind)
    if kind in ("photo", "id_card"):
        return _probe_image(fileobj)
    if kind == "document":
        if _is_pdf(fileobj):
            return ProbeResult(container="pdf", content_type="application/pdf")
        try:
            return _probe_image(fileobj)
        except NotMedia:
            raise NotMedia(
                _("A document must be a complete PDF or a scanned image (JPEG, PNG, WebP...).")
            ) from None
    return ProbeResult()
