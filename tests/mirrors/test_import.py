"""A channel's metadata from yt-dlp, read offline and matched to testimonies: linked only when
the clues agree, offered for confirmation when they do not, listed when nothing matches."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry
from aigaq.mirrors.models import Mirror
from aigaq.mirrors.services import mirrors_import
from aigaq.mirrors.ytdlp import ChannelFileError, read_all
from tests import factories
from tests.mirrors.conftest import video, write_lines

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive() -> dict[str, Any]:
    son = factories.person("Ерлан Досымұлы")
    t1 = factories.testimony(
        son,
        testifier_obj=factories.testifier("Гүлмира Ахметқызы"),
        recorded_on=dt.date(2019, 3, 1),
    )
    t2 = factories.testimony(
        factories.person("Нұрлан Сейітұлы"),
        testifier_obj=factories.testifier("Бақытжан Омарұлы"),
        recorded_on=dt.date(2019, 4, 1),
    )
    return {"t1": t1, "t2": t2, "son": son}


def run(*args: str) -> str:
    out = StringIO()
    call_command("mirrors", *args, stdout=out)
    return out.getvalue()


def test_dump_json_lines_and_info_json_files_are_both_read(tmp_path: Path) -> None:
    write_lines(tmp_path / "channel.jsonl", video("aaa", "One"), video("bbb", "Two"))
    (tmp_path / "c.info.json").write_text(
        json.dumps(
            video("ccc", "Three", extractor_key="Odysee", url="https://odysee.com/@x/three:1")
        )
    )
    (tmp_path / "channel.info.json").write_text(
        json.dumps({"_type": "playlist", "id": "UC1", "title": "the channel"})
    )
    videos = read_all([tmp_path])
    assert sorted((v.external_id, v.platform) for v in videos) == [
        ("aaa", "youtube"),
        ("bbb", "youtube"),
        ("ccc", "odysee"),
    ]
    one = next(v for v in videos if v.external_id == "aaa")
    assert one.published_on == dt.date(2019, 3, 20) and one.duration == 600


def test_a_file_that_is_not_yt_dlp_metadata_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(video("a", "ok")) + "\nnot json\n")
    with pytest.raises(ChannelFileError, match="line 2"):
        read_all([bad])
    js = tmp_path / "js.json"
    js.write_text(json.dumps(video("a", "x", url="javascript:alert(1)")))
    with pytest.raises(ChannelFileError, match="not a web address"):
        read_all([js])


def test_the_testimony_number_in_the_title_links_the_video(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    t1 = archive["t1"]
    path = write_lines(tmp_path / "c.jsonl", video("aaa", f"Куәлік {t1.label}: менің ұлым"))
    out = run("import", str(path))
    mirror = Mirror.objects.get()
    assert mirror.testimony == t1 and mirror.platform == "youtube"
    assert mirror.published_on == dt.date(2019, 3, 20) and mirror.external_id == "aaa"
    assert "1 linked" in out
    assert AuditEntry.objects.filter(object_id=str(mirror.pk), action="create").exists()
    # The same file again changes nothing.
    again = run("import", "--json", str(path))
    assert json.loads(again)["outcome"] == "already"
    assert Mirror.objects.count() == 1


def test_names_without_a_number_are_offered_for_confirmation_never_linked(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    # The testifier named and the date agreeing: a strong hint, still not a certainty.
    path = write_lines(
        tmp_path / "c.jsonl",
        video("bbb", "Гүлмира Ахметқызы туралы", upload_date="20190310"),
    )
    report = mirrors_import(actor=None, videos=read_all([path]))
    assert [r.outcome for r in report.rows] == ["candidates"]
    mirror = Mirror.objects.get()
    assert mirror.testimony is None
    assert [c["number"] for c in mirror.candidates] == [archive["t1"].number]
    assert set(mirror.candidates[0]["reasons"]) == {"testifier", "date"}


def test_a_number_with_the_testifier_and_the_person_named_links_with_an_entry_number(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    son = archive["son"]
    path = write_lines(
        tmp_path / "c.jsonl",
        video(
            "ccc",
            "Ерлан Досымұлы",
            description=f"Іздеуде: №{son.entry_no}. Айтушы: Гүлмира Ахметқызы",
        ),
    )
    report = mirrors_import(actor=None, videos=read_all([path]))
    assert report.rows[0].outcome == "linked"
    assert Mirror.objects.get().testimony == archive["t1"]


def test_a_video_published_before_the_recording_is_not_linked_by_its_number(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    t2 = archive["t2"]
    path = write_lines(tmp_path / "c.jsonl", video("ddd", f"{t2.label}", upload_date="20180101"))
    report = mirrors_import(actor=None, videos=read_all([path]))
    assert report.rows[0].outcome == "unmatched"  # 0.6 - 0.4: below the candidate score
    assert Mirror.objects.get().testimony is None


def test_two_testimonies_named_alike_are_both_offered(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    t1, t2 = archive["t1"], archive["t2"]
    path = write_lines(
        tmp_path / "c.jsonl", video("eee", f"{t1.label} және {t2.label}", upload_date="20190501")
    )
    report = mirrors_import(actor=None, videos=read_all([path]))
    assert report.rows[0].outcome == "candidates"
    assert {c["number"] for c in report.rows[0].candidates} == {t1.number, t2.number}


def test_an_unknown_video_is_listed_as_published_but_not_in_the_archive(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    path = write_lines(tmp_path / "c.jsonl", video("fff", "Митинг, Алматы"))
    out = run("import", str(path))
    assert "Published but not in the archive: Митинг, Алматы" in out
    assert Mirror.objects.get().candidates == []


def test_dry_run_writes_nothing(archive: dict[str, Any], tmp_path: Path) -> None:
    path = write_lines(tmp_path / "c.jsonl", video("aaa", archive["t1"].label))
    out = run("import", "--dry-run", str(path))
    assert "Would record 1 videos" in out
    assert not Mirror.objects.exists()


def test_a_bad_file_imports_nothing(archive: dict[str, Any], tmp_path: Path) -> None:
    good = write_lines(tmp_path / "a.jsonl", video("aaa", archive["t1"].label))
    bad = tmp_path / "b.jsonl"
    bad.write_text("{oops\n")
    with pytest.raises(CommandError, match="Nothing imported"):
        run("import", str(good), str(bad))
    with pytest.raises(CommandError, match="no such file"):
        run("import", str(tmp_path / "missing.jsonl"))
    assert not Mirror.objects.exists()


def test_an_address_already_listed_on_the_testimony_gets_the_videos_metadata(
    archive: dict[str, Any], tmp_path: Path
) -> None:
    t1 = archive["t1"]
    from aigaq.mirrors.services import mirror_add

    mirror_add(actor=None, testimony=t1, url="https://www.youtube.com/watch?v=aaa")
    path = write_lines(tmp_path / "c.jsonl", video("aaa", "Гүлмира"))
    assert json.loads(run("import", "--json", str(path)))["outcome"] == "already"
    mirror = Mirror.objects.get()
    assert mirror.testimony == t1 and mirror.title == "Гүлмира" and mirror.external_id == "aaa"
