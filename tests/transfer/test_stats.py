"""`aigaq stats --json`: the count of every kind of record and a digest over the media hashes."""

from __future__ import annotations

import hashlib
import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from aigaq.media.services import media_ingest
from tests import factories

pytestmark = pytest.mark.django_db


def _stats() -> dict[str, Any]:
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_stats_count_every_kind_of_record_and_digest_the_media_hashes(
    settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    empty = _stats()
    assert empty["records"]["people.person"] == 0
    assert {"testimonies.testimony", "core.auditentry", "api.apitoken"} <= set(empty["records"])
    assert empty["media"] == {"files": 0, "sha256_digest": hashlib.sha256().hexdigest()}

    p = factories.person("Оспан Жұмаұлы")
    factories.testimony(p)
    blobs = [b"first file", b"second file"]
    for blob in reversed(blobs):
        media_ingest(actor=None, fileobj=io.BytesIO(blob), original_name="f.bin")
    stats = _stats()
    assert stats["records"]["people.person"] == 1
    assert stats["records"]["testimonies.testimony"] == 1
    assert stats["records"]["people.personname"] == 1
    hashes = sorted(hashlib.sha256(b).hexdigest() for b in blobs)
    expected = hashlib.sha256("".join(h + "\n" for h in hashes).encode()).hexdigest()
    assert stats["media"] == {"files": 2, "sha256_digest": expected}


def test_stats_print_a_table_without_json() -> None:
    out = StringIO()
    call_command("stats", stdout=out)
    assert "people.person" in out.getvalue() and "digest" in out.getvalue()
