"""aigaq search QUERY [--json] [--limit N] [--status ...] [--place ...]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.search.selectors import SYSTEM, filters_from, search_persons


class Command(BaseCommand):
    help = (
        "Find persons by any form of their name, in any script or spelling (Гүлнар Серікқызы, "
        "Gulnar Serikqizi, 古丽娜尔), by part of a name, or by entry number (#123). "
        "Prints the best matches first. Merged-away entries are never shown; Chinese ID "
        "numbers are never searched or shown from the command line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="a name, part of a name, or an entry number")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print a JSON list of hits (entry_no, names, score, matched_name, reason)",
        )
        parser.add_argument("--limit", type=int, default=20, help="most hits (default 20)")
        parser.add_argument("--status", help="only this current status (e.g. camp, prison)")
        parser.add_argument(
            "--place", help="only persons from this place or inside it (a gazetteer code)"
        )
        parser.add_argument("--ethnicity", help="only this ethnicity (e.g. kazakh)")
        parser.add_argument("--tag", help="only persons with this tag (its key)")
        parser.add_argument("--grade", help="only this evidence grade")
        parser.add_argument("--born-from", type=int, help="born in or after this year")
        parser.add_argument("--born-to", type=int, help="born in or before this year")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = filters_from(options)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        hits = search_persons(
            user=SYSTEM, query=options["query"], filters=filters, limit=options["limit"]
        )
        if options["json"]:
            out = [
                {
                    "id": str(h.person.pk),
                    "entry_no": h.person.entry_no,
                    "names": h.names,
                    "score": h.score,
                    "matched_name": h.matched_name,
                    "reason": h.reason,
                    "status": h.person.current_status,
                }
                for h in hits
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        if not hits:
            self.stdout.write("No match.")
            return
        self.stdout.write(f"{'entry':>8}  {'score':>5}  {'why':<18} names")
        for h in hits:
            self.stdout.write(
                f"{'#' + str(h.person.entry_no):>8}  {h.score:5.2f}  {h.reason:<18} "
                + " / ".join(h.names)
            )
