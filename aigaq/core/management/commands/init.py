from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aigaq.core import keys
from aigaq.core.checks import ctype_problem


class Command(BaseCommand):
    help = (
        "Create or upgrade the encrypted database, with its data folder and key. "
        "Prepares this machine: creates the data folder, creates a database key outside it if none "
        "exists (~/.config/aigaq/key, mode 0600), and creates or migrates the database. "
        "Safe to run again: it reuses everything and loses nothing. It never makes a new key for "
        "a database that exists: it says where the missing key was looked for instead."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        data = keys.data_dir()
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = settings.DATABASES["default"]["ENGINE"]
        if engine == "aigaq.core.db.sqlcipher" and not os.environ.get("AIGAQ_DB_KEY"):
            source = keys.key_source()
            if source.path is not None:
                # Never a new key beside an existing database: it could not open it.
                path, created = keys.ensure_key_file(
                    source.path,
                    database=Path(settings.DATABASES["default"]["NAME"]),
                    description=source.description,
                )
                if created:
                    self.stdout.write(
                        self.style.WARNING(
                            f"Created a new database key in {path}. Keep a copy of it somewhere "
                            "safe and apart from the data: without it the database cannot be read."
                        )
                    )
            keys.load_key(source, data)
        problem = ctype_problem(connection)  # before anything is created in it
        if problem:
            raise CommandError(problem)
        call_command(
            "migrate",
            interactive=False,
            verbosity=options["verbosity"] - 1 if options["verbosity"] else 0,
        )
        # The search app rebuilds its index when the names library that built it is older.
        call_command("reindex", if_stale=True, stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(f"Database ready ({settings.DATABASES['default']['NAME']}).")
        )
