"""Media encryption benchmark: ingest (hash + encrypt + store) against sha256sum and OpenSSL,
peak memory as the file grows, and the time to the first byte of a range in a sealed file.

    BENCH_MEDIA_MB=1024 .venv/bin/python bench/media_bench.py

Writes a file of BENCH_MEDIA_MB MiB (default 1024) of random bytes, and one of 100 MiB, in a
temporary folder (TMPDIR), then, on the large file and in the same run:
  - `sha256sum FILE` and `openssl dgst -sha256 FILE` (best of BENCH_MEDIA_REPEAT, default 2);
  - ingest as Aigaq does it, in a fresh process: read in 1 MiB pieces, SHA-256 and seal
    (aigaq.media.crypto.SealedWriter) into a temporary file, fsync, rename to its keyed name
    (aigaq.media.keys.disk_name); prints its throughput, both ratios (target >= 0.7x
    sha256sum, aim 0.5x OpenSSL) and its peak RSS, for the 100 MiB and the large file (flat
    memory: the two should be about equal);
  - time to first byte of a 64 KiB range in the middle of the sealed large file: open, check
    the header and key, authenticate the final chunk, decrypt the chunk sought (target < 50 ms;
    the files were just written, so they are in the page cache: a cold disk adds its seeks);
  - the same ingest and seek for chunk sizes 64 KiB, 256 KiB and 1 MiB on the 100 MiB file.
No assertions. The probe (ffprobe) of the issue's ingest is not part of this layer.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MiB = 1024 * 1024
READ_SIZE = MiB


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_ingest(source: str, dest: str, key_hex: str, chunk_size: int) -> None:
    """One ingest in a fresh process; prints a JSON line."""
    from aigaq.media.crypto import SealedWriter
    from aigaq.media.keys import derive_media_keys, disk_name

    keys = derive_media_keys(key_hex)
    rss_before = _peak_rss_mib()
    cpu0, t0 = time.process_time(), time.perf_counter()
    fd, tmp = tempfile.mkstemp(dir=dest, prefix=".incoming-")
    with os.fdopen(fd, "wb") as out, open(source, "rb", buffering=0) as src:
        writer = SealedWriter(out, keys.encryption, chunk_size=chunk_size)
        buf = bytearray(READ_SIZE)
        view = memoryview(buf)
        while n := src.readinto(buf):
            writer.write(view[:n])
        result = writer.close()
        os.fsync(out.fileno())
    name = disk_name(result.sha256, keys)
    final = Path(dest) / name[:2] / name[2:4] / (name + ".sealed")
    final.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, final)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    print(
        json.dumps(
            {
                "sha256": result.sha256,
                "size": result.size,
                "wall": wall,
                "cpu": cpu,
                "rss_before_mib": rss_before,
                "peak_rss_mib": _peak_rss_mib(),
                "path": str(final),
            }
        )
    )


def ingest(source: Path, dest: Path, key_hex: str, chunk_size: int) -> dict[str, Any]:
    dest.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child-ingest",
            str(source),
            str(dest),
            key_hex,
            str(chunk_size),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def timed_tool(argv: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


def make_random_file(path: Path, mib: int) -> None:
    with path.open("wb") as out:
        for _ in range(mib):
            out.write(os.urandom(MiB))
        out.flush()
        os.fsync(out.fileno())


def first_byte_ms(sealed: Path, key: bytes, samples: int = 25) -> list[float]:
    from aigaq.media.crypto import SealedReader

    times = []
    size = None
    for i in range(samples):
        t0 = time.perf_counter()
        with SealedReader.open(sealed, key) as reader:
            size = reader.size
            start = size // 2 + (i - samples // 2) * 1_000_003  # around the middle
            first = next(reader.iter_range(start, start + 65536))
            times.append((time.perf_counter() - t0) * 1000)
        assert first
    return times


def mibs(size: int, seconds: float) -> float:
    return size / MiB / seconds if seconds else float("inf")


def main() -> None:
    from aigaq.media.crypto import DEFAULT_CHUNK_SIZE
    from aigaq.media.keys import derive_media_keys

    big_mib = int(os.environ.get("BENCH_MEDIA_MB", "1024"))
    small_mib = min(100, big_mib)
    repeat = max(1, int(os.environ.get("BENCH_MEDIA_REPEAT", "2")))
    key_hex = secrets.token_hex(32)
    keys = derive_media_keys(key_hex)
    tmp = Path(tempfile.mkdtemp(prefix="aigaq-media-bench-"))
    try:
        print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f} (start)")
        big, small = tmp / "big.bin", tmp / "small.bin"
        t0 = time.perf_counter()
        make_random_file(big, big_mib)
        make_random_file(small, small_mib)
        print(
            f"random files written: {big_mib} MiB and {small_mib} MiB in {time.perf_counter() - t0:.1f} s ({tmp})"
        )
        size = big.stat().st_size

        runs: dict[str, list[tuple[float, float]]] = {"sha256sum": [], "openssl": [], "ingest": []}
        digests = set()
        for r in range(repeat):
            wall, cpu, out = timed_tool(["sha256sum", str(big)])
            runs["sha256sum"].append((wall, cpu))
            digests.add(out.split()[0])
            wall, cpu, out = timed_tool(["openssl", "dgst", "-sha256", str(big)])
            runs["openssl"].append((wall, cpu))
            digests.add(out.strip().split()[-1])
            res = ingest(big, tmp / f"store-{r}", key_hex, DEFAULT_CHUNK_SIZE)
            runs["ingest"].append((res["wall"], res["cpu"]))
            digests.add(res["sha256"])
            big_result = res
        best = {name: min(v) for name, v in runs.items()}
        print(f"\n{big_mib} MiB file, best of {repeat} (wall s / CPU s / MiB/s by wall):")
        for name, (wall, cpu) in best.items():
            label = {
                "ingest": "aigaq ingest (hash+encrypt+store)",
                "openssl": "openssl dgst -sha256",
            }.get(name, name)
            print(f"  {label:36s} {wall:7.2f} s  {cpu:7.2f} s  {mibs(size, wall):8.1f} MiB/s")
        print(f"  every run agrees on the SHA-256: {len(digests) == 1}")
        ing = best["ingest"][0]
        print(
            f"  ratio ingest / sha256sum throughput:  {best['sha256sum'][0] / ing:.2f}x (target >= 0.7x)"
        )
        print(f"  ratio ingest / openssl throughput:    {best['openssl'][0] / ing:.2f}x (aim 0.5x)")
        print(
            "  same ratios by CPU time:              "
            f"{best['sha256sum'][1] / best['ingest'][1]:.2f}x / {best['openssl'][1] / best['ingest'][1]:.2f}x"
        )

        small_result = ingest(small, tmp / "store-small", key_hex, DEFAULT_CHUNK_SIZE)
        print("\npeak RSS of the ingest process (after imports -> at the end):")
        for label, res in ((f"{small_mib} MiB", small_result), (f"{big_mib} MiB", big_result)):
            print(
                f"  {label:>9s}: {res['rss_before_mib']:.1f} MiB -> {res['peak_rss_mib']:.1f} MiB"
            )

        ms = first_byte_ms(Path(big_result["path"]), keys.encryption)
        print(
            f"\ntime to first byte of a 64 KiB range in the middle of the sealed {big_mib} MiB file "
            f"(open + header + key check + final chunk + chunk sought), {len(ms)} ranges, warm cache:"
        )
        print(
            f"  first {ms[0]:.2f} ms, median {statistics.median(ms):.2f} ms, max {max(ms):.2f} ms (target < 50 ms)"
        )

        print(f"\nchunk size on the {small_mib} MiB file (ingest MiB/s by wall / seek median ms):")
        for cs in (64 * 1024, 256 * 1024, MiB):
            res = ingest(small, tmp / f"store-cs-{cs}", key_hex, cs)
            seek = statistics.median(first_byte_ms(Path(res["path"]), keys.encryption, 15))
            mark = " (default)" if cs == DEFAULT_CHUNK_SIZE else ""
            print(
                f"  {cs // 1024:5d} KiB{mark:10s} {mibs(res['size'], res['wall']):8.1f} MiB/s  {seek:6.2f} ms"
            )
        print(f"\nload average: {os.getloadavg()[0]:.1f} (end); the machine may be shared.")
        # The in-process check that what was stored is what was read, for the record.
        h = hashlib.sha256()
        from aigaq.media.crypto import SealedReader

        with SealedReader.open(small_result["path"], keys.encryption) as reader:
            for piece in reader.iter_all():
                h.update(piece)
        print(f"small file decrypts to its SHA-256: {h.hexdigest() == small_result['sha256']}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child-ingest":
        child_ingest(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
