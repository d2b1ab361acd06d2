"""`aigaq key rotate`: a new database key, and every media file sealed again under the media
keys derived from it (docs/decisions/0010-key-custody.md: the media keep being derived from the
database key, so a rotation after a leaked key or share leaves nothing under the old key).

Steps, each one safe to run again; a journal in the data folder (`key-rotation.json`, key
fingerprints only) says a rotation is under way, and `aigaq key rotate` run again after an
interruption resumes it where it stopped:

1. the new key is written beside the key file (`key.new`, mode 0600, outside the data folder);
2. every sealed file is sealed again under the new media keys: originals and renditions under
   their new keyed names (the old copies stay until step 5), other sealed files (upload parts)
   replaced in place, atomically;
3. SQLCipher: `PRAGMA rekey` (atomic: the database opens with the old key or the new one);
   PostgreSQL has no database key (the key file serves the media alone);
4. the new key replaces the key file (an atomic rename);
5. the old media copies, `key.new`, the shares record (old shares no longer fit) and the
   journal are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.db import connections

from aigaq.core import keys
from aigaq.custody.shares import CustodyError, shares_record_path
from aigaq.media.crypto import MAGIC, SealedError, SealedReader, SealedWriter, SealedWrongKey
from aigaq.media.keys import MediaKeys, derive_media_keys, disk_name
from aigaq.media.objects import is_folder

JOURNAL = "key-rotation.json"
NAMED = re.compile(r"[0-9a-f]{64}\.sealed")
TMP_PREFIX = ".rotating-"


class RotationError(CustodyError):
    """A rotation cannot start or go on; the sentence says what to do."""


def fingerprint(key: str) -> str:
    return hashlib.sha256(b"aigaq rotation v1\0" + key.encode("utf-8")).hexdigest()[:16]


def journal_path() -> Path:
    return keys.data_dir() / JOURNAL


def between(step: str) -> None:
    """Called after each step (tests inject an interruption here)."""


def _named_roots() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [media / "originals", media / "renditions"]


def _sealed_files() -> Iterator[tuple[Path, Path | None]]:
    """Every sealed file of the installation: (path, the root it is named under or None)."""
    seen: set[Path] = set()
    roots = _named_roots()
    for top in (Path(settings.MEDIA_ROOT), keys.data_dir()):
        if not top.is_dir():
            continue
        for path in sorted(top.rglob("*")):
            if path in seen or not path.is_file() or path.name.startswith(TMP_PREFIX):
                continue
            seen.add(path)
            try:
                with open(path, "rb") as fh:
                    if fh.read(len(MAGIC)) != MAGIC:
                        continue
            except OSError:
                continue
            named = next(
                (r for r in roots if path.parent.parent.parent == r and NAMED.fullmatch(path.name)),
                None,
            )
            yield path, named


def _opens_with(path: Path, media: MediaKeys) -> bool | None:
    """True: sealed with these keys; False: with others; None: damaged (left alone)."""
    try:
        SealedReader.open(path, media.encryption).close()
    except SealedWrongKey:
        return False
    except SealedError:
        return None
    return True


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reseal(path: Path, named: Path | None, old: MediaKeys, new: MediaKeys) -> None:
    folder = named if named is not None else path.parent
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=TMP_PREFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, SealedReader.open(path, old.encryption) as reader:
            writer = SealedWriter(out, new.encryption)
            for chunk in reader.iter_range(0):
                writer.write(chunk)
            result = writer.close()
            out.flush()
            os.fsync(out.fileno())
        if named is None:
            dest = path
        else:
            name = disk_name(result.sha256, new)
            dest = named / name[:2] / name[2:4] / (name + ".sealed")
            dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _database() -> Path | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "aigaq.core.db.sqlcipher":
        return None
    return Path(str(db["NAME"]))


def _opens_database(database: Path, key: str) -> bool:
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(database))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(keys.pragma_key(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()


def _rekey(database: Path, old: str, new: str) -> None:
    from sqlcipher3 import dbapi2 as sqlcipher

    if _opens_database(database, new):
        return
    conn = sqlcipher.connect(str(database), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(keys.pragma_key(old))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(_rekey_statement(new))
    finally:
        conn.close()
    if not _opens_database(database, new):
        raise RotationError(
            f"The database {database} did not take the new key; it still opens with the old "
            "one. Run `aigaq key rotate` again."
        )


def _rekey_statement(key: str) -> str:
    return keys.pragma_key(key).replace("PRAGMA key", "PRAGMA rekey", 1)


def rotate(*, progress: Callable[[str], None] = lambda line: None) -> None:
    """Rotate the database key, or finish a rotation that was interrupted."""
    source = keys.key_source()
    if source.path is None:
        raise RotationError(
            "The key comes from the environment variable AIGAQ_DB_KEY: rotate it where it is "
            "set, or use a key file (AIGAQ_DB_KEY_FILE or ~/.config/aigaq/key)."
        )
    if keys.is_locked():
        raise RotationError("This installation is locked: run `aigaq unlock` first.")
    if not is_folder():
        raise RotationError(
            "The media are kept in an S3 bucket (AIGAQ_MEDIA_STORAGE=s3): a key rotation re-seals "
            "the media files in place, which Aigaq does only in a media folder. Nothing was "
            'changed (docs/deploy.md, "Media on shared storage").'
        )
    running = keys.registered_processes()
    if running:
        names = ", ".join(f"aigaq {kind} (process {pid})" for kind, pid in running)
        raise RotationError(f"Stop {names} first: they hold the old key. Nothing was changed.")
    key_file = source.path
    new_file = key_file.with_name(key_file.name + ".new")
    current = keys.load_key(source, keys.data_dir())
    journal = journal_path()
    state = json.loads(journal.read_text(encoding="utf-8")) if journal.exists() else None

    if state is None:
        new_key = secrets.token_hex(32)
        _write_private(new_file, new_key + "\n")
        state = {"old": fingerprint(current), "new": fingerprint(new_key)}
        journal.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_private(journal, json.dumps(state))
        progress("Rotation started: a new key is ready beside the old one.")
    else:
        progress("Resuming the key rotation that was interrupted.")
        if new_file.exists():
            new_key = new_file.read_text(encoding="utf-8").strip()
        elif fingerprint(current) == state["new"]:
            new_key = current
        else:
            raise RotationError(
                f"A key rotation was interrupted but its new key ({new_file}) is missing; the "
                f"old key still works: remove {journal} to start afresh."
            )
        if fingerprint(new_key) != state["new"]:
            raise RotationError(f"{new_file} is not the key this rotation began with.")
    old_key = current if fingerprint(current) == state["old"] else None
    new_media = derive_media_keys(new_key)
    connections.close_all()

    # 2. The media, sealed again (skipped once the key file holds the new key: done then).
    if old_key is not None:
        old_media = derive_media_keys(old_key)
        done = 0
        for path, named in list(_sealed_files()):
            if _opens_with(path, old_media):
                _reseal(path, named, old_media, new_media)
                done += 1
        progress(f"Media sealed again under the new key: {done} files.")
    between("resealed")

    # 3. The database.
    database = _database()
    if database is not None and keys.database_exists(database):
        if old_key is None:
            if not _opens_database(database, new_key):
                raise RotationError(f"The database {database} opens with neither key.")
        else:
            _rekey(database, old_key, new_key)
        progress("Database re-keyed.")
    between("rekeyed")

    # 4. The key file.
    if fingerprint(current) != state["new"]:
        _write_private(key_file, new_key + "\n")
        progress(f"New key written to {key_file}.")
    between("installed")

    # 5. What the old key sealed, and the rotation's own files.
    removed = 0
    for path, named in list(_sealed_files()):
        if named is not None and _opens_with(path, new_media) is False:
            path.unlink()
            removed += 1
            with contextlib.suppress(OSError):
                path.parent.rmdir()
                path.parent.parent.rmdir()
    for root in _named_roots():
        for tmp in root.rglob(f"{TMP_PREFIX}*") if root.is_dir() else []:
            tmp.unlink(missing_ok=True)
    progress(f"Old media copies removed: {removed} files.")
    new_file.unlink(missing_ok=True)
    shares_record_path().unlink(missing_ok=True)
    journal.unlink()
