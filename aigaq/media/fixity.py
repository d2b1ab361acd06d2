"""`aigaq media verify`: every original (and rendition) decrypted and re-hashed, and every file
on disk accounted for.

A file is *missing* when a record names it and it is not on disk; *altered* when it no longer
decrypts to bytes hashing to its SHA-256 (or fails its authentication); *wrong_key* when the
media key in use did not seal it; *orphaned* when it is on disk but no record names it (a
temporary file a crashed ingest left counts once it is an hour old); *clear* when an older
Aigaq left it unencrypted (`aigaq media encrypt-existing` seals it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aigaq.media import storage
from aigaq.media.encrypt_existing import SEALED_SUFFIX, clear_originals
from aigaq.media.keys import disk_name, media_keys
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_path, renditions_root

TEMP_GRACE_S = 3600


@dataclass
class FixityReport:
    checked: int = 0
    bytes: int = 0
    ok: int = 0
    missing: list[str] = field(default_factory=list)  # SHA-256 of records without a file
    altered: list[str] = field(default_factory=list)
    wrong_key: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # paths relative to MEDIA_ROOT
    clear: list[str] = field(default_factory=list)
    renditions_checked: int = 0
    seconds: float = 0.0

    @property
    def problems(self) -> bool:
        return bool(self.missing or self.altered or self.wrong_key or self.orphans or self.clear)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok_overall"] = not self.problems
        return data


def _media_folder() -> Path:
    return storage.media_root().parent


def _check_rendition(sha256: str) -> str:
    from aigaq.media.crypto import SealedError, SealedReader, SealedWrongKey

    path = rendition_path(sha256)
    if not path.exists():
        return "missing"
    try:
        with SealedReader.open(path, media_keys().encryption) as reader:
            return "ok" if reader.sha256() == sha256 else "altered"
    except SealedWrongKey:
        return "wrong_key"
    except SealedError:
        return "altered"


def _orphans(root: Path, expected: set[Path], now: float) -> list[Path]:
    out = []
    for path in storage.stored_files(root):
        if path in expected:
            continue
        if path.name.startswith(storage.TEMP_PREFIXES):
            try:
                if now - path.stat().st_mtime < TEMP_GRACE_S:
                    continue  # an ingest may be writing it right now
            except FileNotFoundError:
                continue
        out.append(path)
    return out


def fixity_check(progress: Callable[[int], None] | None = None) -> FixityReport:
    """Re-hash every original and rendition after decryption; list what is missing, altered
    or orphaned. `progress(n)` hears the bytes checked as it goes."""
    report = FixityReport()
    started = time.perf_counter()
    keys = media_keys()
    root = storage.media_root()
    # Under a wrong key every file would look missing and orphaned: refuse before any of it.
    storage.check_archive_key(root)
    storage.check_archive_key(renditions_root())
    expected: set[Path] = set()
    clear_known = {p.name: p for p in clear_originals(root)}
    for sha, size in MediaFile.objects.order_by("sha256").values_list("sha256", "size").iterator():
        sealed = storage.path_for(sha)
        expected.add(sealed)
        if sha in clear_known:
            expected.add(clear_known[sha])
            report.clear.append(str(clear_known[sha].relative_to(_media_folder())))
        status = storage.check(sha)
        report.checked += 1
        if status == "ok":
            report.ok += 1
            report.bytes += size
        else:
            getattr(report, status).append(sha)
        if progress:
            progress(size)
    rendition_root = renditions_root()
    rendition_expected: set[Path] = set()
    for sha, size in Rendition.objects.values_list("sha256", "size").distinct().iterator():
        name = disk_name(sha, keys)
        rendition_expected.add(rendition_root / name[:2] / name[2:4] / (name + SEALED_SUFFIX))
        status = _check_rendition(sha)
        report.renditions_checked += 1
        if status == "ok":
            report.bytes += size
        else:
            getattr(report, status).append(sha)
        if progress:
            progress(size)
    now = time.time()
    for path in _orphans(root, expected, now) + _orphans(rendition_root, rendition_expected, now):
        report.orphans.append(str(path.relative_to(_media_folder())))
    report.seconds = time.perf_counter() - started
    return report


def remove_orphans(report: FixityReport) -> int:
    """Remove the files the report found orphaned (checked again: one a record has come to
    name since is kept). Returns how many were removed."""
    storage.check_archive_key()
    folder = _media_folder()
    keep = {storage.path_for(sha) for sha in MediaFile.objects.values_list("sha256", flat=True)}
    keep |= {rendition_path(sha) for sha in Rendition.objects.values_list("sha256", flat=True)}
    removed = 0
    for rel in report.orphans:
        path = folder / rel
        if path in keep or not path.is_relative_to(folder):
            continue
        try:
            os.chmod(path, 0o640)
            path.unlink()
        except FileNotFoundError:
            continue
        removed += 1
        storage._remove_empty_folders(path.parent, folder)
    return removed
