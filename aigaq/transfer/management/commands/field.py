"""`aigaq field export|import`: field-trip bundles from the command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.transfer.bundle import BundleError
from aigaq.transfer.services import field_bundle_export, field_bundle_import, trip_find


def _read_secret(path: str | None) -> str | None:
    if not path:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"{path} cannot be read ({exc.strerror}).") from None
    return text.rstrip("\r\n") or None


class Command(BaseCommand):
    help = (
        "Field-trip bundles. `field export --trip T --out F (--passphrase-file P | --recipient "
        "AGE_KEY) [--persons-at PLACE_CODE] [--return]` writes one encrypted file for the trip "
        "laptop (or, with --return, the work done on the trip, to carry back). `field import F "
        "(--passphrase-file P | --identity KEYFILE) [--dry-run]` checks every hash, then merges."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write a bundle for a trip (or back from it)")
        exp.add_argument("--trip", required=True, help="the trip's id or exact name")
        exp.add_argument("--out", required=True, help="the bundle file to write")
        exp.add_argument("--passphrase-file", help="a file holding the passphrase")
        exp.add_argument("--recipient", help="an age public key (age1…) to encrypt for")
        exp.add_argument(
            "--persons-at",
            help="include the persons whose hometown is this place or inside it (a place code)",
        )
        exp.add_argument(
            "--return",
            dest="return_bundle",
            action="store_true",
            help="on the trip laptop: export what was recorded or changed on the trip",
        )
        imp = sub.add_parser("import", help="check and merge a bundle")
        imp.add_argument("bundle", help="the bundle file")
        imp.add_argument("--passphrase-file", help="a file holding the passphrase")
        imp.add_argument("--identity", help="an age identity file (AGE-SECRET-KEY-…)")
        imp.add_argument("--dry-run", action="store_true", help="check and report, change nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "export":
                self._export(opts)
            else:
                self._import(opts)
        except BundleError as exc:
            raise CommandError(str(exc)) from None

    def _export(self, opts: dict[str, Any]) -> None:
        trip = trip_find(opts["trip"])
        out = Path(opts["out"])
        tmp = out.with_name(out.name + ".partial")
        try:
            with tmp.open("wb") as fh:
                row = field_bundle_export(
                    actor=None,
                    trip=trip,
                    out=fh,
                    passphrase=_read_secret(opts.get("passphrase_file")),
                    recipient=opts.get("recipient"),
                    persons_at=opts.get("persons_at"),
                    return_bundle=opts["return_bundle"],
                )
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(row.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} (bundle {row.bundle_id}): {counts}"))

    def _import(self, opts: dict[str, Any]) -> None:
        identity = _read_secret(opts.get("identity"))
        path = Path(opts["bundle"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as fh:
            report = field_bundle_import(
                actor=None,
                fileobj=fh,
                passphrase=_read_secret(opts.get("passphrase_file")),
                identity_text=identity,
                dry_run=opts["dry_run"],
            )
        for line in report.lines():
            self.stdout.write(line)
        sys.stdout.flush()
