"""`aigaq uwazi export|import`: persons in Uwazi's CSV import format (docs/interop.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.transfer.uwazi import TEMPLATES, UwaziError, uwazi_export, uwazi_import


class Command(BaseCommand):
    help = (
        "Persons to and from Uwazi (HURIDOCS). `uwazi export --template person -o FILE.csv` "
        "writes every live entry as Uwazi's CSV import expects it (restricted fields never); "
        "`uwazi import FILE.csv [--dry-run] [--json]` creates the persons of such a file, all "
        "or nothing, naming every unknown column and bad row."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write persons as Uwazi CSV")
        exp.add_argument("--template", default="person", choices=TEMPLATES)
        exp.add_argument("-o", "--out", required=True, help="the CSV file to write")
        imp = sub.add_parser("import", help="create persons from an Uwazi CSV")
        imp.add_argument("file", help="the CSV file")
        imp.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        imp.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "export":
                out = Path(opts["out"])
                with out.open("w", encoding="utf-8", newline="") as fh:
                    count = uwazi_export(actor=None, template=opts["template"], out=fh)
                self.stdout.write(self.style.SUCCESS(f"Wrote {out}: {count} persons."))
                return
            path = Path(opts["file"])
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
            with path.open("rb") as fh:
                report = uwazi_import(actor=None, fileobj=fh, dry_run=opts["dry_run"])
        except UwaziError as exc:
            raise CommandError(str(exc)) from None
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
            return
        verb = "Checked (nothing written)" if report.dry_run else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb}: {report.rows} persons."))
