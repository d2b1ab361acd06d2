"""aigaq reindex"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aigaq.people.models import Person
from aigaq.search.services import index_is_current, index_mark_current, reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index (match keys and substring index of every person's names) "
        "from the names in the database. Needed only after a change to the names library or "
        "an import that bypassed the services; every ordinary edit keeps the index current. "
        "'aigaq init' runs it with --if-stale."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes computing match keys (default: one per CPU core)",
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="rebuild only an index built by an older version of Aigaq (a current one is "
            "left as it is)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_stale"]:
            if index_is_current():
                index_mark_current()
                return
            self.stdout.write(
                "The search index was built by an older version of Aigaq: rebuilding it "
                "(once; a few minutes for a large database)."
            )
        total = Person.objects.count()
        step = max(1, total // 20)
        last = {"n": 0}

        def progress(done: int) -> None:
            if done - last["n"] >= step or done == total:
                last["n"] = done
                self.stdout.write(f"  {done}/{total} persons indexed", ending="\r")
                self.stdout.flush()

        count = reindex_all(workers=max(1, options["workers"]), progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt for {count} persons."))
