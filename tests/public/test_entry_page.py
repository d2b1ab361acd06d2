"""The public entry page: names in the visitor's script first, the photo and the redacted
videos sent only as disclosure.public allows (videos with Range), the evidence grade's
meaning and the link to report a correction."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from aigaq.core.models import Visibility
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_store
from aigaq.media.services import media_ingest
from aigaq.people.services import person_set_photo
from aigaq.testimonies import services as testimony_services
from tests import factories
from tests.media.videos import png_bytes, video_bytes

published = factories.public_person

pytestmark = pytest.mark.django_db

PAYLOAD = b"".join(i.to_bytes(4, "big") for i in range(100_000))


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_names_show_in_the_visitors_script_first(public_client: Any, coordinator: Any) -> None:
    p = published("Serik Ospanov", "Серік Оспанов", "سەرىك ئوسپان", actor=coordinator)

    def heading(lang: str) -> str:
        page = public_client.get(f"/{lang}/entries/{p.entry_no}/").content.decode()
        h1 = page.split("<h1>")[1].split("</h1>")[0]
        return h1.removeprefix("<bdi>").removesuffix("</bdi>")  # isolated in its own direction

    assert heading("kk") == "Серік Оспанов"
    assert heading("ru") == "Серік Оспанов"
    assert heading("en") == "Serik Ospanov"
    assert heading("ar") == "سەرىك ئوسپان"
    page = public_client.get(f"/kk/entries/{p.entry_no}/").content.decode()
    assert "Serik Ospanov" in page and "سەرىك ئوسپان" in page  # the other forms, below


def test_the_page_says_what_the_evidence_grade_means_and_links_a_correction(
    public_client: Any,
    coordinator: Any,
) -> None:
    p = published("Серік Оспанов", actor=coordinator, evidence_grade="corroborated")
    page = public_client.get(f"/en/entries/{p.entry_no}/").content.decode()
    assert "Corroborated: independent testimonies or sources agree" in page
    assert f'href="/en/correction/?entry={p.entry_no}"' in page
    assert "Testimony " in page and "Kazakh" in page  # its language, by name


def test_the_photo_is_sent_only_while_the_entry_may_show_it(
    public_client: Any,
    coordinator: Any,
) -> None:
    p = published("Серік Оспанов", actor=coordinator)
    data = png_bytes()
    person_set_photo(actor=coordinator, person=p, fileobj=io.BytesIO(data), name="p.png")
    p.refresh_from_db()
    page = public_client.get(f"/en/entries/{p.entry_no}/").content.decode()
    url = f"/files/photo/{p.entry_no}/{p.photo_id}/"
    assert f'src="{url}"' in page
    r = public_client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and _body(r) == data
    assert r["Cache-Control"] == "no-store"
    # another entry's number with this photo, or the entry made internal: nothing
    other = published("Айгүл Тұрсын", actor=coordinator)
    assert public_client.get(f"/files/photo/{other.entry_no}/{p.photo_id}/").status_code == 404
    p.visibility = Visibility.INTERNAL
    p.save()
    assert public_client.get(url).status_code == 404


def test_an_anonymous_entry_shows_no_photo(public_client: Any, coordinator: Any) -> None:
    p = published("Серік Оспанов", actor=coordinator, anonymous=True)
    person_set_photo(actor=coordinator, person=p, fileobj=io.BytesIO(png_bytes()), name="p.png")
    p.refresh_from_db()
    assert "/files/photo/" not in public_client.get(f"/en/entries/{p.entry_no}/").content.decode()
    assert public_client.get(f"/files/photo/{p.entry_no}/{p.photo_id}/").status_code == 404


def _published_video(coordinator: Any, tmp_path: Path) -> tuple[Any, Any, MediaFile]:
    person = factories.person("Серік Оспанов", actor=coordinator, visibility=Visibility.PUBLIC)
    testimony = factories.testimony(
        person,
        actor=coordinator,
        visibility=Visibility.PUBLIC,
        consent_public=True,
        status="recorded",
    )
    media = media_ingest(
        actor=coordinator,
        fileobj=io.BytesIO(video_bytes()),
        original_name="interview.mp4",
        kind="video",
    )
    testimony_services.testimony_attach_media(
        actor=coordinator, testimony=testimony, media=media, kind="video"
    )
    return person, testimony, media


def _redacted(media: MediaFile, tmp_path: Path) -> Rendition:
    clear = tmp_path / "redacted.mp4"
    clear.write_bytes(PAYLOAD)
    r = rendition_store(
        media=media, kind=Rendition.Kind.REDACTED, source=clear, content_type="video/mp4"
    )
    clear.unlink()
    return r


def test_a_video_is_its_redacted_copy_played_with_ranges_and_stops_on_withdrawal(
    public_client: Any,
    coordinator: Any,
    tmp_path: Path,
) -> None:
    person, testimony, media = _published_video(coordinator, tmp_path)
    page = public_client.get(f"/en/entries/{person.entry_no}/").content.decode()
    assert "<video" not in page  # no redacted copy: no video, never the original
    copy = _redacted(media, tmp_path)
    page = public_client.get(f"/en/entries/{person.entry_no}/").content.decode()
    url = f"/files/video/{copy.pk}/"
    assert f'<video controls preload="metadata" src="{url}"' in page
    r = public_client.get(url, HTTP_RANGE="bytes=1000-1999")
    assert r.status_code == 206 and _body(r) == PAYLOAD[1000:2000]
    assert r["Content-Range"] == f"bytes 1000-1999/{len(PAYLOAD)}"
    assert public_client.get(url, HTTP_RANGE=f"bytes={len(PAYLOAD)}-").status_code == 416
    whole = public_client.get(url)
    assert whole.status_code == 200 and _body(whole) == PAYLOAD
    # the proxy of the original is not a publication copy: never sent
    clear = tmp_path / "proxy.mp4"
    clear.write_bytes(b"original proxy")
    proxy = rendition_store(
        media=media, kind=Rendition.Kind.PROXY, source=clear, content_type="video/mp4"
    )
    assert public_client.get(f"/files/video/{proxy.pk}/").status_code == 404
    testimony.consent_withdrawn_at = timezone.now()
    testimony.save()
    assert public_client.get(url).status_code == 404


def test_the_static_edition_carries_the_redacted_copy_and_the_photo_while_allowed(
    coordinator: Any, tmp_path: Path
) -> None:
    """`aigaq public build` fetches the files through the same views: the redacted copy and
    the photo are files of the edition; the original never is; a withdrawal removes them."""
    from django.conf import settings
    from django.test import override_settings
    from django.utils import timezone

    from aigaq.public.static_build import build

    person, testimony, media = _published_video(coordinator, tmp_path)
    testimony.consent_anonymous = False  # a named entry may show its photo
    testimony.save()
    redacted = _redacted(media, tmp_path)
    person_set_photo(
        actor=coordinator, person=person, fileobj=io.BytesIO(png_bytes()), name="p.png"
    )
    person.refresh_from_db()
    out = tmp_path / "site"
    with override_settings(ROOT_URLCONF=settings.PUBLIC_URLCONF):
        summary = build(out, base_url="https://example.org")
        video = out / f"files/video/{redacted.pk}.mp4"
        photo = out / f"files/photo/{person.entry_no}/{person.photo_id}.jpg"
        assert video.read_bytes() == PAYLOAD
        assert photo.read_bytes() == png_bytes()
        page = (out / f"en/entries/{person.entry_no}/index.html").read_text()
        assert f'src="../../../files/video/{redacted.pk}.mp4"' in page
        assert not [t for t in summary.dangling if t.startswith("files/")]
        original = video_bytes()
        assert not any(original in p.read_bytes() for p in out.rglob("*") if p.is_file())

        testimony.consent_withdrawn_at = timezone.now()
        testimony.save()
        build(out, base_url="https://example.org")
    assert not video.exists() and not photo.exists()
