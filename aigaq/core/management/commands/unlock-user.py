from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aigaq.core.services import user_unlock


class Command(BaseCommand):
    help = (
        "Lift the sign-in lockout of a user name (after too many failed sign-ins), from every "
        "address. The unlock is recorded in the audit log."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username", help="the user name to unlock, as typed at sign-in")

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        removed = user_unlock(username=username)
        if removed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{username} may sign in again ({removed} record(s) of failed sign-ins removed)."
                )
            )
        else:
            self.stdout.write(f"{username} was not locked out; nothing to do.")
