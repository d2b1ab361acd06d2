"""aigaq duplicates: find entries that look like the same person (and store them for review)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from aigaq.dedup import scan
from aigaq.dedup.selectors import reason_texts
from aigaq.dedup.services import candidates_refresh
from aigaq.people.models import Person


class Command(BaseCommand):
    help = (
        "Find pairs of entries that look like the same person (names across scripts, birth "
        "year, hometown, gender, ID number), store them as candidates for review on "
        "/duplicates/, and print them. Pairs marked 'not the same person' are never listed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--min-score",
            type=float,
            default=scan.DEFAULT_MIN_SCORE,
            help="lowest score (0 to 1) of a pair to keep (default %(default)s)",
        )
        parser.add_argument("--json", action="store_true", help="print the pairs as JSON lines")
        parser.add_argument(
            "--limit", type=int, default=200, help="print at most this many pairs (default 200)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        min_score = opts["min_score"]
        if not 0.0 <= min_score <= 1.0:
            self.stderr.write(_("--min-score must be between 0 and 1."))
            raise SystemExit(2)
        found, stats = candidates_refresh(actor=None, min_score=min_score)
        found.sort(key=lambda f: -f.score)
        shown = found[: opts["limit"]]
        numbers = dict(
            Person.objects.filter(pk__in={p for f in shown for p in (f.a, f.b)}).values_list(
                "pk", "entry_no"
            )
        )
        for f in shown:
            # Reasons are codes and names only: the ID number itself is never printed.
            if opts["json"]:
                self.stdout.write(
                    json.dumps(
                        {
                            "a": numbers.get(f.a),
                            "b": numbers.get(f.b),
                            "score": f.score,
                            "reasons": f.reasons,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                self.stdout.write(
                    f"#{numbers.get(f.a)} ~ #{numbers.get(f.b)}  {f.score:.2f}  "
                    + "; ".join(reason_texts(f.reasons))
                )
        if not opts["json"]:
            self.stdout.write(
                _(
                    "%(n)s candidate pairs among %(p)s entries (%(b)s pairs compared, %(h)s "
                    "very common names skipped) in %(s).1f s."
                )
                % {
                    "n": len(found),
                    "p": stats.persons,
                    "b": stats.pairs_scored,
                    "h": stats.hubs_skipped,
                    "s": sum(stats.seconds.values()),
                }
            )
