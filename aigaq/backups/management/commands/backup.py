"""aigaq backup [--to DEST ...] [--json] | backup destination add|list|remove | backup verify."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.backups import restic
from aigaq.backups.models import BackupDestination
from aigaq.backups.services import (
    BackupRefused,
    backup_run,
    backup_verify,
    destination_add,
    destination_remove,
)


class Command(BaseCommand):
    help = (
        "Back up the database and the encrypted media with restic to one or more destinations "
        "(a folder or USB disk, sftp:, rest:, s3:). Without --to, to every configured "
        "destination; `destination add|list|remove` configures them once; `verify` restores "
        "the latest snapshot into a temporary place and checks every record count and every "
        "file's SHA-256. See docs/backup.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            action="append",
            metavar="DEST",
            help="a configured destination's name, or a restic address (repeatable)",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help="for a systemd timer or cron: to every destination, silent when all went well",
        )
        sub = parser.add_subparsers(dest="action")
        dest = sub.add_parser("destination", help="configure where backups go")
        dest_sub = dest.add_subparsers(dest="destination_action", required=True)
        add = dest_sub.add_parser("add", help="add a destination: NAME and a restic address")
        add.add_argument("name", metavar="NAME")
        add.add_argument("url", metavar="URL")
        listing = dest_sub.add_parser("list", help="the destinations and their last backup")
        listing.add_argument("--json", action="store_true")
        remove = dest_sub.add_parser("remove", help="forget a destination (its data stays)")
        remove.add_argument("name", metavar="NAME")
        verify = sub.add_parser(
            "verify", help="restore into a temporary place and compare; exit 1 on a mismatch"
        )
        verify.add_argument(
            "--from", dest="source", metavar="DEST", help="default: every configured destination"
        )
        verify.add_argument("--snapshot", default="latest", metavar="ID")
        verify.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "destination":
                self._destination(options)
            elif options["action"] == "verify":
                self._verify(options)
            else:
                self._backup(options)
        except BackupRefused as exc:
            raise CommandError(str(exc)) from None

    def _backup(self, options: dict[str, Any]) -> None:
        to = None if options["scheduled"] else options["to"]
        report = backup_run(to=to)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for sent in report.sent:
                if sent.ok and options["scheduled"]:
                    continue
                if sent.ok:
                    self.stdout.write(
                        _(
                            "%(name)s: snapshot %(snapshot)s, %(new)d new files, %(added)s bytes "
                            "added."
                        )
                        % {
                            "name": sent.destination,
                            "snapshot": sent.snapshot[:8],
                            "new": sent.files_new,
                            "added": sent.data_added,
                        }
                    )
                else:
                    self.stderr.write(f"{sent.destination}: {sent.error}")
        if not report.ok:
            raise CommandError(_("The backup did not reach every destination."), returncode=1)

    def _destination(self, options: dict[str, Any]) -> None:
        action = options["destination_action"]
        if action == "add":
            destination = destination_add(actor=None, name=options["name"], url=options["url"])
            self.stdout.write(
                _("Destination %(name)s added: %(url)s")
                % {"name": destination.name, "url": restic.display_url(destination.url)}
            )
        elif action == "remove":
            destination_remove(actor=None, name=options["name"])
            self.stdout.write(
                _("Destination %(name)s removed; its repository was left as it is.")
                % {"name": options["name"]}
            )
        else:
            rows = [
                {
                    "name": d.name,
                    "url": restic.display_url(d.url),
                    "last_ok_at": d.last_ok_at.isoformat() if d.last_ok_at else None,
                    "last_snapshot": d.last_snapshot,
                    "last_error": d.last_error,
                }
                for d in BackupDestination.objects.order_by("name")
            ]
            if options["json"]:
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
                return
            if not rows:
                self.stdout.write(_("No destination is configured."))
            for row in rows:
                last = row["last_ok_at"] or _("never")
                line = f"{row['name']}\t{row['url']}\t{last}"
                if row["last_error"]:
                    line += f"\t{row['last_error']}"
                self.stdout.write(line)

    def _verify(self, options: dict[str, Any]) -> None:
        sources = (
            [options["source"]]
            if options["source"]
            else list(BackupDestination.objects.order_by("name").values_list("name", flat=True))
        )
        if not sources:
            raise CommandError(_("No destination is configured: give one with --from."))
        reports = []
        for source in sources:
            report = backup_verify(source=source, snapshot_id=options["snapshot"])
            reports.append((source, report))
        if options["json"]:
            out = [{"destination": s, **r.as_dict()} for s, r in reports]
            self.stdout.write(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False))
        else:
            for source, report in reports:
                self.stdout.write(describe(source, report))
        if not all(r.ok for _s, r in reports):
            raise CommandError(_("The backup does not match what it should hold."), returncode=1)


def describe(source: str, report: Any) -> str:
    """One paragraph on a restored copy (verify and restore print it)."""
    lines = [
        _(
            "%(source)s, snapshot %(snapshot)s of %(when)s (%(engine)s): %(records)d records, "
            "%(files)d media files checked."
        )
        % {
            "source": restic.display_url(source),
            "snapshot": report.snapshot,
            "when": report.created_at,
            "engine": report.engine,
            "records": report.records,
            "files": report.media_checked,
        }
    ]
    for label, (expected, found) in report.differences.items():
        lines.append(
            _("  %(model)s: %(expected)d records expected, %(found)d found")
            % {"model": label, "expected": expected, "found": found}
        )
    for sha in report.media_missing:
        lines.append(_("  missing file %(sha)s") % {"sha": sha})
    for sha in report.media_altered:
        lines.append(_("  altered file %(sha)s") % {"sha": sha})
    lines.append(_("Everything matches.") if report.ok else _("MISMATCH."))
    return "\n".join(lines)
