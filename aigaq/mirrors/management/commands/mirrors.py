"""aigaq mirrors import FILE_OR_DIR... | aigaq mirrors check: where the testimonies are
published."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.mirrors.services import Offline, mirrors_check, mirrors_import
from aigaq.mirrors.ytdlp import ChannelFileError, read_all


class Command(BaseCommand):
    help = (
        "Mirrors, the places testimonies are published: `import` reads a channel's metadata "
        "written by yt-dlp (--dump-json lines or *.info.json files) and links each video to "
        "its testimony, or lists it for a person to confirm on /mirrors/; `check` records "
        "which mirror addresses still answer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import yt-dlp metadata files (offline)")
        imp.add_argument("paths", nargs="+", help="files or folders of yt-dlp metadata")
        imp.add_argument("--json", action="store_true", help="print one JSON object per video")
        imp.add_argument("--dry-run", action="store_true", help="show what would happen")
        chk = sub.add_parser("check", help="ask every mirror address whether it answers")
        chk.add_argument("--json", action="store_true", help="print one JSON object per mirror")
        chk.add_argument("--timeout", type=float, default=8.0, help="seconds per address")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "import":
            self._import(opts)
        else:
            self._check(opts)

    def _import(self, opts: dict[str, Any]) -> None:
        try:
            videos = read_all([Path(p) for p in opts["paths"]])
        except ChannelFileError as exc:
            raise CommandError(_("Nothing imported: %(e)s") % {"e": exc}) from None
        report = mirrors_import(actor=None, videos=videos, dry_run=opts["dry_run"])
        if opts["json"]:
            for row in report.rows:
                self.stdout.write(json.dumps(row.as_json(), ensure_ascii=False))
            return
        for row in report.rows:
            title = row.video.title or row.video.url
            if row.outcome == "candidates":
                numbers = ", ".join(f"T{c['number']} ({c['score']:.2f})" for c in row.candidates)
                self.stdout.write(_("To confirm: %(t)s — maybe %(c)s") % {"t": title, "c": numbers})
            elif row.outcome == "unmatched":
                self.stdout.write(_("Published but not in the archive: %(t)s") % {"t": title})
        verb = _("Would record") if report.dry_run else _("Recorded")
        self.stdout.write(
            _(
                "%(verb)s %(n)s videos: %(l)s linked to their testimony, %(a)s already "
                "linked, %(c)s to confirm on /mirrors/, %(u)s not in the archive."
            )
            % {
                "verb": verb,
                "n": len(report.rows),
                "l": report.count("linked"),
                "a": report.count("already"),
                "c": report.count("candidates"),
                "u": report.count("unmatched"),
            }
        )

    def _check(self, opts: dict[str, Any]) -> None:
        try:
            results = mirrors_check(actor=None, timeout=opts["timeout"])
        except Offline as exc:
            raise CommandError(
                _(
                    "No mirror could be reached (%(e)s): this machine seems offline. "
                    "Nothing was changed."
                )
                % {"e": exc}
            ) from None
        if not results:
            self.stdout.write(_("No mirrors recorded yet."))
            return
        for r in results:
            if opts["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "url": r.mirror.url,
                            "status": r.status,
                            "http_status": r.http_status,
                            "error": r.error,
                        },
                        ensure_ascii=False,
                    )
                )
            elif r.status != "answering":
                self.stdout.write(f"{r.mirror.get_last_status_display()}: {r.mirror.url}")
        if not opts["json"]:
            answering = sum(1 for r in results if r.status == "answering")
            gone = sum(1 for r in results if r.status == "gone")
            self.stdout.write(
                _("%(n)s mirrors checked: %(a)s answering, %(g)s gone, %(u)s unknown.")
                % {
                    "n": len(results),
                    "a": answering,
                    "g": gone,
                    "u": len(results) - answering - gone,
                }
            )
