"""Issue #18's "Done when", in Debian's Chromium: a newcomer opens a testimony with a video and
types a few timecoded Kazakh lines in the editor (with its keyboard shortcuts), another user
translates them into English and Arabic (right to left), a reviewer signs both off; the video
then carries both subtitle tracks, the SRT and VTT files download, and a search for a word of
the translation finds the testimony at its moment. Screenshots of the editor, the translator's
page and the queue at desktop and phone width go to $AIGAQ_SCREENSHOTS (or /tmp)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from aigaq.media.services import media_ingest
from aigaq.testimonies import services as testimony_services
from aigaq.transcripts.models import Status, Transcript
from tests import factories
from tests.conftest import browser_sign_in
from tests.media.videos import make_video, needs_ffmpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_ffmpeg]

KAZAKH = [
    "Менің ұлым Ерлан 2018 жылы жоғалып кетті.",
    "Оны Құлжадағы лагерьге апарды.",
    "Содан бері хабар жоқ.",
]
ENGLISH = [
    "My son Erlan disappeared in 2018.",
    "They took him to the camp in Ghulja.",
    "There has been no news since.",
]
ARABIC = [
    "اختفى ابني يرلان في عام 2018.",
    "أخذوه إلى المعسكر في غولجا.",
    "لا توجد أخبار منذ ذلك الحين.",
]


def sign_in(page: Any, base: str, user: Any) -> None:
    """Sign in through the pages, the second factor included (tests/conftest.py). The last
    click's page is let finish first, so its answer cannot land after the sign-in page."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    browser_sign_in(page, base, user)
    page.wait_for_url(base + "/")


def video_time(page: Any) -> float:
    return float(page.evaluate("document.querySelector('[data-testid=video]').currentTime"))


def seek(page: Any, seconds: float) -> None:
    page.evaluate(
        """async (t) => { const v = document.querySelector('[data-testid=video]');
        await new Promise((done) => { v.addEventListener('seeked', done, {once: true}); v.currentTime = t; }); }""",
        seconds,
    )


def shots_dir() -> Path:
    folder = Path(os.environ.get("AIGAQ_SCREENSHOTS") or "/tmp/aigaq-transcript-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page: Any, name: str) -> None:
    folder = shots_dir()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(folder / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(folder / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def translate(page: Any, base: str, number: int, lang: str, texts: list[str]) -> None:
    page.goto(f"{base}/testimonies/{number}/translation/{lang}/")
    page.click("[data-testid=start-button]")
    boxes = page.locator("[data-testid=target-text]")
    assert boxes.count() == 3
    boxes.nth(0).click()
    for n, text in enumerate(texts):
        # Ctrl+Enter on the previous segment moved here (once htmx has settled the swap).
        page.wait_for_function(
            "(n) => document.querySelectorAll('[data-testid=target-text]')[n]"
            " === document.activeElement",
            arg=n,
        )
        box = page.locator("[data-testid=target-text]").nth(n)
        box.fill(text)
        box.press("Control+Enter")  # saved by htmx, then on to the next segment
        page.locator(f"#seg-{n + 1} [data-testid=saved]").wait_for()
    page.reload()
    assert [
        page.locator("[data-testid=target-text]").nth(n).input_value() for n in range(3)
    ] == texts


def test_a_kazakh_video_is_transcribed_translated_reviewed_subtitled_and_found(
    page: Any, live_server: Any, make_user: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    base = live_server.url
    newcomer = make_user("interviewer", "newcomer")
    translator = make_user("translator", "translator-b")
    reviewer = make_user("coordinator", "reviewer-c")
    testimony = factories.testimony(factories.person("Ерлан Серікұлы"), language="kk")
    source = make_video(tmp_path / "interview.mp4", seconds=8, size="640x360", rate=25)
    media = media_ingest(
        actor=newcomer,
        fileobj=io.BytesIO(source.read_bytes()),
        original_name="interview.mp4",
        kind="video",
    )
    testimony_services.testimony_attach_media(
        actor=newcomer, testimony=testimony, media=media, kind="video"
    )
    number = testimony.number
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. The newcomer: testimony page → Transcript → start it → three timed lines.
    sign_in(page, base, newcomer)
    page.goto(f"{base}/testimonies/{number}/")
    page.click("[data-testid=transcript-link]")
    page.click("[data-testid=start-button]")
    page.wait_for_function("() => document.querySelector('[data-testid=video]').readyState >= 1")
    # Ctrl+Space plays and pauses; Ctrl+← goes back 5 seconds.
    page.locator("[data-testid=new-text]").click()
    page.keyboard.press("Control+Space")
    page.wait_for_function("() => !document.querySelector('[data-testid=video]').paused")
    page.keyboard.press("Control+Space")
    page.wait_for_function("() => document.querySelector('[data-testid=video]').paused")
    seek(page, 6.5)
    page.keyboard.press("Control+ArrowLeft")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('[data-testid=video]').currentTime - 1.5) < 0.2"
    )
    # First line: the end typed by hand; Ctrl+Enter adds it and the next starts at its end.
    page.fill("[data-testid=new-end]", "0:00:02.500")
    page.fill("[data-testid=new-text]", KAZAKH[0])
    page.locator("[data-testid=new-text]").press("Control+Enter")
    page.wait_for_url("**/transcript/kk/#new-segment")
    assert page.locator("[data-testid=new-start]").input_value() == "00:00:02.500"
    assert page.locator("[data-testid=new-text]").evaluate("el => el === document.activeElement")
    # Second line: the video's moment put in as its end with Ctrl+J.
    page.wait_for_function("() => document.querySelector('[data-testid=video]').readyState >= 1")
    seek(page, 5.0)
    page.locator("[data-testid=new-text]").fill(KAZAKH[1])
    page.locator("[data-testid=new-text]").press("Control+j")
    assert page.locator("[data-testid=new-end]").input_value() == "00:00:05.000"
    page.locator("[data-testid=new-text]").press("Control+Enter")
    page.wait_for_url("**/transcript/kk/#new-segment")
    page.fill("[data-testid=new-end]", "0:00:07.500")
    page.fill("[data-testid=new-text]", KAZAKH[2])
    page.locator("[data-testid=new-text]").press("Control+Enter")
    page.wait_for_url("**/transcript/kk/#new-segment")
    assert page.locator("[data-testid=segment]").count() == 3
    # A click on a segment's number takes the video to its moment.
    page.wait_for_function("() => document.querySelector('[data-testid=video]').readyState >= 1")
    page.locator("#seg-2 button.seek").click()
    page.wait_for_function(
        "() => Math.abs(document.querySelector('[data-testid=video]').currentTime - 2.5) < 0.1"
    )
    original = Transcript.objects.get(testimony=testimony, language="kk")
    assert [(s.start_ms, s.end_ms, s.text) for s in original.segments.order_by("position")] == [
        (0, 2500, KAZAKH[0]),
        (2500, 5000, KAZAKH[1]),
        (5000, 7500, KAZAKH[2]),
    ]
    page.click("[data-testid=submit]")
    screenshot(page, "transcript-editor")

    # 2. Another user translates into English and Arabic and submits both.
    sign_in(page, base, translator)
    page.goto(f"{base}/translations/?lang=en")
    assert f"/testimonies/{number}/translation/en/" in page.content()
    translate(page, base, number, "en", ENGLISH)
    page.goto(f"{base}/translations/?lang=en")
    held = page.locator("[data-testid=queue-row]")
    assert held.count() == 1 and "translator-b" in held.inner_text()
    screenshot(page, "translators-queue")
    page.goto(f"{base}/testimonies/{number}/translation/en/")
    page.click("[data-testid=submit]")
    translate(page, base, number, "ar", ARABIC)
    box = page.locator("[data-testid=target-text]").first
    assert box.get_attribute("dir") == "rtl"
    assert box.evaluate("el => getComputedStyle(el).direction") == "rtl"
    screenshot(page, "translation-ar")
    page.click("[data-testid=submit]")

    # 3. A reviewer signs both off from the review queue.
    sign_in(page, base, reviewer)
    for lang in ("en", "ar"):
        page.goto(f"{base}/translations/review/?lang={lang}")
        page.locator("[data-testid=review-row] a").first.click()
        page.click("[data-testid=sign-off]")
        page.locator("[data-testid=reviewed-by]").wait_for()
    done = Transcript.objects.filter(testimony=testimony, status=Status.REVIEWED)
    assert sorted(done.values_list("language", flat=True)) == ["ar", "en"]

    # 4. The video plays with subtitles in both; the files download.
    page.goto(f"{base}/testimonies/{number}/")
    tracks = page.locator("[data-testid=video] track")
    assert tracks.count() == 2
    assert sorted(tracks.evaluate_all("ts => ts.map(t => t.srclang + ':' + t.label)")) == [
        "ar:Arabic",
        "en:English",
    ]
    cues = page.evaluate(
        """async () => {
          const v = document.querySelector('[data-testid=video]');
          const out = {};
          for (const t of Array.from(v.textTracks)) {
            t.mode = 'hidden';
            for (let i = 0; i < 100 && !(t.cues && t.cues.length); i++) {
              await new Promise((r) => setTimeout(r, 50));
            }
            out[t.language] = Array.from(t.cues || []).map((c) => [c.startTime, c.text]);
          }
          return out;
        }"""
    )
    assert cues["en"] == [[0, ENGLISH[0]], [2.5, ENGLISH[1]], [5, ENGLISH[2]]]
    assert [text for _start, text in cues["ar"]] == ARABIC
    for fmt, first_line in (("srt", "1"), ("vtt", "WEBVTT")):
        with page.expect_download() as info:
            page.click(
                f"[data-testid=transcript-row][data-language=ar] [data-testid=download-{fmt}]"
            )
        download = info.value
        assert download.suggested_filename == f"T{number}.ar.{fmt}"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert text.splitlines()[0] == first_line and ARABIC[1] in text

    # 5. A search for a word of the translation finds the testimony, at its moment.
    page.goto(f"{base}/transcripts/search/?q=Ghulja")
    hit = page.locator("[data-testid=hit-testimony]")
    assert hit.count() == 1
    hit.click()
    page.wait_for_url(f"**/testimonies/{number}/?t=2.5")
    page.wait_for_function(
        "() => Math.abs(document.querySelector('[data-testid=video]').currentTime - 2.5) < 0.1"
    )
