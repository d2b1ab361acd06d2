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
than the worker's own access. The renditions never touch the disk in clear either: ffmpeg
writes each one to its standard output (the proxy as a fragmented MP4, which needs no seek
back to write its index, unlike a "faststart" one; the poster and the strip as JPEGs) and it
is sealed as it streams (renditions.rendition_pending). ffmpeg's position comes back on an
extra pipe. Whatever reads a rendition afterwards (ffprobe, the poster's seek in the proxy)
reads the sealed one through the loopback feed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass

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


#: Bytes read from ffmpeg's output pipe at a time.
PIPE_READ = 1024 * 1024

#: What a rendition's bytes are given to as ffmpeg makes them (PendingRendition.write).
Sink = Callable[[bytes], object]


def ffmpeg_run(
    args: list[str],
    *,
    duration: float = 0,
    progress: TimeProgress | None = None,
    sink: Sink | None = None,
    error: Callable[[], Exception] | None = None,
) -> int:
    """Run ffmpeg. With `sink`, the output (written by ffmpeg to `pipe:1`) is handed to it as
    it comes, so it never lies on disk; returns how many bytes it gave. ffmpeg's position goes
    to `progress` (read from an extra pipe, its stdout being the output). When ffmpeg fails,
    its last words go to the worker's log and `error()` is raised (TranscodeError by default).
    """
    progress_read, progress_write = os.pipe()
    command = [_tool("ffmpeg"), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"]
    command += ["-progress", f"pipe:{progress_write}", "-nostats", *args]
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if sink is not None else subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(progress_write,),
        )
    except BaseException:
        os.close(progress_read)
        raise
    finally:
        os.close(progress_write)
    errors: list[str] = []
    total_ms = int(duration * 1000)
    # The position, parsed from the progress pipe; reported from this thread only (a job's
    # progress is a database write, and a database connection belongs to its thread).
    position: list[int] = []
    reported = -1

    def drain() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            errors.append(line.decode(errors="replace"))
            del errors[:-20]

    def positions(lines: Iterator[bytes]) -> Iterator[int]:
        for line in lines:
            key, _sep, value = line.strip().decode(errors="replace").partition("=")
            if key == "out_time_us" and value.isdigit():
                yield int(value) // 1000

    def tell() -> None:
        nonlocal reported
        if progress is not None and position and position[-1] != reported:
            reported = position[-1]
            progress(min(reported, total_ms or reported), total_ms)

    def follow(fd: int) -> None:
        with os.fdopen(fd, "rb") as lines:
            for done in positions(iter(lines)):
                position[:] = [done]

    readers = [threading.Thread(target=drain, daemon=True)]
    if sink is not None:
        readers.append(threading.Thread(target=follow, args=(progress_read,), daemon=True))
    for reader in readers:
        reader.start()
    given = 0
    try:
        if sink is not None:
            assert proc.stdout is not None
            while chunk := os.read(proc.stdout.fileno(), PIPE_READ):
                sink(chunk)
                given += len(chunk)
                tell()
        else:
            with os.fdopen(progress_read, "rb") as lines:
                for done in positions(iter(lines)):
                    position[:] = [done]
                    tell()
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        if proc.stdout is not None:
            proc.stdout.close()
        for reader in readers:
            reader.join(timeout=5)
    if proc.returncode != 0:
        logger.warning("ffmpeg failed (%s): %s", proc.returncode, "".join(errors)[-2000:])
        if error is not None:
            raise error()
        raise TranscodeError(_("ffmpeg could not convert this file; it may be damaged or cut."))
    return given


def _even_scale(max_side: int) -> str:
    """Shorter side at most `max_side`, the other in proportion, both even (H.264 4:2:0)."""
    return (
        f"scale='if(gte(iw,ih),-2,trunc(min({max_side},iw)/2)*2)'"
        f":'if(gte(iw,ih),trunc(min({max_side},ih)/2)*2,-2)'"
    )


#: Fragmented MP4: the index (an empty `moov`) first, then self-contained fragments, and an
#: index of the fragments (`mfra`) at the end. ffmpeg writes it without seeking back, so it
#: streams out of a pipe and is sealed as it comes; a browser plays it from the start and
#: seeks in it with Range requests as in a "faststart" MP4.
FRAGMENTED = ["-movflags", "frag_keyframe+empty_moov+default_base_moof"]
#: Sound alone: every frame is a key frame, so fragments are cut every 2 seconds instead.
FRAGMENTED_AUDIO = ["-movflags", "empty_moov+default_base_moof", "-frag_duration", "2000000"]
#: x264's speed. Measured on 2 cores, 60 s of noisy 720p (bench/playback_bench.py): see
#: docs/media.md, "Figures".
PROXY_PRESET = "veryfast"


def proxy_threads() -> int:
    """ffmpeg's threads for a proxy: the cores this process may use (0 lets ffmpeg guess,
    which on a shared machine may count cores it is not given)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return 0


def video_proxy_args(source: str, *, preset: str = PROXY_PRESET) -> list[str]:
    return (
        ["-i", source, "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn"]
        + ["-vf", _even_scale(PROXY_MAX_SIDE), "-c:v", "libx264", "-preset", preset]
        + ["-crf", "23", "-pix_fmt", "yuv420p", "-profile:v", "high"]
        + ["-threads", str(proxy_threads())]
        + ["-c:a", "aac", "-b:a", "128k", "-ac", "2"]
        + [*FRAGMENTED, "-f", "mp4", "pipe:1"]
    )


def make_video_proxy(
    source: str,
    sink: Sink,
    *,
    duration: float,
    progress: TimeProgress | None = None,
    preset: str = PROXY_PRESET,
) -> int:
    """H.264 (high profile, yuv420p) and AAC stereo in a fragmented MP4, given to `sink` as
    ffmpeg makes it; returns its size."""
    return ffmpeg_run(
        video_proxy_args(source, preset=preset), duration=duration, progress=progress, sink=sink
    )


def make_audio_proxy(
    source: str, sink: Sink, *, duration: float, progress: TimeProgress | None = None
) -> int:
    """AAC in a fragmented M4A, given to `sink` as ffmpeg makes it; returns its size."""
    return ffmpeg_run(
        ["-i", source, "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "aac", "-b:a", "128k"]
        + [*FRAGMENTED_AUDIO, "-f", "mp4", "pipe:1"],
        duration=duration,
        progress=progress,
        sink=sink,
    )


def _made(size: int) -> None:
    if size == 0:
        raise TranscodeError(_("ffmpeg found no picture to show in this video."))


def frame_times(duration: float, count: int) -> list[float]:
    """`count` moments spread over the video: the middle of each of `count` equal parts."""
    if duration <= 0:
        return [0.0] * count
    # Floored to the millisecond: a moment past the last frame would give no frame at all.
    return [int(duration * (2 * i + 1) / (2 * count) * 1000) / 1000 for i in range(count)]


#: One JPEG to the output pipe.
JPEG_PIPE = ["-c:v", "mjpeg", "-f", "image2pipe", "pipe:1"]


def make_poster(video: str, sink: Sink, *, duration: float) -> float:
    """One frame a tenth of the way in (at most 5 s: past a black start, before the face has
    moved much), a JPEG given to `sink`; returns its time."""
    at = round(min(duration * 0.1, 5.0), 3) if duration > 0 else 0.0
    _made(
        ffmpeg_run(
            ["-ss", str(at), "-i", video, "-frames:v", "1", "-q:v", "3", *JPEG_PIPE], sink=sink
        )
    )
    return at


def make_strip(video: str, sink: Sink, *, duration: float, count: int = THUMB_COUNT) -> list[float]:
    """`count` frames side by side in one JPEG given to `sink`, each THUMB_HEIGHT pixels high;
    each is found by a seek in the 720p proxy, so a two-hour video costs ten seeks, not a
    decode."""
    times = frame_times(duration, count)
    args: list[str] = []
    for t in times:
        args += ["-ss", str(t), "-i", video]
    scaled = "".join(
        f"[{i}:v:0]trim=end_frame=1,scale=-2:{THUMB_HEIGHT},setsar=1[t{i}];" for i in range(count)
    )
    stack = "".join(f"[t{i}]" for i in range(count)) + f"hstack=inputs={count}[strip]"
    _made(
        ffmpeg_run(
            args
            + ["-filter_complex", scaled + stack, "-map", "[strip]", "-frames:v", "1", "-q:v", "4"]
            + JPEG_PIPE,
            sink=sink,
        )
    )
    return times


def tool_available() -> bool:
    with suppress(TranscodeError):
        _tool("ffmpeg")
        _tool("ffprobe")
        return True
    return False
