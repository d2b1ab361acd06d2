"""`aigaq media verify`: every original (and rendition) decrypted and re-hashed, and every file
in the archive's store (the folder MEDIA_ROOT or the S3 bucket: aigaq.media.objects) accounted
for.

A file is *missing* when a record names it and it is not on disk; *altered* when it no longer
decrypts to bytes hashing to its SHA-256 (or fails its authentication); *wrong_key* when the
media key in use did not seal it; *orphaned* when it is on disk but no record names it (a
temporary file a crashed ingest left counts once it is an hour old); *clear* when an older
Aigaq left it unencrypted (`aigaq media encrypt-existing` seals it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from aigaq.media import storage
from aigaq.media.encrypt_existing import clear_originals
from aigaq.media.keys import media_keys
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.objects import is_folder, object_store
from aigaq.media.renditions import rendition_name, rendition_open_sha

TEMP_GRACE_S = 3600
#: `media verify --clean-orphans` leaves files younger than this (`--min-age`, minutes): an
#: ingest seals a file and renames it into place before its record commits, so a file no
#: record names yet may be one that is being recorded right now.
ORPHAN_MIN_AGE_S = 3600


@dataclass
class FixityReport:
    checked: int = 0
    bytes: int = 0
    ok: int = 0
    missing: list[str] = field(default_factory=list)  # SHA-256 of records without a file
    altered: list[str] = field(default_factory=list)
    wrong_key: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # object names (paths under MEDIA_ROOT)
    clear: list[str] = field(default_factory=list)
    young: list[str] = field(default_factory=list)  # orphans left by --clean-orphans: too new
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
    from aigaq.media.crypto import SealedError, SealedWrongKey

    try:
        with rendition_open_sha(sha256) as reader:
            return "ok" if reader.sha256() == sha256 else "altered"
    except FileNotFoundError:
        return "missing"
    except SealedWrongKey:
        return "wrong_key"
    except SealedError:
        return "altered"


def _orphans(prefix: str, expected: set[str], now: float) -> list[str]:
    out = []
    for name, mtime in object_store().entries(prefix):
        if name in expected:
            continue
        temporary = PurePosixPath(name).name.startswith(storage.TEMP_PREFIXES)
        if temporary and now - mtime < TEMP_GRACE_S:
            continue  # an ingest may be writing it right now
        out.append(name)
    return out


def fixity_check(progress: Callable[[int], None] | None = None) -> FixityReport:
    """Re-hash every original and rendition after decryption; list what is missing, altered
    or orphaned. `progress(n)` hears the bytes checked as it goes."""
    report = FixityReport()
    started = time.perf_counter()
    keys = media_keys()
    root = storage.media_root()
    # Under a wrong key every file would look missing and orphaned: refuse before any of it.
    storage.check_archive_key("originals")
    storage.check_archive_key("renditions")
    expected: set[str] = set()
    clear_known = {p.name: p for p in clear_originals(root)} if is_folder() else {}
    for sha, size in MediaFile.objects.order_by("sha256").values_list("sha256", "size").iterator():
        expected.add(storage.object_name(sha, keys))
        if sha in clear_known:
            clear_name = clear_known[sha].relative_to(_media_folder()).as_posix()
            expected.add(clear_name)
            report.clear.append(clear_name)
        status = storage.check(sha)
        report.checked += 1
        if status == "ok":
            report.ok += 1
            report.bytes += size
        else:
            getattr(report, status).append(sha)
        if progress:
            progress(size)
    rendition_expected: set[str] = set()
    for sha, size in Rendition.objects.values_list("sha256", "size").distinct().iterator():
        rendition_expected.add(rendition_name(sha, keys))
        status = _check_rendition(sha)
        report.renditions_checked += 1
        if status == "ok":
            report.bytes += size
        else:
            getattr(report, status).append(sha)
        if progress:
            progress(size)
    now = time.time()
    report.orphans += _orphans("originals", expected, now)
    report.orphans += _orphans("renditions", rendition_expected, now)
    report.seconds = time.perf_counter() - started
    return report


def remove_orphans(report: FixityReport, *, min_age_s: float = ORPHAN_MIN_AGE_S) -> int:
    """Remove the files the report found orphaned (checked again: one a record has come to
    name since is kept, and so is one younger than `min_age_s`, which an ingest may be about
    to record; those are listed in `report.young`). Returns how many were removed."""
    storage.check_archive_key()
    store = object_store()
    keep = {storage.object_name(sha) for sha in MediaFile.objects.values_list("sha256", flat=True)}
    keep |= {rendition_name(sha) for sha in Rendition.objects.values_list("sha256", flat=True)}
    now = time.time()
    ages = {
        name: now - mtime
        for prefix in ("originals", "renditions")
        for name, mtime in store.entries(prefix)
    }
    removed = 0
    report.young = []
    for name in report.orphans:
        if name in keep or PurePosixPath(name).parts[:1] not in (("originals",), ("renditions",)):
            continue
        if name not in ages:  # gone since the check
            continue
        if ages[name] < min_age_s:
            report.young.append(name)
            continue
        try:
            removed += store.delete(name)
        except ValueError:  # not an object name (".." in it): never followed
            continue
    return removed
