"""Staff accounts: ending every session of a user ("sign out everywhere") and disabling an
account at once. Both raise the user's session generation, which every session's hash carries
(`User._get_session_auth_hash`): Django's own session check then ends each older session at its
next request, on any session engine, with no list of sessions to find. Audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from aigaq.core import audit, permissions
from aigaq.core.models import AuditEntry, User


def sessions_end_all(*, user: Any, actor: Any) -> None:
    """End every session of `user`, this one included (the caller signs in again)."""
    if actor is not None and actor.pk != user.pk:
        permissions.require(actor, "users.manage")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit.record(actor=actor, action=AuditEntry.Action.SIGN_OUT_ALL, obj=user)


def user_disable(*, user: Any, actor: Any, note: str = "") -> None:
    """Disable the account now: it can no longer sign in, and its sessions end at their next
    request. An administrator may not disable their own account (the last one would lock the
    group out)."""
    permissions.check(actor, "users.manage")
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot disable your own account."))
    with transaction.atomic():
        was_active = (
            User.objects.select_for_update()
            .filter(pk=user.pk)
            .values_list("is_active", flat=True)[0]
        )
        User.objects.filter(pk=user.pk).update(
            is_active=False, session_generation=F("session_generation") + 1
        )
        user.refresh_from_db(fields=["is_active", "session_generation"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DISABLE,
            obj=user,
            changes={"is_active": [was_active, False]},
            note=note,
        )


ACTIVITY_PAGE = 50


def activity_page(*, user: Any, before: int | None = None) -> tuple[list[AuditEntry], int | None]:
    """What `user` did (read, changed, signed in), newest first, a page at a time by keyset:
    the entries before the entry `before` (its id), and the id to ask the next page with."""
    entries = AuditEntry.objects.filter(actor=user).select_related("actor")
    if before is not None:
        last = AuditEntry.objects.filter(pk=before, actor=user).values_list("at", flat=True)
        at = last.first()
        if at is not None:
            entries = entries.filter(Q(at__lt=at) | Q(at=at, id__lt=before))
    page = list(entries.order_by("-at", "-id")[: ACTIVITY_PAGE + 1])
    more = len(page) > ACTIVITY_PAGE
    page = page[:ACTIVITY_PAGE]
    return page, (page[-1].pk if more and page else None)
