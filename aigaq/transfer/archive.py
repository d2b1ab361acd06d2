"""The full archive: everything an instance holds, in one open, documented file that another
instance imports losslessly (docs/archive-format.md).

An archive is the field bundles' container (transfer/bundle.py: a tar inside age encryption,
a manifest with the SHA-256 and size of every member, written and read as a stream) with its
own first line and these members:

    format.json                       format name and version, the models in order, counts
    records/<app>.<model>.jsonl       one JSON object per row, every column, keyed by attname
    media/<sha256>                    each original, decrypted into the stream
    renditions/<sha256>               each rendition's file (web copies, redacted copies...)
    manifest.json                     last: every member's SHA-256 and size

Rows are written exactly as they are (primary keys, timestamps, versions, entry numbers,
the audit log), with two exceptions that are credentials of the old instance: a user's
password hash is replaced by an unusable one, and a job's file key (`Job.secret`, for files
that do not travel) is left out. Jobs are carried as records: the task queue is not, so a job
still waiting at export stays waiting on the new instance until it is started again. Transient tables (sessions, sign-in attempts, worker
heartbeats, the task queue's own results) and Django's groups and permissions (Aigaq has
roles) are not carried.

Import goes only into an empty instance, all or nothing: the archive is decrypted into a
staging folder (media staged sealed), every member's hash is checked against the manifest
and every original against its name, then one transaction writes every row as it was
(foreign keys checked before commit), and only when it commits do the media files move
into the store.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.permissions import check
from aigaq.media import storage
from aigaq.media.crypto import SealedReader, SealedWriter
from aigaq.media.keys import media_keys
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.objects import object_store
from aigaq.media.renditions import rendition_name, rendition_open_sha
from aigaq.transfer import bundle as fmt
from aigaq.transfer.models import Instance

MAGIC = b"AIGAQ-ARCHIVE\n"
FORMAT = "aigaq-archive"
FORMAT_VERSION = 1
FORMAT_MEMBER = "format.json"
CHUNK = 1024 * 1024
INSERT_BATCH = 2000

#: Tables that are not carried: transient state of one running instance.
NOT_CARRIED = {"core.workerbeat"}
#: Rows a fresh instance may already hold (written by `aigaq init` or on first use): an
#: archive's rows replace them.
REPLACED = {"core.sequence", "search.indexstate", "transfer.instance"}
#: Columns written otherwise than they are: credentials of the old instance.
#: (The field-by-field comparison of a round trip leaves exactly these out.)
NOT_COPIED = {"core.user": {"password"}, "core.job": {"secret"}}


class ArchiveError(fmt.BundleError):
    """An archive refused, with one sentence saying why. Nothing was changed."""


# --- which models, in which order ----------------------------------------------------------


def _is_aigaq(model: type[models.Model]) -> bool:
    return model.__module__.startswith("aigaq.")


def carried_models() -> list[type[models.Model]]:
    """Every model of Aigaq's apps (and the tables of their many-to-many fields), in
    dependency order: a row's references come before it (self-references aside)."""
    chosen: list[type[models.Model]] = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.auto_created:
            targets = {
                f.related_model for f in meta.concrete_fields if f.is_relation and f.related_model
            }
            if not all(isinstance(t, type) and _is_aigaq(t) for t in targets):
                continue  # users' Django groups and permissions: Aigaq has roles
        elif not _is_aigaq(model) or meta.proxy or not meta.managed:
            continue
        if meta.label_lower in NOT_CARRIED:
            continue
        chosen.append(model)
    chosen.sort(key=lambda m: m._meta.label_lower)
    ordered: list[type[models.Model]] = []
    placed: set[type[models.Model]] = set()

    def visit(model: type[models.Model], path: tuple[type[models.Model], ...]) -> None:
        if model in placed or model in path:
            return
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if isinstance(target, type) and target in chosen and target is not model:
                visit(target, (*path, model))
        placed.add(model)
        ordered.append(model)

    for model in chosen:
        visit(model, ())
    return ordered


def member_name(model: type[models.Model]) -> str:
    return f"records/{model._meta.label_lower}.jsonl"


# --- values --------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A column's Python value as JSON (docs/archive-format.md, "Values")."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _python(f: models.Field[Any, Any], raw: Any) -> Any:
    """The column's Python value back from its JSON form."""
    if raw is None:
        return None
    target = f.target_field if f.is_relation else f  # type: ignore[attr-defined]
    if isinstance(target, models.JSONField):
        return raw
    if isinstance(target, models.BinaryField):
        return base64.b64decode(raw)
    if isinstance(target, models.DurationField):
        return dt.timedelta(seconds=raw)
    return target.to_python(raw)


def _rows(model: type[models.Model]) -> Iterator[dict[str, Any]]:
    fields = list(model._meta.concrete_fields)
    names = [f.attname for f in fields]
    replace = NOT_COPIED.get(model._meta.label_lower, set())
    query = model._base_manager.order_by("pk").values_list(*names)
    for values in query.iterator(chunk_size=2000):
        row = {n: _plain(v) for n, v in zip(names, values, strict=True)}
        if "password" in replace:
            row["password"] = make_password(None)
        if "secret" in replace:
            row["secret"] = ""
        yield row


# --- writing -------------------------------------------------------------------------------


class _SealedSpool:
    """A member written once to a temporary file sealed under a key that lives only in this
    process (no clear byte of a record reaches the disk), then read back into the tar."""

    def __init__(self, folder: Path) -> None:
        self._key = secrets.token_bytes(32)
        fd, name = tempfile.mkstemp(dir=folder, prefix="spool-")
        self.path = Path(name)
        self._fh = open(fd, "wb")  # noqa: SIM115 - closed in finish()
        self._writer = SealedWriter(self._fh, self._key)
        self.size = 0

    def write(self, data: bytes) -> None:
        self._writer.write(data)

    def finish(self) -> int:
        self.size = self._writer.close().size
        self._fh.close()
        return self.size

    def chunks(self) -> Iterator[bytes]:
        with SealedReader.open(self.path, self._key) as reader:
            yield from reader.iter_range(0, None)


def _records_member(model: type[models.Model], folder: Path) -> tuple[fmt.Member, int]:
    spool = _SealedSpool(folder)
    count = 0
    for row in _rows(model):
        spool.write(json.dumps(row, ensure_ascii=False, sort_keys=True).encode() + b"\n")
        count += 1
    size = spool.finish()
    return fmt.Member(member_name(model), size, spool.chunks), count


def _file_member(name: str, size: int, opener: Callable[[], Any]) -> fmt.Member:
    def chunks() -> Iterator[bytes]:
        with opener() as reader:
            yield from reader.iter_range(0, None)

    return fmt.Member(name, size, chunks)


def _migrations() -> dict[str, str]:
    """The last migration applied of each app: which schema the rows were written in."""
    last: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > last.get(app, ""):
            last[app] = name
    return dict(sorted(last.items()))


@dataclass
class ExportReport:
    records: dict[str, int]
    media: int
    renditions: int

    def as_dict(self) -> dict[str, Any]:
        return {"records": self.records, "media": self.media, "renditions": self.renditions}


def _begin_snapshot(outermost: bool) -> None:
    """Read every table as of one moment (PostgreSQL: one REPEATABLE READ snapshot; SQLite
    reads one snapshot in a transaction already)."""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def archive_export(
    *,
    actor: Any,
    out: IO[bytes],
    passphrase: str | None = None,
    recipient: str | None = None,
) -> ExportReport:
    """Write the whole instance into `out`, encrypted to the passphrase or the age recipient.
    The export is recorded in the audit log first (so the archive holds its own record)."""
    check(actor, "export.run")
    if bool(passphrase) == bool(recipient):
        raise ArchiveError(_("Give either a passphrase or a recipient key, not both or neither."))
    audit.record_export(
        actor=actor,
        model=Instance,
        label=_("Full archive of this instance"),
        changes={"format": FORMAT, "format_version": FORMAT_VERSION},
    )
    folder = Path(tempfile.mkdtemp(prefix="archive-", dir=_staging_root()))
    try:
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            _begin_snapshot(outermost)
            counts: dict[str, int] = {}
            record_members = []
            for model in carried_models():
                member, count = _records_member(model, folder)
                record_members.append(member)
                counts[model._meta.label_lower] = count
            media = list(MediaFile.objects.order_by("sha256").values_list("sha256", "size"))
            rends = sorted(set(Rendition.objects.values_list("sha256", "size")))
            head = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": _migrations(),
                "models": [{"label": label, "rows": n} for label, n in counts.items()],
                "media": len(media),
                "renditions": len(rends),
            }
            members: list[fmt.Member] = [fmt.json_member(FORMAT_MEMBER, head), *record_members]
            members += [
                _file_member(f"media/{sha}", size, partial(storage.open_original, sha))
                for sha, size in media
            ]
            members += [
                _file_member(
                    f"renditions/{sha}",
                    size,
                    partial(rendition_open_sha, sha),
                )
                for sha, size in rends
            ]
            try:
                fmt.write_bundle(
                    out,
                    members=members,
                    manifest={"kind": FORMAT},
                    passphrase=passphrase,
                    recipient=recipient,
                    magic=MAGIC,
                )
            except FileNotFoundError as exc:
                raise ArchiveError(
                    _(
                        "A media file is missing from the store (%(name)s); run `aigaq media "
                        "verify` and restore it from a backup, then export again."
                    )
                    % {"name": Path(str(exc.filename or "")).name}
                ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ExportReport(counts, len(media), len(rends))


# --- reading -------------------------------------------------------------------------------


def _staging_root() -> Path:
    root = Path(settings.DATA_DIR) / "tmp"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def instance_is_empty() -> list[str]:
    """The kinds of record this instance already holds (empty list: it is empty)."""
    return [
        m._meta.label_lower
        for m in carried_models()
        if m._meta.label_lower not in REPLACED and m._base_manager.exists()
    ]


@dataclass
class ImportReport:
    records: dict[str, int] = field(default_factory=dict)
    media: int = 0
    renditions: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "media": self.media,
            "renditions": self.renditions,
            "dry_run": self.dry_run,
        }


def _read_format(staged: fmt.Staged) -> dict[str, Any]:
    path = staged.files.get(FORMAT_MEMBER)
    try:
        head = json.loads(path.read_bytes()) if path else None
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ArchiveError(_("The archive's format.json is missing or damaged."))
    version = head.get("version")
    if not isinstance(version, int) or version < 1:
        raise ArchiveError(_("The archive's format.json is missing or damaged."))
    if version > FORMAT_VERSION:
        raise ArchiveError(
            _(
                "This archive uses format version %(v)s, newer than this Aigaq reads (version "
                "%(ours)s); update Aigaq, then import it. Nothing was imported."
            )
            % {"v": version, "ours": FORMAT_VERSION}
        )
    return head


class _Rollback(Exception):
    pass


def _parse_rows(model: type[models.Model], staged: fmt.Staged) -> Iterator[list[models.Model]]:
    """The member's rows as model instances, a batch at a time. An unknown column is refused:
    the archive was written by an Aigaq whose records this one does not know."""
    path = staged.files.get(member_name(model))
    if path is None:
        return
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    label = model._meta.label_lower
    batch: list[models.Model] = []
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError
                unknown = set(row) - set(by_attname)
                if unknown:
                    raise ArchiveError(
                        _(
                            "The archive's %(model)s rows have columns this Aigaq does not know "
                            "(%(columns)s): it was written by another version. Nothing was "
                            "imported."
                        )
                        % {"model": label, "columns": ", ".join(sorted(unknown))}
                    )
                values = {name: _python(by_attname[name], raw) for name, raw in row.items()}
            except ArchiveError:
                raise
            except (ValueError, TypeError, KeyError, ArithmeticError):
                raise ArchiveError(
                    _("Row %(n)s of the archive's %(model)s records is damaged.")
                    % {"n": number, "model": label}
                ) from None
            batch.append(model(**values))
            if len(batch) >= INSERT_BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert rows exactly as given: raw, like Django's loaddata (no auto_now, no defaults
    over given values, no signals, no hooks)."""
    fields = list(model._meta.concrete_fields)
    model._base_manager._insert(  # type: ignore[attr-defined]
        objs, fields=fields, using=connection.alias, raw=True
    )


def _check_files(staged: fmt.Staged, manifest: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Every media and rendition row has its file in the archive, with its size; every file
    is named by its own SHA-256."""
    listed = manifest.get("members") or {}
    originals: list[str] = []
    rends: list[str] = []
    for name in listed:
        if name.startswith("renditions/"):
            sha = name.split("/", 1)[1]
            if staged.hashes[name][0] != sha:
                raise ArchiveError(
                    _("A media file in the archive does not match its hash (%(name)s).")
                    % {"name": name}
                )
            rends.append(sha)
        elif name.startswith("media/"):
            originals.append(name.split("/", 1)[1])
    return originals, rends


def _expect_files(staged: fmt.Staged, originals: list[str], rends: list[str]) -> None:
    have = {sha: staged.hashes[f"media/{sha}"][1] for sha in originals}
    for sha, size in MediaFile.objects.values_list("sha256", "size"):
        if have.get(sha) != size:
            raise ArchiveError(
                _("The archive lacks the media file %(sha)s that its records name.")
                % {"sha": sha[:12]}
            )
    have_r = {sha: staged.hashes[f"renditions/{sha}"][1] for sha in rends}
    for sha, size in Rendition.objects.values_list("sha256", "size"):
        if have_r.get(sha) != size:
            raise ArchiveError(
                _("The archive lacks the rendition file %(sha)s that its records name.")
                % {"sha": sha[:12]}
            )


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    """PostgreSQL: the identity sequences continue after the keys imported."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _move_in(staged: fmt.Staged, originals: list[str], rends: list[str]) -> None:
    """After commit: the staged (sealed) files into the store."""
    for sha in originals:
        storage.adopt(staged.files[f"media/{sha}"], sha)
    store = object_store()
    for sha in rends:  # a rename into place or an upload; one already there is kept
        store.put(staged.files[f"renditions/{sha}"], rendition_name(sha))


def archive_import(
    *,
    fileobj: IO[bytes],
    passphrase: str | None = None,
    identity_text: str | None = None,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import an archive into this empty instance, all or nothing. Refusals raise
    ArchiveError before anything is written. Run by an operator (the command line): the
    instance has no users yet."""
    say = progress or (lambda _text: None)
    held = instance_is_empty()
    if held:
        raise ArchiveError(
            _(
                "This instance is not empty (it holds %(kinds)s); an archive is imported only "
                "into a new, empty instance. Nothing was imported."
            )
            % {"kinds": ", ".join(held[:5])}
        )
    start = fileobj.read(len(MAGIC))
    if start != MAGIC:
        raise ArchiveError(_("This file is not an Aigaq archive, or it is incomplete."))
    fileobj.seek(0)
    folder = Path(tempfile.mkdtemp(prefix="archive-", dir=_staging_root()))
    moved = False
    try:
        say(_("Decrypting the archive and checking every file's hash"))
        try:
            staged = fmt.decrypt_to_staging(
                fileobj,
                folder,
                passphrase=passphrase,
                identity_text=identity_text,
                media_key=media_keys().encryption,
                magic=MAGIC,
                sealed_prefixes=("media/", "renditions/"),
            )
            head = _read_format(staged)
            manifest = fmt.verify_staged(staged)
        except ArchiveError:
            raise
        except fmt.BundleError as exc:  # the container's own refusals, in its words
            raise ArchiveError(
                _("The archive cannot be read, and nothing was imported: %(why)s")
                % {"why": str(exc)}
            ) from None
        if manifest.get("kind") != FORMAT:
            raise ArchiveError(_("The archive's manifest is damaged."))
        originals, rends = _check_files(staged, manifest)
        ours = {member_name(m) for m in carried_models()}
        foreign = sorted(n for n in staged.files if n.startswith("records/") and n not in ours)
        if foreign:
            raise ArchiveError(
                _(
                    "The archive holds records this Aigaq does not know (%(names)s): it was "
                    "written by another version. Nothing was imported."
                )
                % {"names": ", ".join(foreign[:5])}
            )
        report = ImportReport(media=len(originals), renditions=len(rends), dry_run=dry_run)
        say(_("Writing the records"))
        try:
            with transaction.atomic():
                written = []
                for model in carried_models():
                    if model._meta.label_lower in REPLACED and member_name(model) in staged.files:
                        model._base_manager.all().delete()
                    count = 0
                    for objs in _parse_rows(model, staged):
                        _insert(model, objs)
                        count += len(objs)
                    report.records[model._meta.label_lower] = count
                    written.append(model)
                expected = {m["label"]: m["rows"] for m in head.get("models", [])}
                if {k: v for k, v in report.records.items() if k in expected} != expected:
                    raise ArchiveError(_("The archive's record counts do not match its rows."))
                _expect_files(staged, originals, rends)
                _reset_sequences(written)
                try:
                    connection.check_constraints()
                except IntegrityError:
                    raise ArchiveError(
                        _(
                            "The archive's records refer to records it does not hold; nothing "
                            "was imported."
                        )
                    ) from None
                if dry_run:
                    raise _Rollback
                transaction.on_commit(partial(_move_in, staged, originals, rends))
                moved = True
        except _Rollback:
            pass
        return report
    finally:
        if moved and connection.in_atomic_block:
            transaction.on_commit(partial(shutil.rmtree, folder, ignore_errors=True))
        else:
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)
