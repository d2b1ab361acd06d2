"""aigaq import FILE.csv|FILE.xlsx [--dry-run]: add persons from a volunteers' spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from aigaq.transfer.spreadsheet import SpreadsheetError, spreadsheet_import


def _cores() -> int:
    """Cores this process may use (search keys are computed on them during the import)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Command(BaseCommand):
    help = (
        "Import persons from a CSV (UTF-8) or Excel .xlsx file in the format of "
        "docs/import-format.md. Every row is checked first; bad rows are listed with their "
        "row number and nothing is written. Then the whole file goes in at once. Rows that "
        "look like existing entries, or like each other, are flagged on /duplicates/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .csv or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and show what would happen, then write nothing",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(p)s") % {"p": path})
        data = path.read_bytes()
        bar = tqdm(total=None, unit="rows", disable=None, desc=_("Importing"))
        state = {"n": 0}

        def progress(done: int, total: int = 0, step: str = "") -> None:
            if step:
                bar.set_description_str(str(step))
            if total and bar.total != total:
                bar.reset(total=total)
                state["n"] = 0
            bar.update(max(0, done - state["n"]))
            state["n"] = done

        try:
            report = spreadsheet_import(
                actor=None,
                data=data,
                file_name=path.name,
                dry_run=opts["dry_run"],
                progress=progress,
                workers=_cores(),
            )
        except SpreadsheetError as exc:
            raise CommandError(str(exc)) from None
        finally:
            bar.close()
        if report.unknown_columns:
            self.stdout.write(
                _("Unknown columns (ignored): %(c)s") % {"c": ", ".join(report.unknown_columns)}
            )
        if report.errors:
            for err in report.errors:
                self.stderr.write(str(err))
            raise CommandError(
                _("%(n)s problems in %(r)s rows; nothing was imported.")
                % {"n": len(report.errors), "r": report.rows}
            )
        for pair in report.flagged_pairs[:50]:
            self.stdout.write(
                _("Possible duplicate: %(a)s ~ %(b)s (%(s).2f)")
                % {"a": pair.a.label(), "b": pair.b.label(), "s": pair.score}
            )
        if len(report.flagged_pairs) > 50:
            self.stdout.write(
                _("… and %(n)s more pairs on /duplicates/.") % {"n": len(report.flagged_pairs) - 50}
            )
        verb = _("Would import") if report.dry_run else _("Imported")
        self.stdout.write(
            _(
                "%(verb)s %(n)s persons, %(e)s status events, %(t)s testifiers; %(f)s entries "
                "flagged as possible duplicates."
            )
            % {
                "verb": verb,
                "n": report.created,
                "e": report.events,
                "t": report.testifiers,
                "f": report.flagged,
            }
        )
