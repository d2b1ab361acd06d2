"""API tokens: a person's key to the JSON API, limited by scopes. Only the token's SHA-256 is
stored; the token itself is shown once, when it is made (services.api_token_create)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class Scope(models.TextChoices):
    """What a token may be used for. The token's user keeps their role: a scope never gives
    more than the role allows (core/permissions.py), it only narrows it."""

    PUBLIC_READ = "public:read", _("read the public open data")
    INTERNAL_READ = "internal:read", _("read what the user may see on the staff side")
    WRITE = "write", _("write through the services, as the user")


#: Scopes that a scope includes: a token that may read internal records may read public ones.
IMPLIES: dict[str, frozenset[str]] = {
    Scope.INTERNAL_READ: frozenset({Scope.PUBLIC_READ}),
}


class ApiToken(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    #: The SHA-256 of the token, in hexadecimal: the token itself is never stored.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes: models.JSONField[Any, Any] = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    #: Masked in the audit log like every restricted field (it is a hash, but of a secret).
    RESTRICTED_FIELDS = frozenset({"digest"})

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return self.name or str(self.pk)

    def allows(self, scope: str) -> bool:
        held = set(self.scopes)
        for s in self.scopes:
            held |= IMPLIES.get(s, frozenset())
        return scope in held

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
