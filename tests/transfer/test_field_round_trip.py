"""Office → trip bundle → laptop (a second process with its own encrypted database) → return
bundle → office: everything arrives, conflicts and look-alikes surface, twice is a no-op."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "four villages, sixty testimonies"


def _laptop_env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "AIGAQ_TEST_DB", "AIGAQ_PG_TEST_NAME", "AIGAQ_DB_KEY_FILE"}
    }
    env.update(
        AIGAQ_DATA_DIR=str(tmp / "laptop-data"),
        AIGAQ_DB_KEY=secrets.token_hex(32),
        XDG_CONFIG_HOME=str(tmp / "laptop-config"),
        AIGAQ_SECRET_KEY="laptop-secret",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def _laptop(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _small_video(tmp: Path) -> Path:
    out = tmp / "cam1-0001.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=160x120:rate=10",
            "-t",
            "1",
            "-pix_fmt",
            "yuv420p",
            "-y",
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out


@pytest.fixture
def office(db: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    from aigaq.intake.models import FieldTrip
    from aigaq.people.models import Place
    from aigaq.people.services import place_save

    settings.MEDIA_ROOT = tmp_path / "office-media"
    settings.DATA_DIR = tmp_path / "office-data"
    region = place_save(Place(code="test-region", kind="region", name="Test region"))
    county = place_save(Place(code="test-county", kind="county", name="Test county", parent=region))
    village = place_save(Place(code="test-village", kind="village", name="Aul", parent=county))
    elsewhere = place_save(Place(code="test-far", kind="county", name="Far county", parent=region))
    edited = factories.person("Серік Қабылұлы", hometown=village, status="camp")
    gulnar = factories.person("Гүлнар Серікқызы", hometown=county, gender="female")
    far = factories.person("Алмас Ерланұлы", hometown=elsewhere)
    trip = FieldTrip.objects.create(
        name="Test county, May",
        place=county,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
    )
    return {"trip": trip, "edited": edited, "gulnar": gulnar, "far": far, "county": county}


def test_round_trip_brings_back_every_record_and_media_surfaces_conflicts_and_lookalikes(
    office: dict[str, Any],
    tmp_path: Path,
    coordinator: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from aigaq.core.models import AuditEntry
    from aigaq.dedup import scan
    from aigaq.dedup.models import Candidate
    from aigaq.media import storage
    from aigaq.media.models import MediaFile
    from aigaq.people.models import Person
    from aigaq.people.services import person_update
    from aigaq.testimonies.models import Testifier, Testimony, TestimonyPerson
    from aigaq.transfer.models import Conflict
    from aigaq.transfer.services import field_bundle_export, field_bundle_import

    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE + "\n")
    outbound = tmp_path / "trip.aigaq"
    with outbound.open("wb") as fh:
        sent = field_bundle_export(
            actor=coordinator,
            trip=office["trip"],
            out=fh,
            passphrase=PASSPHRASE,
            persons_at="test-county",
        )
    assert sent.counts["person"] == 2  # the village is inside the county; "far" is not
    assert "Серік".encode() not in outbound.read_bytes()

    # The office goes on working while the team is away.
    edited = office["edited"]
    person_update(
        actor=coordinator, person=edited, expected_version=edited.version, occupation="teacher"
    )

    env = _laptop_env(tmp_path)
    _laptop(env, "-m", "aigaq.cli", "init")
    out = _laptop(
        env, "-m", "aigaq.cli", "field", "import", str(outbound), "--passphrase-file", str(secret)
    )
    assert "person: 2 new" in out
    made = json.loads(
        _laptop(
            env,
            str(ROOT / "tests/transfer/laptop_work.py"),
            str(edited.pk),
            str(_small_video(tmp_path)),
        )
        .strip()
        .splitlines()[-1]
    )
    back = tmp_path / "return.aigaq"
    _laptop(
        env,
        "-m",
        "aigaq.cli",
        "field",
        "export",
        "--trip",
        "Test county, May",
        "--return",
        "--out",
        str(back),
        "--passphrase-file",
        str(secret),
    )

    # The test's transaction stands for the import's own: its media move in at the commit.
    with back.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        report = field_bundle_import(actor=coordinator, fileobj=fh, passphrase=PASSPHRASE)
    assert report.created.get("person") == 2
    assert report.conflicts == 1

    fresh = Person.objects.get(pk=made["fresh"])
    assert fresh.primary_name == "Бауыржан Темірханұлы"
    assert Person.objects.filter(entry_no=fresh.entry_no).count() == 1
    testimony = Testimony.objects.get(pk=made["testimony"])
    assert testimony.field_trip_id == office["trip"].pk
    assert Testifier.objects.get(pk=made["testifier"]).phone == "+77000000000"
    assert set(
        TestimonyPerson.objects.filter(testimony=testimony).values_list("person_id", flat=True)
    ) == {fresh.pk, edited.pk}
    media = MediaFile.objects.get(pk=made["media_id"])
    assert list(testimony.media.all()) == [media]
    assert media.sha256 == made["media_sha"]
    assert storage.verify(media.sha256)
    # Stored sealed: the bytes on disk are not the video's, and decrypt to it.
    assert hashlib.sha256(storage.path_for(media.sha256).read_bytes()).hexdigest() != media.sha256
    with storage.open_original(media.sha256) as reader:
        assert hashlib.sha256(reader.read_range(0, reader.size)).hexdigest() == media.sha256

    edited.refresh_from_db()
    assert edited.occupation == "teacher"  # not overwritten
    conflict = Conflict.objects.get(record_id=edited.pk)
    assert conflict.office_snapshot["occupation"] == "teacher"
    assert conflict.field_snapshot["occupation"] == "farmer"

    assert Person.objects.get(pk=made["lookalike"]).merged_into_id is None
    # The look-alike waits in the one duplicates queue, found by the import, with its reasons.
    a, b = scan.ordered(made["lookalike"], office["gulnar"].pk)
    candidate = Candidate.objects.get(a_id=a, b_id=b)
    assert candidate.source == "import" and candidate.status == Candidate.Status.OPEN
    codes = [r["code"] for r in candidate.reasons]
    assert "names" in codes and "hometown_same" in codes
    assert {"code": "field_bundle", "trip": "Test county, May"} in candidate.reasons
    assert report.candidates >= 1

    counts = {
        m.__name__: m.objects.count()
        for m in (Person, Testimony, MediaFile, Conflict, Candidate, AuditEntry)
    }
    with back.open("rb") as fh:
        again = field_bundle_import(actor=coordinator, fileobj=fh, passphrase=PASSPHRASE)
    assert again.already_imported
    assert counts == {
        m.__name__: m.objects.count()
        for m in (Person, Testimony, MediaFile, Conflict, Candidate, AuditEntry)
    }

    # The conflict is shown, and taking the field version is audited.
    from django.test import Client

    client = Client()
    client.force_login(coordinator)
    queue = client.get("/duplicates/").content.decode()
    assert "Gulnar Serikkyzy" in queue and "Гүлнар Серікқызы" in queue
    assert "brought back from the field trip “Test county, May”" in queue
    assert f"/duplicates/{candidate.pk}/" in queue
    page = client.get("/transfer/conflicts/").content.decode()
    assert "farmer" in page and "teacher" in page
    assert 'href="/duplicates/"' in page
    client.post(f"/transfer/conflicts/{conflict.pk}/resolve/", {"choice": "field"})
    edited.refresh_from_db()
    assert edited.occupation == "farmer"
    conflict.refresh_from_db()
    assert conflict.status == Conflict.Status.TOOK_FIELD
    assert AuditEntry.objects.filter(object_id=str(conflict.pk), action="update").exists()
