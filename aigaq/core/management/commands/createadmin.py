from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aigaq.core import audit
from aigaq.core.models import AuditEntry, Role


class Command(BaseCommand):
    help = (
        "Create an administrator account and print its one-time password once. The password "
        "must be changed at first sign-in. With --if-none, do nothing when an administrator exists."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="admin", help="user name (default: admin)")
        parser.add_argument(
            "--if-none", action="store_true", help="only if no administrator exists yet"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        if options["if_none"] and User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator already exists; nothing to do.")
            return
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"A user named {options['username']!r} already exists.")
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User.objects.create_superuser(
                username=options["username"],
                password=password,
                email="",
                role=Role.ADMIN,
                must_change_password=True,
            )
            audit.record(
                actor=None,
                action=AuditEntry.Action.CREATE,
                obj=user,
                changes={"role": [None, "admin"]},
            )
        self.stdout.write(
            self.style.WARNING(
                f"Administrator '{user.username}' created. One-time password (shown only now): {password}\n"
                "You will be asked to choose your own password at first sign-in."
            )
        )
