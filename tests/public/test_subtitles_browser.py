"""In Chromium: the redacted video of a published testimony plays with its subtitles, on the
public server and in the static edition opened from a folder; the track in the page's
language is shown. Screenshots in test-artifacts/public/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from aigaq.core.models import Visibility
from aigaq.public.static_build import build
from tests import factories
from tests.public.published_video import original, published_testimony, redacted_copy, translation
from tests.public.published_video import video_of as video_for
from tests.public.test_browser_public import shot
from tests.public.test_subtitles import EN, KK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Each track's mode and its cues' text, once the shown track has loaded.
CUES = """() => Array.from(document.querySelector('video').textTracks).map(t => ({
    lang: t.language, mode: t.mode,
    cues: t.cues ? Array.from(t.cues).map(c => c.text) : null}))"""
LOADED = """() => { const v = document.querySelector('video');
    return Array.from(v.textTracks).some(t => t.mode === 'showing' && t.cues && t.cues.length)}"""


@pytest.fixture
def public_server(live_server: Any) -> Any:
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        yield live_server


def _entry(tmp_path: Path) -> tuple[Any, Any]:
    person = factories.person("Ерлан Серікұлы", "Erlan Serikuly", visibility=Visibility.PUBLIC)
    t = published_testimony(person)
    redacted_copy(video_for(t), tmp_path)
    kk = original(t, "kk", KK)
    translation(kk, "en", EN)
    return person, t


def _check(page: Any, errors: list[str], refused: str = "") -> None:
    page.wait_for_function(LOADED)
    tracks = {t["lang"]: t for t in page.evaluate(CUES)}
    assert set(tracks) == {"kk", "en"}
    assert tracks["en"]["mode"] == "showing" and tracks["en"]["cues"] == EN
    # The other language loads when chosen.
    page.evaluate(
        "() => { for (const t of document.querySelector('video').textTracks) "
        "t.mode = t.language === 'kk' ? 'showing' : 'disabled' }"
    )
    page.wait_for_function(LOADED)
    tracks = {t["lang"]: t for t in page.evaluate(CUES)}
    assert tracks["kk"]["cues"] == KK
    assert [e for e in errors if not (refused and e.startswith(refused))] == []


def test_the_video_plays_with_its_subtitles_live_and_from_a_folder(
    page: Any, public_server: Any, tmp_path: Path
) -> None:
    person, _t = _entry(tmp_path)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{public_server.url}/en/entries/{person.entry_no}/")
    _check(page, errors)
    page.evaluate("() => { const v = document.querySelector('video'); v.currentTime = 0.5 }")
    page.wait_for_function("() => document.querySelector('video').readyState >= 2")
    shot(page, "entry-subtitles-en")

    out = tmp_path / "edition"
    summary = build(out)
    assert not summary.failed and not summary.dangling
    page.goto((out / "en" / "entries" / str(person.entry_no) / "index.html").as_uri())
    # From a folder Chromium refuses the <track>'s file (and says so on the console before
    # the static script replaces it with the cues of files/subtitles/<n>/<lang>.js).
    _check(page, errors, refused="Unsafe attempt to load URL file:")
    page.evaluate("() => { const v = document.querySelector('video'); v.currentTime = 0.5 }")
    page.wait_for_function("() => document.querySelector('video').readyState >= 2")
    shot(page, "static-entry-subtitles-en")
