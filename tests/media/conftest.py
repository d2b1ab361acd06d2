"""Videos made by ffmpeg for the media tests (synthetic: test patterns and tones)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest

from aigaq.media.models import MediaFile
from aigaq.media.services import media_ingest


def make_video(path: Path, *, seconds: float = 1.0, size: str = "160x120", rate: int = 25) -> Path:
    """A test pattern with a tone, H.264 and AAC in MP4."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
        + ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]
        + ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
        + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path)],
        check=True,
    )
    return path


def frame_rgb(path: Path, at: float) -> tuple[int, int, bytes]:
    """The frame shown at `at` seconds, as raw RGB (width, height, bytes)."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries"]
        + ["stream=width,height", "-of", "csv=p=0", str(path)],
        capture_output=True,
        check=True,
        text=True,
    )
    width, height = (int(v) for v in probe.stdout.strip().split(","))
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-ss", f"{at}", "-i", str(path)]
        + ["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    return width, height, raw


def pixel(frame: tuple[int, int, bytes], x: int, y: int) -> tuple[int, int, int]:
    width, _height, raw = frame
    i = (y * width + x) * 3
    return raw[i], raw[i + 1], raw[i + 2]


def ingest_video(settings: Any, tmp_path: Path) -> MediaFile:
    """A one-second 160x120 test-pattern video ingested as an original."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"  # its own work folder: tests look at what is left there
    source = make_video(tmp_path / "pattern.mp4")
    return media_ingest(
        actor=None,
        fileobj=io.BytesIO(source.read_bytes()),
        original_name="pattern.mp4",
        kind=MediaFile.Kind.VIDEO,
    )


@pytest.fixture
def video(settings: Any, tmp_path: Path) -> MediaFile:
    return ingest_video(settings, tmp_path)


@pytest.fixture
def archive(settings: Any, tmp_path: Path) -> Path:
    """An empty media folder of its own for the test; returns MEDIA_ROOT."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = str(root)
    settings.DATA_DIR = tmp_path / "data"
    return root


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".encrypt"))


def holds_bytes(root: Path, needle: bytes) -> bool:
    """Does any file under root contain `needle` (a clear byte sequence of a test file)?"""
    return any(needle in p.read_bytes() for p in files_under(root))
