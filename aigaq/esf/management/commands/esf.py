"""`aigaq esf export -o FILE.json [--public-only]`: the records as HURIDOCS Events Standard
Formats (docs/interop.md)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.esf.export import esf_export


class Command(BaseCommand):
    help = (
        "Export the records as HURIDOCS Events Standard Formats (ESF) in JSON: each person an "
        "event with their acts (the status timeline), information (testimonies and their "
        "testifiers) and interventions (petitions), as disclosure allows (restricted fields, "
        "contacts and ID numbers never). `esf export -o FILE.json [--public-only]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write the ESF JSON file")
        exp.add_argument("-o", "--out", required=True, help="the JSON file to write")
        exp.add_argument(
            "--public-only",
            action="store_true",
            help="only what the public site publishes (initials where consent asks for them)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["out"]).expanduser()
        folder = out.parent
        if out.is_dir():
            raise CommandError(_("%(path)s is a folder: name a file to write.") % {"path": out})
        if not folder.is_dir():
            raise CommandError(
                _("The folder %(path)s does not exist; nothing was written.") % {"path": folder}
            )
        # Written beside the target under a temporary name and renamed when complete: a
        # failure leaves nothing, and never half a file under the name asked for.
        try:
            fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".esf-", suffix=".json")
        except OSError as exc:
            raise CommandError(
                _("%(path)s cannot be written (%(why)s); nothing was written.")
                % {"path": out, "why": exc.strerror}
            ) from None
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                report = esf_export(actor=None, out=fh, public_only=opts["public_only"])
            os.replace(tmp, out)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Wrote %(path)s: %(events)s events, %(acts)s acts, %(info)s information "
                    "records, %(interventions)s interventions."
                )
                % {
                    "path": out,
                    "events": report.events,
                    "acts": report.acts,
                    "info": report.information,
                    "interventions": report.interventions,
                }
            )
        )
