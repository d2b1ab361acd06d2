"""Playback renditions made with ffmpeg: the web proxy (H.264/AAC MP4 at most 720p, or an AAC
M4A for audio), a poster frame and a thumbnail strip. Run by the background job in
aigaq/media/tasks.py, never by a web request.

How ffmpeg reads an original that is sealed on disk (docs/media.md, "Playback"): the original
is decrypted as ffmpeg reads it and never written in clear. A pipe (`-i pipe:0`) cannot be
sought, and a phone's MP4 often keeps its index (`moov`) at the end, which ffmpeg must seek to
before it can read the start. So the job serves the decrypted original to ffmpeg over HTTP on
the loopback interface (`LoopbackFeed`): a server of its own, alive only while the job runs,
bound to 127.0.0.1 on a free port, answering one random path only and honouring Range
requests, each answered by `SealedReader.iter_range`. ffmpeg seeks as it would in a file, and
the clear bytes only ever live in the two processes' memory. The trade-off: while a transcode
runs, another program of the same machine that learns the path (a process list shows ffmpeg's
arguments) could read that one original too; on a laptop used by one person that is no wider
than the worker's own access. The renditions themselves are written by ffmpeg into a private
temporary folder (0700, under the data folder's tmp/) because an MP4 made for the web
("faststart") is rewritten in place once finished; `rendition_store` seals each one and the
folder is removed in a `finally`, so no clear copy outlives the job.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: The proxy's shorter side at most (720p for a landscape video, 720 wide for a portrait one).
PROXY_MAX_SIDE = 720
THUMB_COUNT = 10
THUMB_HEIGHT = 90
#: What the browser plays: the proxy's content types.
VIDEO_PROXY_TYPE = "video/mp4"
AUDIO_PROXY_TYPE = "audio/mp4"

#: (done, total) in milliseconds of the original's duration.
TimeProgress = Callable[[int, int], None]


class TranscodeError(Exception):
    """ffmpeg could not make a rendition; the message is one sentence a volunteer can act on."""


@dataclass(frozen=True)
class Probe:
    duration: float  # seconds; 0 when ffprobe cannot tell
    has_video: bool
    has_audio: bool
    width: int = 0
    height: int = 0


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise TranscodeError(
            _("%(tool)s is not installed on the machine that runs the jobs; install ffmpeg.")
            % {"tool": name}
        )
    return path


@contextmanager
def private_tmpdir() -> Iterator[Path]:
    """A folder only this user may enter, under the data folder's tmp/, removed on leaving
    whatever happens (the clear renditions live here until they are sealed)."""
    root = Path(settings.DATA_DIR) / "tmp" / "transcode"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = root / secrets.token_hex(8)
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- ffprobe and ffmpeg ------------------------------------------------------------------------


_PROBE_ENTRIES = (
    "format=duration:stream=codec_type,width,height,duration:stream_disposition=attached_pic"
)


def probe(source: str) -> Probe:
    """Duration and streams of a file or URL; TranscodeError when it is no audio or video."""
    run = subprocess.run(
        [_tool("ffprobe"), "-v", "error", "-of", "json", "-show_entries", _PROBE_ENTRIES, source],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if run.returncode != 0:
        raise TranscodeError(_("ffmpeg cannot read this file as audio or video."))
    info = json.loads(run.stdout or "{}")
    streams = info.get("streams", [])
    # A cover picture in an audio file is a "video" stream with the attached_pic disposition.
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    if not videos and not has_audio:
        raise TranscodeError(_("This file holds neither video nor sound."))
    try:
        duration = float(info.get("format", {}).get("duration") or 0)
    except ValueError:
        duration = 0.0
    if videos:  # the pictures may end before the sound: frames are sought within them
        with suppress(TypeError, ValueError):
            duration = min(duration, float(videos[0]["duration"])) or duration
    width = int(videos[0].get("width") or 0) if videos else 0
    height = int(videos[0].get("height") or 0) if videos else 0
    return Probe(duration, bool(videos), has_audio, width, height)


def _ffmpeg(args: list[str], *, duration: float = 0, progress: TimeProgress | None = None) -> None:
    """Run ffmpeg; report its position as it goes; TranscodeError (with ffmpeg's last words in
    the worker's log) when it fails."""
    command = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-progress", "pipe:1", "-nostats", *args]
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    errors: list[str] = []

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            errors.append(line)
            del errors[:-20]

    drainer = threading.Thread(target=drain, daemon=True)
    drainer.start()
    total_ms = int(duration * 1000)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            key, _sep, value = line.strip().partition("=")
            if key == "out_time_us" and progress is not None and value.isdigit():
                progress(min(int(value) // 1000, total_ms or int(value) // 1000), total_ms)
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        drainer.join(timeout=5)
    if proc.returncode != 0:
        logger.warning("ffmpeg failed (%s): %s", proc.returncode, "".join(errors)[-2000:])
        raise TranscodeError(_("ffmpeg could not convert this file; it may be damaged or cut."))


def _even_scale(max_side: int) -> str:
    """Shorter side at most `max_side`, the other in proportion, both even (H.264 4:2:0)."""
    return (
        f"scale='if(gte(iw,ih),-2,trunc(min({max_side},iw)/2)*2)'"
        f":'if(gte(iw,ih),trunc(min({max_side},ih)/2)*2,-2)'"
    )


def make_video_proxy(
    source: str, out: Path, *, duration: float, progress: TimeProgress | None = None
) -> None:
    """H.264 (high profile, yuv420p) and AAC stereo in an MP4 with its index first."""
    _ffmpeg(
        ["-i", source, "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn"]
        + ["-vf", _even_scale(PROXY_MAX_SIDE), "-c:v", "libx264", "-preset", "veryfast"]
        + ["-crf", "23", "-pix_fmt", "yuv420p", "-profile:v", "high"]
        + ["-c:a", "aac", "-b:a", "128k", "-ac", "2"]
        + ["-movflags", "+faststart", "-f", "mp4", str(out)],
        duration=duration,
        progress=progress,
    )


def make_audio_proxy(
    source: str, out: Path, *, duration: float, progress: TimeProgress | None = None
) -> None:
    """AAC in an M4A with its index first."""
    _ffmpeg(
        ["-i", source, "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "aac", "-b:a", "128k"]
        + ["-movflags", "+faststart", "-f", "mp4", str(out)],
        duration=duration,
        progress=progress,
    )


def _made(out: Path) -> None:
    if not out.exists() or out.stat().st_size == 0:
        raise TranscodeError(_("ffmpeg found no picture to show in this video."))


def frame_times(duration: float, count: int) -> list[float]:
    """`count` moments spread over the video: the middle of each of `count` equal parts."""
    if duration <= 0:
        return [0.0] * count
    # Floored to the millisecond: a moment past the last frame would give no frame at all.
    return [int(duration * (2 * i + 1) / (2 * count) * 1000) / 1000 for i in range(count)]


def make_poster(video: Path, out: Path, *, duration: float) -> float:
    """One frame a tenth of the way in (at most 5 s: past a black start, before the face has
    moved much); returns its time."""
    at = round(min(duration * 0.1, 5.0), 3) if duration > 0 else 0.0
    _ffmpeg(
        ["-ss", str(at), "-i", str(video), "-frames:v", "1", "-q:v", "3", "-f", "image2"]
        + ["-update", "1", str(out)]
    )
    _made(out)
    return at


def make_strip(video: Path, out: Path, *, duration: float, count: int = THUMB_COUNT) -> list[float]:
    """`count` frames side by side in one JPEG, each THUMB_HEIGHT pixels high; each is found by
    a seek in the (local, 720p) proxy, so a two-hour video costs ten seeks, not a decode."""
    times = frame_times(duration, count)
    args: list[str] = []
    for t in times:
        args += ["-ss", str(t), "-i", str(video)]
    scaled = "".join(
        f"[{i}:v:0]trim=end_frame=1,scale=-2:{THUMB_HEIGHT},setsar=1[t{i}];" for i in range(count)
    )
    stack = "".join(f"[t{i}]" for i in range(count)) + f"hstack=inputs={count}[strip]"
    _ffmpeg(
        args
        + ["-filter_complex", scaled + stack, "-map", "[strip]", "-frames:v", "1", "-q:v", "4"]
        + ["-f", "image2", "-update", "1", str(out)]
    )
    _made(out)
    return times


def tool_available() -> bool:
    with suppress(TranscodeError):
        _tool("ffmpeg")
        _tool("ffprobe")
        return True
    return False
