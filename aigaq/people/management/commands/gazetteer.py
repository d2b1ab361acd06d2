"""aigaq gazetteer load [--if-empty] [--file PATH]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.people.gazetteer import DEFAULT_PATH, gazetteer_load


class Command(BaseCommand):
    help = (
        "Load the gazetteer of places (Xinjiang, Kazakhstan, Kyrgyzstan) with their names in "
        "every script into the database. Safe to run again: existing places are updated by "
        "their code, new names added, nothing deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"], help="what to do: load")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has places (used by `make run`)",
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=DEFAULT_PATH,
            help=f"gazetteer JSON file (default: {DEFAULT_PATH.name} shipped with Aigaq)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = gazetteer_load(path=options["file"], if_empty=options["if_empty"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if result.skipped:
            self.stdout.write("Places already loaded: nothing to do.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Gazetteer: {result.created} places created, {result.updated} updated, "
                f"{result.names_added} names added."
            )
        )
