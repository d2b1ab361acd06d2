"""Playback benchmark: a seek through the Django view, and proxy transcoding speed.

    .venv/bin/python bench/playback_bench.py

In a fresh data folder and database (temporary; TMPDIR must hold about 1.2 GB), in one run:
  - seek: a sealed rendition of BENCH_PLAYBACK_MB MiB (default 1024) of random bytes is
    attached as the web proxy of a testimony's video; then, through Django's test client (the
    whole middleware stack, the disclosure check and staff/media.py), GET /media/<id>/play/
    with `Range: bytes=N-` at 20 random offsets in the middle half of the file; prints the
    time to the first byte of the body (the view, opening the sealed file, authenticating
    its final chunk, decrypting the chunk sought): first request, median and worst (target
    < 50 ms). The file was just written, so it is in the page cache: a cold disk adds seeks.
  - transcode: ffmpeg generates a BENCH_VIDEO_SECONDS (default 60) s test video of
    BENCH_VIDEO_SIZE (default 1280x720) at 25 fps with sensor-like noise and a tone
    (H.264/AAC, index at the end, like a phone's), which is ingested and sealed; then the
    proxy is made as the job makes it (the loopback feed decrypting the sealed original,
    H.264 CRF 23 at most 720p, AAC, a fragmented MP4 sealed as it streams out of ffmpeg)
    pinned to 2 cores, once per x264 preset in BENCH_PRESETS (comma-separated; default the
    one the job uses, transcode.PROXY_PRESET); prints each one's speed as a multiple of real
    time and its size, and the poster plus the thumbnail strip.
BENCH_SKIP_SEEK=1 leaves the seek out. No assertions.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MiB = 1024 * 1024


def _env(tmp: Path) -> None:
    os.environ["AIGAQ_DATA_DIR"] = str(tmp / "data")
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", "be" * 32)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    (tmp / "data").mkdir(parents=True)


def _two_cores() -> str:
    cpus = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, set(cpus[:2]))  # ffmpeg inherits it
    return f"{min(2, len(cpus))} of {len(cpus)} cores"


def _seal_random(size: int) -> tuple[str, int]:
    """Random bytes sealed straight into the renditions folder (no clear copy on disk)."""
    from aigaq.media.crypto import SealedWriter
    from aigaq.media.keys import media_keys
    from aigaq.media.renditions import rendition_path, renditions_root

    renditions_root().mkdir(parents=True, exist_ok=True)
    tmp = renditions_root() / ".bench"
    digest = hashlib.sha256()
    rng = random.Random(7)
    with tmp.open("wb") as out:
        writer = SealedWriter(out, media_keys().encryption)
        left = size
        while left:
            piece = rng.randbytes(min(MiB, left))
            digest.update(piece)
            writer.write(piece)
            left -= len(piece)
        writer.close()
    sha = digest.hexdigest()
    final = rendition_path(sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
    return sha, size


def bench_seek(user: object) -> None:
    from django.test import Client

    from aigaq.media.models import Rendition
    from aigaq.media.services import media_ingest
    from aigaq.testimonies.services import (
        testifier_create,
        testimony_attach_media,
        testimony_create,
    )

    size = int(os.environ.get("BENCH_PLAYBACK_MB", "1024")) * MiB
    testimony = testimony_create(
        actor=user,
        testifier=testifier_create(actor=user, full_name="Bench Testifier"),
        recorded_on=__import__("datetime").date(2019, 3, 1),
    )
    # The ingest checks that a video is one: a second of test pattern stands for the original.
    tiny = subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"]
        + ["testsrc=duration=1:size=160x120:rate=10", "-c:v", "libx264", "-pix_fmt", "yuv420p"]
        + ["-movflags", "frag_keyframe+empty_moov", "-f", "mp4", "pipe:1"],
        capture_output=True,
        check=True,
    ).stdout
    media = media_ingest(actor=user, fileobj=io.BytesIO(tiny), original_name="b.mp4", kind="video")
    testimony_attach_media(actor=user, testimony=testimony, media=media, kind="video")
    t0 = time.perf_counter()
    sha, _ = _seal_random(size)
    print(f"seek: sealed {size // MiB} MiB in {time.perf_counter() - t0:.1f} s")
    Rendition.objects.create(
        media=media, kind="proxy", sha256=sha, size=size, content_type="video/mp4"
    )
    client = Client()
    client.force_login(user)
    # A coordinator's session counts only once verified by a second factor.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = client.session
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/media/{media.pk}/play/"
    rng = random.Random(1)
    times = []
    for _ in range(20):
        start = rng.randrange(size // 4, 3 * size // 4)
        t = time.perf_counter()
        response = client.get(url, HTTP_RANGE=f"bytes={start}-")
        first = next(iter(response.streaming_content))
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 206 and first, response.status_code
        response.close()
    print(
        f"seek: time to first byte of a Range request in the middle of a {size // MiB} MiB "
        f"sealed file through the Django view: first {times[0]:.1f} ms, "
        f"median {statistics.median(times):.1f} ms, worst {max(times):.1f} ms (target < 50 ms)"
    )


def bench_transcode(tmp: Path) -> None:
    from aigaq.media import feed, storage, transcode
    from aigaq.media.encrypt_existing import encrypt_existing
    from aigaq.media.renditions import rendition_pending
    from aigaq.media.services import media_ingest

    seconds = int(os.environ.get("BENCH_VIDEO_SECONDS", "60"))
    size = os.environ.get("BENCH_VIDEO_SIZE", "1280x720")
    presets = os.environ.get("BENCH_PRESETS", transcode.PROXY_PRESET).split(",")
    source = tmp / "camera.mp4"
    t0 = time.perf_counter()
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i"]
        + [f"testsrc2=size={size}:rate=25:duration={seconds},noise=alls=10:allf=t"]
        + ["-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}"]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "20", "-pix_fmt", "yuv420p"]
        + ["-c:a", "aac", "-shortest", str(source)],
        check=True,
    )
    mb = source.stat().st_size / MiB
    print(
        f"transcode: test video {seconds} s {size} 25 fps, {mb:.0f} MiB, made in "
        f"{time.perf_counter() - t0:.0f} s"
    )
    with source.open("rb") as fh:
        media = media_ingest(actor=None, fileobj=fh, original_name="camera.mp4", kind="video")
    encrypt_existing()
    source.unlink()
    cores = _two_cores()
    with feed.LoopbackFeed(lambda: storage.open_original(media.sha256)) as url:
        info = transcode.probe(url)
        for preset in presets:
            with rendition_pending() as pending:
                t = time.perf_counter()
                transcode.make_video_proxy(
                    url, pending.write, duration=info.duration, preset=preset
                )
                pending.finish()
                wall = time.perf_counter() - t
                with feed.LoopbackFeed(pending.open) as proxy_url:
                    made = transcode.probe(proxy_url)
                    t = time.perf_counter()
                    transcode.make_poster(proxy_url, lambda b: None, duration=made.duration)
                    transcode.make_strip(proxy_url, lambda b: None, duration=made.duration)
                    stills = time.perf_counter() - t
            print(
                f"transcode: proxy -preset {preset} -threads {transcode.proxy_threads()} "
                f"({made.width}x{made.height}, {pending.size / MiB:.1f} MiB) of "
                f"{info.duration:.0f} s of {size} from the sealed original, sealed as it "
                f"streams, in {wall:.1f} s on {cores}: {info.duration / wall:.2f}x real time"
            )
            print(f"transcode: poster and 10-frame thumbnail strip in {stills:.2f} s")


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="aigaq-playback-"))
    try:
        _env(tmp)
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host name is allowed
        call_command("migrate", verbosity=0)
        from aigaq.core.models import Role, User

        user = User.objects.create_user("bench-coordinator", password=None, role=Role.COORDINATOR)
        if os.environ.get("BENCH_SKIP_SEEK") != "1":
            bench_seek(user)
        if shutil.which("ffmpeg"):
            bench_transcode(tmp)
        else:
            print("transcode: skipped, ffmpeg is not installed")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
