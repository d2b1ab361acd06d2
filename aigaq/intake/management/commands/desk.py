"""`aigaq desk report --date YYYY-MM-DD [--csv]`: the intake desk's day report."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.intake.selectors import day_report


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = (
        "The intake desk. `desk report` prints one day's counts: visits, testimonies recorded, "
        "by interviewer, by room, by reason and by status (numbers only: no names, no phones)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        rep = sub.add_parser(
            "report",
            help="print the day report",
            description="Print the intake desk's report for one day at the office.",
        )
        rep.add_argument(
            "--date",
            type=_date,
            default=None,
            help="the day, as YYYY-MM-DD (default: today)",
        )
        rep.add_argument(
            "--csv",
            action="store_true",
            help="write CSV (section,label,visits,testimonies) instead of a table",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        day = options.get("date") or timezone.localdate()
        report = day_report(day=day)
        if options.get("csv"):
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerows(report.csv_rows())
            return
        out = self.stdout
        out.write(f"Desk report {day.isoformat()}")
        out.write(f"  visits: {report.visits}")
        out.write(f"  testimonies recorded: {report.testimonies}")
        out.write(f"  left without being seen: {report.left}")
        wait = report.median_wait_minutes
        out.write(f"  median wait: {'-' if wait is None else f'{wait} min'}")
        for title, rows in (
            ("By interviewer", report.by_interviewer),
            ("By room", report.by_room),
            ("By reason", report.by_reason),
            ("By status", report.by_status),
        ):
            out.write(f"\n{title}")
            for r in rows:
                out.write(f"  {r.label:<40} {r.visits:>5} {r.testimonies:>5}")
