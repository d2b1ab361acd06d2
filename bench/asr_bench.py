"""Speech recognition's real-time factor on this machine: how many seconds of computing one
second of recording takes, through the same adapter the machine-draft job uses
(aigaq/transcripts/engines.py: faster-whisper, greedy, int8 where the CPU has it).

    .venv/bin/python bench/asr_bench.py --model /models/faster-whisper-small [--audio F.m4a]
        [--language kk] [--threads 4] [--device cpu|cuda] [--vad]

Without --model (or AIGAQ_ASR_MODEL) it says so and stops: no model is downloaded. Without
--audio it transcribes 60 seconds of synthetic sound (ffmpeg's test tone and noise), which
times the model but says nothing of accuracy; give a real recording for a figure to report.
Prints the model, the recording's length, the load time, the time to transcribe and the
real-time factor (below 1: faster than the recording plays). No database is needed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def synthetic(seconds: int, folder: Path) -> Path:
    out = folder / "synthetic.m4a"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=220:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"anoisesrc=duration={seconds}:amplitude=0.05",
            "-filter_complex",
            "amix=inputs=2",
            "-c:a",
            "aac",
            "-y",
            str(out),
        ],
        check=True,
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=os.environ.get("AIGAQ_ASR_MODEL", ""))
    parser.add_argument("--audio", help="a recording (any format FFmpeg reads)")
    parser.add_argument("--language", default="kk")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--seconds", type=int, default=60, help="synthetic sound's length")
    parser.add_argument("--vad", action="store_true", help="skip silences (as in production)")
    args = parser.parse_args()
    if not args.model:
        print("asr_bench: no model given (--model FOLDER or AIGAQ_ASR_MODEL); skipped.")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    from aigaq.transcripts import engines

    settings.ENGINE_THREADS = args.threads
    path = engines.model_path(engines.ASR, args.model)
    started = time.perf_counter()
    recogniser = engines.WhisperRecogniser(path, threads=args.threads, vad=args.vad)
    if args.device == "cuda":  # the bench only: the project never needs a GPU
        from faster_whisper import WhisperModel

        recogniser.model = WhisperModel(str(path), device="cuda", local_files_only=True)
    loaded = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        audio_path = Path(args.audio) if args.audio else synthetic(args.seconds, Path(tmp))
        with audio_path.open("rb") as fh:
            audio = engines.decode_audio(fh)
    seconds = len(audio) / engines.SAMPLE_RATE
    started = time.perf_counter()
    segments = list(recogniser.recognise(audio, language=args.language))
    took = time.perf_counter() - started
    print(f"model            {path}")
    print(
        f"device           {args.device}, {args.threads} threads, vad={'on' if args.vad else 'off'}"
    )
    print(
        f"recording        {seconds:.1f} s ({'synthetic' if not args.audio else audio_path.name})"
    )
    print(f"load             {loaded:.2f} s")
    print(f"transcribe       {took:.2f} s, {len(segments)} segments")
    print(f"real-time factor {took / seconds:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
