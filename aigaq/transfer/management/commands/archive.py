"""`aigaq archive export|import`: everything an instance holds, in one open archive file
(docs/archive-format.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.transfer.archive import archive_export, archive_import
from aigaq.transfer.bundle import BundleError
from aigaq.transfer.management.commands.field import _read_secret


class Command(BaseCommand):
    help = (
        "The full archive of this instance: every record, its history and the audit log, and "
        "every media file with its SHA-256, in one encrypted, documented file. `archive export "
        "FILE (--passphrase-file P | --recipient AGE_KEY)` writes it; `archive import FILE "
        "(--passphrase-file P | --identity KEYFILE)` reads it into a new, empty instance, all "
        "or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write the archive of this instance")
        exp.add_argument("file", help="the archive file to write")
        exp.add_argument("--passphrase-file", help="a file holding the passphrase")
        exp.add_argument("--recipient", help="an age public key (age1…) to encrypt for")
        exp.add_argument("--json", action="store_true", help="print what was written as JSON")
        imp = sub.add_parser("import", help="read an archive into this empty instance")
        imp.add_argument("file", help="the archive file")
        imp.add_argument("--passphrase-file", help="a file holding the passphrase")
        imp.add_argument("--identity", help="an age identity file (AGE-SECRET-KEY-…)")
        imp.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        imp.add_argument("--json", action="store_true", help="print what was imported as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "export":
                self._export(opts)
            else:
                self._import(opts)
        except BundleError as exc:
            raise CommandError(str(exc)) from None

    def _export(self, opts: dict[str, Any]) -> None:
        out = Path(opts["file"])
        tmp = out.with_name(out.name + ".partial")
        try:
            with tmp.open("wb") as fh:
                report = archive_export(
                    actor=None,
                    out=fh,
                    passphrase=_read_secret(opts.get("passphrase_file")),
                    recipient=opts.get("recipient"),
                )
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        if opts["json"]:
            self.stdout.write(json.dumps({"file": str(out), **report.as_dict()}, sort_keys=True))
            return
        rows = sum(report.records.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: {rows} records of {len(report.records)} kinds, "
                f"{report.media} media files, {report.renditions} renditions."
            )
        )

    def _import(self, opts: dict[str, Any]) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as fh:
            report = archive_import(
                fileobj=fh,
                passphrase=_read_secret(opts.get("passphrase_file")),
                identity_text=_read_secret(opts.get("identity")),
                dry_run=opts["dry_run"],
                progress=None if opts["json"] else self.stderr.write,
            )
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
            return
        rows = sum(report.records.values())
        verb = "Checked (nothing written)" if report.dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb}: {rows} records of {len(report.records)} kinds, {report.media} media "
                f"files, {report.renditions} renditions. Accounts have no password yet: set one "
                "with `aigaq changepassword USERNAME`."
            )
        )
