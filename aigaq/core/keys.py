"""Where the database key, the secret key and the data folder live.

The database key never lives in the data folder: a seized data folder alone must be useless.
Order of precedence for the database key:
  1. AIGAQ_DB_KEY        (the key itself; 64 hex characters are used as a raw 256-bit key,
                          anything else as a passphrase)
  2. AIGAQ_DB_KEY_FILE   (a file holding the key)
  3. ~/.config/aigaq/key (created by `aigaq init`, mode 0600)
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")


class ConfigurationError(Exception):
    """A setting from the environment that cannot be used, with one sentence an operator can
    act on (`aigaq` prints it instead of a traceback)."""


class DatabaseKeyError(ConfigurationError):
    """A database key problem, always with one sentence a volunteer can act on."""


class KeyMissingError(DatabaseKeyError):
    """The key file does not exist."""


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "aigaq"


def data_dir() -> Path:
    return Path(os.environ.get("AIGAQ_DATA_DIR", "var")).resolve()


def default_key_file() -> Path:
    return config_dir() / "key"


def database_file(folder: Path) -> Path:
    """The embedded database in a data folder."""
    return folder / "aigaq.db"


def database_exists(database: Path) -> bool:
    """Whether an embedded database with contents is there (an empty file holds nothing)."""
    try:
        return database.stat().st_size > 0
    except OSError:
        return False


def orphaned_database_error(source: KeySource, database: Path) -> DatabaseKeyError:
    """The database exists but its key does not: a new key would never open it."""
    return DatabaseKeyError(
        f"The database {database} exists but its key is missing: looked for "
        f"{source.description}. Put the key back from your safe copy (or point "
        "AIGAQ_DB_KEY_FILE at it, or set AIGAQ_DB_KEY); `aigaq init` does not make a new key "
        "for an existing database, because a new key cannot open it."
    )


@dataclass(frozen=True)
class KeySource:
    description: str  # e.g. "the file /root/.config/aigaq/key"
    path: Path | None  # None when the key comes from the environment

    def read(self) -> str:
        if self.path is None:
            return os.environ.get("AIGAQ_DB_KEY", "").strip()
        try:
            return self.path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise KeyMissingError(
                f"No database key found: looked for {self.description}; "
                "run `aigaq init` (or `make run`) to create one, or set AIGAQ_DB_KEY_FILE."
            ) from None
        except OSError as exc:
            raise DatabaseKeyError(
                f"The database key in {self.description} cannot be read ({exc.strerror})."
            ) from None


def key_source() -> KeySource:
    if os.environ.get("AIGAQ_DB_KEY"):
        return KeySource("the environment variable AIGAQ_DB_KEY", None)
    if os.environ.get("AIGAQ_DB_KEY_FILE"):
        path = Path(os.environ["AIGAQ_DB_KEY_FILE"]).expanduser().resolve()
        return KeySource(f"the file {path} (AIGAQ_DB_KEY_FILE)", path)
    path = default_key_file()
    return KeySource(f"the file {path}", path)


def pragma_key(key: str) -> str:
    """The SQLCipher PRAGMA that applies a key (raw hex key or passphrase)."""
    if HEX_KEY.match(key):
        return f"PRAGMA key = \"x'{key.lower()}'\""
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def load_key(
    source: KeySource | None = None,
    data_folder: Path | None = None,
    *,
    database: Path | None = None,
) -> str:
    """The key from ``source``; when it is missing and ``database`` exists, says so (running
    `aigaq init` would not help: a new key cannot open an existing database)."""
    source = source or key_source()
    if source.path is not None and data_folder is not None:
        try:
            source.path.resolve().relative_to(data_folder.resolve())
        except ValueError:
            pass
        else:
            raise DatabaseKeyError(
                f"The database key {source.path} lies inside the data folder {data_folder}; "
                "move it elsewhere, a seized data folder must not carry its own key."
            )
    try:
        key = source.read()
    except KeyMissingError:
        if database is not None and database_exists(database):
            raise orphaned_database_error(source, database) from None
        raise
    if not key:
        raise DatabaseKeyError(f"The database key in {source.description} is empty.")
    return key


def ensure_key_file(
    path: Path | None = None, *, database: Path | None = None, description: str = ""
) -> tuple[Path, bool]:
    """Create a random 256-bit key file (mode 0600) if none exists. Returns (path, created).

    Never beside an existing ``database``: a new key cannot open it, and the volunteer would
    believe the data lost; the missing key is said instead."""
    path = path or default_key_file()
    if path.exists():
        return path, False
    if database is not None and database_exists(database):
        raise orphaned_database_error(KeySource(description or f"the file {path}", path), database)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path, True


def env_or_file(name: str) -> str:
    """A setting from the environment variable NAME, else from the file NAME_FILE names (how
    systemd credentials, Docker and Kubernetes secrets hand a secret to a process without
    putting it in the environment); "" when neither is set. Surrounding whitespace is dropped."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    file_name = os.environ.get(f"{name}_FILE", "").strip()
    if not file_name:
        return ""
    path = Path(file_name).expanduser()
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigurationError(
            f"The file {path} named by {name}_FILE cannot be read ({exc.strerror})."
        ) from None
    if not value:
        raise ConfigurationError(f"The file {path} named by {name}_FILE is empty.")
    return value


def production() -> bool:
    """Whether this process runs in production mode (`aigaq serve --production` sets
    AIGAQ_PRODUCTION=1 before the settings are read): settings only from the environment."""
    return os.environ.get("AIGAQ_PRODUCTION", "") == "1"


def secret_key() -> str:
    """Django's signing key: from AIGAQ_SECRET_KEY (or AIGAQ_SECRET_KEY_FILE), else a file
    beside the database key; in production only from the environment."""
    value = env_or_file("AIGAQ_SECRET_KEY")
    if value:
        return value
    if production():
        raise ConfigurationError(
            "Production mode needs AIGAQ_SECRET_KEY (or AIGAQ_SECRET_KEY_FILE, a file holding "
            "it): 50 or more random characters, the same for every web process of the site."
        )
    path = config_dir() / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
        value = secrets.token_urlsafe(50)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(value + "\n")
        return value
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        # A read-only home: a per-process key still keeps sessions signed.
        return secrets.token_urlsafe(50)


def database_settings(folder: Path) -> dict[str, Any]:
    url = env_or_file("DATABASE_URL")
    if url:
        import dj_database_url

        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        if db["ENGINE"] == "django.db.backends.postgresql":
            db["ENGINE"] = "aigaq.core.db.postgresql"
        db.setdefault("TEST", {})
        if os.environ.get("AIGAQ_PG_TEST_NAME"):
            db["TEST"]["NAME"] = os.environ["AIGAQ_PG_TEST_NAME"]
        return db
    return {
        "ENGINE": "aigaq.core.db.sqlcipher",
        "NAME": str(database_file(folder)),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        "CONN_MAX_AGE": 600,
        "TEST": {"NAME": os.environ.get("AIGAQ_TEST_DB", str(folder / "test-aigaq.db"))},
    }


# ---- Running processes and the lock (aigaq/custody: `aigaq lock` stops what holds the key) ----

LOCK_MARKER = "LOCKED"


def run_dir() -> Path:
    """Where the processes that hold the key in memory (`aigaq serve`, `aigaq worker`) leave
    their pid files, so that `aigaq lock` can stop them. No secret is written there."""
    return data_dir() / "run"


def lock_marker() -> Path:
    """Written by `aigaq lock`, removed by `aigaq unlock`: a server that sees it answers every
    request with the "locked" page (aigaq.core.middleware.LockedMiddleware)."""
    return data_dir() / LOCK_MARKER


def is_locked() -> bool:
    return lock_marker().exists()


def process_register(kind: str) -> Path:
    """Write this process's pid file (run/<kind>-<pid>.pid) and remove it at exit."""
    import atexit

    folder = run_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{kind}-{os.getpid()}.pid"
    path.write_text(f"{os.getpid()}\n", encoding="ascii")

    def _remove() -> None:
        path.unlink(missing_ok=True)

    atexit.register(_remove)
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def registered_processes() -> list[tuple[str, int]]:
    """(kind, pid) of the Aigaq processes still running; stale pid files are removed."""
    found: list[tuple[str, int]] = []
    folder = run_dir()
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*-*.pid")):
        kind, _, rest = path.stem.rpartition("-")
        try:
            pid = int(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            continue
        if str(pid) != rest or not _alive(pid):
            path.unlink(missing_ok=True)
            continue
        found.append((kind, pid))
    return found
