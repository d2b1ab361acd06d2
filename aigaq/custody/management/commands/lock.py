from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.core import keys
from aigaq.custody.lock import lock
from aigaq.custody.shares import CustodyError


class Command(BaseCommand):
    help = (
        "Lock this machine at once: removes the database key (which the media keys come from) "
        "and stops `aigaq serve` and `aigaq worker`. After it the data folder is ciphertext "
        "only; `aigaq unlock` with two key shares brings it back. Refused while no shares "
        "were made for the key, unless --i-have-the-key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--i-have-the-key",
            action="store_true",
            help="lock although no shares were made: a copy of the key is kept elsewhere "
            "(without one the data is lost for good)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = lock(i_have_the_key=options["i_have_the_key"])
        except (CustodyError, keys.DatabaseKeyError) as exc:
            raise CommandError(str(exc)) from None
        for kind, pid in result.stopped:
            self.stdout.write(f"Stopped aigaq {kind} (process {pid}).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Locked: the key file {result.key_file} is gone. `aigaq unlock` with two "
                "shares brings it back."
            )
        )
