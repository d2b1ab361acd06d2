"""API tokens: made, revoked and checked here, and nowhere else.

A token is ``aigaq_`` followed by 43 random URL-safe characters (256 bits). Only its SHA-256 is
stored, so a copy of the database gives no working token; the token is shown once, when it is
made. Making and revoking are audited; each use updates ``last_used_at`` (at most once a minute).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.api.models import ApiToken, Scope
from aigaq.core.permissions import check, role_of
from aigaq.core.services import create_audited, update_audited

PREFIX = "aigaq_"
#: The longest life a token may be given, in days (ten years).
MAX_DAYS = 3650
#: `last_used_at` is written at most this often per token (a write per request would not do).
LAST_USED_EVERY = dt.timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    record: ApiToken
    #: The token itself: shown once, never stored.
    token: str


def api_token_create(
    *,
    actor: Any,
    user: Any,
    scopes: Sequence[str],
    days: int | None = None,
    name: str = "",
) -> NewToken:
    """A new token for `user`, limited to `scopes`, valid for `days` (None: it never expires).
    Raises ValidationError with a sentence for an unknown scope, a life out of range, or a user
    who may not sign in."""
    check(actor, "users.manage")
    wanted = sorted(set(scopes))
    unknown = [s for s in wanted if s not in Scope.values]
    if not wanted or unknown:
        raise ValidationError(
            _("Give one or more scopes among: %(known)s.") % {"known": ", ".join(Scope.values)}
        )
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            _("A token lives from 1 to %(max)s days.") % {"max": MAX_DAYS}, code="days"
        )
    if role_of(user) is None:
        raise ValidationError(_("This user may not sign in (inactive): no token is made."))
    token = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=days) if days is not None else None
    record = create_audited(
        ApiToken,
        actor=actor,
        data={
            "user": user,
            "name": name.strip()[:100],
            "digest": token_digest(token),
            "scopes": wanted,
            "expires_at": expires,
        },
    )
    return NewToken(record, token)


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token for good (a revoked token is refused with 401 from the next request)."""
    check(actor, "users.manage")
    if token.revoked_at is not None:
        return token
    return update_audited(
        token, actor=actor, changes={"revoked_at": timezone.now()}, expected_version=None
    )


class TokenRefused(Exception):
    """A token that may not be used: the sentence says why (unknown, expired, revoked)."""


def api_token_check(token: str) -> ApiToken:
    """The live token `token` names, its user loaded; raises TokenRefused with the reason."""
    if not token.startswith(PREFIX) or len(token) > 200:
        raise TokenRefused(_("This is not an Aigaq API token."))
    found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if found is None:
        raise TokenRefused(_("No such token (it may have been mistyped)."))
    if found.revoked_at is not None:
        raise TokenRefused(_("This token was revoked."))
    if found.expired:
        raise TokenRefused(_("This token has expired: ask for a new one."))
    if role_of(found.user) is None:
        raise TokenRefused(_("The account of this token is inactive."))
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
        with transaction.atomic():
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found
