"""`aigaq subtitles package`: the redacted video (never the original), the reviewed subtitles,
titles, and a SHA-256 manifest; only for a testimony that may be published."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry, Visibility
from aigaq.media.models import Rendition
from aigaq.media.renditions import rendition_store
from aigaq.media.services import media_ingest
from aigaq.testimonies import services as testimony_services
from aigaq.transcripts.services import (
    SegmentInput,
    segments_replace,
    transcript_create,
    transcript_review,
    transcript_submit,
    translation_create,
)
from tests import factories
from tests.media.videos import video_bytes
from tests.transcripts.conftest import ENGLISH, KAZAKH, translate_all

pytestmark = pytest.mark.django_db

REDACTED = b"redacted copy " * 5000


def _published(coordinator: Any, **fields: Any) -> Any:
    person = factories.person("Ерлан Серікұлы", actor=coordinator, visibility=Visibility.PUBLIC)
    values = {"visibility": Visibility.PUBLIC, "consent_public": True, **fields}
    return factories.testimony(person, actor=coordinator, **values)


def _video(testimony: Any, coordinator: Any) -> Any:
    media = media_ingest(
        actor=coordinator,
        fileobj=io.BytesIO(video_bytes()),
        original_name="interview.mp4",
        kind="video",
    )
    testimony_services.testimony_attach_media(
        actor=coordinator, testimony=testimony, media=media, kind="video"
    )
    return media


def _reviewed(testimony: Any, translator: Any, reviewer: Any) -> None:
    kk = transcript_create(actor=None, testimony=testimony, language="kk")
    segments_replace(actor=None, transcript=kk, segments=[SegmentInput(*s) for s in KAZAKH])
    en = translation_create(actor=translator, transcript=kk, language="en")
    translate_all(en, translator)
    en.title = "Erlan Serikuly: a mother's testimony"
    en.save(update_fields=["title"])
    transcript_submit(actor=translator, transcript=en)
    transcript_review(actor=reviewer, transcript=en)
    translation_create(actor=None, transcript=kk, language="ar")  # not reviewed: left out


def _redacted_and_reviewed(
    t: Any, coordinator: Any, translator: Any, reviewer: Any, tmp_path: Path
) -> None:
    """A video with its redacted copy, a Kazakh transcript and a reviewed English translation."""
    media = _video(t, coordinator)
    clear = tmp_path / "redacted.mp4"
    clear.write_bytes(REDACTED)
    rendition_store(
        media=media, kind=Rendition.Kind.REDACTED, source=clear, content_type="video/mp4"
    )
    _reviewed(t, translator, reviewer)


def run(*args: str) -> str:
    out = StringIO()
    call_command("subtitles", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_package_holds_the_redacted_video_the_reviewed_subtitles_and_their_hashes(
    coordinator: Any, translator: Any, second_translator: Any, tmp_path: Path
) -> None:
    t = _published(coordinator, consent_anonymous=False)  # named: its words may go out
    _redacted_and_reviewed(t, coordinator, translator, second_translator, tmp_path)
    out = tmp_path / "pkg"
    manifest = json.loads(run("package", "--testimony", f"T{t.number}", "-o", str(out), "--json"))
    n = t.number
    assert manifest["video"] == {"status": "present", "files": [f"video/T{n}-1.mp4"], "missing": 0}
    assert (out / f"video/T{n}-1.mp4").read_bytes() == REDACTED  # never the original
    assert manifest["languages"] == ["en"]
    assert (out / f"subtitles/T{n}.en.vtt").read_text(encoding="utf-8").startswith("WEBVTT")
    assert ENGLISH[1] in (out / f"subtitles/T{n}.en.srt").read_text(encoding="utf-8")
    assert not list(out.glob("subtitles/*.ar.*"))
    titles = json.loads((out / "titles.json").read_text(encoding="utf-8"))
    assert titles["en"]["title"] == "Erlan Serikuly: a mother's testimony"
    for entry in manifest["files"]:
        assert hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    sums = (out / "SHA256SUMS").read_text().splitlines()
    assert len(sums) == len(manifest["files"]) + 1
    for line in sums:
        sha, rel = line.split("  ", 1)
        assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == sha
    assert AuditEntry.objects.filter(
        action="export", object_label=f"T{n} publication package"
    ).exists()


def test_without_a_redacted_copy_the_package_says_the_video_is_missing(
    coordinator: Any, tmp_path: Path
) -> None:
    t = _published(coordinator)
    _video(t, coordinator)
    out = tmp_path / "pkg.zip"
    text = run("package", "--testimony", f"T{t.number}", "-o", str(out))
    assert "No redacted copy of the video exists" in text
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read(f"T{t.number}/manifest.json"))
    assert manifest["video"]["status"] == "missing" and manifest["video"]["missing"] == 1
    assert not [n for n in names if "/video/" in n]


@pytest.mark.parametrize(
    "fields",
    [
        {"consent_public": False},
        {"visibility": Visibility.INTERNAL},
    ],
)
def test_a_testimony_that_may_not_be_published_gets_no_package(
    coordinator: Any, tmp_path: Path, fields: dict[str, Any]
) -> None:
    t = _published(coordinator, **fields)
    out = tmp_path / "pkg"
    with pytest.raises(CommandError, match="may not be published"):
        run("package", "--testimony", f"T{t.number}", "-o", str(out))
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_withdrawn_consent_stops_the_package(coordinator: Any, tmp_path: Path) -> None:
    t = _published(coordinator)
    testimony_services.consent_withdraw(actor=coordinator, testimony=t, reason="Family asked.")
    with pytest.raises(CommandError, match="may not be published"):
        run("package", "--testimony", f"T{t.number}", "-o", str(tmp_path / "pkg"))


def test_an_existing_output_is_never_overwritten(coordinator: Any, tmp_path: Path) -> None:
    t = _published(coordinator)
    (tmp_path / "pkg").mkdir()
    with pytest.raises(CommandError, match="exists already"):
        run("package", "--testimony", f"T{t.number}", "-o", str(tmp_path / "pkg"))


def test_an_anonymous_testimony_is_packaged_without_its_words(
    coordinator: Any, translator: Any, second_translator: Any, tmp_path: Path
) -> None:
    """The testifier asked anonymity: the public site shows no subtitles of the testimony, and
    its publication package carries none either (the same rule, asked of disclosure)."""
    t = _published(coordinator, consent_anonymous=True)
    _redacted_and_reviewed(t, coordinator, translator, second_translator, tmp_path)
    out = tmp_path / "pkg"
    text = run("package", "--testimony", f"T{t.number}", "-o", str(out))
    assert "asked anonymity" in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["subtitles_withheld"] == "anonymity" and manifest["languages"] == []
    assert manifest["video"]["status"] == "present"
    assert not (out / "subtitles").exists()
    assert json.loads((out / "titles.json").read_text(encoding="utf-8")) == {}
    every_file = "".join(
        p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()
    )
    assert ENGLISH[1] not in every_file and KAZAKH[0][2] not in every_file
