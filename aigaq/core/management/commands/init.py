from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aigaq.core import keys
from aigaq.core.checks import ctype_problem

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _originals() -> Path:
    return Path(settings.MEDIA_ROOT) / "originals"


def _clear_media_exist() -> bool:
    """Originals as an older Aigaq stored them: originals/aa/bb/<sha256>, in clear."""
    return any(_HEX64.fullmatch(p.name) for p in _originals().glob("??/??/*"))


def _sealed_media_exist() -> bool:
    return next(_originals().glob("??/??/*.sealed"), None) is not None


class Command(BaseCommand):
    help = (
        "Create or upgrade the encrypted database, with its data folder and key. "
        "Prepares this machine: creates the data folder, creates a database key outside it if none "
        "exists (~/.config/aigaq/key, mode 0600), and creates or migrates the database. "
        "Safe to run again: it reuses everything and loses nothing. It never makes a new key for "
        "a database that exists: it says where the missing key was looked for instead. "
        "After an upgrade it encrypts the media originals an older Aigaq stored in clear."
    )

    def _media(self, verbosity: int) -> None:
        """The media archive: its keys are derived from the database key, so on PostgreSQL
        (no database key of its own) the same key file is created for the media alone; then
        the originals an older Aigaq stored in clear are sealed in place (resumable; the same
        as `aigaq media encrypt-existing`, which says how to finish if this is cut off)."""
        if os.environ.get("AIGAQ_DB_KEY"):
            pass
        elif settings.DATABASES["default"]["ENGINE"] != "aigaq.core.db.sqlcipher":
            source = keys.key_source()
            if source.path is not None:
                if not source.path.exists() and _sealed_media_exist():
                    raise CommandError(
                        f"The media archive holds encrypted files but their key ({source.path}) "
                        "is missing: a new key could not open them. Put the key file back."
                    )
                path, created = keys.ensure_key_file(source.path)
                if created:
                    self.stdout.write(
                        self.style.WARNING(
                            f"Created a new media key in {path}. Keep a copy of it somewhere "
                            "safe and apart from the data: without it the media archive "
                            "cannot be read."
                        )
                    )
                keys.load_key(source, keys.data_dir())
        if not _clear_media_exist():
            return
        self.stdout.write("Encrypting the media originals an older Aigaq stored in clear...")
        try:
            call_command(
                "media",
                "encrypt-existing",
                verbosity=1 if verbosity else 0,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        except CommandError as exc:
            raise CommandError(
                f"{exc} (The media originals could not all be encrypted; run "
                "`aigaq media encrypt-existing` to finish.)"
            ) from None

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
        self._media(options["verbosity"])
        self.stdout.write(
            self.style.SUCCESS(f"Database ready ({settings.DATABASES['default']['NAME']}).")
        )
