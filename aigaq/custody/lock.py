"""`aigaq lock` and `aigaq unlock`: the key leaves the machine in one step, and comes back from
shares (docs/security.md, "Keys").

The lock removes the key file (overwritten first, then unlinked), writes the LOCKED marker in
the data folder and stops the Aigaq processes that hold the key in memory (`aigaq serve`,
`aigaq worker`: their pid files in DATA_DIR/run/). After it the data folder holds only
ciphertext: the SQLCipher database and sealed media. The unlock rebuilds the key from shares,
checks that it opens the database (and the media archive) before writing anything, and puts
the key file back where `aigaq init` keeps it.
"""

from __future__ import annotations

import os
import secrets
import signal
import stat
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from aigaq.core import audit, keys, permissions
from aigaq.core.models import AuditEntry
from aigaq.custody.shares import (
    CustodyError,
    key_check,
    shares_combine,
    shares_exist_for,
    shares_record,
)

STOP_SECONDS = 10
SELF_STOP_SECONDS = 2


@dataclass
class LockResult:
    key_file: Path | None
    stopped: list[tuple[str, int]] = field(default_factory=list)
    killed: list[tuple[str, int]] = field(default_factory=list)


def _key_file() -> Path:
    source = keys.key_source()
    if source.path is None:
        raise CustodyError(
            "The key comes from the environment variable AIGAQ_DB_KEY, which `aigaq lock` "
            "cannot take out of the service that sets it: use a key file (AIGAQ_DB_KEY_FILE or "
            "~/.config/aigaq/key) on a machine that may have to be locked."
        )
    return source.path


def lock_check(*, i_have_the_key: bool = False) -> Path:
    """What a lock would remove, or the reason it is refused (nothing changed)."""
    path = _key_file()
    if not path.exists():
        raise CustodyError(f"Already locked: there is no key file at {path}.")
    key = keys.load_key(keys.key_source(), keys.data_dir())
    if not i_have_the_key and not (keys.HEX_KEY.match(key) and shares_exist_for(key)):
        raise CustodyError(
            "No key shares have been made for this key: after the lock the data could never be "
            "opened again. Run `aigaq key shares --split 3 --threshold 2` first and hand the "
            "shares out, or add --i-have-the-key if a copy of the key is kept elsewhere."
        )
    return path


def _shred(path: Path) -> None:
    """Overwrite the key file before unlinking it (a best effort on an SSD or a journalling
    file system: docs/security.md says so), then make the removal durable."""
    try:
        size = path.stat().st_size
        with open(path, "r+b", buffering=0) as fh:
            fh.write(secrets.token_bytes(max(size, 64)))
            os.fsync(fh.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)
    try:
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def stop_processes(*, exclude: int | None = None, wait: float = STOP_SECONDS) -> LockResult:
    """SIGTERM to every registered Aigaq process (a server stops its worker too), SIGKILL to
    any still running after ``wait`` seconds."""
    result = LockResult(key_file=None)
    targets = [(k, p) for k, p in keys.registered_processes() if p != exclude]
    for kind, pid in targets:
        try:
            os.kill(pid, signal.SIGTERM)
            result.stopped.append((kind, pid))
        except ProcessLookupError:
            continue
    deadline = time.monotonic() + wait
    alive = list(result.stopped)
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [(k, p) for k, p in alive if _running(p)]
    for kind, pid in alive:
        try:
            os.kill(pid, signal.SIGKILL)
            result.killed.append((kind, pid))
        except ProcessLookupError:
            pass
    for _kind, pid in result.stopped:
        for path in keys.run_dir().glob(f"*-{pid}.pid"):
            path.unlink(missing_ok=True)
    return result


def _running(pid: int) -> bool:
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)  # our own child: reap it
        if done:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie holds no key: it has exited
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def lock(
    *, i_have_the_key: bool = False, stop: bool = True, exclude: int | None = None
) -> LockResult:
    """Remove the key from this machine, mark the data folder locked, stop the processes that
    hold the key. The key file goes first: it is what a seizure must not find."""
    path = lock_check(i_have_the_key=i_have_the_key)
    marker = keys.lock_marker()
    marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    marker.write_text("locked: run `aigaq unlock` with two key shares\n", encoding="utf-8")
    _shred(path)
    result = stop_processes(exclude=exclude) if stop else LockResult(key_file=None)
    result.key_file = path
    return result


def instance_lock(*, actor: Any, i_have_the_key: bool = False) -> LockResult:
    """The staff interface's lock button: capability checked, audited (while the database
    still opens), then `lock`. The other Aigaq processes are stopped at once; this one, when it
    is `aigaq serve`, stops itself a moment later, after answering with the "locked" page
    (until then LockedMiddleware answers every request with it)."""
    permissions.check(actor, "instance.lock")
    lock_check(i_have_the_key=i_have_the_key)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=actor,
            changes={"locked": [False, True]},
            note="locked this installation: key removed from the machine, serving stopped",
            label="Aigaq installation",
        )
    own = os.getpid()
    result = lock(i_have_the_key=i_have_the_key, exclude=own)
    if any(pid == own for _kind, pid in keys.registered_processes()):
        timer = threading.Timer(SELF_STOP_SECONDS, os.kill, args=(own, signal.SIGTERM))
        timer.daemon = True
        timer.start()
    return result


def key_opens_data(key: str) -> None:
    """Raise CustodyError unless ``key`` opens this installation's database (SQLCipher) and
    its sealed media. Reads only."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "aigaq.core.db.sqlcipher":
        database = Path(str(db["NAME"]))
        if keys.database_exists(database):
            from sqlcipher3 import dbapi2 as sqlcipher

            conn = sqlcipher.connect(f"file:{database}?mode=ro", uri=True)
            try:
                conn.execute("PRAGMA cipher_log_level = NONE")
                conn.execute(keys.pragma_key(key))
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher.DatabaseError:
                raise CustodyError(
                    f"The key rebuilt from these shares does not open the database {database}: "
                    "the shares belong to another installation or to a key replaced since. "
                    "Nothing was written."
                ) from None
            finally:
                conn.close()
    from aigaq.media.crypto import SealedError, SealedReader, SealedWrongKey
    from aigaq.media.keys import derive_media_keys

    media_key = derive_media_keys(key).encryption
    for path in Path(settings.MEDIA_ROOT).rglob("*.sealed"):
        try:
            SealedReader.open(path, media_key).close()
        except SealedWrongKey:
            raise CustodyError(
                "The key rebuilt from these shares does not open the media archive: the shares "
                "belong to another installation or to a key replaced since. Nothing was written."
            ) from None
        except SealedError:
            continue
        break


def unlock(*, shares: list[str]) -> Path:
    """Rebuild the key from shares, check it, and write the key file back (mode 0600)."""
    path = _key_file()
    if path.exists():
        raise CustodyError(f"Not locked: the key file {path} is there. Nothing was changed.")
    key = shares_combine(shares)
    record = shares_record()
    if record is not None and record.check != key_check(key):
        raise CustodyError(
            "These shares rebuild a key that is not the one in use here (shares made before "
            "the key was rotated, or for another installation). Nothing was written."
        )
    key_opens_data(key)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    keys.lock_marker().unlink(missing_ok=True)
    return path
