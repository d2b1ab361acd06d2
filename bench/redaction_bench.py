"""Redaction benchmark: rendering speed of a redacted copy as a multiple of real time on 2
cores, and the time of the face detector and of tesseract per 720p frame.

    BENCH_REDACTION_SECONDS=30 .venv/bin/python bench/redaction_bench.py

Makes a synthetic 720p H.264/AAC video (ffmpeg's testsrc2 and a tone) of
BENCH_REDACTION_SECONDS seconds (default 30) in a temporary folder, then:
  - renders it with the filter graph aigaq.media.redaction builds for three regions (two
    blurred, one black, each over part of the time), H.264 veryfast and the audio copied, with
    ffmpeg limited to 2 threads and, where `taskset` exists, to CPUs 0 and 1; prints the
    multiple of real time (video seconds per wall second);
  - runs the CenterFace detector (aigaq.media.suggestions.detect_faces) on 10 frames of it and
    prints the median per frame (the first call, which loads the model, apart);
  - runs tesseract on 3 frames (aigaq.media.suggestions.detect_text) and prints the median.
No assertions.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from aigaq.media import redaction, suggestions  # noqa: E402

SECONDS = float(os.environ.get("BENCH_REDACTION_SECONDS", "30"))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="redaction-bench-"))
    try:
        source = folder / "source.mp4"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-loglevel", "error", "-y"]
            + ["-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=25:duration={SECONDS}"]
            + ["-f", "lavfi", "-i", f"sine=frequency=300:duration={SECONDS}"]
            + ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
            + ["-c:a", "aac", "-shortest", str(source)],
            check=True,
        )
        info = redaction.probe(source)
        third = info.duration / 3
        regions = redaction.regions_clean(
            [
                {"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.3, "start": 0, "end": 2 * third},
                {"x": 0.6, "y": 0.5, "w": 0.3, "h": 0.3, "start": third, "end": info.duration},
                {
                    "x": 0.4,
                    "y": 0.1,
                    "w": 0.2,
                    "h": 0.1,
                    "start": 0,
                    "end": info.duration,
                    "effect": "black",
                },
            ],
            duration=info.duration,
        )
        graph, label = redaction.filter_graph(regions, info.width, info.height)
        out = folder / "redacted.mp4"
        command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source)]
        command += ["-filter_complex", graph, "-map", f"[{label}]", *redaction.VIDEO_ARGS]
        command += ["-map", "0:a:0", "-c:a", "copy", "-threads", "2"]
        command += ["-filter_complex_threads", "2", str(out)]
        if shutil.which("taskset"):
            command = ["taskset", "-c", "0,1", *command]
        started = time.perf_counter()
        subprocess.run(command, check=True)
        wall = time.perf_counter() - started
        print(
            f"redacted copy, 720p, 3 regions, 2 cores: {info.duration:.0f} s of video in "
            f"{wall:.1f} s = {info.duration / wall:.2f}x real time"
        )

        frames = [f for _t, f in suggestions.sample_frames(source, every=max(1.0, SECONDS / 12))]
        started = time.perf_counter()
        suggestions.detect_faces(frames[0])
        first = time.perf_counter() - started
        times = []
        for frame in frames[1:11]:
            started = time.perf_counter()
            suggestions.detect_faces(frame)
            times.append(time.perf_counter() - started)
        print(
            f"face detection (CenterFace, onnxruntime), 720p frame: median "
            f"{statistics.median(times) * 1000:.0f} ms over {len(times)} frames "
            f"(first call with the model's loading: {first * 1000:.0f} ms)"
        )
        if suggestions.tesseract_languages():
            times = []
            for frame in frames[:3]:
                started = time.perf_counter()
                suggestions.detect_text(frame)
                times.append(time.perf_counter() - started)
            print(
                f"text detection (tesseract {suggestions.tesseract_languages()}), 720p frame: "
                f"median {statistics.median(times):.2f} s over {len(times)} frames"
            )
        else:
            print("text detection: tesseract is not installed")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
