"""kill -9 of `aigaq field import` before and just after its transaction commits: no record
without its media file, nothing half-merged, and the bundle then imports (or is found
imported) with every file in the archive."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from aigaq.core.jobs import SWEEP_AFTER_SECONDS
from aigaq.media.fixity import fixity_check
from aigaq.media.models import MediaFile
from aigaq.people.models import Person
from aigaq.transfer.models import Bundle
from tests import factories
from tests.crash.conftest import Crash

PASSPHRASE = "a long passphrase for the crash test"
PERSONS = 12


@pytest.fixture
def bundle(crash: Crash, tmp_path: Path) -> tuple[Path, Path]:
    """A trip bundle with persons and two media files, made by 'another' instance: the
    database is emptied afterwards, and the archive too, so it is a laptop's first import."""
    from aigaq.intake.models import FieldTrip
    from aigaq.media.services import media_ingest
    from aigaq.people.models import Place
    from aigaq.people.services import place_save
    from aigaq.transfer.services import field_bundle_export

    county = place_save(Place(code="crash-county", kind="county", name="County"))
    people = [
        factories.person(f"Crashtest Bundle{i:02d}uly", hometown=county) for i in range(PERSONS)
    ]
    for who in people[:2]:
        photo = media_ingest(
            actor=None, fileobj=io.BytesIO(os.urandom(300_000)), original_name="p.bin"
        )
        Person.objects.filter(pk=who.pk).update(photo=photo)
    trip = FieldTrip.objects.create(
        name="Trip", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 5, 2)
    )
    path = tmp_path / "trip.bundle"
    with path.open("wb") as out:
        field_bundle_export(
            actor=None, trip=trip, out=out, passphrase=PASSPHRASE, persons_at="crash-county"
        )
    call_command("flush", interactive=False, verbosity=0)  # another machine from here on
    for stored in (crash.data / "media").rglob("*"):
        if stored.is_file():
            stored.unlink()
    secret = tmp_path / "passphrase"
    secret.write_text(PASSPHRASE)
    return path, secret


def _import(crash: Crash, bundle: tuple[Path, Path]) -> tuple[str, ...]:
    return ("field", "import", str(bundle[0]), "--passphrase-file", str(bundle[1]))


def test_a_bundle_import_killed_before_it_commits_keeps_nothing_and_runs_again(
    crash: Crash, bundle: tuple[Path, Path], transactional_db: Any
) -> None:
    crash.kill_at("bundle.merged", *_import(crash, bundle))

    assert Person.objects.count() == 0 and not MediaFile.objects.exists()
    assert not Bundle.objects.exists()
    # Files the killed import had already placed are orphans: named and removed by verify.
    cleaned = crash.run("media", "verify", "--clean-orphans", "--min-age", "0", "--yes")
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert "Removed 2 orphaned files" in cleaned.stdout
    # Its staging folder (records in clear JSON) is swept by the next import once it is old.
    (staging,) = (crash.data / "tmp").glob("bundle-*")
    old = time.time() - SWEEP_AFTER_SECONDS - 60
    os.utime(staging, (old, old))

    again = crash.run(*_import(crash, bundle))
    assert again.returncode == 0, again.stderr
    assert Person.objects.count() == PERSONS and MediaFile.objects.count() == 2
    report = fixity_check()
    assert report.ok == 2 and not report.problems, report.as_dict()
    assert list((crash.data / "tmp").glob("bundle-*")) == []


def test_a_bundle_import_killed_just_after_it_commits_has_every_media_file(
    crash: Crash, bundle: tuple[Path, Path], transactional_db: Any
) -> None:
    crash.kill_at("bundle.committed", *_import(crash, bundle))

    # The records are committed: the files they name must be in the archive already.
    assert Person.objects.count() == PERSONS and MediaFile.objects.count() == 2
    report = fixity_check()
    assert report.missing == [] and report.ok == 2, report.as_dict()

    again = crash.run(*_import(crash, bundle))
    assert again.returncode == 0, again.stderr
    assert "imported before; nothing was changed" in again.stdout
    assert Person.objects.count() == PERSONS and MediaFile.objects.count() == 2
    assert not fixity_check().problems
