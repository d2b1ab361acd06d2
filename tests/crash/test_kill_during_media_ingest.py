"""kill -9 of `aigaq media add` on a large file, once while it seals the file and once after
the file is in place but before its record commits: no record without its file, and what the
crashes left on disk is named by `aigaq media verify` and removed by `--clean-orphans`; the
same file is then added again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from aigaq.media import storage
from aigaq.media.fixity import TEMP_GRACE_S, fixity_check
from aigaq.media.models import MediaFile
from tests.crash.conftest import Crash

SIZE = 12 * 1024 * 1024  # above storage.FAULT_AFTER_BYTES: the first pause comes part way


def _on_disk(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_ingests_killed_mid_way_leave_no_record_and_verify_names_and_cleans_their_files(
    crash: Crash, tmp_path: Path, transactional_db: Any
) -> None:
    media_root = crash.data / "media"
    big = tmp_path / "camera-1.bin"
    big.write_bytes(os.urandom(SIZE))
    add = ("media", "add", str(big), "--kind", "other")

    crash.kill_at("media.sealing", *add)
    (partial,) = _on_disk(media_root)
    assert partial.name.startswith(storage.TEMP_PREFIX)
    assert 0 < partial.stat().st_size < SIZE  # half written, and never under a final name

    crash.kill_at("media.recorded", *add)
    (placed,) = set(_on_disk(media_root)) - {partial}
    assert not placed.name.startswith(storage.TEMP_PREFIXES)
    assert not MediaFile.objects.exists()  # neither record was committed

    # The placed file is an orphan at once; the half-written temporary one only once it is
    # older than an ingest could still be writing it.
    named = crash.run("media", "verify")
    assert named.returncode == 1, named.stderr
    assert f"Orphaned (no record names it): {placed.relative_to(media_root)}" in named.stdout
    assert partial.name not in named.stdout and "Missing" not in named.stdout
    old = time.time() - TEMP_GRACE_S - 60
    os.utime(partial, (old, old))

    cleaned = crash.run("media", "verify", "--clean-orphans", "--min-age", "0", "--yes", "--json")
    assert cleaned.returncode == 0, cleaned.stderr
    assert json.loads(cleaned.stdout)["orphans_removed"] == 2
    assert partial.name in cleaned.stderr and placed.name in cleaned.stderr
    assert _on_disk(media_root) == []

    again = crash.run(*add, "--json")
    assert again.returncode == 0, again.stderr
    (row,) = json.loads(again.stdout)
    assert row["new"] is True and row["size"] == SIZE
    assert MediaFile.objects.get().size == SIZE
    final = fixity_check()
    assert final.ok == 1 and not final.problems
