"""Suggestions for a redaction plan: detections merged over time, the face detector runs on a
frame, and tesseract finds card-like text (synthetic: text drawn by OpenCV, no real face or
card)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from aigaq.media import suggestions
from aigaq.media.suggestions import Box
from tests.media.conftest import make_video


def test_one_thing_seen_in_consecutive_samples_becomes_one_region() -> None:
    a = Box(0.10, 0.10, 0.20, 0.25)
    moved = Box(0.12, 0.11, 0.22, 0.26)
    other = Box(0.70, 0.60, 0.80, 0.75)
    found = [(0.0, [a]), (1.0, [moved, other]), (2.0, [moved]), (5.0, [a])]
    regions = suggestions.merge_detections(found, every=1.0, duration=10.0, pad=0.0)
    spans = sorted((r["start"], r["end"], r["x"]) for r in regions)
    # the face seen at 0, 1, 2 s; the other at 1 s; the first again at 5 s after a gap
    assert spans == [(0.0, 2.5, 0.1), (0.5, 1.5, 0.7), (4.5, 5.5, 0.1)]
    first = next(r for r in regions if r["start"] == 0.0)
    assert first["w"] == pytest.approx(0.12) and first["h"] == pytest.approx(0.16)
    assert first["source"] == "face" and first["effect"] == "blur"


def test_one_missed_sample_does_not_split_a_region() -> None:
    a = Box(0.4, 0.4, 0.5, 0.5)
    regions = suggestions.merge_detections(
        [(0.0, [a]), (1.0, []), (2.0, [a])], every=1.0, duration=3.0
    )
    assert [(r["start"], r["end"]) for r in regions] == [(0.0, 2.5)]


def test_padding_stays_inside_the_picture_and_the_video() -> None:
    regions = suggestions.merge_detections(
        [(0.0, [Box(0.0, 0.9, 0.1, 1.0)])], every=1.0, duration=0.3, pad=0.5
    )
    (r,) = regions
    assert r["x"] == 0.0 and r["y"] + r["h"] <= 1.0 and r["end"] == 0.3


def test_the_face_detector_runs_on_a_frame_and_returns_boxes() -> None:
    frame = np.zeros((720, 1280, 3), np.uint8)
    cv2.rectangle(frame, (400, 200), (800, 500), (180, 160, 140), -1)
    boxes = suggestions.detect_faces(frame)
    assert isinstance(boxes, list)
    assert all(0 <= b.x1 < b.x2 <= 1 and 0 <= b.y1 < b.y2 <= 1 for b in boxes)


def _card(width: int = 960, height: int = 600) -> np.ndarray:
    """A synthetic ID-card-like picture: dark lines of text on a light card."""
    frame = np.full((height, width, 3), 90, np.uint8)
    cv2.rectangle(frame, (120, 120), (840, 480), (235, 235, 235), -1)
    lines = ["IDENTITY CARD", "SURNAME EXAMPLE", "GIVEN NAME SAMPLE", "No 920315401234"]
    for i, line in enumerate(lines):
        cv2.putText(
            frame, line, (150, 190 + 80 * i), cv2.FONT_HERSHEY_SIMPLEX, 1.3, (20, 20, 20), 3
        )
    return frame


def test_tesseract_finds_the_text_of_a_card() -> None:
    if not suggestions.tesseract_languages():
        pytest.fail("tesseract is not installed: run scripts/system-deps.sh")
    boxes = suggestions.detect_text(_card())
    assert boxes, "the card's text was found"
    union = (min(b.x1 for b in boxes), min(b.y1 for b in boxes), max(b.x2 for b in boxes))
    # inside the card (120..840 of 960 wide, from 120 of 600 high)
    assert union[0] >= 0.1 and union[1] >= 0.15 and union[2] <= 0.9


def test_a_picture_without_text_suggests_nothing() -> None:
    assert suggestions.detect_text(np.full((360, 640, 3), 128, np.uint8)) == []


def test_text_suggestions_in_a_video_are_black_regions_over_the_card(tmp_path: Path) -> None:
    card = tmp_path / "card.png"
    cv2.imwrite(str(card), _card())
    video = tmp_path / "card.mp4"
    import subprocess

    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-loop", "1", "-i", str(card)]
        + ["-t", "2", "-r", "5", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )
    regions = suggestions.suggest_text(video, 2.0, every=1.0)
    assert regions and all(r["effect"] == "black" and r["source"] == "text" for r in regions)
    assert min(r["start"] for r in regions) == 0.0


def test_frames_are_sampled_once_every_interval(tmp_path: Path) -> None:
    video = make_video(tmp_path / "v.mp4", seconds=3.0)
    times = [t for t, frame in suggestions.sample_frames(video, every=1.0)]
    assert times == [0.0, 1.0, 2.0]
