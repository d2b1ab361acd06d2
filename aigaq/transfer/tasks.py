"""Imports run as background jobs by `aigaq worker` (core/jobs.py), started from their pages:
a volunteers' spreadsheet and a field bundle. Each keeps its all-or-nothing rule: a refused
file changes nothing, and the job's page says why (the spreadsheet's row errors listed)."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from aigaq.core.jobs import (
    JobRefused,
    Progress,
    job_effect,
    job_file_bytes,
    job_file_path,
    job_run,
    job_start,
)
from aigaq.core.models import Job
from aigaq.transfer.bundle import BundleError
from aigaq.transfer.services import ImportReport as BundleReport
from aigaq.transfer.services import field_bundle_import
from aigaq.transfer.spreadsheet import (
    MAX_BYTES,
    ImportReport,
    SpreadsheetError,
    spreadsheet_import,
)

SPREADSHEET = "spreadsheet_import"
BUNDLE = "bundle_import"
# A job's page lists at most this many row errors (and says how many there were).
ERRORS_KEPT = 1000
# ... and at most this many possible duplicate pairs (the rest are on /duplicates/).
PAIRS_KEPT = 200


def spreadsheet_import_start(
    *, actor: Any, fileobj: IO[bytes], file_name: str, dry_run: bool = False
) -> Job:
    """Keep the uploaded file (encrypted) and queue its import as a job. A file too large to
    import is refused here (SpreadsheetError), before anything is kept."""
    size = getattr(fileobj, "size", None)
    if size is not None and size > MAX_BYTES:
        raise SpreadsheetError(_("The file is larger than 64 MB; split it into several files."))
    return job_start(
        kind=SPREADSHEET,
        actor=actor,
        task=spreadsheet_import_task,
        title=_("Spreadsheet import: %(file)s") % {"file": file_name},
        capability="import.run",
        params={"file_name": file_name[:300], "dry_run": bool(dry_run)},
        files={"upload": fileobj},
    )


@task()
def spreadsheet_import_task(job_id: str) -> str:
    return job_run(job_id, _spreadsheet_import)


def _spreadsheet_import(job: Job, progress: Progress) -> Mapping[str, Any]:
    try:
        report = spreadsheet_import(
            actor=job.created_by,
            data=job_file_bytes(job, "upload"),
            file_name=job.params["file_name"],
            dry_run=job.params["dry_run"],
            progress=progress,
            # The result is recorded with the persons, in their transaction: a run of this
            # job again after its worker was lost past that commit imports nothing twice.
            on_written=lambda written: job_effect(_spreadsheet_summary(written)),
        )
    except SpreadsheetError as exc:
        raise JobRefused(str(exc)) from None
    summary = _spreadsheet_summary(report)
    if report.errors:
        n = len(report.errors)
        raise JobRefused(
            ngettext(
                "%(n)s problem; nothing was imported.", "%(n)s problems; nothing was imported.", n
            )
            % {"n": n},
            result=summary,
        )
    return summary


def _spreadsheet_summary(report: ImportReport) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run,
        "rows": report.rows,
        "unknown_columns": report.unknown_columns,
        "created": report.created,
        "events": report.events,
        "testifiers": report.testifiers,
        "flagged": report.flagged,
        # Named by row (a row of the file) or number (an entry already here) on the page.
        "pairs": [
            {"a": p.a.as_dict(), "b": p.b.as_dict(), "score": round(p.score, 2)}
            for p in report.flagged_pairs[:PAIRS_KEPT]
        ],
        "pair_count": len(report.flagged_pairs),
        "error_count": len(report.errors),
        "errors": [str(e) for e in report.errors[:ERRORS_KEPT]],
    }


def bundle_import_start(
    *,
    actor: Any,
    fileobj: IO[bytes],
    passphrase: str | None = None,
    identity_text: str | None = None,
    dry_run: bool = False,
) -> Job:
    """Keep the uploaded bundle (already encrypted) and the key that opens it (encrypted to
    the job's own key) and queue its import as a job."""
    key = json.dumps({"passphrase": passphrase, "identity": identity_text}).encode()
    return job_start(
        kind=BUNDLE,
        actor=actor,
        task=bundle_import_task,
        title=_("Field bundle import"),
        capability="import.run",
        params={"dry_run": bool(dry_run)},
        files={"key": io.BytesIO(key)},
        encrypted_files={"bundle": fileobj},
    )


@task()
def bundle_import_task(job_id: str) -> str:
    return job_run(job_id, _bundle_import)


def _bundle_import(job: Job, progress: Progress) -> Mapping[str, Any]:
    key = json.loads(job_file_bytes(job, "key"))
    try:
        with job_file_path(job, "bundle").open("rb") as fh:
            report = field_bundle_import(
                actor=job.created_by,
                fileobj=fh,
                passphrase=key["passphrase"],
                identity_text=key["identity"],
                dry_run=job.params["dry_run"],
                progress=progress,
                on_written=lambda written: job_effect(_bundle_summary(written)),
            )
    except BundleError as exc:
        raise JobRefused(str(exc)) from None
    return _bundle_summary(report)


def _bundle_summary(report: BundleReport) -> dict[str, Any]:
    return {
        "lines": report.lines(),
        "dry_run": report.dry_run,
        "already_imported": report.already_imported,
        "conflicts": report.conflicts,
        "candidates": report.candidates,
    }
