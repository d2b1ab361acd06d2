"""aigaq restore --from DEST [--snapshot ID]: a backup into an empty data folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from aigaq.backups.management.commands.backup import describe
from aigaq.backups.services import BackupRefused, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `aigaq backup` into an empty data folder (and, on "
        "PostgreSQL, an empty database), then check every record count and every file's "
        "SHA-256. The destination is given by its address (a folder, sftp:, rest:, s3:): "
        "there is no database yet to look a name up in. Needs the database key the backup "
        "was made under. See docs/backup.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, metavar="DEST")
        parser.add_argument("--snapshot", default="latest", metavar="ID")
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        database = dict(connections["default"].settings_dict)
        try:
            report = backup_restore(
                source=options["source"],
                folder=Path(settings.DATA_DIR),
                database=database,
                snapshot_id=options["snapshot"],
            )
        except BackupRefused as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(describe(options["source"], report))
        if not report.ok:
            raise CommandError(_("The restored copy does not match its backup."), returncode=1)
