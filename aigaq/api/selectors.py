"""Reads of API tokens (never their secret: only its hash is stored)."""

from __future__ import annotations

from django.db.models import QuerySet

from aigaq.api.models import ApiToken


def api_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user").order_by("created_at")


def api_token_find(text: str) -> ApiToken | None:
    """The token whose id is `text` or starts with it (at least 8 characters, one match)."""
    text = text.strip().lower()
    if len(text) < 8:
        return None
    found = [t for t in ApiToken.objects.all() if str(t.pk).startswith(text)]
    return found[0] if len(found) == 1 else None
