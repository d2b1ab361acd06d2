"""`aigaq migrate-to postgres://…`: an embedded (SQLCipher) instance moved to PostgreSQL.

The target is a second database alias (``TARGET``) opened on the URL given. It must be empty,
or hold an unfinished run of this command (its progress table, ``PROGRESS``). The move:

1. **Prepare** (once): the migrations run on the target; then, in one transaction, every
   table they filled (content types, permissions, rows of data migrations) is emptied, and
   the foreign-key constraints of Aigaq's tables are dropped and written down in the
   progress table. Without them the copy can go table by table and batch by batch in
   primary-key order, whatever points where (a person merged into another, a place inside
   another); they are put back, and so checked against every row, at the end.
2. **Copy**: every model's table (Django's and the libraries' included; sessions skipped:
   everyone signs in again on the server), in dependency order, in primary-key order, in
   batches of ``BATCH`` rows read from the source and written with COPY
   (``core.db.bulk.append_rows``). Each batch and its progress row (the last primary key
   copied) commit together: an interrupted run, run again, goes on after the last batch
   that committed. The derived tables (the search index, visitor keys) are copied like the
   others: cheaper than rebuilding them, and compared like the others.
3. **Finish**: the foreign keys put back, PostgreSQL's own sequences (auto-increment keys)
   set past the copied rows, and the entry-number and testimony-number counters
   (``core.sequences``) raised to at least the highest number copied.
4. **Media**: the sealed files copied as they are (``--media-to``; else they stay where they
   are) and the media key kept: the key file the server will use (``--media-key-file``)
   receives the key material this instance derives its media keys from (decision 0017).
5. **Compare**: per model, the rows and a SHA-256 over every row's values in primary-key
   order on both sides; the media digest of `aigaq stats` on both sides; every file of the
   target's media records present in the target folder and opened with the target's key.

The source is read inside one transaction (SQLCipher's ``BEGIN IMMEDIATE``): a consistent
snapshot, and no one writes the laptop's database while it is being moved.
"""

from __future__ import annotations

import contextlib
import datetime
import graphlib
import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max
from django.db.utils import load_backend

from aigaq.core import keys as core_keys
from aigaq.core.checks import ctype_problem
from aigaq.core.db.bulk import append_rows
from aigaq.core.models import Sequence
from aigaq.media import keys as media_keys
from aigaq.media import storage
from aigaq.media.crypto import SealedError, SealedReader, SealedWrongKey
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.objects import is_folder, object_store
from aigaq.people.models import Person
from aigaq.people.services import ENTRY_SEQUENCE
from aigaq.testimonies.models import NUMBER_SEQUENCE, Testimony
from aigaq.transfer.stats import media_digest

TARGET = "migrate_target"
PROGRESS = "aigaq_migrate_progress"
BATCH = 5000
#: Not copied: sessions (every user signs in again on the server; a session is a credential).
SKIPPED = frozenset({"sessions.session"})
#: The counters of core.sequences and the numbers they hand out.
COUNTERS = ((ENTRY_SEQUENCE, Person, "entry_no"), (NUMBER_SEQUENCE, Testimony, "number"))
MEDIA_FOLDERS = ("originals", "renditions")
MAINTENANCE_DATABASES = frozenset({"postgres", "template0", "template1"})
COPY_PREFIX = ".migrate-"


class MigrateError(Exception):
    """A refusal or a failure, in one sentence an operator can act on; nothing more was
    written to the target than what a rerun continues from."""


def checkpoint(event: str, label: str) -> None:
    """Called after each committed batch ("batch") and each finished table ("table"): a
    no-op, where tests inject an interruption."""


# ---- The target database -------------------------------------------------------------------


def target_settings(url: str) -> dict[str, Any]:
    """Django database settings for a postgres:// URL (anything else refused)."""
    import dj_database_url

    if not url.startswith(("postgres://", "postgresql://")):
        raise MigrateError(
            "The target must be a PostgreSQL address: postgres://USER:PASSWORD@HOST:5432/NAME."
        )
    try:
        parsed: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    except ValueError as exc:
        raise MigrateError(f"The target address cannot be read: {exc}.") from None
    if not parsed.get("NAME"):
        raise MigrateError("The target address names no database (…:5432/NAME).")
    if parsed["NAME"] in MAINTENANCE_DATABASES:
        raise MigrateError(
            f"{parsed['NAME']} is PostgreSQL's maintenance database: create an empty database "
            "for Aigaq (docs/deployment.md) and give its address."
        )
    parsed["ENGINE"] = "aigaq.core.db.postgresql"
    return parsed


@contextlib.contextmanager
def target_alias(url: str) -> Iterator[str]:
    """The alias ``TARGET`` opened on ``url`` for the duration of the block: a connection
    made here, not a database of the settings (`Model.objects.using(TARGET)` and
    `transaction.atomic(using=TARGET)` find it all the same)."""
    configured = connections.configure_settings(
        {DEFAULT_DB_ALIAS: {}, TARGET: target_settings(url)}
    )
    wrapper = load_backend(configured[TARGET]["ENGINE"]).DatabaseWrapper(configured[TARGET], TARGET)
    connections[TARGET] = wrapper
    try:
        yield TARGET
    finally:
        wrapper.close()
        del connections[TARGET]


def _q(name: str) -> str:
    return connections[TARGET].ops.quote_name(name)


def copied_models() -> list[type[models.Model]]:
    """Every model with a table of its own (many-to-many tables included), sessions aside, in
    dependency order (a table after those it points to), ties by name."""
    found = {
        m._meta.label_lower: m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIPPED
    }
    graph: dict[str, set[str]] = {}
    for label in sorted(found):
        model = found[label]
        graph[label] = {
            related._meta.label_lower
            for f in model._meta.concrete_fields
            if isinstance(related := f.related_model, type)
            and related is not model
            and related._meta.label_lower in found
        }
    sorter = graphlib.TopologicalSorter(graph)
    sorter.prepare()
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    return [found[label] for label in order]


# ---- Progress, kept in the target --------------------------------------------------------


def _progress_create(cursor: Any) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {PROGRESS} ("
        " kind text NOT NULL, name text NOT NULL, value text NOT NULL DEFAULT '',"
        " rows bigint NOT NULL DEFAULT 0, done boolean NOT NULL DEFAULT false,"
        " PRIMARY KEY (kind, name))"
    )


def _progress_get(kind: str, name: str) -> tuple[str, int, bool] | None:
    with connections[TARGET].cursor() as cursor:
        cursor.execute(
            f"SELECT value, rows, done FROM {PROGRESS} WHERE kind = %s AND name = %s",  # noqa: S608
            [kind, name],
        )
        row = cursor.fetchone()
    return (row[0], int(row[1]), bool(row[2])) if row else None


def _progress_set(kind: str, name: str, value: str = "", rows: int = 0, done: bool = False) -> None:
    with connections[TARGET].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROGRESS} (kind, name, value, rows, done) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
            "ON CONFLICT (kind, name) DO UPDATE SET value = EXCLUDED.value, "
            "rows = EXCLUDED.rows, done = EXCLUDED.done",
            [kind, name, value, rows, done],
        )


def source_identity() -> str:
    return str(Path(str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])).resolve())


def _target_tables() -> list[str]:
    with connections[TARGET].cursor() as cursor:
        return sorted(connections[TARGET].introspection.table_names(cursor))


def check_source() -> None:
    """The source is this instance's embedded database, fully migrated."""
    conn = connections[DEFAULT_DB_ALIAS]
    if conn.vendor != "sqlite":
        raise MigrateError(
            "migrate-to moves the embedded (SQLCipher) database; this Aigaq runs on "
            f"{conn.display_name} already."
        )
    executor = MigrationExecutor(conn)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise MigrateError(
            "This instance's database is not up to date with its code: run `aigaq migrate` "
            "here first, then migrate-to again."
        )


def check_target() -> bool:
    """Whether the target holds an unfinished (or finished) run from this source; refuses a
    target that holds anything else, or whose character type cannot hold Aigaq's search."""
    try:
        tables = _target_tables()
    except Exception as exc:  # the driver's error says why (host, password, database)
        raise MigrateError(f"The target database cannot be reached: {exc}".strip()) from None
    problem = ctype_problem(connections[TARGET])
    if problem:
        raise MigrateError(problem)
    if PROGRESS in tables:
        started = _progress_get("meta", "source")
        if started and started[0] != source_identity():
            raise MigrateError(
                f"The target holds a move from another database ({started[0]}); give an "
                "empty database."
            )
        return True
    if tables:
        shown = ", ".join(tables[:3]) + (", …" if len(tables) > 3 else "")
        raise MigrateError(
            f"The target database is not empty ({len(tables)} tables: {shown}). migrate-to "
            "writes only into an empty database (or one it was moving to before): nothing "
            "was changed."
        )
    return False


def _foreign_keys(cursor: Any, tables: list[str]) -> list[tuple[str, str, str]]:
    cursor.execute(
        "SELECT r.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
        "WHERE c.contype = 'f' AND n.nspname = current_schema() AND r.relname = ANY(%s) "
        "ORDER BY r.relname, c.conname",
        [tables],
    )
    return [(t, n, d) for t, n, d in cursor.fetchall()]


def migrate_target(url: str) -> None:
    """`aigaq migrate` on the target, in a process whose default database it is: data
    migrations read and write the default database (as they do when `aigaq init` runs on
    PostgreSQL), not the alias a migrate command in this process would be given."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL_FILE"}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "aigaq.cli", "migrate", "--no-input", "--verbosity", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise MigrateError(f"The migrations failed on the target: {lines[-1]}")


def prepare(url: str, log: Callable[[str], None]) -> None:
    """Migrations on the target, its tables emptied, its foreign keys set aside (once)."""
    conn = connections[TARGET]
    with transaction.atomic(using=TARGET), conn.cursor() as cursor:
        _progress_create(cursor)
        if _progress_get("meta", "source") is None:
            _progress_set("meta", "source", source_identity())
    state = _progress_get("meta", "prepared")
    if state and state[2]:
        return
    log("Migrations on the target…")
    migrate_target(url)
    tables = [m._meta.db_table for m in copied_models()]
    sessions = apps.get_model("sessions", "Session")._meta.db_table
    with transaction.atomic(using=TARGET), conn.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(_q(t) for t in [*tables, sessions]) + " RESTART IDENTITY"
        )
        for table, name, definition in _foreign_keys(cursor, tables):
            _progress_set("fk", f"{table}.{name}", json.dumps([table, name, definition]))
            cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}")
        _progress_set("meta", "prepared", done=True)


# ---- The copy ------------------------------------------------------------------------------


def _stored_as(f: Any) -> Any:
    """The field whose type a column has: a foreign key's target field, else the field."""
    return f.target_field if f.is_relation else f


def _to_target(f: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a raw SQLCipher value becomes what COPY writes: everything as it is (UUIDs as 32
    hex digits, JSON as its text, both of which PostgreSQL reads), except that a date and
    time, stored in UTC without its zone, gets it."""
    target = _stored_as(f)
    if isinstance(target, models.DateTimeField):
        return lambda v: v.replace(tzinfo=datetime.UTC) if isinstance(v, datetime.datetime) else v
    return lambda v: v


def _pk_is_integer(model: type[models.Model]) -> bool:
    pk = model._meta.pk
    target = _stored_as(pk)
    return isinstance(target, models.IntegerField | models.AutoField)


def _write_error(label: str, after: str | None, exc: Exception) -> MigrateError:
    """One sentence for a batch PostgreSQL refused, without the row's contents (its message
    names the type and the constraint, never the value; the COPY context, which quotes the
    value, is left out: it may be a restricted field)."""
    diag = getattr(exc.__cause__ or exc, "diag", None)
    reason = getattr(diag, "message_primary", None) or exc.__class__.__name__
    column = getattr(diag, "column_name", None)
    where = f" (column {column})" if column else ""
    start = f" after the key {after}" if after else ""
    return MigrateError(
        f"PostgreSQL refused a batch of {label}{start}: {reason}{where}. Nothing of that batch "
        "was written; correct the record on this instance and run migrate-to again, it goes "
        "on from there."
    )


def copy_table(model: type[models.Model], batch: int, progress: Callable[[int], None]) -> int:
    """Copy one model's table on from where its progress row says, in batches in primary-key
    order, each batch committed with its progress row. Returns the rows the target holds."""
    label = model._meta.label_lower
    state = _progress_get("table", label)
    if state and state[2]:
        progress(state[1])
        return state[1]
    done_rows = state[1] if state else 0
    last: str | None = state[0] if state and done_rows else None
    progress(done_rows)
    fields = list(model._meta.concrete_fields)
    columns = [f.column for f in fields]
    convert = [_to_target(f) for f in fields]
    pk_index = fields.index(model._meta.pk)
    integer_key = _pk_is_integer(model)
    source = connections[DEFAULT_DB_ALIAS]
    quote = source.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    select = f"SELECT {', '.join(quote(c) for c in columns)} FROM {table}"  # noqa: S608
    while True:
        with source.cursor() as cursor:
            if last is None:
                cursor.execute(f"{select} ORDER BY {pk} LIMIT %s", [batch])
            else:
                after = int(last) if integer_key else last
                cursor.execute(f"{select} WHERE {pk} > %s ORDER BY {pk} LIMIT %s", [after, batch])
            rows = cursor.fetchall()
        finished = len(rows) < batch
        params = [tuple(c(v) for c, v in zip(convert, row, strict=True)) for row in rows]
        try:
            with transaction.atomic(using=TARGET), connections[TARGET].cursor() as cursor:
                append_rows(cursor, model._meta.db_table, columns, params, using=TARGET)
                new_last = str(rows[-1][pk_index]) if rows else (last or "")
                _progress_set("table", label, new_last, done_rows + len(rows), finished)
        except DatabaseError as exc:
            raise _write_error(label, last, exc) from None
        last, done_rows = new_last, done_rows + len(rows)
        progress(len(rows))
        checkpoint("batch", label)
        if finished:
            return done_rows


def counters_expected(using: str) -> dict[str, int]:
    """Each counter of core.sequences as it must be: at least the highest number handed out."""
    values = dict(Sequence.objects.using(using).values_list("name", "last_value"))
    for name, model, number in COUNTERS:
        top = model._base_manager.using(using).aggregate(top=Max(number))["top"]
        if top is not None and values.get(name, 0) < top:
            values[name] = int(top)
    return values


def finish(log: Callable[[str], None]) -> list[str]:
    """Foreign keys back (each checked against every row), PostgreSQL sequences past the
    copied keys, core.sequences counters raised where they lagged. Returns the counters
    raised."""
    conn = connections[TARGET]
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT name, value FROM {PROGRESS} WHERE kind = 'fk' AND NOT done ORDER BY name"  # noqa: S608
        )
        pending = cursor.fetchall()
    if pending:
        log(f"Foreign keys checked and put back: {len(pending)}…")
    for key, value in pending:
        table, name, definition = json.loads(value)
        try:
            with transaction.atomic(using=TARGET), conn.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {definition}")
                _progress_set("fk", key, value, done=True)
        except Exception as exc:
            raise MigrateError(
                f"A reference in {table} points to a row that was not copied ({name}): the "
                f"source database is inconsistent there ({exc.__class__.__name__})."
            ) from None
    raised = []
    with transaction.atomic(using=TARGET), conn.cursor() as cursor:
        for sql in conn.ops.sequence_reset_sql(no_style(), copied_models()):
            cursor.execute(sql)
        current = dict(Sequence.objects.using(TARGET).values_list("name", "last_value"))
        for name, value in counters_expected(TARGET).items():
            if current.get(name) != value:
                Sequence.objects.using(TARGET).update_or_create(
                    name=name, defaults={"last_value": value}
                )
                raised.append(f"{name}: {current.get(name, 0)} → {value}")
        _progress_set("meta", "copied", done=True)
    return raised


# ---- Media ---------------------------------------------------------------------------------


def media_copy(source: Path, target: Path, progress: Callable[[int], None]) -> tuple[int, int]:
    """The sealed files of ``source`` (a MEDIA_ROOT: originals and renditions) copied as they
    are into ``target``: each under a temporary name, synced, then renamed into place; a file
    already there with the same size is kept (a rerun goes on). Returns (copied, kept)."""
    copied = kept = 0
    for folder in MEDIA_FOLDERS:
        root = source / folder
        for path in sorted(storage.stored_files(root)):
            if path.name.startswith((*storage.TEMP_PREFIXES, COPY_PREFIX)):
                continue
            dest = target / folder / path.relative_to(root)
            size = path.stat().st_size
            if dest.exists() and dest.stat().st_size == size:
                kept += 1
                progress(size)
                continue
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp = dest.parent / f"{COPY_PREFIX}{dest.name}"
            with path.open("rb") as src, tmp.open("wb") as out:
                shutil.copyfileobj(src, out, storage.CHUNK)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, dest)
            copied += 1
            progress(size)
    return copied, kept


def media_key_write(path: Path, database_key: str, forbidden: list[Path]) -> str:
    """Give the server the media key of this instance: ``path`` receives, as 64 hex digits, the
    256 bits this instance derives its media keys from (`media.keys.key_material`: the key
    itself when it is a 64-hex key, else what scrypt made of the passphrase, which derives
    the same media keys and does not open this laptop's SQLCipher database). Never inside a
    data folder; an existing file is kept when it derives the same keys and refused when not.
    Returns "written" or "kept"."""
    path = path.expanduser().resolve()
    for folder in forbidden:
        if path.is_relative_to(folder.resolve()):
            raise MigrateError(
                f"The media key file {path} would lie inside the data folder {folder}: a seized "
                "data folder must not carry its own key. Name a file elsewhere."
            )
    material = media_keys.key_material(database_key).hex()
    if path.exists():
        existing = path.read_text(encoding="utf-8").strip()
        if existing and media_keys.derive_media_keys(existing) == media_keys.derive_media_keys(
            material
        ):
            return "kept"
        raise MigrateError(
            f"The key file {path} holds another key: the media sealed here would not open with "
            "it. Name a file that does not exist yet (or the one whose key matches)."
        )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(material + "\n")
    return "written"


def media_check(folder: Path, key: media_keys.MediaKeys) -> dict[str, Any]:
    """Every original and rendition the target's records name: present in ``folder`` (the
    target's MEDIA_ROOT) and opened with ``key`` (header, key check and last chunk
    authenticated; `aigaq media verify` on the server decrypts and re-hashes every byte)."""
    missing: list[str] = []
    wrong_key: list[str] = []
    checked = 0
    wanted = [
        (folder / "originals", sha)
        for sha in MediaFile.objects.using(TARGET).values_list("sha256", flat=True)
    ] + [
        (folder / "renditions", sha)
        for sha in Rendition.objects.using(TARGET).values_list("sha256", flat=True).distinct()
    ]
    if not is_folder():
        return _bucket_check(wanted, key)
    for root, sha in wanted:
        checked += 1
        name = media_keys.disk_name(sha, key)
        path = root / name[:2] / name[2:4] / (name + storage.SEALED_SUFFIX)
        clear = root / sha[:2] / sha[2:4] / sha
        if not path.exists():
            if not clear.exists():
                missing.append(sha)
            continue
        try:
            SealedReader.open(path, key.encryption).close()
        except SealedWrongKey:
            wrong_key.append(sha)
        except SealedError:
            missing.append(sha)
    return {"checked": checked, "missing": missing, "wrong_key": wrong_key}


def _bucket_check(wanted: list[tuple[Path, str]], key: media_keys.MediaKeys) -> dict[str, Any]:
    """media_check when the media are in an S3 bucket (AIGAQ_MEDIA_STORAGE=s3): they stay there
    (the server uses the same bucket), each opened through the store with the server's key."""
    store = object_store()
    missing: list[str] = []
    wrong_key: list[str] = []
    for root, sha in wanted:
        name = media_keys.disk_name(sha, key)
        try:
            storage.open_sealed(
                store,
                f"{root.name}/{name[:2]}/{name[2:4]}/{name}{storage.SEALED_SUFFIX}",
                key.encryption,
            ).close()
        except FileNotFoundError:
            missing.append(sha)
        except SealedWrongKey:
            wrong_key.append(sha)
        except SealedError:
            missing.append(sha)
    return {"checked": len(wanted), "missing": missing, "wrong_key": wrong_key}


# ---- The comparison ------------------------------------------------------------------------


def _canon(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return value.hex
    return str(value)


def table_digest(
    model: type[models.Model],
    using: str,
    rows_of: Callable[[], Iterator[tuple[Any, ...]]] | None = None,
) -> tuple[int, str]:
    """(rows, SHA-256) of one model's table in the database ``using`` (or of the rows
    ``rows_of`` gives): every row's values as Django reads them (the same Python values from
    either engine) in a canonical text, in primary-key order. Integer and UUID keys sort alike
    in both engines; a table keyed by text (counters, index facts, worker beats: all small) is
    sorted here, since PostgreSQL's collation may differ from SQLite's."""
    names = [f.attname for f in model._meta.concrete_fields]
    pk = _stored_as(model._meta.pk)
    if rows_of is not None:
        rows: Iterable[tuple[Any, ...]] = rows_of()
    else:
        rows = (
            model._base_manager.using(using)
            .order_by("pk")
            .values_list(*names)
            .iterator(chunk_size=BATCH)
        )
    if not isinstance(pk, models.IntegerField | models.AutoField | models.UUIDField):
        at = names.index(model._meta.pk.attname)
        rows = sorted(rows, key=lambda row: _canon(row[at]).encode("utf-8"))
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update("\x1f".join(_canon(v) for v in row).encode("utf-8") + b"\x1e")
        count += 1
    return count, digest.hexdigest()


def _expected_counters() -> Iterator[tuple[Any, ...]]:
    """core.Sequence as the target must hold it: the source's, each counter at least the
    highest number handed out (``finish`` raises a lagging one)."""
    names = [f.attname for f in Sequence._meta.concrete_fields]
    expected = counters_expected(DEFAULT_DB_ALIAS)
    for name in sorted(expected):
        row = {"name": name, "last_value": expected[name]}
        yield tuple(row[n] for n in names)


@dataclass
class Comparison:
    tables: list[dict[str, Any]] = field(default_factory=list)
    media: dict[str, Any] = field(default_factory=dict)

    @property
    def differences(self) -> list[str]:
        out = [t["model"] for t in self.tables if not t["equal"]]
        if not self.media.get("equal", True):
            out.append("media")
        return out

    @property
    def ok(self) -> bool:
        return not self.differences


def compare(
    media_folder: Path, key: media_keys.MediaKeys, progress: Callable[[str], None]
) -> Comparison:
    result = Comparison()
    for model in copied_models():
        label = model._meta.label_lower
        progress(label)
        rows_of = _expected_counters if model is Sequence else None
        src_rows, src_hash = table_digest(model, DEFAULT_DB_ALIAS, rows_of)
        dst_rows, dst_hash = table_digest(model, TARGET)
        result.tables.append(
            {
                "model": label,
                "table": model._meta.db_table,
                "source": {"rows": src_rows, "sha256": src_hash},
                "target": {"rows": dst_rows, "sha256": dst_hash},
                "equal": src_rows == dst_rows and src_hash == dst_hash,
            }
        )
    src_files, src_digest = media_digest(DEFAULT_DB_ALIAS)
    dst_files, dst_digest = media_digest(TARGET)
    files = media_check(media_folder, key)
    result.media = {
        "source": {"files": src_files, "sha256_digest": src_digest},
        "target": {"files": dst_files, "sha256_digest": dst_digest},
        "folder": str(media_folder),
        "files_checked": files["checked"],
        "missing": files["missing"],
        "wrong_key": files["wrong_key"],
        "equal": (src_files, src_digest) == (dst_files, dst_digest)
        and not files["missing"]
        and not files["wrong_key"],
    }
    return result


# ---- The whole move --------------------------------------------------------------------------


@dataclass
class Outcome:
    resumed: bool
    rows: int
    media_copied: int
    media_kept: int
    media_key: str
    counters_raised: list[str]
    comparison: Comparison
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.comparison.ok,
            "resumed": self.resumed,
            "rows": self.rows,
            "media_copied": self.media_copied,
            "media_kept": self.media_kept,
            "media_key": self.media_key,
            "counters_raised": self.counters_raised,
            "differences": self.comparison.differences,
            "tables": self.comparison.tables,
            "media": self.comparison.media,
            "seconds": round(self.seconds, 2),
        }


def migrate_to(
    url: str,
    *,
    media_to: Path | None = None,
    media_key_file: Path | None = None,
    batch: int = BATCH,
    log: Callable[[str], None] = lambda _line: None,
    bar: Callable[[str, int], Any] | None = None,
) -> Outcome:
    """Move this instance's database to the PostgreSQL database at ``url`` (see the module's
    docstring); ``media_to`` is the target's MEDIA_ROOT when it is not this one's. Raises
    MigrateError (a refusal: nothing changed; a failure: a rerun continues)."""
    started = time.perf_counter()
    if batch < 1:
        raise MigrateError("The batch size must be at least 1.")
    check_source()
    database_key = core_keys.load_key(core_keys.key_source(), core_keys.data_dir())
    source_media = Path(settings.MEDIA_ROOT)
    target_media = (media_to or source_media).expanduser().resolve()
    if media_key_file is not None:
        # Checked before anything is written: a wrong key file refuses the whole move.
        forbidden = [core_keys.data_dir(), target_media.parent]
        media_key = media_key_write(media_key_file, database_key, forbidden)
        key = media_keys.derive_media_keys(
            media_key_file.expanduser().read_text(encoding="utf-8").strip()
        )
    else:
        media_key = "same key source as this instance"
        key = media_keys.derive_media_keys(database_key)
    with target_alias(url), transaction.atomic(using=DEFAULT_DB_ALIAS):
        resumed = check_target()
        log("Continuing the move begun before…" if resumed else "Moving to an empty database…")
        prepare(url, log)
        log("Copying the tables…")
        rows = 0
        for model in copied_models():
            label = model._meta.label_lower
            total = model._base_manager.using(DEFAULT_DB_ALIAS).count()
            with _bar(bar, label, total) as tick:
                rows += copy_table(model, batch, tick)
            checkpoint("table", label)
        raised = finish(log)
        copied = kept = 0
        if is_folder() and target_media != source_media.resolve():
            log(f"Copying the media files to {target_media}…")
            size = sum(
                p.stat().st_size
                for f in MEDIA_FOLDERS
                for p in storage.stored_files(source_media / f)
            )
            with _bar(bar, "media", size) as tick:
                copied, kept = media_copy(source_media, target_media, tick)
        log("Comparing both sides…")
        comparison = compare(target_media, key, lambda _label: None)
    return Outcome(
        resumed=resumed,
        rows=rows,
        media_copied=copied,
        media_kept=kept,
        media_key=media_key,
        counters_raised=raised,
        comparison=comparison,
        seconds=time.perf_counter() - started,
    )


@contextlib.contextmanager
def _bar(
    bar: Callable[[str, int], Any] | None, label: str, total: int
) -> Iterator[Callable[[int], None]]:
    if bar is None:
        yield lambda _n: None
        return
    with bar(label, total) as progress:
        yield progress.update
