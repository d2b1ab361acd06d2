"""`aigaq api token create|list|revoke`: tokens for the JSON API (docs/api.md)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.api.models import ApiToken, Scope
from aigaq.api.selectors import api_token_find, api_tokens
from aigaq.api.services import MAX_DAYS, api_token_create, api_token_revoke
from aigaq.core.models import User


def _row(t: ApiToken) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": str(t.pk),
        "user": t.user.get_username(),
        "name": t.name,
        "scopes": list(t.scopes),
        "created": when(t.created_at),
        "expires": when(t.expires_at),
        "revoked": when(t.revoked_at),
        "last_used": when(t.last_used_at),
    }


class Command(BaseCommand):
    help = (
        "Tokens for the JSON API at /api/v1/. `api token create --user U --scope S [--scope S] "
        "[--expires DAYS] [--name N] [--json]` prints a new token once (only its hash is kept); "
        "`api token list [--json]`; `api token revoke ID`. Scopes: " + ", ".join(Scope.values) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", required=True)
        token = what.add_parser("token", help="API tokens")
        sub = token.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a token and print it once")
        create.add_argument("--user", required=True, help="the user name it acts as")
        create.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=Scope.values,
            help="what it may do (repeat for several)",
        )
        create.add_argument(
            "--expires",
            type=int,
            metavar="DAYS",
            default=90,
            help=f"days it lives (1 to {MAX_DAYS}; default 90)",
        )
        create.add_argument("--name", default="", help="what it is for, shown by `list`")
        create.add_argument("--json", action="store_true", help="print JSON")
        listing = sub.add_parser("list", help="every token (never the token itself)")
        listing.add_argument("--json", action="store_true", help="print JSON")
        revoke = sub.add_parser("revoke", help="revoke a token for good")
        revoke.add_argument("id", help="the token's id (or its first 8 or more characters)")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "create":
            self._create(opts)
        elif action == "list":
            self._list(opts)
        else:
            self._revoke(opts)

    def _create(self, opts: dict[str, Any]) -> None:
        user = User.objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"There is no user named {opts['user']!r}.")
        try:
            made = api_token_create(
                actor=None, user=user, scopes=opts["scope"], days=opts["expires"], name=opts["name"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if opts["json"]:
            self.stdout.write(json.dumps({**_row(made.record), "token": made.token}, indent=2))
            return
        self.stdout.write(made.token)
        self.stderr.write(
            f"Token {made.record.pk} for {user.get_username()} ({', '.join(made.record.scopes)}), "
            f"expires {made.record.expires_at:%Y-%m-%d}. It is shown this once: only its hash "
            "is kept."
        )

    def _list(self, opts: dict[str, Any]) -> None:
        rows = [_row(t) for t in api_tokens()]
        if opts["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("No API tokens.")
            return
        for r in rows:
            state = "revoked" if r["revoked"] else f"expires {(r['expires'] or 'never')[:10]}"
            self.stdout.write(
                f"{r['id']}  {r['user']:<16} {','.join(r['scopes']):<30} {state:<20} "
                f"last used {(r['last_used'] or 'never')[:16]}  {r['name']}"
            )

    def _revoke(self, opts: dict[str, Any]) -> None:
        token = api_token_find(opts["id"])
        if token is None:
            raise CommandError(f"No token has the id {opts['id']!r} (see `aigaq api token list`).")
        if token.revoked_at is not None:
            self.stdout.write(f"Token {token.pk} was already revoked.")
            return
        api_token_revoke(actor=None, token=token)
        self.stdout.write(f"Token {token.pk} revoked.")
