"""Subtitles on the public site's player: the reviewed transcripts and translations of a
published testimony whose redacted video is public, as WebVTT `<track>`s on the entry page
and in the static edition; none for a testimony that asked anonymity, has no publication
copy, or whose consent is withdrawn (on the next request, and on the next build)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from aigaq.core.models import Visibility
from aigaq.public.static_build import build
from aigaq.testimonies import services as testimony_services
from tests import factories
from tests.public.published_video import (
    original,
    published_testimony,
    redacted_copy,
    translation,
    video_of,
)

pytestmark = pytest.mark.django_db

KK = ["Менің ұлым Ерлан жоғалып кетті.", "Содан бері хабар жоқ."]
EN = ["My son Erlan disappeared.", "There has been no news since."]


def _entry(tmp_path: Path, **testimony_fields: Any) -> tuple[Any, Any, Any]:
    person = factories.person("Ерлан Серікұлы", "Erlan Serikuly", visibility=Visibility.PUBLIC)
    t = published_testimony(person, **testimony_fields)
    copy = redacted_copy(video_of(t), tmp_path)
    kk = original(t, "kk", KK)
    translation(kk, "en", EN)
    translation(kk, "ru", ["…", "…"], review=False)  # not reviewed: never shown
    return person, t, copy


def test_the_entry_page_has_a_track_per_reviewed_language(
    public_client: Any, tmp_path: Path
) -> None:
    person, t, copy = _entry(tmp_path)
    page = public_client.get(f"/en/entries/{person.entry_no}/").content.decode()
    kk = f"/files/subtitles/{t.number}/kk/"
    en = f"/files/subtitles/{t.number}/en/"
    assert f'<video controls preload="metadata" src="/files/video/{copy.pk}/"' in page
    assert f'<track kind="subtitles" src="{kk}" srclang="kk"' in page
    assert f'<track kind="subtitles" src="{en}" srclang="en" label="English" default>' in page
    assert f"/files/subtitles/{t.number}/ru/" not in page
    r = public_client.get(en)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/vtt")
    assert r["Cache-Control"] == "no-store"
    text = r.content.decode()
    assert text.startswith("WEBVTT") and EN[0] in text and "00:00:01.500" in text
    assert KK[1] in public_client.get(kk).content.decode()
    # The Kazakh page makes the Kazakh track the default.
    kk_page = public_client.get(f"/kk/entries/{person.entry_no}/").content.decode()
    assert f'src="{kk}" srclang="kk" label="' in kk_page and 'srclang="kk" label' in kk_page
    assert kk_page.count(" default>") == 1
    for bad in ("ru", "xx", "kk%00", "..%2Fkk"):
        assert public_client.get(f"/files/subtitles/{t.number}/{bad}/").status_code == 404
    assert public_client.get(f"/files/subtitles/{t.number + 99}/kk/").status_code == 404


def test_a_withdrawal_stops_the_subtitles_on_the_next_request(
    public_client: Any, coordinator: Any, tmp_path: Path
) -> None:
    person, t, _copy = _entry(tmp_path)
    url = f"/files/subtitles/{t.number}/en/"
    assert public_client.get(url).status_code == 200
    testimony_services.consent_withdraw(actor=coordinator, testimony=t, reason="asked")
    assert public_client.get(url).status_code == 404
    assert public_client.get(f"/en/entries/{person.entry_no}/").status_code == 404


@pytest.mark.parametrize("case", ["anonymous", "no_copy", "internal", "unconsented"])
def test_no_subtitles_where_disclosure_refuses(
    public_client: Any, tmp_path: Path, case: str
) -> None:
    person = factories.person("Ерлан Серікұлы", visibility=Visibility.PUBLIC)
    shown = published_testimony(person)  # keeps the entry public in every case
    fields: dict[str, Any] = {
        "anonymous": {"consent_anonymous": True},
        "no_copy": {},
        "internal": {"visibility": Visibility.INTERNAL},
        "unconsented": {"consent_public": False},
    }[case]
    t = published_testimony(person, **fields)
    media = video_of(t)
    if case != "no_copy":
        redacted_copy(media, tmp_path)
    original(t, "kk", KK)
    page = public_client.get(f"/en/entries/{person.entry_no}/").content.decode()
    assert "<track" not in page and "/files/subtitles/" not in page
    assert public_client.get(f"/files/subtitles/{t.number}/kk/").status_code == 404
    assert public_client.get(f"/files/subtitles/{shown.number}/kk/").status_code == 404


def test_the_static_edition_carries_the_subtitles_while_allowed(
    coordinator: Any, tmp_path: Path
) -> None:
    person, t, copy = _entry(tmp_path)
    out = tmp_path / "site"
    vtt = out / f"files/subtitles/{t.number}/en.vtt"
    video = out / f"files/video/{copy.pk}.mp4"
    with override_settings(ROOT_URLCONF=settings.PUBLIC_URLCONF):
        summary = build(out)
        assert not summary.dangling and not summary.failed
        assert EN[0] in vtt.read_text() and (out / f"files/subtitles/{t.number}/kk.vtt").exists()
        assert not (out / f"files/subtitles/{t.number}/ru.vtt").exists()
        page = (out / f"en/entries/{person.entry_no}/index.html").read_text()
        assert f'src="../../../files/subtitles/{t.number}/en.vtt" srclang="en"' in page

        # A rebuild with nothing changed keeps the pages, the video and the subtitles.
        # (What is made every time: home, the list's first page, open data, statistics and
        # the map in each language; the entry's pages and its block's are kept.)
        summary = build(out)
        assert summary.rendered <= 40 and summary.skipped_renders >= 16
        assert vtt.exists() and video.exists()

        # A translation reviewed since: the entry's pages are made again with its track.
        ru = t.transcripts.get(language="ru")
        from tests.public.published_video import reviewed

        reviewed(ru)
        build(out)
        page = (out / f"en/entries/{person.entry_no}/index.html").read_text()
        assert f"files/subtitles/{t.number}/ru.vtt" in page
        assert (out / f"files/subtitles/{t.number}/ru.vtt").exists()

        t.consent_withdrawn_at = timezone.now()
        t.save()
        build(out)
    assert not vtt.exists() and not video.exists()
    assert not (out / "files/subtitles").exists()
