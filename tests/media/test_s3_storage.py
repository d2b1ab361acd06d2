"""The media archive on S3-compatible object storage (AIGAQ_MEDIA_STORAGE=s3, aigaq.media.objects):
against a real S3 server on loopback (moto's server mode, started by the test). Only sealed
bytes reach the bucket, under the keyed names; originals and renditions read back whole and by
range (video playback), `aigaq media verify` checks the bucket, and the backups' restored-copy
check, the archive export and a bundle's media go through the same store."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from aigaq.media import storage
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.objects import S3Store, object_store
from aigaq.media.renditions import rendition_name, rendition_open, rendition_store
from aigaq.media.services import media_ingest
from aigaq.testimonies import services as testimony_services
from tests import factories

pytestmark = pytest.mark.django_db

SENTINEL = b"PLAINTEXT-SENTINEL-7f3a"
# 1.2 MB of known bytes with the sentinel in every 4 KiB: several sealed chunks.
PAYLOAD = b"".join(SENTINEL + i.to_bytes(4, "big") * 1018 for i in range(300))
BUCKET = "aigaq-media-test"


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server: str, settings: Any, tmp_path: Path) -> Iterator[S3Store]:
    """The archive in a new, empty bucket of the loopback S3 server; MEDIA_ROOT is only this
    machine's work folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DATA_DIR = tmp_path / "data"
    settings.AIGAQ_MEDIA_STORAGE = "s3"
    settings.AIGAQ_S3 = {
        "bucket": BUCKET,
        "endpoint_url": s3_server,
        "region": "us-east-1",
        "prefix": f"instance-{tmp_path.name}",
        "access_key_id": "test-access-key",
        "secret_access_key": "test-secret-key",
    }
    store = object_store()
    assert isinstance(store, S3Store)
    store.client.create_bucket(Bucket=BUCKET)
    yield store
    for name, _mtime in list(store.entries("originals")) + list(store.entries("renditions")):
        store.delete(name)


def _objects(store: S3Store) -> dict[str, bytes]:
    """Every object of the bucket under the instance's prefix, with its bytes."""
    out = {}
    pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    for page in pages:
        for item in page.get("Contents", []):
            body = store.client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            out[item["Key"]] = body
    return out


def _ingest(coordinator: Any, data: bytes = PAYLOAD) -> MediaFile:
    return media_ingest(
        actor=coordinator, fileobj=io.BytesIO(data), original_name="statement.bin", kind="other"
    )


def test_an_original_goes_to_the_bucket_sealed_and_reads_back_whole_and_by_range(
    bucket: S3Store, coordinator: Any, settings: Any
) -> None:
    media = _ingest(coordinator)
    objects = _objects(bucket)
    name = storage.object_name(media.sha256)
    assert list(objects) == [bucket.key(name)]
    assert bucket.key(name).startswith(bucket.prefix + "originals/")
    # Sealed: no plaintext byte in the bucket, and the name is keyed (not the SHA-256).
    sealed = objects[bucket.key(name)]
    assert SENTINEL not in sealed and PAYLOAD[:4096] not in sealed
    assert media.sha256 not in bucket.key(name)
    assert not list((Path(settings.MEDIA_ROOT) / "originals").rglob("*.sealed"))

    assert storage.exists(media.sha256)
    with storage.open_original(media.sha256) as reader:
        assert reader.size == len(PAYLOAD)
        assert b"".join(reader.iter_range(0, None)) == PAYLOAD
    with storage.open_original(media.sha256) as reader:  # across a sealed chunk boundary
        assert reader.read_range(262000, 262300) == PAYLOAD[262000:262300]
        assert reader.read_range(len(PAYLOAD) - 10, len(PAYLOAD)) == PAYLOAD[-10:]
    assert storage.verify(media.sha256)

    # The same bytes again: one object, kept as it was.
    assert _ingest(coordinator).pk == media.pk
    assert _objects(bucket) == objects


def test_playback_ranges_are_answered_from_a_rendition_in_the_bucket(
    bucket: S3Store, client: Any, coordinator: Any, tmp_path: Path
) -> None:
    media = _ingest(coordinator)
    testimony = factories.testimony(actor=coordinator)
    testimony_services.testimony_attach_media(
        actor=coordinator, testimony=testimony, media=media, kind="other"
    )
    clear = tmp_path / "proxy.mp4"
    clear.write_bytes(PAYLOAD)
    rendition = rendition_store(
        media=media, kind=Rendition.Kind.PROXY, source=clear, content_type="video/mp4"
    )
    clear.unlink()
    key = bucket.key(rendition_name(rendition.sha256))
    objects = _objects(bucket)
    assert key in objects and SENTINEL not in objects[key]
    with rendition_open(rendition) as reader:
        assert reader.read_range(0, len(PAYLOAD)) == PAYLOAD

    client.force_login(coordinator)
    url = f"/media/{media.pk}/play/"
    part = client.get(url, HTTP_RANGE="bytes=600000-600099")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 600000-600099/{len(PAYLOAD)}"
    assert b"".join(part.streaming_content) == PAYLOAD[600000:600100]
    whole = client.get(url)
    assert b"".join(whole.streaming_content) == PAYLOAD


def test_media_verify_checks_the_bucket(bucket: S3Store, coordinator: Any) -> None:
    media = _ingest(coordinator)
    out = io.StringIO()
    call_command("media", "verify", stdout=out)
    assert "1" in out.getvalue()

    # An object nobody names is an orphan; an original taken away is missing.
    stray = "originals/ab/cd/" + "e" * 64 + ".sealed"
    bucket.client.put_object(Bucket=BUCKET, Key=bucket.key(stray), Body=b"junk")
    bucket.delete(storage.object_name(media.sha256))
    with pytest.raises(CommandError):
        call_command("media", "verify", stdout=io.StringIO())
    from aigaq.media.fixity import fixity_check, remove_orphans

    report = fixity_check()
    assert report.missing == [media.sha256]
    assert report.orphans == [stray]
    assert remove_orphans(report, min_age_s=0) == 1
    assert not bucket.exists(stray)


def test_an_altered_object_is_named_as_altered(bucket: S3Store, coordinator: Any) -> None:
    media = _ingest(coordinator)
    key = bucket.key(storage.object_name(media.sha256))
    sealed = bytearray(bucket.client.get_object(Bucket=BUCKET, Key=key)["Body"].read())
    sealed[300_000] ^= 1
    bucket.client.put_object(Bucket=BUCKET, Key=key, Body=bytes(sealed))
    assert storage.check(media.sha256) == "altered"


def test_a_rolled_back_ingest_leaves_no_object(bucket: S3Store, coordinator: Any) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _ingest(coordinator)
        raise RuntimeError("the caller's transaction fails")
    import gc

    gc.collect()
    assert _objects(bucket) == {}


def test_the_backup_check_of_a_restored_copy_reads_originals_from_the_bucket(
    bucket: S3Store, coordinator: Any, tmp_path: Path
) -> None:
    import os

    from aigaq.backups import snapshot

    media = _ingest(coordinator)
    key = os.environ["AIGAQ_DB_KEY"]
    report = snapshot.media_check(tmp_path / "restored" / "media", [media.sha256], key)
    assert report.ok and report.checked == 1
    bucket.delete(storage.object_name(media.sha256))
    report = snapshot.media_check(tmp_path / "restored" / "media", [media.sha256], key)
    assert report.missing == [media.sha256]


def test_the_archive_export_reads_media_from_the_bucket(
    bucket: S3Store, coordinator: Any, admin_user: Any, tmp_path: Path
) -> None:
    from aigaq.transfer.archive import archive_export

    _ingest(coordinator)
    target = tmp_path / "all.aigaq"
    with target.open("wb") as out:
        archive_export(
            actor=admin_user, out=out, passphrase="a long enough passphrase for the test"
        )
    assert target.stat().st_size > len(PAYLOAD) // 2


def test_s3_storage_without_a_bucket_or_an_unknown_kind_is_refused_clearly(
    settings: Any,
) -> None:
    settings.AIGAQ_MEDIA_STORAGE = "s3"
    settings.AIGAQ_S3 = {"bucket": ""}
    with pytest.raises(ImproperlyConfigured, match="AIGAQ_S3_BUCKET"):
        object_store()
    settings.AIGAQ_MEDIA_STORAGE = "ftp"
    with pytest.raises(ImproperlyConfigured, match="filesystem"):
        object_store()
