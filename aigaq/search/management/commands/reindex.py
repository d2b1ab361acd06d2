"""aigaq reindex"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aigaq.people.models import Person
from aigaq.search.services import reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search index (match keys and substring index of every person's names) "
        "from the names in the database. Needed only after a change to the names library or "
        "an import that bypassed the services; every ordinary edit keeps the index current."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        total = Person.objects.count()
        step = max(1, total // 20)
        last = {"n": 0}

        def progress(done: int) -> None:
            if done - last["n"] >= step or done == total:
                last["n"] = done
                self.stdout.write(f"  {done}/{total} persons indexed", ending="\r")
                self.stdout.flush()

        count = reindex_all(progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt for {count} persons."))
