"""Backups: destinations, `backup_run`, `backup_verify`, `backup_restore` (docs/backup.md).

Every way in (the `aigaq backup` and `aigaq restore` commands, the scheduled job) calls these.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.backups import restic, snapshot
from aigaq.backups.models import BackupDestination
from aigaq.core import audit
from aigaq.core import keys as core_keys
from aigaq.core.models import AuditEntry

logger = logging.getLogger(__name__)


class BackupRefused(Exception):
    """What was asked cannot be done; one sentence, and nothing was changed."""


# --- destinations ----------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    try:
        return restic.check_url(url)
    except ValueError:
        raise BackupRefused(
            _(
                "%(url)s is not a backup destination: give an absolute folder (/media/usb/aigaq) "
                "or one of restic's addresses (sftp:user@host:/path, rest:https://host/, s3:...)."
            )
            % {"url": restic.display_url(url.strip())[:200]}
        ) from None


def destination_add(*, actor: Any, name: str, url: str) -> BackupDestination:
    """Configure a destination once, by name (audited)."""
    destination = BackupDestination(name=name.strip(), url=_clean_url(url))
    try:
        destination.full_clean()
    except ValidationError as exc:
        if "name" in exc.message_dict and BackupDestination.objects.filter(name=name).exists():
            raise BackupRefused(
                _("A destination named %(name)s exists already.") % {"name": name}
            ) from None
        raise BackupRefused(
            " ".join(str(m) for messages in exc.message_dict.values() for m in messages)
        ) from None
    with transaction.atomic():
        destination.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=destination,
            changes={"name": [None, destination.name], "url": [None, restic.display_url(url)]},
        )
    return destination


def destination_remove(*, actor: Any, name: str) -> None:
    """Forget a destination (its repository and snapshots stay where they are)."""
    with transaction.atomic():
        destination = BackupDestination.objects.select_for_update().filter(name=name).first()
        if destination is None:
            raise BackupRefused(_("There is no destination named %(name)s.") % {"name": name})
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=destination,
            changes={"url": [restic.display_url(destination.url), None]},
        )
        destination.delete()


def destinations_for(names_or_urls: Sequence[str] | None) -> list[tuple[str, str]]:
    """(label, url) for each `--to` value (a configured name, or an address), or every
    configured destination when none is given."""
    if not names_or_urls:
        found = [(d.name, d.url) for d in BackupDestination.objects.order_by("name")]
        if not found:
            raise BackupRefused(
                _(
                    "No backup destination is configured: add one with `aigaq backup destination "
                    "add NAME URL`, or give one with --to."
                )
            )
        return found
    result = []
    for value in names_or_urls:
        configured = BackupDestination.objects.filter(name=value).first()
        if configured is not None:
            result.append((configured.name, configured.url))
        else:
            url = _clean_url(value)
            result.append((restic.display_url(url), url))
    return result


# --- backing up ------------------------------------------------------------------------------


@dataclass
class Sent:
    """What one destination received (or why not)."""

    destination: str
    ok: bool
    snapshot: str = ""
    files_new: int = 0
    files_changed: int = 0
    files_unmodified: int = 0
    data_added: int = 0
    initialized: bool = False
    error: str = ""
    error_kind: str = ""


@dataclass
class BackupReport:
    counts: dict[str, int]
    engine: str
    sent: list[Sent] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.sent) and all(s.ok for s in self.sent)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "engine": self.engine,
            "records": sum(self.counts.values()),
            "destinations": [asdict(s) for s in self.sent],
        }


def data_folder() -> Path:
    """The data folder a backup takes (its `media/` and the staged database)."""
    folder = Path(settings.DATA_DIR)
    if Path(settings.MEDIA_ROOT).resolve() != (folder / snapshot.MEDIA).resolve():
        raise BackupRefused(
            _("Backups expect the media folder at %(path)s.") % {"path": folder / snapshot.MEDIA}
        )
    return folder


@contextlib.contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """One backup, verification or restore at a time per data folder."""
    lock_dir = folder / "tmp"
    lock_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (lock_dir / "backup.lock").open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupRefused(
                _("Another backup is running on this data folder; try again when it has finished.")
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _error_sentence(exc: restic.ResticError, label: str) -> str:
    messages = {
        "disk_full": _(
            "The destination %(name)s is full: this backup was not written there. Its earlier "
            "snapshots are intact; free some space or use a larger disk, then back up again."
        ),
        "password": _(
            "The repository at %(name)s does not open with this installation's backup password "
            "(it was made under another database key); nothing was written."
        ),
        "unreachable": _(
            "The destination %(name)s cannot be reached; nothing was written there. Check the "
            "network, the disk or the server, then back up again."
        ),
        "locked": _(
            "The repository at %(name)s is locked by another restic process; try again later."
        ),
        "missing": _("restic is not installed: install the Debian package `restic`."),
    }
    template = messages.get(exc.kind, _("The backup to %(name)s failed; restic said: %(detail)s"))
    return template % {"name": label, "detail": exc.detail[-300:] or str(exc)}


def _record_outcome(label: str, sent: Sent) -> None:
    now = timezone.now()
    with transaction.atomic():
        destination = BackupDestination.objects.select_for_update().filter(name=label).first()
        if destination is None:
            return
        before = {"last_snapshot": destination.last_snapshot, "last_error": destination.last_error}
        destination.last_attempt_at = now
        if sent.ok:
            destination.last_ok_at = now
            destination.last_snapshot = sent.snapshot
            destination.last_error = ""
        else:
            destination.last_error = sent.error[:500]
        destination.updated_at = now
        destination.version += 1
        destination.save()
        audit.record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            obj=destination,
            changes={
                "last_snapshot": [before["last_snapshot"], destination.last_snapshot],
                "last_error": [before["last_error"], destination.last_error],
            },
            note="backup",
        )


def backup_run(*, to: Sequence[str] | None = None) -> BackupReport:
    """Take a consistent snapshot of the database plus the media folder and send it with
    `restic backup` to each destination (`restic init` on first use). A destination that
    fails is reported and recorded; the others still receive the backup."""
    targets = destinations_for(to)
    folder = data_folder()
    database = dict(connections["default"].settings_dict)
    key = core_keys.load_key(core_keys.key_source(), folder)
    password = restic.repository_password(key)
    with _exclusive(folder):
        stage = folder / snapshot.STAGE
        snapshot.stage_remove(stage)  # what a killed backup left
        try:
            try:
                manifest = snapshot.stage_write(stage=stage, database=database, key=key)
            except snapshot.StageDiskFull:
                raise BackupRefused(
                    _(
                        "The data folder's disk is full: the copy of the database could not be "
                        "written, and nothing was sent. Free some space and back up again."
                    )
                ) from None
            report = BackupReport(counts=manifest["counts"], engine=manifest["engine"])
            paths = [p for p in (snapshot.MEDIA, snapshot.STAGE) if (folder / p).exists()]
            for label, url in targets:
                report.sent.append(_send(label, url, password, folder, paths))
        finally:
            snapshot.stage_remove(stage)
    for (label, _url), sent in zip(targets, report.sent, strict=True):
        _record_outcome(label, sent)
    return report


def _send(label: str, url: str, password: str, folder: Path, paths: list[str]) -> Sent:
    repo = restic.Repository(url, password)
    try:
        created = repo.ensure()
        summary = repo.backup(paths, cwd=folder, exclude=snapshot.EXCLUDE)
    except restic.ResticError as exc:
        logger.warning("backup to %s failed (%s): %s", label, exc.kind, exc.detail)
        return Sent(label, False, error=_error_sentence(exc, label), error_kind=exc.kind)
    return Sent(
        label,
        True,
        snapshot=str(summary["snapshot_id"]),
        files_new=int(summary.get("files_new", 0)),
        files_changed=int(summary.get("files_changed", 0)),
        files_unmodified=int(summary.get("files_unmodified", 0)),
        data_added=int(summary.get("data_added", 0)),
        initialized=created,
    )


# --- verifying and restoring -----------------------------------------------------------------


@dataclass
class CheckReport:
    """A restored copy compared with its manifest."""

    snapshot: str
    engine: str
    created_at: str
    records: int
    differences: dict[str, list[int]]
    media_checked: int
    media_missing: list[str]
    media_altered: list[str]

    @property
    def ok(self) -> bool:
        return not self.differences and not self.media_missing and not self.media_altered

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, **asdict(self)}


def _repository(url_or_name: str) -> tuple[str, restic.Repository]:
    label, url = destinations_for([url_or_name])[0]
    return label, restic.Repository(url, restic.repository_password())


def _restic_refused(exc: restic.ResticError, label: str) -> BackupRefused:
    if "no snapshot" in exc.detail.lower() or "no matching ID" in exc.detail:
        return BackupRefused(_("%(name)s holds no such snapshot.") % {"name": label})
    if exc.kind == "no_repository":
        return BackupRefused(_("There is no backup repository at %(name)s.") % {"name": label})
    return BackupRefused(_error_sentence(exc, label))


def _snapshot_id(repo: restic.Repository, label: str, wanted: str) -> str:
    try:
        found = repo.snapshots()
    except restic.ResticError as exc:
        raise _restic_refused(exc, label) from None
    if not found:
        raise BackupRefused(_("%(name)s holds no Aigaq backup yet.") % {"name": label})
    if wanted in ("", "latest"):
        return str(found[-1]["id"])
    for item in found:
        if str(item["id"]).startswith(wanted) and len(wanted) >= 8:
            return str(item["id"])
    raise BackupRefused(_("%(name)s holds no such snapshot.") % {"name": label})


def _check_restored(
    *,
    folder: Path,
    manifest: dict[str, Any],
    counts: dict[str, int],
    hashes: list[str],
    key: str,
    snapshot_id: str,
) -> CheckReport:
    media = snapshot.media_check(folder / snapshot.MEDIA, hashes, key)
    return CheckReport(
        snapshot=snapshot_id[:8],
        engine=str(manifest["engine"]),
        created_at=str(manifest["created_at"]),
        records=sum(counts.values()),
        differences=snapshot.count_differences(manifest["counts"], counts),
        media_checked=media.checked,
        media_missing=media.missing,
        media_altered=media.altered,
    )


def backup_verify(*, source: str, snapshot_id: str = "latest") -> CheckReport:
    """Restore a snapshot into a temporary place (a scratch database on PostgreSQL), compare
    its record counts with the manifest and decrypt and hash every original its database
    names. The temporary copy is removed afterwards."""
    label, repo = _repository(source)
    folder = Path(settings.DATA_DIR)
    key = core_keys.load_key(core_keys.key_source(), folder)
    wanted = _snapshot_id(repo, label, snapshot_id)
    scratch_root = folder / "tmp"
    scratch_root.mkdir(parents=True, exist_ok=True, mode=0o700)
    scratch = Path(tempfile.mkdtemp(prefix="verify-", dir=scratch_root))
    try:
        try:
            repo.restore(wanted, scratch)
        except restic.ResticError as exc:
            raise _restic_refused(exc, label) from None
        stage = scratch / snapshot.STAGE
        manifest = snapshot.manifest_read(stage)
        try:
            if manifest["engine"] == snapshot.SQLCIPHER:
                db = stage / snapshot.SQLCIPHER_FILE
                counts = snapshot.counts_of_sqlcipher(db, key)
                hashes = snapshot.media_hashes_sqlcipher(db, key)
            else:
                server = dict(connections["default"].settings_dict)
                if snapshot.engine_of(server) != snapshot.POSTGRESQL:
                    raise BackupRefused(
                        _(
                            "This backup was made on PostgreSQL: verify it where Aigaq runs on "
                            "PostgreSQL (a scratch database is made there for it)."
                        )
                    )
                sealed_key = _media_key(key)
                with snapshot.pg_scratch_database(server) as name:
                    snapshot.pg_restore(stage / snapshot.PG_FILE, server, sealed_key, name)
                    counts = snapshot.counts_of_pg(server, name)
                    hashes = snapshot.media_hashes_pg(server, name)
        except snapshot.SnapshotError as exc:
            raise BackupRefused(str(exc)) from None
        return _check_restored(
            folder=scratch,
            manifest=manifest,
            counts=counts,
            hashes=hashes,
            key=key,
            snapshot_id=wanted,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _media_key(key: str) -> bytes:
    from aigaq.media.keys import derive_media_keys

    return derive_media_keys(key).encryption


def _is_empty(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def backup_restore(
    *,
    source: str,
    folder: Path,
    database: dict[str, Any],
    snapshot_id: str = "latest",
) -> CheckReport:
    """Restore a snapshot into an empty data folder `folder` (and, on PostgreSQL, into the
    empty database `database` names), then check it as `backup_verify` does. A non-empty
    folder or database is refused and left untouched; a restore that fails half-way removes
    what it wrote."""
    folder = Path(folder)
    engine = snapshot.engine_of(database)
    if not _is_empty(folder):
        raise BackupRefused(
            _(
                "The data folder %(folder)s is not empty: a restore goes only into an empty "
                "folder, so that nothing there is overwritten. Nothing was changed."
            )
            % {"folder": folder}
        )
    db_file = Path(str(database["NAME"])) if engine == snapshot.SQLCIPHER else None
    if db_file is not None and core_keys.database_exists(db_file):
        raise BackupRefused(
            _("The database %(file)s exists already: a restore does not overwrite it.")
            % {"file": db_file}
        )
    if engine == snapshot.POSTGRESQL and not snapshot.pg_is_empty(database):
        raise BackupRefused(
            _(
                "The PostgreSQL database %(name)s is not empty: a restore goes only into an "
                "empty database. Nothing was changed."
            )
            % {"name": database["NAME"]}
        )
    # No database to look a name up in yet: the destination is given by its address.
    url = _clean_url(source)
    label = restic.display_url(url)
    repo = restic.Repository(url, restic.repository_password())
    key = core_keys.load_key(core_keys.key_source(), folder)
    wanted = _snapshot_id(repo, label, snapshot_id)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    done = False
    try:
        try:
            repo.restore(wanted, folder)
        except restic.ResticError as exc:
            raise _restic_refused(exc, label) from None
        stage = folder / snapshot.STAGE
        try:
            manifest = snapshot.manifest_read(stage)
            if manifest["engine"] != engine:
                raise BackupRefused(
                    _(
                        "This backup was made on %(made)s and this installation uses %(here)s: "
                        "restore it on the same kind of database."
                    )
                    % {"made": manifest["engine"], "here": engine}
                )
            if db_file is not None:
                db_file.parent.mkdir(parents=True, exist_ok=True)
                os.replace(stage / snapshot.SQLCIPHER_FILE, db_file)
                counts = snapshot.counts_of_sqlcipher(db_file, key)
                hashes = snapshot.media_hashes_sqlcipher(db_file, key)
            else:
                snapshot.pg_restore(stage / snapshot.PG_FILE, database, _media_key(key))
                counts = snapshot.counts_of_pg(database, str(database["NAME"]))
                hashes = snapshot.media_hashes_pg(database, str(database["NAME"]))
        except snapshot.SnapshotError as exc:
            raise BackupRefused(str(exc)) from None
        snapshot.stage_remove(stage)
        report = _check_restored(
            folder=folder,
            manifest=manifest,
            counts=counts,
            hashes=hashes,
            key=key,
            snapshot_id=wanted,
        )
        done = True
        return report
    finally:
        if not done:
            _undo_restore(folder, db_file)


def _undo_restore(folder: Path, db_file: Path | None) -> None:
    """The folder was empty before: put it back so."""
    for entry in list(folder.iterdir()) if folder.exists() else []:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    if db_file is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
