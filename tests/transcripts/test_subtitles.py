"""SRT and WebVTT in and out (`aigaq subtitles import|export`), and every bad file refused
whole with a clear message."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pysubs2
import pytest
from django.core.management import CommandError, call_command

from aigaq.core.models import AuditEntry
from aigaq.transcripts.models import Segment, Transcript
from aigaq.transcripts.subtitles import parse
from tests.transcripts.conftest import ENGLISH, KAZAKH

pytestmark = pytest.mark.django_db

KK_SRT = """1
00:00:00,000 --> 00:00:04,000
Менің ұлым Ерлан 2018 жылы жоғалып кетті.

2
00:00:04,500 --> 00:00:09,000
Оны Құлжадағы лагерьге апарды.

3
00:00:09,000 --> 00:00:15,000
Содан бері хабар жоқ.
"""
EN_VTT = """WEBVTT

00:00.000 --> 00:04.000
My son Erlan disappeared in 2018.

00:04.500 --> 00:09.000 align:start
They took him to the camp in Ghulja.

00:09.000 --> 00:15.000
There has been no news since.
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("subtitles", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _state() -> list[tuple[Any, ...]]:
    return sorted(
        Segment.objects.values_list(
            "transcript__language", "position", "start_ms", "end_ms", "text"
        )
    )


def test_a_transcript_and_a_translation_are_imported_from_srt_and_vtt(
    testimony: Any, tmp_path: Path
) -> None:
    n = f"T{testimony.number}"
    out = run(
        "import", str(write(tmp_path, "kk.srt", KK_SRT)), "--testimony", n, "--language", "kk"
    )
    assert "Imported 3 subtitles" in out
    run("import", str(write(tmp_path, "en.vtt", EN_VTT)), "--testimony", n, "--language", "en")
    kk = Transcript.objects.get(testimony=testimony, language="kk")
    en = Transcript.objects.get(testimony=testimony, language="en")
    assert kk.kind == "original" and en.kind == "translation" and en.source == kk
    assert [(s.start_ms, s.end_ms, s.text) for s in kk.segments.order_by("position")] == KAZAKH
    assert [s.text for s in en.segments.order_by("position")] == ENGLISH
    assert (
        AuditEntry.objects.filter(action="import", object_type="transcripts.transcript").count()
        == 2
    )


def test_the_same_file_twice_changes_nothing(testimony: Any, tmp_path: Path) -> None:
    n = f"T{testimony.number}"
    kk, en = write(tmp_path, "kk.srt", KK_SRT), write(tmp_path, "en.vtt", EN_VTT)
    run("import", str(kk), "--testimony", n, "--language", "kk")
    run("import", str(en), "--testimony", n, "--language", "en", "--as", "translation")
    before, audits = _state(), AuditEntry.objects.count()
    versions = list(Transcript.objects.values_list("version", flat=True).order_by("language"))
    assert "Nothing changed" in run("import", str(kk), "--testimony", n, "--language", "kk")
    assert "Nothing changed" in run("import", str(en), "--testimony", n, "--language", "en")
    assert _state() == before and AuditEntry.objects.count() == audits
    assert (
        list(Transcript.objects.values_list("version", flat=True).order_by("language")) == versions
    )


def test_a_different_file_does_not_replace_a_transcript_without_replace(
    testimony: Any, tmp_path: Path
) -> None:
    n = f"T{testimony.number}"
    run("import", str(write(tmp_path, "kk.srt", KK_SRT)), "--testimony", n, "--language", "kk")
    before = _state()
    other = write(tmp_path, "other.srt", KK_SRT.replace("хабар жоқ", "ешқандай хабар жоқ"))
    with pytest.raises(CommandError, match="already has a Kazakh transcript of 3 segments"):
        run("import", str(other), "--testimony", n, "--language", "kk")
    assert _state() == before
    run("import", str(other), "--testimony", n, "--language", "kk", "--replace")
    assert Segment.objects.filter(text__contains="ешқандай").count() == 1


BAD_FILES = [
    (
        "overlap.srt",
        KK_SRT.replace("00:00:04,500 --> 00:00:09,000", "00:00:03,500 --> 00:00:09,000"),
        "Subtitles 1 and 2 overlap",
    ),
    (
        "negative.srt",
        KK_SRT.replace("00:00:00,000 -->", "-00:00:01,000 -->"),
        "Line 2 has a negative time",
    ),
    (
        "backwards.srt",
        KK_SRT.replace("00:00:09,000 --> 00:00:15,000", "00:00:15,000 --> 00:00:09,000"),
        "Subtitle 3: The end",
    ),
    (
        "unreadable.srt",
        KK_SRT.replace("00:00:04,500 --> 00:00:09,000", "00:00:xx --> 00:00:09,000"),
        "Line 6 has a time that cannot be read",
    ),
    ("notsubs.srt", "Just a text file.\nNothing else.\n", "has no subtitles"),
    ("notsubs.txt", "Just a text file.\n", "neither an SRT nor a WebVTT"),
    (
        "chinese-in-kazakh.srt",
        KK_SRT.replace("Содан бері хабар жоқ.", "从那以后没有消息了。"),
        "Chinese letters, which Kazakh does not use",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_subtitle_file_is_refused_whole(
    testimony: Any, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(CommandError, match=message):
        run("import", str(path), "--testimony", f"T{testimony.number}", "--language", "kk")
    assert not Transcript.objects.exists() and not Segment.objects.exists()


def test_a_file_not_in_utf8_is_refused_saying_so(testimony: Any, tmp_path: Path) -> None:
    russian = "1\n00:00:01,000 --> 00:00:03,000\nМой сын пропал в 2018 году.\n"
    path = write(tmp_path, "cp1251.srt", russian.encode("cp1251"))
    with pytest.raises(CommandError, match="not UTF-8 text"):
        run("import", str(path), "--testimony", f"T{testimony.number}", "--language", "ru")
    assert not Transcript.objects.exists()


def test_a_50_mb_file_is_refused_before_it_is_read(
    testimony: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    path = tmp_path / "huge.srt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing written
    monkeypatch.setattr(pysubs2.SSAFile, "from_string", lambda *a, **k: pytest.fail("parsed"))
    with pytest.raises(
        CommandError, match="This file is 50.0 MB; a subtitle file may be at most 5.0 MB"
    ):
        run("import", str(path), "--testimony", f"T{testimony.number}", "--language", "kk")
    assert not Transcript.objects.exists()


def test_a_translation_before_any_transcript_is_refused(testimony: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="has no transcript yet"):
        run(
            "import",
            str(write(tmp_path, "en.vtt", EN_VTT)),
            "--testimony",
            f"T{testimony.number}",
            "--language",
            "en",
            "--as",
            "translation",
        )
    assert not Transcript.objects.exists()


def test_a_translation_whose_subtitle_falls_between_segments_is_refused(
    testimony: Any, tmp_path: Path
) -> None:
    n = f"T{testimony.number}"
    run("import", str(write(tmp_path, "kk.srt", KK_SRT)), "--testimony", n, "--language", "kk")
    off = EN_VTT + "\n00:20.000 --> 00:22.000\nAn extra line.\n"
    with pytest.raises(CommandError, match="Subtitle 4 .* falls between the transcript's segments"):
        run("import", str(write(tmp_path, "en.vtt", off)), "--testimony", n, "--language", "en")
    assert not Transcript.objects.filter(language="en").exists()


def test_unknown_testimony_and_language_are_named(testimony: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "kk.srt", KK_SRT)
    with pytest.raises(CommandError, match="No testimony numbered “T999”"):
        run("import", str(path), "--testimony", "T999", "--language", "kk")
    with pytest.raises(CommandError, match="“xx” is not a transcript language here"):
        run("import", str(path), "--testimony", f"T{testimony.number}", "--language", "xx")


def test_export_srt_and_vtt_and_a_translation_keeps_the_transcripts_timing(
    testimony: Any, tmp_path: Path
) -> None:
    n = f"T{testimony.number}"
    run("import", str(write(tmp_path, "kk.srt", KK_SRT)), "--testimony", n, "--language", "kk")
    run(
        "import",
        str(
            write(
                tmp_path,
                "en.vtt",
                EN_VTT.replace("00:04.500 --> 00:09.000", "00:05.000 --> 00:08.000"),
            )
        ),
        "--testimony",
        n,
        "--language",
        "en",
    )
    srt = run("export", "--testimony", n, "--language", "kk", "--format", "srt")
    assert pysubs2.SSAFile.from_string(srt, format_="srt")[0].plaintext == KAZAKH[0][2]
    out = tmp_path / "en.vtt"
    run("export", "--testimony", n, "--language", "en", "--format", "vtt", "-o", str(out))
    vtt = out.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT")
    events = pysubs2.SSAFile.from_string(vtt, format_="vtt").events
    assert [(e.start, e.end, e.plaintext) for e in events] == [
        (s, e, text) for (s, e, _kk), text in zip(KAZAKH, ENGLISH, strict=True)
    ]
    assert AuditEntry.objects.filter(action="export", object_label=f"{n} en.vtt").exists()


def test_export_of_a_missing_language_says_so(testimony: Any) -> None:
    with pytest.raises(CommandError, match="has no transcript or translation in German"):
        run("export", "--testimony", f"T{testimony.number}", "--language", "de", "--format", "srt")


def test_parse_reads_multi_line_subtitles() -> None:
    cues = parse(b"1\n00:00:01,000 --> 00:00:02,500\nfirst line\nsecond line\n", name="a.srt")
    assert [(c.start_ms, c.end_ms, c.text) for c in cues] == [
        (1000, 2500, "first line\nsecond line")
    ]
