"""Playback of a testimony's recordings (staff/media.py): Range requests answered by streaming
decryption (206, Content-Range, suffix ranges, 416), who may play what (disclosure), one audit
entry per play of a restricted recording, and the player on the testimony page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import AuditEntry, Job
from aigaq.media.encrypt_existing import encrypt_existing, sealed_path
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import rendition_store
from aigaq.media.services import media_ingest
from aigaq.media.tasks import RENDITIONS
from aigaq.testimonies import services as testimony_services
from tests import factories
from tests.media.videos import make_video, png_bytes, video_bytes

pytestmark = pytest.mark.django_db

# A "proxy" of known bytes: 1.2 MB, several sealed chunks, no two 4-byte windows alike early on.
PAYLOAD = b"".join(i.to_bytes(4, "big") for i in range(300_000))
ORIGINAL = video_bytes(seconds=2, size="320x240")  # a real recording: ingest checks content


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"


def _recording(
    coordinator: Any,
    tmp_path: Path,
    *,
    name: str = "interview.mp4",
    restricted: bool = False,
    proxy: bool = True,
    data: bytes = ORIGINAL,
    **testimony_fields: Any,
) -> tuple[Any, MediaFile]:
    testimony = factories.testimony(actor=coordinator, **testimony_fields)
    media = media_ingest(
        actor=coordinator, fileobj=io.BytesIO(data), original_name=name, kind="video"
    )
    testimony_services.testimony_attach_media(
        actor=coordinator, testimony=testimony, media=media, kind="video", restricted=restricted
    )
    encrypt_existing()
    assert sealed_path(media.sha256).exists()
    if proxy:
        clear = tmp_path / "proxy.mp4"
        clear.write_bytes(PAYLOAD)
        rendition_store(
            media=media, kind=Rendition.Kind.PROXY, source=clear, content_type="video/mp4"
        )
        clear.unlink()
    media.refresh_from_db()
    return testimony, media


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_range_requests_are_answered_from_the_sealed_proxy(
    client: Any, coordinator: Any, tmp_path: Path
) -> None:
    _testimony, media = _recording(coordinator, tmp_path)
    client.force_login(coordinator)
    url = f"/media/{media.pk}/play/"
    size = len(PAYLOAD)

    whole = client.get(url)
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    assert whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == str(size)
    assert whole["Content-Disposition"] == "inline"
    assert _body(whole) == PAYLOAD

    first = client.get(url, HTTP_RANGE="bytes=0-99")
    assert first.status_code == 206
    assert first["Content-Range"] == f"bytes 0-99/{size}" and first["Content-Length"] == "100"
    assert _body(first) == PAYLOAD[:100]

    middle = client.get(url, HTTP_RANGE="bytes=600000-")  # a seek: to the end from there
    assert middle.status_code == 206
    assert middle["Content-Range"] == f"bytes 600000-{size - 1}/{size}"
    assert _body(middle) == PAYLOAD[600000:]

    across = client.get(url, HTTP_RANGE="bytes=262000-262200")  # across a chunk boundary
    assert _body(across) == PAYLOAD[262000:262201]

    suffix = client.get(url, HTTP_RANGE="bytes=-500")
    assert (
        suffix.status_code == 206
        and suffix["Content-Range"] == f"bytes {size - 500}-{size - 1}/{size}"
    )
    assert _body(suffix) == PAYLOAD[-500:]

    bad = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert bad.status_code == 416 and bad["Content-Range"] == f"bytes */{size}"

    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"another version"')
    assert stale.status_code == 200 and _body(stale) == PAYLOAD
    same = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=whole["ETag"])
    assert same.status_code == 206 and _body(same) == PAYLOAD[:10]


def test_without_a_proxy_a_browser_playable_original_is_played_from_its_sealed_file(
    client: Any, coordinator: Any, tmp_path: Path
) -> None:
    _testimony, media = _recording(coordinator, tmp_path, proxy=False)
    client.force_login(coordinator)
    response = client.get(f"/media/{media.pk}/play/", HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206 and response["Content-Type"] == "video/mp4"
    assert _body(response) == ORIGINAL[100:200]
    # No poster or strip yet; a format no browser plays has nothing to play until its proxy.
    assert client.get(f"/media/{media.pk}/poster/").status_code == 404
    _t, mov = _recording(
        coordinator,
        tmp_path,
        name="camera.mts",
        proxy=False,
        data=make_video(tmp_path / "camera.ts", seconds=1, size="160x120").read_bytes(),
    )
    assert mov.content_type not in ("video/mp4", "video/webm")
    assert client.get(f"/media/{mov.pk}/play/").status_code == 404


@pytest.mark.parametrize("role", ["translator", "viewer"])
def test_a_restricted_recording_is_not_played_to_those_who_may_not_read_it(
    role: str, client: Any, coordinator: Any, make_user: Any, tmp_path: Path
) -> None:
    testimony, media = _recording(
        coordinator, tmp_path, restricted=True, visibility="public", consent_press=True
    )
    clear = tmp_path / "poster.jpg"
    clear.write_bytes(b"\xff\xd8poster")
    rendition_store(media=media, kind="poster", source=clear, content_type="image/jpeg")
    client.force_login(make_user(role, f"{role}-play"))
    page = client.get(f"/testimonies/{testimony.number}/")
    assert page.status_code == 200  # the testimony itself they may see
    html = page.content.decode()
    assert f"/media/{media.pk}/" not in html and "<video" not in html
    for what in ("play", "poster", "thumbs", "player"):
        assert client.get(f"/media/{media.pk}/{what}/").status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()


def test_an_id_card_is_never_played_to_a_translator(
    client: Any, coordinator: Any, translator: Any, tmp_path: Path
) -> None:
    testimony = factories.testimony(actor=coordinator)
    card = media_ingest(
        actor=coordinator, fileobj=io.BytesIO(png_bytes()), original_name="card.png", kind="id_card"
    )
    testimony_services.testimony_attach_media(actor=coordinator, testimony=testimony, media=card)
    client.force_login(translator)
    assert client.get(f"/media/{card.pk}/play/").status_code == 404


def test_each_play_of_a_restricted_recording_is_audited_once_not_per_range(
    client: Any, coordinator: Any, interviewer: Any, tmp_path: Path
) -> None:
    _testimony, media = _recording(coordinator, tmp_path, restricted=True)
    client.force_login(interviewer)
    url = f"/media/{media.pk}/play/"
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ, actor=interviewer)
    assert client.get(url, HTTP_RANGE="bytes=0-").status_code == 206  # the player starts
    assert reads.count() == 1
    assert reads.get().object_id == str(media.pk) and reads.get().changes == {"fields": ["proxy"]}
    for start in (400_000, 800_000, 1_000_000):  # it seeks
        assert client.get(url, HTTP_RANGE=f"bytes={start}-").status_code == 206
    assert reads.count() == 1
    assert client.get(url).status_code == 200  # played again from the start
    assert reads.count() == 2


def test_the_testimony_page_shows_the_player_or_that_it_is_being_prepared(
    client: Any, coordinator: Any, tmp_path: Path
) -> None:
    testimony, media = _recording(coordinator, tmp_path, name="camera.mts", proxy=False)
    job = Job.objects.get(kind=RENDITIONS)  # queued by the attach
    assert job.params["media"] == str(media.pk)
    client.force_login(coordinator)
    html = client.get(f"/testimonies/{testimony.number}/").content.decode()
    assert 'data-testid="preparing"' in html and f"/jobs/{job.pk}/" in html
    assert f'hx-get="/media/{media.pk}/player/"' in html  # polled until it is ready
    assert "<video" not in html
    clear = tmp_path / "p.mp4"
    clear.write_bytes(PAYLOAD)
    rendition_store(media=media, kind="proxy", source=clear, content_type="video/mp4")
    fragment = client.get(f"/media/{media.pk}/player/").content.decode()
    assert 'preload="metadata"' in fragment and f'src="/media/{media.pk}/play/"' in fragment
    assert "hx-get" not in fragment  # ready: the polling stops
