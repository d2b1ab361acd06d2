"""Small real media files made with ffmpeg for tests (cached per test run)."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

import pytest


@functools.lru_cache(maxsize=8)
def video_bytes(seconds: int = 1, size: str = "160x120", audio: bool = True) -> bytes:
    """An H.264 (+ AAC) MP4 of `seconds` of test pattern, its index at the end as a phone
    writes it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "v.mp4"
        argv = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"]
        argv += [f"testsrc=duration={seconds}:size={size}:rate=10"]
        if audio:
            argv += ["-f", "lavfi", "-i", f"sine=duration={seconds}", "-c:a", "aac"]
        argv += ["-pix_fmt", "yuv420p", "-c:v", "libx264", "-shortest"]
        argv += ["-metadata", "creation_time=2019-03-01T10:20:30Z", "-y", str(out)]
        try:
            subprocess.run(argv, check=True, stdin=subprocess.DEVNULL, timeout=120)
        except FileNotFoundError:  # pragma: no cover - make test installs it
            pytest.skip("ffmpeg is not installed (make system-deps)")
        return out.read_bytes()


@functools.lru_cache(maxsize=2)
def audio_bytes(seconds: int = 1) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "a.m4a"
        subprocess.run(
            [
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-f",
                "lavfi",
                "-i",
                f"sine=duration={seconds}",
            ]
            + ["-c:a", "aac", "-y", str(out)],
            check=True,
        )
        return out.read_bytes()


@functools.lru_cache(maxsize=2)
def png_bytes(width: int = 8, height: int = 6) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buf, "PNG")
    return buf.getvalue()


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


# ffmpeg is required: `make test` installs it (scripts/system-deps.sh); a test that needs it
# fails loudly without it rather than being skipped (tests/conftest.py, ffmpeg_present).
needs_ffmpeg = pytest.mark.usefixtures("ffmpeg_present")


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
