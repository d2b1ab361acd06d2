"""Backup → wipe → restore → compare, on SQLCipher and on PostgreSQL (whichever the run uses),
to a local folder and to a real SFTP server on loopback (tests/backup/conftest.py)."""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from aigaq.backups import restic, snapshot
from aigaq.backups.models import BackupDestination
from aigaq.backups.services import (
    BackupRefused,
    backup_restore,
    backup_run,
    backup_verify,
    destination_add,
)
from aigaq.media import storage
from tests import factories
from tests.backup.conftest import add_media

pytestmark = pytest.mark.timeout(600)


def live_counts() -> dict[str, int]:
    """The number of records of every model, read through Django."""
    counts = {}
    for label in snapshot.model_tables():
        model = apps.get_model(label)
        counts[label] = model._base_manager.count()
    return counts


def some_records() -> None:
    people = [factories.person(f"Тест Адам {i}") for i in range(3)]
    factories.testimony(*people[:2])


@contextlib.contextmanager
def fresh_target(tmp_path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """An empty data folder and, on PostgreSQL, a new empty database of the test's own."""
    folder = tmp_path / "restored"
    database = dict(connection.settings_dict)
    if connection.vendor != "postgresql":
        database["NAME"] = str(folder / "aigaq.db")
        yield folder, database
        return
    name = f"{database['NAME']}_restored_{uuid.uuid4().hex[:6]}"
    with snapshot.pg_connect(database, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    database["NAME"] = name
    try:
        yield folder, database
    finally:
        with snapshot.pg_connect(dict(connection.settings_dict), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def restored_counts(database: dict[str, Any]) -> dict[str, int]:
    if connection.vendor == "postgresql":
        return snapshot.counts_of_pg(database, str(database["NAME"]))
    from aigaq.core import keys

    return snapshot.counts_of_sqlcipher(Path(database["NAME"]), keys.load_key())


def test_backup_to_a_folder_and_to_sftp_then_wipe_and_restore_gives_every_record_and_file(
    transactional_db: Any, data_folder: Path, sftp_server: Any, tmp_path: Path
) -> None:
    some_records()
    media = add_media(3)
    destination_add(actor=None, name="usb", url=str(tmp_path / "usb-repo"))
    destination_add(actor=None, name="office", url=sftp_server.url_of("aigaq"))
    expected = live_counts()  # (the backup then records its outcome: two audit entries)

    report = backup_run()

    assert report.ok, report.as_dict()
    assert [s.destination for s in report.sent] == ["office", "usb"]
    assert all(s.initialized and s.files_new >= 3 for s in report.sent)
    for destination in BackupDestination.objects.all():
        assert destination.last_ok_at is not None and destination.last_snapshot
    assert (sftp_server.root / "aigaq" / "config").exists()  # really over SFTP
    assert expected["people.Person"] == 3 and expected["media.MediaFile"] == 3

    shutil.rmtree(data_folder / "media")  # the wipe: the originals are gone from here
    for source in ("usb", "office"):
        assert backup_verify(source=source).ok
    with fresh_target(tmp_path) as (folder, database):
        result = backup_restore(
            source=sftp_server.url_of("aigaq"), folder=folder, database=database
        )
        assert result.ok, result.as_dict()
        assert result.media_checked == 3
        assert restored_counts(database) == expected
        originals = folder / "media" / "originals"
        for m in media:
            assert storage.path_for(m.sha256).relative_to(data_folder / "media" / "originals")
            restored = originals / storage.path_for(m.sha256).relative_to(
                data_folder / "media" / "originals"
            )
            assert restored.exists()
        assert not (folder / snapshot.STAGE).exists()


def test_a_second_backup_sends_only_the_new_media(
    transactional_db: Any, data_folder: Path, tmp_path: Path
) -> None:
    add_media(3)
    repo = str(tmp_path / "repo")
    first = backup_run(to=[repo])
    add_media(1)

    second = backup_run(to=[repo])

    assert first.sent[0].files_new >= 3
    # The new original is the only new file: the database copy and manifest are changed
    # files, the three earlier originals unmodified.
    assert second.sent[0].files_new == 1
    assert second.sent[0].files_unmodified >= 3


def test_restore_into_a_folder_that_is_not_empty_is_refused_and_changes_nothing(
    transactional_db: Any, data_folder: Path, tmp_path: Path
) -> None:
    add_media(1)
    repo = str(tmp_path / "repo")
    assert backup_run(to=[repo]).ok
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    database = dict(connection.settings_dict)
    if connection.vendor != "postgresql":
        database["NAME"] = str(folder / "aigaq.db")

    with pytest.raises(BackupRefused, match="not empty"):
        backup_restore(source=repo, folder=folder, database=database)

    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine"


def test_restore_into_a_database_that_is_not_empty_is_refused(
    transactional_db: Any, data_folder: Path, tmp_path: Path
) -> None:
    repo = str(tmp_path / "repo")
    assert backup_run(to=[repo]).ok
    # The live database is not empty: a restore never goes over it.
    with pytest.raises(BackupRefused):
        backup_restore(
            source=repo, folder=tmp_path / "empty", database=dict(connection.settings_dict)
        )
    assert not (tmp_path / "empty").exists() or not any((tmp_path / "empty").iterdir())


def test_verify_finds_a_missing_original_and_exits_non_zero(
    transactional_db: Any, data_folder: Path, tmp_path: Path, capsys: Any
) -> None:
    media = add_media(2)
    storage.remove(media[0].sha256)  # lost before the backup was taken
    repo = str(tmp_path / "repo")
    backup_run(to=[repo])

    report = backup_verify(source=repo)
    assert not report.ok
    assert report.media_missing == [media[0].sha256]

    with pytest.raises(CommandError) as failed:
        call_command("backup", "verify", "--from", repo)
    assert failed.value.returncode == 1
    assert media[0].sha256 in capsys.readouterr().out


def test_commands_configure_destinations_and_back_up_with_json(
    transactional_db: Any, data_folder: Path, tmp_path: Path, capsys: Any
) -> None:
    import json

    call_command("backup", "destination", "add", "usb", str(tmp_path / "usb"))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "destination", "add", "usb", str(tmp_path / "other"))
    with pytest.raises(CommandError, match="not a backup destination"):
        call_command("backup", "destination", "add", "bad", "relative/folder")
    capsys.readouterr()

    call_command("backup", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["destinations"][0]["destination"] == "usb"

    call_command("backup", "destination", "list", "--json")
    (row,) = json.loads(capsys.readouterr().out)
    assert row["name"] == "usb" and row["last_ok_at"] and not row["last_error"]

    call_command("backup", "destination", "remove", "usb")
    assert not BackupDestination.objects.exists()
    assert (tmp_path / "usb" / "config").exists()  # the repository itself is kept


def test_the_repository_password_is_derived_and_never_on_restics_command_line(
    transactional_db: Any, data_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aigaq.core import keys

    key = keys.load_key()
    password = restic.repository_password(key)
    assert password == restic.repository_password(key)
    assert password != key and key not in password
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_run = restic.subprocess.run

    def spy(command: list[str], **kwargs: Any) -> Any:
        seen.append((command, kwargs["env"]))
        return real_run(command, **kwargs)

    monkeypatch.setattr(restic.subprocess, "run", spy)
    assert backup_run(to=[str(tmp_path / "repo")]).ok
    assert seen
    for command, env in seen:
        assert password not in " ".join(command) and key not in " ".join(command)
        assert env["RESTIC_PASSWORD"] == password
        assert "AIGAQ_DB_KEY" not in env
