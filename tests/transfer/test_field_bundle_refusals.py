"""Each bundle that must be refused is refused with one clear sentence, and nothing changes."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from tests import factories

PASSPHRASE = "a long passphrase for the trip"


@pytest.fixture
def trip_bundle(db: Any, settings: Any, tmp_path: Path, coordinator: Any) -> bytes:
    """A trip bundle made by 'another' instance (the office), to import here (the laptop)."""
    from aigaq.intake.models import FieldTrip
    from aigaq.people.models import Place
    from aigaq.people.services import place_save
    from aigaq.transfer.models import Instance
    from aigaq.transfer.services import field_bundle_export

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path / "data"
    county = place_save(Place(code="r-county", kind="county", name="County"))
    factories.person("Ерлан Асқарұлы", hometown=county)
    trip = FieldTrip.objects.create(
        name="Trip", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 2)
    )
    out = io.BytesIO()
    field_bundle_export(
        actor=coordinator, trip=trip, out=out, passphrase=PASSPHRASE, persons_at="r-county"
    )
    Instance.objects.all().delete()  # from here on, this database is another machine
    return out.getvalue()


def _state() -> dict[str, int]:
    from aigaq.core.models import AuditEntry
    from aigaq.people.models import Person
    from aigaq.transfer.models import Bundle, Conflict

    return {
        "audit": AuditEntry.objects.count(),
        "persons": Person.objects.count(),
        "received": Bundle.objects.filter(direction="received").count(),
        "conflicts": Conflict.objects.count(),
    }


def _refused(data: bytes, coordinator: Any, **kwargs: Any) -> str:
    from aigaq.transfer.bundle import BundleError
    from aigaq.transfer.services import field_bundle_import

    before = _state()
    kwargs.setdefault("passphrase", PASSPHRASE)
    with pytest.raises(BundleError) as exc:
        field_bundle_import(actor=coordinator, fileobj=io.BytesIO(data), **kwargs)
    assert _state() == before
    message = str(exc.value)
    assert message.endswith(".") and message.count(". ") == 0
    return message


def test_a_good_bundle_imports_and_a_dry_run_changes_nothing(
    trip_bundle: bytes, coordinator: Any
) -> None:
    from aigaq.transfer.services import field_bundle_import

    before = _state()
    report = field_bundle_import(
        actor=coordinator, fileobj=io.BytesIO(trip_bundle), passphrase=PASSPHRASE, dry_run=True
    )
    assert report.dry_run and report.unchanged >= 1
    assert _state() == before
    report = field_bundle_import(
        actor=coordinator, fileobj=io.BytesIO(trip_bundle), passphrase=PASSPHRASE
    )
    assert _state()["received"] == 1 and not report.already_imported


def test_a_truncated_bundle_is_refused(trip_bundle: bytes, coordinator: Any) -> None:
    message = _refused(trip_bundle[: len(trip_bundle) - 100], coordinator)
    assert "incomplete" in message


def test_a_bundle_cut_inside_its_head_is_refused(trip_bundle: bytes, coordinator: Any) -> None:
    assert "incomplete" in _refused(trip_bundle[:30], coordinator)


def test_a_bundle_with_altered_bytes_is_refused(trip_bundle: bytes, coordinator: Any) -> None:
    data = bytearray(trip_bundle)
    data[len(data) // 2 + 300] ^= 0x01
    assert "altered" in _refused(bytes(data), coordinator)


def test_a_wrong_passphrase_is_refused(trip_bundle: bytes, coordinator: Any) -> None:
    assert "passphrase is wrong" in _refused(trip_bundle, coordinator, passphrase="not it")


def test_a_bundle_for_someone_elses_key_is_refused(
    trip_bundle: bytes, coordinator: Any, tmp_path: Path
) -> None:
    from pyrage import x25519

    from aigaq.transfer import bundle as fmt

    ours, theirs = x25519.Identity.generate(), x25519.Identity.generate()
    out = io.BytesIO()
    fmt.write_bundle(
        out,
        members=[fmt.json_member("reference.json", {})],
        manifest={"kind": "trip"},
        recipient=str(theirs.to_public()),
    )
    message = _refused(out.getvalue(), coordinator, passphrase=None, identity_text=str(ours))
    assert "someone else" in message


def test_an_unsupported_format_version_is_refused(
    trip_bundle: bytes, coordinator: Any, monkeypatch: Any
) -> None:
    from aigaq.transfer import bundle as fmt

    out = io.BytesIO()
    monkeypatch.setattr(fmt, "FORMAT_VERSION", 99)
    fmt.write_bundle(out, members=[], manifest={"kind": "trip"}, passphrase=PASSPHRASE)
    monkeypatch.setattr(fmt, "FORMAT_VERSION", 1)
    assert "format version 99" in _refused(out.getvalue(), coordinator)


def test_a_member_that_does_not_match_its_hash_is_refused(
    trip_bundle: bytes, coordinator: Any
) -> None:
    from aigaq.transfer import bundle as fmt

    out = io.BytesIO()
    fmt.write_bundle(
        out,
        members=[fmt.json_member("reference.json", {"tags": []})],
        manifest={"members": {"reference.json": {"sha256": "0" * 64, "size": 12}}},
        passphrase=PASSPHRASE,
    )
    assert "does not match its recorded hash" in _refused(out.getvalue(), coordinator)


def test_a_return_bundle_for_another_office_is_refused(
    trip_bundle: bytes, coordinator: Any
) -> None:
    import uuid

    from aigaq.transfer import bundle as fmt

    out = io.BytesIO()
    fmt.write_bundle(
        out,
        members=[],
        manifest={
            "bundle_id": str(uuid.uuid4()),
            "kind": "return",
            "source_instance": str(uuid.uuid4()),
            "target_instance": str(uuid.uuid4()),
            "created_at": "2026-05-03T10:00:00+00:00",
            "trip": {"id": str(uuid.uuid4()), "name": "Trip"},
        },
        passphrase=PASSPHRASE,
    )
    assert "another Aigaq instance" in _refused(out.getvalue(), coordinator)


def test_a_bundle_made_here_is_refused_here(
    db: Any, settings: Any, tmp_path: Path, coordinator: Any
) -> None:
    from aigaq.intake.models import FieldTrip
    from aigaq.transfer.services import field_bundle_export

    settings.DATA_DIR = tmp_path
    trip = FieldTrip.objects.create(
        name="T", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 2)
    )
    out = io.BytesIO()
    field_bundle_export(actor=coordinator, trip=trip, out=out, passphrase=PASSPHRASE)
    assert "made on this machine" in _refused(out.getvalue(), coordinator)


def test_the_upload_page_is_for_coordinators_only(client: Any, viewer: Any) -> None:
    client.force_login(viewer)
    assert client.get("/transfer/field/import/").status_code == 403
    assert client.get("/transfer/conflicts/").status_code == 403


def test_the_upload_page_imports_a_bundle_as_a_job_and_shows_refusals(
    client: Any, trip_bundle: bytes, coordinator: Any, run_jobs: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    before = _state()
    with run_jobs():
        bad = client.post(
            "/transfer/field/import/",
            {"bundle": SimpleUploadedFile("t.aigaq", trip_bundle), "passphrase": "nope"},
        )
    html = client.get(bad["Location"]).content.decode()
    assert 'data-testid="job-error"' in html and "passphrase is wrong" in html
    assert _state()["received"] == before["received"] == 0
    with run_jobs():
        good = client.post(
            "/transfer/field/import/",
            {"bundle": SimpleUploadedFile("t.aigaq", trip_bundle), "passphrase": PASSPHRASE},
        )
    html = client.get(good["Location"]).content.decode()
    assert 'data-testid="job-result"' in html and "Imported: trip bundle" in html, html[-2000:]
    assert _state()["received"] == 1


def test_a_machine_too_busy_for_the_passphrase_block_is_not_told_the_passphrase_is_wrong(
    trip_bundle: bytes, coordinator: Any, monkeypatch: Any
) -> None:
    import pyrage

    def too_much(blob: bytes, passphrase: str) -> bytes:
        raise pyrage.DecryptError("Excessive work parameter for passphrase.")

    monkeypatch.setattr(pyrage.passphrase, "decrypt", too_much)
    message = _refused(trip_bundle, coordinator)
    assert "too slow or too busy" in message and "wrong" not in message
