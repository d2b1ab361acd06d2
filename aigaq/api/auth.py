"""Who is calling: the bearer token, checked (401), counted (429) and held to the scope of the
endpoint (403). The token's user keeps their role: every endpoint then asks
core/permissions.py and aigaq/disclosure as the staff pages do."""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from aigaq.api.errors import ApiError
from aigaq.api.models import ApiToken
from aigaq.api.services import TokenRefused, api_token_check

#: The table the rate limit counts in (migration api/0003_rate_counts): one row per token and
#: window, (token_id, window_start, hits). Counts, not records: no model, left out of exports.
RATE_TABLE = "aigaq_api_rate"


def rate_limit(token: ApiToken) -> None:
    """A fixed window per token: at most AIGAQ_API_RATE requests in each window of
    AIGAQ_API_RATE_WINDOW seconds; over it, 429 with Retry-After (the seconds left in the
    window). The count is a row of a table of the database, so every server process on every
    machine counts against one limit (docs/api.md), and it is counted by one statement that
    adds and reads at once (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on PostgreSQL and
    SQLite alike): requests arriving at the same moment in several processes are each counted,
    and a request costs one round trip to the database."""
    limit: int = settings.AIGAQ_API_RATE
    window: int = settings.AIGAQ_API_RATE_WINDOW
    if limit <= 0:
        return
    now = time.time()
    start = int(now // window) * window
    count = _count_request(str(token.pk), start)
    if count > limit:
        wait = max(1, math.ceil(start + window - now))
        raise ApiError(
            429,
            _("Too many requests with this token: wait %(seconds)s seconds.") % {"seconds": wait},
            {"Retry-After": str(wait)},
        )


def _count_request(token_id: str, start: int) -> int:
    """Count one request of the token in the window that began at `start`; the window's count
    so far. The token's first request of a window also removes its earlier windows' rows."""
    table = connection.ops.quote_name(RATE_TABLE)
    # On PostgreSQL the count is committed without waiting for the disk (synchronous_commit
    # off for this statement's own transaction only, set by the statement itself: still one
    # round trip). A count lost in a crash of the database server lets a few requests more
    # through; nothing else is written this way. Every request then skips a flush to disk.
    values = (
        "SELECT %s, %s, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS quick"
        if connection.vendor == "postgresql" and not connection.in_atomic_block
        else "VALUES (%s, %s, 1)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token_id, window_start, hits) {values} "  # noqa: S608
            f"ON CONFLICT (token_id, window_start) DO UPDATE SET hits = {table}.hits + 1 "
            "RETURNING hits",
            [token_id, start],
        )
        count = int(cursor.fetchone()[0])
        if count == 1:
            cursor.execute(
                f"DELETE FROM {table} WHERE token_id = %s AND window_start < %s",  # noqa: S608
                [token_id, start],
            )
    return count


class TokenAuth(HttpBearer):
    """Bearer authentication that needs `scope`."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Any:
        # Read here rather than in HttpBearer, which logs a malformed header (a token) in DEBUG.
        value = request.headers.get(self.header) or ""
        kind, _sep, token = value.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            return None  # -> 401 (errors.py)
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            found = api_token_check(token)
        except TokenRefused as exc:
            raise ApiError(
                401, str(exc), {"WWW-Authenticate": 'Bearer error="invalid_token"'}
            ) from exc
        rate_limit(found)
        if not found.allows(self.scope):
            raise ApiError(
                403,
                _("This token's scopes (%(held)s) do not include %(scope)s.")
                % {"held": ", ".join(found.scopes), "scope": self.scope},
            )
        # What the endpoints read: the token's user, with their role.
        request.user = found.user
        return found


PUBLIC_READ = TokenAuth("public:read")
INTERNAL_READ = TokenAuth("internal:read")
WRITE = TokenAuth("write")
