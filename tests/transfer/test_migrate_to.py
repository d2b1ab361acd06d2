"""`aigaq migrate-to postgres://…`: a small SQLCipher instance moved into a PostgreSQL database
of the test's own (created and dropped here on 127.0.0.1:5432), compared on both sides, its
media readable by the PostgreSQL instance; an interrupted move run again; refusals."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from aigaq.core.models import AuditEntry, Sequence
from aigaq.media import storage
from aigaq.media.models import MediaFile
from aigaq.media.services import media_ingest
from aigaq.people.models import Person
from aigaq.petitions.services import petition_create
from aigaq.testimonies import services as testimony_services
from aigaq.transfer import migrate_to as move
from tests import factories

pytestmark = pytest.mark.timeout(600)
sqlcipher_source = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="migrate-to moves an embedded SQLCipher instance: the source must be SQLCipher "
    "(this run of the suite is on PostgreSQL)",
)

SERVER = "postgresql://postgres@127.0.0.1:5432"


def _admin() -> Any:
    import psycopg

    return psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)


@pytest.fixture
def target_url() -> Iterator[str]:
    """A new, empty PostgreSQL database of this test's own (UTF-8 character type, as
    docs/deployment.md creates it), dropped afterwards."""
    try:
        admin = _admin()
    except Exception as exc:  # noqa: BLE001 - any reason PostgreSQL cannot be reached
        pytest.skip(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({exc.__class__.__name__})")
    name = f"w_migrate_{uuid.uuid4().hex[:10]}"
    with admin:
        admin.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
        )
    try:
        yield f"{SERVER}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def laptop(db: Any, settings: Any, tmp_path: Path, coordinator: Any) -> dict[str, Any]:
    """A small instance: persons with names in several scripts and status events, testimonies,
    a media file attached, a petition, an audit trail (every service wrote its entries)."""
    folder = tmp_path / "laptop"
    folder.mkdir()
    settings.MEDIA_ROOT = str(folder / "media")
    people = [
        factories.person("Серік Оспанұлы", "Serik Ospanuly", status="camp", date="2018"),
        factories.person("Айгүл Мұратқызы", "阿依古丽", status="prison", date="spring 2019"),
        factories.person("Memet Tursun", actor=coordinator),
    ]
    people[2].refresh_from_db()
    testimony = factories.testimony(*people[:2], actor=coordinator)
    factories.testimony(people[2], relationship="daughter")
    payload = os.urandom(5000)
    media = media_ingest(
        actor=coordinator,
        fileobj=io.BytesIO(payload),
        original_name="letter.bin",
        kind=MediaFile.Kind.OTHER,
    )
    testimony_services.testimony_attach_media(actor=coordinator, testimony=testimony, media=media)
    petition_create(actor=coordinator, form="wgeid", persons=[people[0]], entries={})
    assert AuditEntry.objects.count() > 5
    return {"media": media, "payload": payload, "folder": folder}


def run_move(url: str, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("migrate-to", url, "--json", *args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def server_paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "server" / "data" / "media", tmp_path / "server" / "credentials" / "db_key"


@sqlcipher_source
def test_an_instance_moves_to_postgresql_with_equal_counts_hashes_and_readable_media(
    laptop: dict[str, Any],
    target_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    media_to, key_file = server_paths(tmp_path)

    report = run_move(target_url, "--media-to", str(media_to), "--media-key-file", str(key_file))

    assert report["ok"] and report["differences"] == []
    tables = {t["model"]: t for t in report["tables"]}
    for label in (
        "people.person",
        "people.personname",
        "people.statusevent",
        "testimonies.testimony",
        "media.mediafile",
        "petitions.petition",
        "core.auditentry",
        "search.namekey",
        "contenttypes.contenttype",
    ):
        assert tables[label]["source"] == tables[label]["target"], label
        assert tables[label]["target"]["rows"] > 0, label
    assert tables["people.person"]["target"]["rows"] == 3
    assert "sessions.session" not in tables
    assert report["media"]["target"]["files"] == 1 and report["media"]["missing"] == []
    assert report["media_copied"] == 1 and report["media_key"] == "written"
    assert key_file.stat().st_mode & 0o777 == 0o600

    # The PostgreSQL instance: its records, its media folder, its key file, no SQLCipher key.
    with move.target_alias(target_url):
        names = set(Person.objects.using(move.TARGET).values_list("primary_name", flat=True))
        counters = dict(Sequence.objects.using(move.TARGET).values_list("name", "last_value"))
        sha = MediaFile.objects.using(move.TARGET).get().sha256
    assert "Серік Оспанұлы" in names
    assert counters["person.entry_no"] >= 3 and counters["testimony.number"] >= 2
    monkeypatch.delenv("AIGAQ_DB_KEY")
    monkeypatch.setenv("AIGAQ_DB_KEY_FILE", str(key_file))
    settings.MEDIA_ROOT = str(media_to)
    with storage.open_original(sha) as reader:
        assert b"".join(reader.iter_range(0, None)) == laptop["payload"]

    # The server's own `aigaq media verify` decrypts and re-hashes it.
    env = {k: v for k, v in os.environ.items() if k != "AIGAQ_DB_KEY"}
    env.update(
        DATABASE_URL=target_url,
        AIGAQ_DATA_DIR=str(media_to.parent),
        AIGAQ_DB_KEY_FILE=str(key_file),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    verify = subprocess.run(
        [sys.executable, "-m", "aigaq.cli", "media", "verify", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert json.loads(verify.stdout)["ok"] == 1


@sqlcipher_source
def test_an_interrupted_move_run_again_completes_with_equal_results(
    laptop: dict[str, Any],
    target_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    media_to, key_file = server_paths(tmp_path)
    finished: list[str] = []

    def interrupt(event: str, label: str) -> None:
        if event == "table":
            finished.append(label)
            if len(finished) == 2:
                raise KeyboardInterrupt  # the operator's Ctrl-C, after the second table

    monkeypatch.setattr(move, "checkpoint", interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_move(target_url, "--media-to", str(media_to), "--batch", "2")
    with move.target_alias(target_url):
        assert move._progress_get("table", finished[1])[2]  # committed before the stop
        assert move._progress_get("table", "people.person") is None  # not reached yet

    # Then one interruption in the middle of a table, after its first batch.
    def in_the_middle(event: str, label: str) -> None:
        if event == "batch" and label == "people.personname":
            raise KeyboardInterrupt

    monkeypatch.setattr(move, "checkpoint", in_the_middle)
    with pytest.raises(KeyboardInterrupt):
        run_move(target_url, "--media-to", str(media_to), "--batch", "2")
    with move.target_alias(target_url):
        value, rows, done = move._progress_get("table", "people.personname")
        assert rows == 2 and not done

    monkeypatch.setattr(move, "checkpoint", lambda event, label: None)
    report = run_move(target_url, "--media-to", str(media_to), "--media-key-file", str(key_file))

    assert report["resumed"] and report["ok"], report["differences"]
    assert all(t["equal"] for t in report["tables"])
    names = {t["model"]: t for t in report["tables"]}["people.personname"]
    assert names["target"]["rows"] == names["source"]["rows"] >= 5

    again = run_move(target_url, "--media-to", str(media_to))  # a finished move: compared again
    assert again["ok"] and again["media_kept"] == 1 and again["media_copied"] == 0

    # A row changed on the server since: the comparison names its table, the exit is non-zero.
    with move.target_alias(target_url):
        Person.objects.using(move.TARGET).filter(primary_name="Memet Tursun").update(
            primary_name="Memet Tursun (changed on the server)"
        )
    out = io.StringIO()
    with pytest.raises(CommandError, match="differs from this instance: people.person"):
        call_command("migrate-to", target_url, "--media-to", str(media_to), stdout=out)
    assert "DIFFERENT" in out.getvalue()


@sqlcipher_source
def test_a_database_holding_other_tables_is_refused_and_left_as_it_was(
    laptop: dict[str, Any], target_url: str
) -> None:
    import psycopg

    with psycopg.connect(target_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE accounts (id int PRIMARY KEY, owner text)")
        conn.execute("INSERT INTO accounts VALUES (1, 'someone else')")

    with pytest.raises(CommandError, match="not empty"):
        call_command("migrate-to", target_url, stdout=io.StringIO(), stderr=io.StringIO())

    with psycopg.connect(target_url) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        assert tables == ["accounts"]
        assert conn.execute("SELECT owner FROM accounts").fetchone() == ("someone else",)


@sqlcipher_source
def test_bad_targets_and_a_foreign_key_file_are_refused_with_a_sentence(
    laptop: dict[str, Any], target_url: str, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="PostgreSQL address"):
        call_command("migrate-to", "mysql://x@localhost/db", stdout=io.StringIO())
    with pytest.raises(CommandError, match="maintenance database"):
        call_command("migrate-to", f"{SERVER}/postgres", stdout=io.StringIO())
    other = tmp_path / "other_key"
    other.write_text("cd" * 32 + "\n")
    with pytest.raises(CommandError, match="holds another key"):
        call_command("migrate-to", target_url, "--media-key-file", str(other), stdout=io.StringIO())
    inside = laptop["folder"] / "key"
    with pytest.raises(CommandError, match="inside the data folder"):
        call_command(
            "migrate-to",
            target_url,
            "--media-to",
            str(laptop["folder"] / "media"),
            "--media-key-file",
            str(inside),
            stdout=io.StringIO(),
        )
    import psycopg

    with psycopg.connect(target_url) as conn:  # nothing was written by any of them
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone() == (0,)


def test_a_passphrase_key_gives_the_server_a_key_file_with_the_same_media_keys(
    tmp_path: Path,
) -> None:
    from aigaq.media.keys import derive_media_keys

    path = tmp_path / "server_key"
    assert move.media_key_write(path, "a long laptop passphrase", []) == "written"
    written = path.read_text().strip()
    assert len(written) == 64 and "passphrase" not in written
    assert derive_media_keys(written) == derive_media_keys("a long laptop passphrase")
    assert move.media_key_write(path, "a long laptop passphrase", []) == "kept"


def test_every_model_is_copied_after_the_models_it_points_to() -> None:
    order = [m._meta.label_lower for m in move.copied_models()]
    assert "sessions.session" not in order
    seen: set[str] = set()
    for model in move.copied_models():
        for f in model._meta.concrete_fields:
            related = f.related_model
            if isinstance(related, type) and related is not model:
                assert related._meta.label_lower in seen, (model, related)
        seen.add(model._meta.label_lower)
    assert "core.auditentry" in order and "search.namekey" in order
