from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.core import keys
from aigaq.custody.lock import unlock
from aigaq.custody.shares import CustodyError


class Command(BaseCommand):
    help = (
        "Unlock after `aigaq lock`: rebuilds the database key from key shares (typed at the "
        "prompt, or one per line on standard input), checks that it opens the database, and "
        "puts the key file back. A wrong or mistyped share is refused and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--shares", type=int, default=2, help="how many shares to ask for (default 2)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if sys.stdin.isatty():
            shares = [
                getpass.getpass(f"Share {n} (the words, not shown): ")
                for n in range(1, options["shares"] + 1)
            ]
        else:
            shares = [line for line in sys.stdin.read().splitlines() if line.strip()]
        try:
            path = unlock(shares=shares)
        except (CustodyError, keys.DatabaseKeyError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Unlocked: the key is back in {path}. Start `aigaq serve` again.")
        )
