"""Small synthetic recordings made with ffmpeg's test sources (no real people)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg is not installed (scripts/system-deps.sh installs it)",
)


def make_video(
    path: Path, *, seconds: float = 3, size: str = "640x360", rate: int = 25, audio: bool = True
) -> Path:
    """An H.264/AAC MP4 with its index (moov) at the END, as phones write them: reading it
    needs seeks, which a pipe could not give."""
    args = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
    args += ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    if audio:
        args += ["-c:a", "aac", "-shortest"]
    subprocess.run([*args, str(path)], check=True)
    return path


def make_audio(path: Path, *, seconds: float = 2) -> Path:
    """A sound recording (MP3... here WAV, which every ffmpeg writes)."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi"]
        + ["-i", f"sine=frequency=300:duration={seconds}", str(path)],
        check=True,
    )
    return path


def moov_at_end(path: Path) -> bool:
    data = path.read_bytes()
    return data.find(b"moov") > data.find(b"mdat") > 0
