"""Crafted return bundles: a media hash that is not a hash, a record a form would refuse, a
bundle refused after its media were read. Each is refused with one sentence and nothing is
written, not even a file in the media folder; what is imported is audited record by record."""

from __future__ import annotations

import hashlib
import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from pyrage import x25519

PHOTO = b"\xff\xd8\xff\xe0 a small photo from the trip"
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


@pytest.fixture
def office(db: Any, settings: Any, tmp_path: Path) -> uuid.UUID:
    from aigaq.transfer.services import instance_id

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    return instance_id()


def _bundle(
    office: uuid.UUID, records: dict[str, list[dict[str, Any]]], media: dict[str, bytes]
) -> tuple[bytes, str]:
    """A return bundle for this office, as a laptop (or someone crafting one) would make it."""
    from aigaq.transfer import bundle as fmt

    identity = x25519.Identity.generate()
    members = [fmt.jsonl_member(f"records/{key}.jsonl", rows) for key, rows in records.items()]
    members += [
        fmt.Member(f"media/{sha}", len(data), lambda data=data: [data])
        for sha, data in media.items()
    ]
    out = io.BytesIO()
    fmt.write_bundle(
        out,
        members=members,
        manifest={
            "bundle_id": str(uuid.uuid4()),
            "kind": "return",
            "source_instance": str(uuid.uuid4()),
            "target_instance": str(office),
            "created_at": "2026-05-03T10:00:00+00:00",
            "trip": {"id": str(uuid.uuid4()), "name": "Trip"},
        },
        recipient=str(identity.to_public()),
    )
    return out.getvalue(), str(identity)


def _media_row(sha: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "sha256": sha,
        "size": len(PHOTO),
        "original_name": "photo.jpg",
        "content_type": "image/jpeg",
        "kind": "photo",
        "restricted": False,
        "version": 1,
        "base_version": None,
    }


def _source_row(url: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "kind": "article",
        "title": "A report",
        "url": url,
        "reliability": "unknown",
        "date_text": "",
        "description": "",
        "media": None,
        "persons": [],
        "version": 1,
        "base_version": None,
    }


def _files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _state() -> dict[str, int]:
    from aigaq.core.models import AuditEntry
    from aigaq.media.models import MediaFile
    from aigaq.people.models import Source
    from aigaq.testimonies.models import Testifier
    from aigaq.transfer.models import Bundle

    return {
        "audit": AuditEntry.objects.count(),
        "media": MediaFile.objects.count(),
        "sources": Source.objects.count(),
        "testifiers": Testifier.objects.count(),
        "received": Bundle.objects.filter(direction="received").count(),
    }


def _refused(data: bytes, identity: str, coordinator: Any, settings: Any) -> str:
    from aigaq.transfer.bundle import BundleError
    from aigaq.transfer.services import field_bundle_import

    before, files = _state(), _files(settings)
    with pytest.raises(BundleError) as exc:
        field_bundle_import(actor=coordinator, fileobj=io.BytesIO(data), identity_text=identity)
    assert _state() == before
    assert _files(settings) == files
    message = str(exc.value)
    assert message.endswith(".") and message.count(". ") == 0
    return message


def test_a_media_hash_that_climbs_out_of_the_store_is_refused(
    office: uuid.UUID, coordinator: Any, settings: Any
) -> None:
    crafted = "/" * 4 + "../" * 12 + "etc/passwd"
    data, identity = _bundle(office, {"media": [_media_row(crafted)]}, {})
    message = _refused(data, identity, coordinator, settings)
    assert "64 hexadecimal characters" in message


@pytest.mark.parametrize("sha", [PHOTO_SHA.upper(), PHOTO_SHA[:63], PHOTO_SHA + "0", ""])
def test_a_media_hash_in_any_other_form_is_refused(
    office: uuid.UUID, coordinator: Any, settings: Any, sha: str
) -> None:
    data, identity = _bundle(office, {"media": [_media_row(sha)]}, {PHOTO_SHA: PHOTO})
    assert "64 hexadecimal characters" in _refused(data, identity, coordinator, settings)


def test_a_bundle_refused_after_its_media_were_read_leaves_no_file_behind(
    office: uuid.UUID, coordinator: Any, settings: Any
) -> None:
    dangling = {
        "id": str(uuid.uuid4()),
        "testimony": str(uuid.uuid4()),  # a testimony that is neither here nor in the bundle
        "person": str(uuid.uuid4()),
        "relationship": "son",
        "note": "",
        "version": 1,
        "base_version": None,
    }
    data, identity = _bundle(
        office,
        {"media": [_media_row(PHOTO_SHA)], "testimonyperson": [dangling]},
        {PHOTO_SHA: PHOTO},
    )
    assert "not here" in _refused(data, identity, coordinator, settings)
    assert _files(settings) == []


def test_a_source_link_that_is_not_a_web_address_is_refused(
    office: uuid.UUID, coordinator: Any, settings: Any
) -> None:
    data, identity = _bundle(office, {"source": [_source_row("javascript:alert(1)")]}, {})
    message = _refused(data, identity, coordinator, settings)
    assert "source" in message and "“url”" in message


def test_a_testifier_with_a_phone_that_is_not_a_number_is_refused(
    office: uuid.UUID, coordinator: Any, settings: Any
) -> None:
    teller = {
        "id": str(uuid.uuid4()),
        "full_name": "Айжан",
        "phone": "call the neighbour",
        "version": 1,
        "base_version": None,
    }
    data, identity = _bundle(office, {"testifier": [teller]}, {})
    assert "phone number" in _refused(data, identity, coordinator, settings)


def test_each_imported_record_is_checked_normalised_audited_and_its_media_stored_with_it(
    office: uuid.UUID, coordinator: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from aigaq.core.models import AuditEntry
    from aigaq.media import storage
    from aigaq.media.models import MediaFile
    from aigaq.people.models import Source
    from aigaq.testimonies.models import Testifier
    from aigaq.transfer.services import field_bundle_import

    source = _source_row("https://example.org/report")
    teller = {
        "id": str(uuid.uuid4()),
        "full_name": "Айжан",
        "phone": "8 700 111 22 33",
        "version": 1,
        "base_version": None,
    }
    data, identity = _bundle(
        office,
        {"media": [_media_row(PHOTO_SHA)], "source": [source], "testifier": [teller]},
        {PHOTO_SHA: PHOTO},
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = field_bundle_import(
            actor=coordinator, fileobj=io.BytesIO(data), identity_text=identity
        )
    # The file is placed inside the import's transaction (storage.PlacedGuard removes it again
    # if that transaction rolls back), so a crash just after the commit cannot lose it.
    assert _files(settings) == [storage.path_for(PHOTO_SHA)]
    for callback in callbacks:
        callback()
    assert report.created == {"media": 1, "source": 1, "testifier": 1}
    assert storage.verify(PHOTO_SHA) and _files(settings) == [storage.path_for(PHOTO_SHA)]
    assert Testifier.objects.get().phone == "+77001112233"
    for obj in (Source.objects.get(), MediaFile.objects.get(), Testifier.objects.get()):
        entry = AuditEntry.objects.get(object_id=str(obj.pk), action=AuditEntry.Action.IMPORT)
        assert entry.actor == coordinator and entry.note == "Created from a field bundle"
    teller_entry = AuditEntry.objects.get(object_type="testimonies.testifier")
    assert teller_entry.changes["phone"] == ["", "[restricted]"]
    assert "700" not in str(teller_entry.changes)


def test_a_testifier_with_an_overlong_name_is_refused(
    office: uuid.UUID, coordinator: Any, settings: Any
) -> None:
    teller = {
        "id": str(uuid.uuid4()),
        "full_name": "Ж" * 10_000,
        "version": 1,
        "base_version": None,
    }
    data, identity = _bundle(office, {"testifier": [teller]}, {})
    message = _refused(data, identity, coordinator, settings)
    assert "testifier" in message and "300" in message and "10000" in message.replace(",", "")
