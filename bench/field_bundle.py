"""Field-bundle benchmark: prints figures, asserts nothing.

A trip of 60 testimonies a day for 3 days, each with a video made by ffmpeg, is recorded on a
"laptop" instance and carried back to an "office" instance. Each step runs in its own process
(own encrypted database, own data folder) so its peak RSS is its own. Run twice with media
files of two sizes: memory should stay flat while the bytes grow.

    .venv/bin/python bench/field_bundle.py
    FIELD_BENCH_MB=720 .venv/bin/python bench/field_bundle.py   # total media of the small run

Environment: FIELD_BENCH_MB (default 180: total media bytes of the small run; the large run
uses 4x), FIELD_BENCH_DAYS (3), FIELD_BENCH_PER_DAY (60), FIELD_BENCH_STREAM_MB (1024: the
raw pyrage streaming check).
"""

from __future__ import annotations

import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# X25519 keys, not a passphrase: scrypt (age's passphrase mode) needs ~256 MB by design, which
# would hide the streaming figures. The passphrase cost is printed on its own.
IDENTITY = os.environ.get("FIELD_BENCH_IDENTITY", "")


def _keys() -> dict[str, str]:
    from pyrage import x25519

    ident = x25519.Identity.from_str(IDENTITY)
    return {"recipient": str(ident.to_public())}


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _django(data: Path, key: str) -> None:
    os.environ.update(
        AIGAQ_DATA_DIR=str(data),
        AIGAQ_DB_KEY=key,
        AIGAQ_SECRET_KEY="bench",
        XDG_CONFIG_HOME=str(data.parent / (data.name + "-cfg")),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    data.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- steps, each in its own process --------------------------------------------------------


def step_office_export(data: Path, key: str, out: Path) -> dict[str, float]:
    _django(data, key)
    import datetime as dt

    from aigaq.intake.models import FieldTrip
    from aigaq.people.models import Place
    from aigaq.people.services import NameInput, person_create, place_save
    from aigaq.transfer.services import field_bundle_export

    county = place_save(Place(code="bench-county", kind="county", name="Bench county"))
    for i in range(300):
        person_create(actor=None, names=[NameInput(f"Адам Бенчұлы {i}")], hometown=county)
    trip = FieldTrip.objects.create(
        name="Bench trip", place=county, starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 3)
    )
    start, before = time.perf_counter(), rss_mb()
    with out.open("wb") as fh:
        field_bundle_export(actor=None, trip=trip, out=fh, **_keys(), persons_at="bench-county")
    return {"seconds": time.perf_counter() - start, "rss_before": before, "rss_peak": rss_mb()}


def step_laptop(data: Path, key: str, inbound: Path, out: Path, video: Path, n: int) -> dict:
    _django(data, key)
    import datetime as dt

    from aigaq.intake.models import FieldTrip
    from aigaq.media.services import media_ingest
    from aigaq.people.models import Person
    from aigaq.people.services import NameInput, person_create
    from aigaq.testimonies.services import RelationInput, testifier_create, testimony_create
    from aigaq.transfer.services import field_bundle_export, field_bundle_import

    with inbound.open("rb") as fh:
        field_bundle_import(actor=None, fileobj=fh, identity_text=IDENTITY)
    trip = FieldTrip.objects.get()
    known = list(Person.objects.all()[:n])
    base = video.read_bytes() if video.stat().st_size < 64 * 1024 * 1024 else None
    for i in range(n):
        # Distinct bytes per file (a trailer), so every video has its own hash.
        path = data / "cam.mp4"
        with path.open("wb") as fh:
            if base is not None:
                fh.write(base)
            else:
                with video.open("rb") as src:
                    while chunk := src.read(1 << 20):
                        fh.write(chunk)
            fh.write(secrets.token_bytes(32))
        with path.open("rb") as fh:
            media = media_ingest(actor=None, fileobj=fh, original_name=f"cam{i % 3}-{i}.mp4")
        new = person_create(actor=None, names=[NameInput(f"Жаңа Адам {i}")])
        teller = testifier_create(actor=None, full_name=f"Куәгер {i}")
        testimony_create(
            actor=None,
            testifier=teller,
            recorded_on=dt.date(2026, 5, 1 + i % 3),
            location="field",
            field_trip=trip,
            relations=[RelationInput(new, "son"), RelationInput(known[i % len(known)], "brother")],
            media=[media],
        )
    start, before = time.perf_counter(), rss_mb()
    with out.open("wb") as fh:
        field_bundle_export(actor=None, trip=trip, out=fh, **_keys(), return_bundle=True)
    return {"seconds": time.perf_counter() - start, "rss_before": before, "rss_peak": rss_mb()}


def step_office_import(data: Path, key: str, inbound: Path) -> dict[str, float]:
    _django(data, key)
    from aigaq.transfer.services import field_bundle_import

    start, before = time.perf_counter(), rss_mb()
    with inbound.open("rb") as fh:
        report = field_bundle_import(actor=None, fileobj=fh, identity_text=IDENTITY)
    return {
        "seconds": time.perf_counter() - start,
        "rss_before": before,
        "rss_peak": rss_mb(),
        "testimonies": report.created.get("testimony", 0),
        "media": report.media_files,
    }


def step_stream(mb: int) -> dict[str, float]:
    """pyrage's encrypt_io/decrypt_io on `mb` MiB, never held in memory."""
    import io

    import pyrage
    from pyrage import x25519

    ident = x25519.Identity.generate()
    left = {"n": mb << 20}

    class Zeros(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray) -> int:  # type: ignore[override]
            k = min(len(b), left["n"])
            b[:k] = bytes(k)
            left["n"] -= k
            return k

    class Sink:
        n = 0

        def write(self, b: bytes) -> int:
            self.n += len(b)
            return len(b)

    with tempfile.NamedTemporaryFile() as tmp:
        start = time.perf_counter()
        with open(tmp.name, "wb") as fh:
            pyrage.encrypt_io(Zeros(), fh, [ident.to_public()])
        enc = time.perf_counter() - start
        sink = Sink()
        start = time.perf_counter()
        with open(tmp.name, "rb") as fh:
            pyrage.decrypt_io(fh, sink, [ident])
        dec = time.perf_counter() - start
    return {"mb": mb, "encrypt_s": enc, "decrypt_s": dec, "rss_peak": rss_mb(), "out": sink.n}


# --- driver --------------------------------------------------------------------------------


def _child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--step", *args], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"step {args[0]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _video(folder: Path, megabytes: float) -> Path:
    """A test-pattern video of about `megabytes` (720p, bitrate chosen to reach the size)."""
    seconds = 10
    kbit = max(200, int(megabytes * 8 * 1024 / seconds))
    out = folder / f"base-{megabytes:.1f}.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
         "testsrc=size=1280x720:rate=25", "-t", str(seconds), "-c:v", "libx264",
         "-preset", "ultrafast", "-b:v", f"{kbit}k", "-minrate", f"{kbit}k",
         "-maxrate", f"{kbit}k", "-bufsize", f"{kbit}k", "-pix_fmt", "yuv420p", "-y", str(out)],
        check=True,
    )  # fmt: skip
    return out


def main() -> None:
    total_mb = float(os.environ.get("FIELD_BENCH_MB", "180"))
    n = int(os.environ.get("FIELD_BENCH_DAYS", "3")) * int(
        os.environ.get("FIELD_BENCH_PER_DAY", "60")
    )
    stream_mb = int(os.environ.get("FIELD_BENCH_STREAM_MB", "1024"))
    from pyrage import x25519

    os.environ["FIELD_BENCH_IDENTITY"] = str(x25519.Identity.generate())
    print(f"field bundles: {n} testimonies, one video each; small run {total_mb:.0f} MB of media")
    s = _child("stream", str(stream_mb))
    print(
        f"  pyrage streaming {s['mb']} MiB: encrypt {s['encrypt_s']:.1f}s, decrypt "
        f"{s['decrypt_s']:.1f}s, peak RSS {s['rss_peak']:.0f} MB"
    )
    p = _child("scrypt")
    print(f"  passphrase (scrypt) unlock: {p['seconds']:.1f}s, peak RSS {p['rss_peak']:.0f} MB")
    for factor in (1, 4):
        per_file = total_mb * factor / n
        with tempfile.TemporaryDirectory() as tmp_s:
            tmp = Path(tmp_s)
            video = _video(tmp, per_file)
            office, laptop = tmp / "office", tmp / "laptop"
            ko, kl = secrets.token_hex(32), secrets.token_hex(32)
            trip, back = tmp / "trip.aigaq", tmp / "return.aigaq"
            e1 = _child("office_export", str(office), ko, str(trip))
            e2 = _child("laptop", str(laptop), kl, str(trip), str(back), str(video), str(n))
            e3 = _child("office_import", str(office), ko, str(back))
            size = back.stat().st_size / 2**20
            print(
                f"  media {video.stat().st_size / 2**20:.2f} MB/file, return bundle {size:.0f} MB:"
            )
            print(f"    trip export      {e1['seconds']:6.1f}s  peak RSS {e1['rss_peak']:.0f} MB")
            print(
                f"    return export    {e2['seconds']:6.1f}s  peak RSS {e2['rss_peak']:.0f} MB "
                f"(before export {e2['rss_before']:.0f} MB)"
            )
            print(
                f"    return import    {e3['seconds']:6.1f}s  peak RSS {e3['rss_peak']:.0f} MB "
                f"(before {e3['rss_before']:.0f} MB); {e3['testimonies']} testimonies, "
                f"{e3['media']} media files"
            )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--step":
        name, rest = sys.argv[2], sys.argv[3:]
        if name == "scrypt":
            import pyrage

            t0 = time.perf_counter()
            pyrage.passphrase.decrypt(pyrage.passphrase.encrypt(b"k", "pw"), "pw")
            result = {"seconds": (time.perf_counter() - t0) / 2, "rss_peak": rss_mb()}
        elif name == "stream":
            result = step_stream(int(rest[0]))
        elif name == "office_export":
            result = step_office_export(Path(rest[0]), rest[1], Path(rest[2]))
        elif name == "laptop":
            result = step_laptop(
                Path(rest[0]), rest[1], Path(rest[2]), Path(rest[3]), Path(rest[4]), int(rest[5])
            )
        else:
            result = step_office_import(Path(rest[0]), rest[1], Path(rest[2]))
        print(json.dumps(result))
    else:
        main()
