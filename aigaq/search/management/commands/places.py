"""aigaq places QUERY [--json] [--limit N]"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aigaq.search.selectors import search_places


class Command(BaseCommand):
    help = (
        "Find places of the gazetteer by any of their names, in any script: Shihezi, 石河子 "
        "and Шихэцзы find the same city; two characters (哈密) are enough."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="a place name or its beginning, in any script")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print a JSON list of places (id, code, kind, name, path, names, score)",
        )
        parser.add_argument("--limit", type=int, default=20, help="most places (default 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        hits = search_places(options["query"], limit=options["limit"])
        if options["json"]:
            out = [
                {
                    "id": str(h.place.pk),
                    "code": h.place.code,
                    "kind": h.place.kind,
                    "name": h.place.name,
                    "path": h.place.path,
                    "names": h.names,
                    "score": h.score,
                    "matched_name": h.matched_name,
                }
                for h in hits
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))
            return
        if not hits:
            self.stdout.write("No place found.")
            return
        for h in hits:
            self.stdout.write(
                f"{h.score:4.2f}  {h.place.kind:<10} {h.place.code:<32} " + " / ".join(h.names[:6])
            )
