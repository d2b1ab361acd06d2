"""What a backup holds, and how a restored copy is read back (docs/backup.md).

A snapshot in a restic repository has two folders, as the data folder has them:

* `media/`: the media folder as it is (originals and renditions, already sealed with the media
  key; restic sends only the files the repository does not have yet);
* `.backup/`: the database and `manifest.json`. On SQLCipher the database is a consistent copy
  made by `sqlcipher_export` inside one read transaction, still encrypted with the database
  key; on PostgreSQL it is `pg_dump -Fc` taken from an exported snapshot, sealed with the media
  key as it streams (the dump is never a clear file in the data folder). The manifest holds
  the number of records of every model, counted in the same transaction as the copy.

The restored copy is read with `counts_of` and `media_check`, so that `aigaq backup verify` and
`aigaq restore` judge a copy the same way.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.utils import timezone

from aigaq.core import keys as core_keys
from aigaq.media.crypto import SealedError, SealedReader, SealedWriter
from aigaq.media.encrypt_existing import sealed_path
from aigaq.media.keys import derive_media_keys
from aigaq.media.objects import is_folder, object_store
from aigaq.media.storage import object_name, open_sealed

FORMAT = "aigaq-backup 1"
STAGE = ".backup"
MEDIA = "media"
MANIFEST = "manifest.json"
SQLCIPHER_FILE = "aigaq.db"
PG_FILE = "aigaq.pgdump.sealed"
SQLCIPHER, POSTGRESQL = "sqlcipher", "postgresql"
#: Work files of the media folder that a backup leaves out (half-written, resumable uploads).
EXCLUDE = [".sealing-*", ".incoming-*", ".encrypt-existing*", f"{MEDIA}/uploads"]
CHUNK = 1024 * 1024


class SnapshotError(Exception):
    """A snapshot could not be made or read; one sentence."""


class StageDiskFull(SnapshotError):
    """The data folder's disk filled while the database copy was written."""


def engine_of(database: dict[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("postgresql"):
        return POSTGRESQL
    if engine.endswith("sqlcipher"):
        return SQLCIPHER
    raise SnapshotError(f"Backups support SQLCipher and PostgreSQL, not {engine}.")


def model_tables() -> dict[str, str]:
    """Every model's table, by the model's label (`people.Person`): what verify counts."""
    tables: dict[str, str] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            tables[meta.label] = meta.db_table
    return dict(sorted(tables.items()))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_tables(cursor: Any, existing: set[str]) -> dict[str, int]:
    counts = {}
    for label, table in model_tables().items():
        if table in existing:
            cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 - our tables
            counts[label] = int(cursor.fetchone()[0])
    return counts


# --- SQLCipher -------------------------------------------------------------------------------


def _attach_key(key: str) -> str:
    return f"x'{key.lower()}'" if core_keys.HEX_KEY.match(key) else key


def _sqlcipher_open(path: Path, key: str) -> Any:
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(core_keys.pragma_key(key))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError:
        conn.close()
        raise SnapshotError(
            f"The database {path.name} does not open with this installation's database key: "
            "the backup was made under another key."
        ) from None
    return conn


def _sqlite_tables(conn: Any) -> set[str]:
    rows = conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
    return {r[0] for r in rows}


def sqlcipher_copy(source: Path, target: Path, key: str) -> dict[str, int]:
    """A consistent copy of the live database into `target` (encrypted with the same key),
    and the record counts read in the same read transaction."""
    conn = _sqlcipher_open(source, key)
    try:
        conn.execute("ATTACH DATABASE ? AS backup KEY ?", (str(target), _attach_key(key)))
        conn.execute("BEGIN")
        try:
            cursor = conn.cursor()
            counts = _count_tables(cursor, _sqlite_tables(conn))
            conn.execute("SELECT sqlcipher_export('backup')")
        finally:
            conn.execute("COMMIT")
        conn.execute("DETACH DATABASE backup")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StageDiskFull(str(exc)) from None
        raise
    except Exception as exc:
        if "full" in str(exc).lower():
            raise StageDiskFull(str(exc)) from None
        raise
    finally:
        conn.close()
    return counts


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_args(database: dict[str, Any], name: str | None = None) -> tuple[list[str], dict[str, str]]:
    args = []
    env = dict(os.environ)
    if database.get("HOST"):
        args += ["-h", str(database["HOST"])]
    if database.get("PORT"):
        args += ["-p", str(database["PORT"])]
    if database.get("USER"):
        args += ["-U", str(database["USER"])]
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    args += ["-d", str(name or database["NAME"])]
    return args, env


def pg_connect(database: dict[str, Any], name: str | None = None, autocommit: bool = False) -> Any:
    import psycopg

    params: dict[str, Any] = {"dbname": name or database["NAME"]}
    for key, param in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if database.get(key):
            params[param] = database[key]
    return psycopg.connect(**params, autocommit=autocommit)


def _pg_tables(conn: Any) -> set[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchall()
    return {r[0] for r in rows}


def pg_copy(database: dict[str, Any], target: Path, key: bytes) -> dict[str, int]:
    """`pg_dump -Fc` from a snapshot exported by a repeatable-read transaction (the record
    counts are read in that transaction), sealed as it streams into `target`."""
    import psycopg

    conn = pg_connect(database)
    try:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = _count_tables(conn.cursor(), _pg_tables(conn))
        args, env = _pg_args(database)
        dump = subprocess.Popen(
            ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert dump.stdout is not None
        try:
            with target.open("wb") as out:
                writer = SealedWriter(out, key)
                while chunk := dump.stdout.read(CHUNK):
                    writer.write(chunk)
                writer.close()
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            dump.kill()
            dump.wait()
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StageDiskFull(str(exc)) from None
            raise
        _out, err = dump.communicate()
        if dump.returncode != 0:
            raise SnapshotError("pg_dump failed: " + err.decode("utf-8", "replace").strip()[-300:])
    finally:
        conn.rollback()
        conn.close()
    return counts


def pg_restore(sealed: Path, database: dict[str, Any], key: bytes, name: str | None = None) -> None:
    """Unseal the dump and feed it to `pg_restore` in one transaction (all or nothing)."""
    args, env = _pg_args(database, name)
    restore = subprocess.Popen(
        ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        + args,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert restore.stdin is not None
    try:
        with SealedReader.open(sealed, key) as reader:
            for chunk in reader.iter_range(0, None):
                restore.stdin.write(chunk)
        restore.stdin.close()
    except BrokenPipeError:
        pass
    except SealedError:
        restore.kill()
        restore.wait()
        raise SnapshotError(
            "The database dump in the backup does not open with this installation's key."
        ) from None
    err = restore.stderr.read() if restore.stderr else b""
    restore.wait()
    if restore.returncode != 0:
        raise SnapshotError("pg_restore failed: " + err.decode("utf-8", "replace").strip()[-300:])


def pg_is_empty(database: dict[str, Any], name: str | None = None) -> bool:
    with pg_connect(database, name) as conn:
        return not _pg_tables(conn)


@contextlib.contextmanager
def pg_scratch_database(database: dict[str, Any]) -> Iterator[str]:
    """A new, empty database beside `database` for a verification, dropped afterwards."""
    name = f"aigaq_verify_{uuid.uuid4().hex[:12]}"
    with pg_connect(database, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield name
    finally:
        with pg_connect(database, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- the stage and the manifest --------------------------------------------------------------


def stage_write(*, stage: Path, database: dict[str, Any], key: str) -> dict[str, Any]:
    """Write the database copy and the manifest into the (empty) stage folder."""
    engine = engine_of(database)
    stage.mkdir(mode=0o700)
    if engine == SQLCIPHER:
        counts = sqlcipher_copy(Path(str(database["NAME"])), stage / SQLCIPHER_FILE, key)
        db_file = SQLCIPHER_FILE
    else:
        counts = pg_copy(database, stage / PG_FILE, derive_media_keys(key).encryption)
        db_file = PG_FILE
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "database": db_file,
        "created_at": timezone.now().isoformat(),
        "counts": counts,
    }
    try:
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StageDiskFull(str(exc)) from None
        raise
    return manifest


def stage_remove(stage: Path) -> None:
    shutil.rmtree(stage, ignore_errors=True)


def manifest_read(stage: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((stage / MANIFEST).read_text())
    except (OSError, ValueError):
        raise SnapshotError(
            "The snapshot has no readable manifest: it is not an Aigaq backup."
        ) from None
    if manifest.get("format") != FORMAT:
        raise SnapshotError(f"Unknown backup format: {manifest.get('format')!r}.")
    return dict(manifest)


# --- reading a restored copy -----------------------------------------------------------------


def counts_of_sqlcipher(path: Path, key: str) -> dict[str, int]:
    conn = _sqlcipher_open(path, key)
    try:
        return _count_tables(conn.cursor(), _sqlite_tables(conn))
    finally:
        conn.close()


def media_hashes_sqlcipher(path: Path, key: str) -> list[str]:
    conn = _sqlcipher_open(path, key)
    try:
        return [r[0] for r in conn.execute("SELECT sha256 FROM media_mediafile ORDER BY sha256")]
    finally:
        conn.close()


def counts_of_pg(database: dict[str, Any], name: str) -> dict[str, int]:
    with pg_connect(database, name) as conn:
        return _count_tables(conn.cursor(), _pg_tables(conn))


def media_hashes_pg(database: dict[str, Any], name: str) -> list[str]:
    with pg_connect(database, name) as conn:
        rows = conn.execute("SELECT sha256 FROM media_mediafile ORDER BY sha256").fetchall()
        return [r[0] for r in rows]


@dataclass
class MediaReport:
    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered


def media_check(media_root: Path, hashes: list[str], key: str) -> MediaReport:
    """Every original a restored database names, decrypted and hashed in the restored media
    folder (sealed under its keyed name, or clear as an older Aigaq kept it). With the media in
    an S3 bucket (AIGAQ_MEDIA_STORAGE=s3) a backup holds no media: each original is read from
    the bucket instead, through the archive's store, with the restored database's key."""
    keys = derive_media_keys(key)
    originals = media_root / "originals"
    report = MediaReport()
    bucket = None if is_folder() else object_store()
    for sha in hashes:
        report.checked += 1
        sealed = sealed_path(sha, keys, originals)
        clear = originals / sha[:2] / sha[2:4] / sha
        digest = hashlib.sha256()
        try:
            if bucket is not None:
                try:
                    reader = open_sealed(bucket, object_name(sha, keys), keys.encryption)
                except FileNotFoundError:
                    report.missing.append(sha)
                    continue
                with reader:
                    for chunk in reader.iter_range(0, None):
                        digest.update(chunk)
            elif sealed.exists():
                with SealedReader.open(sealed, keys.encryption) as reader:
                    for chunk in reader.iter_range(0, None):
                        digest.update(chunk)
            elif clear.exists():
                with clear.open("rb") as fh:
                    while chunk := fh.read(CHUNK):
                        digest.update(chunk)
            else:
                report.missing.append(sha)
                continue
        except SealedError:
            report.altered.append(sha)
            continue
        if digest.hexdigest() != sha:
            report.altered.append(sha)
    return report


def count_differences(expected: dict[str, int], found: dict[str, int]) -> dict[str, list[int]]:
    """{label: [expected, found]} for every model whose count differs."""
    labels = sorted(set(expected) | set(found))
    return {
        label: [expected.get(label, 0), found.get(label, 0)]
        for label in labels
        if expected.get(label, 0) != found.get(label, 0)
    }
