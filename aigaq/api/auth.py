"""Who is calling: the bearer token, checked (401), counted (429) and held to the scope of the
endpoint (403). The token's user keeps their role: every endpoint then asks
core/permissions.py and aigaq/disclosure as the staff pages do."""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from aigaq.api.errors import ApiError
from aigaq.api.models import ApiToken
from aigaq.api.services import TokenRefused, api_token_check


def rate_limit(token: ApiToken) -> None:
    """A fixed window per token in Django's cache: at most AIGAQ_API_RATE requests in each
    window of AIGAQ_API_RATE_WINDOW seconds; over it, 429 with Retry-After (the seconds left
    in the window). The count lives in the "shared" cache, a table of the database, so every
    server process on every machine counts against one limit (docs/api.md). Django's
    DatabaseCache increments by a read then a write: requests arriving at the very same moment
    in several processes may each count once where two were due, so the limit can be passed by
    at most one request per process at a time; it is a brake on scripts, not an exact quota."""
    limit: int = settings.AIGAQ_API_RATE
    window: int = settings.AIGAQ_API_RATE_WINDOW
    if limit <= 0:
        return
    now = time.time()
    start = int(now // window) * window
    key = f"aigaq:api:rate:{token.pk}:{start}"
    cache = caches["shared"]
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the count expired between add and incr: a new window
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        wait = max(1, math.ceil(start + window - now))
        raise ApiError(
            429,
            _("Too many requests with this token: wait %(seconds)s seconds.") % {"seconds": wait},
            {"Retry-After": str(wait)},
        )


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
