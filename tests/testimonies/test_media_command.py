"""`aigaq media add | import-folder | list | verify | export`: the archive from the command line."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry
from aigaq.media import storage
from aigaq.media.models import MediaFile
from aigaq.testimonies.models import TestimonyMedia
from tests import factories
from tests.media.conftest import files_under
from tests.media.videos import PDF, png_bytes, video_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("media", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def card(tmp_path: Path) -> Path:
    """A camera card: the same clip twice (copied into a second folder), a photo, a PDF and
    the files cameras leave beside them."""
    root = tmp_path / "card"
    (root / "DCIM" / "100CAM").mkdir(parents=True)
    (root / "DCIM" / "101CAM").mkdir(parents=True)
    (root / "DCIM" / "100CAM" / "MVI_0001.MP4").write_bytes(video_bytes())
    (root / "DCIM" / "101CAM" / "MVI_0001.MP4").write_bytes(video_bytes())
    (root / "DCIM" / "100CAM" / "IMG_0002.PNG").write_bytes(png_bytes())
    (root / "consent.pdf").write_bytes(PDF)
    (root / "DCIM" / "100CAM" / "MVI_0001.XML").write_text("<clip/>")
    (root / ".Trashes").write_text("")
    return root


def test_add_json_says_sha256_size_and_whether_new_and_links_to_the_testimony(
    archive: Path, tmp_path: Path
) -> None:
    testimony = factories.testimony()
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(video_bytes())
    out, _ = run("add", str(clip), "--testimony", f"T{testimony.number}", "--json")
    [row] = json.loads(out)
    media = MediaFile.objects.get()
    assert row["sha256"] == media.sha256 and row["size"] == clip.stat().st_size
    assert row["new"] is True and row["linked"] is True and row["kind"] == "video"
    assert list(testimony.media.all()) == [media] and media.duration == 1.0
    out, _ = run("add", str(clip), "--testimony", str(testimony.number), "--json")
    assert json.loads(out)[0]["new"] is False and json.loads(out)[0]["linked"] is False
    assert TestimonyMedia.objects.count() == 1 and MediaFile.objects.count() == 1


def test_add_refuses_what_is_not_media_and_says_so_keeping_the_good_files(
    archive: Path, tmp_path: Path
) -> None:
    good, bad = tmp_path / "good.mp4", tmp_path / "bad.mp4"
    good.write_bytes(video_bytes())
    bad.write_text("not a video")
    with pytest.raises(CommandError, match="1 of 3 files were not added|2 of 3"):
        run("add", str(good), str(bad), str(tmp_path / "nowhere.mp4"))
    assert MediaFile.objects.count() == 1 and len(files_under(archive)) == 1


def test_import_folder_stores_a_clip_once_and_a_second_run_adds_nothing(
    archive: Path, tmp_path: Path
) -> None:
    testimony = factories.testimony()
    root = card(tmp_path)
    out, _ = run("import-folder", str(root), "--testimony", str(testimony.number), "--json")
    rows = json.loads(out)
    added = [r for r in rows if "sha256" in r]
    assert [r["new"] for r in added].count(True) == 3  # the clip, the photo, the PDF
    clips = [r for r in added if r["file"].endswith(".MP4")]
    assert len(clips) == 2 and clips[0]["sha256"] == clips[1]["sha256"]  # the clip twice...
    assert [r["new"] for r in clips] == [True, False]  # ...stored once
    assert any(r.get("skipped") and r["file"].endswith(".XML") for r in rows)
    assert MediaFile.objects.count() == 3 and len(files_under(archive)) == 3
    assert testimony.media.count() == 3
    audit = AuditEntry.objects.count()
    out, _ = run("import-folder", str(root), "--testimony", str(testimony.number), "--json")
    assert not any(r.get("new") or r.get("linked") for r in json.loads(out))
    assert MediaFile.objects.count() == 3 and AuditEntry.objects.count() == audit


def test_without_a_testimony_a_file_is_kept_unattached_and_listed_as_such(
    archive: Path, tmp_path: Path
) -> None:
    testimony = factories.testimony()
    loose, kept = tmp_path / "loose.png", tmp_path / "kept.pdf"
    loose.write_bytes(png_bytes())
    kept.write_bytes(PDF)
    run("add", str(loose))
    run("add", str(kept), "--testimony", str(testimony.number))
    out, _ = run("list", "--unattached", "--json")
    assert [r["name"] for r in json.loads(out)] == ["loose.png"]
    out, _ = run("list")
    assert "loose.png" in out and "kept.pdf" in out


def test_unknown_testimony_is_refused_before_anything_is_stored(
    archive: Path, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(video_bytes())
    with pytest.raises(CommandError, match="No testimony"):
        run("add", str(clip), "--testimony", "T99999")
    assert not MediaFile.objects.exists() and files_under(archive) == []


def _two_files(tmp_path: Path) -> list[MediaFile]:
    for name, data in (("a.png", png_bytes(4, 4)), ("b.pdf", PDF)):
        (tmp_path / name).write_bytes(data)
        run("add", str(tmp_path / name))
    return list(MediaFile.objects.order_by("original_name"))


def test_verify_passes_an_intact_archive(archive: Path, tmp_path: Path) -> None:
    _two_files(tmp_path)
    out, _ = run("verify", "--json")
    report = json.loads(out)
    assert report["ok_overall"] and report["checked"] == 2 and report["ok"] == 2


def test_verify_reports_missing_altered_and_orphaned_files_and_fails(
    archive: Path, tmp_path: Path
) -> None:
    a, b = _two_files(tmp_path)
    path = storage.path_for(a.sha256)
    os.chmod(path, 0o640)
    raw = bytearray(path.read_bytes())
    raw[60] ^= 1
    path.write_bytes(bytes(raw))
    storage.path_for(b.sha256).unlink()
    orphan = archive / "originals" / "ab" / "cd" / ("ab" * 32 + ".sealed")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left behind")
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("media", "verify", "--json", stdout=out)
    assert exc.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["altered"] == [a.sha256] and report["missing"] == [b.sha256]
    assert report["orphans"] == [str(orphan.relative_to(archive))]
    assert not report["ok_overall"]


def test_clean_orphans_removes_only_what_no_record_names(archive: Path, tmp_path: Path) -> None:
    a, b = _two_files(tmp_path)
    orphan = archive / "originals" / "ab" / "cd" / ("ab" * 32 + ".sealed")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left behind")
    hour_ago = time.time() - 3700
    os.utime(orphan, (hour_ago, hour_ago))
    out, _ = run("verify", "--clean-orphans", "--yes", "--json")
    assert json.loads(out)["orphans_removed"] == 1
    assert not orphan.exists() and not orphan.parent.exists()
    assert storage.verify(a.sha256) and storage.verify(b.sha256)
    run("verify")  # clean now: no error


def test_clean_orphans_leaves_a_file_young_enough_to_be_under_ingest(
    archive: Path, tmp_path: Path
) -> None:
    """An ingest seals a file and renames it into place before its record commits: a file no
    record names that is minutes old may be one being recorded now, and is left alone unless
    --min-age says otherwise."""
    _two_files(tmp_path)
    young = archive / "originals" / "ab" / "cd" / ("ab" * 32 + ".sealed")
    young.parent.mkdir(parents=True)
    young.write_bytes(b"being recorded")
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError):  # still an orphan on the report: exit 1
        call_command(
            "media", "verify", "--clean-orphans", "--yes", "--json", stdout=out, stderr=err
        )
    report = json.loads(out.getvalue())
    assert report["orphans_removed"] == 0 and report["young"] == [str(young.relative_to(archive))]
    assert young.exists()
    assert "younger than 60 minutes" in err.getvalue()
    with pytest.raises(CommandError, match="--min-age must be 0"):
        run("verify", "--clean-orphans", "--yes", "--min-age", "-1")
    out2, _ = run("verify", "--clean-orphans", "--yes", "--min-age", "0", "--json")
    assert json.loads(out2)["orphans_removed"] == 1 and not young.exists()


def test_verify_under_a_wrong_key_refuses_and_removes_nothing(
    archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _two_files(tmp_path)
    before = files_under(archive)
    monkeypatch.setenv("AIGAQ_DB_KEY", "cd" * 32)
    with pytest.raises(CommandError, match="media key in use does not open"):
        run("verify", "--clean-orphans", "--yes")
    assert files_under(archive) == before


def test_export_writes_the_decrypted_original_for_an_authorised_user_and_audits_it(
    archive: Path, tmp_path: Path, admin_user: Any, interviewer: Any
) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(video_bytes())
    run("add", str(clip))
    media = MediaFile.objects.get()
    out_file = tmp_path / "out.mp4"
    with pytest.raises(CommandError, match="--user"):
        run("export", media.sha256, "-o", str(out_file))
    with pytest.raises(CommandError, match="may not export"):
        run("export", media.sha256, "-o", str(out_file), "--user", interviewer.username)
    assert not out_file.exists()
    run("export", media.sha256, "-o", str(out_file), "--user", admin_user.username)
    assert out_file.read_bytes() == clip.read_bytes()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == admin_user and entry.object_id == str(media.pk)
    with pytest.raises(CommandError, match="exists already"):
        run("export", media.sha256, "-o", str(out_file), "--user", admin_user.username)
    with pytest.raises(CommandError, match="No original"):
        run("export", "0" * 64, "-o", str(tmp_path / "x"), "--user", admin_user.username)
