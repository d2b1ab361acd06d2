"""Writes of submissions: a visitor's (no account: never audited with an actor, and the
rate limit counted per client), and a curator's review (audited)."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core.permissions import check
from aigaq.core.services import update_audited
from aigaq.corrections.models import Submission

#: At most this many submissions per client address per hour.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)


class RateLimited(Exception):
    """Too many submissions from one client in the last hour."""


def client_key(address: str) -> str:
    """A keyed hash of a client address: enough to count one client's submissions, never the
    address itself (visitors may be at risk too)."""
    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, b"corrections:" + address.encode(), hashlib.sha256).hexdigest()


def recent_from(key: str) -> int:
    since = timezone.now() - RATE_WINDOW
    return Submission.objects.filter(client_key=key, created_at__gte=since).count()


def submission_create(
    *, entry_no: int | None, message: str, contact: str, language: str, address: str
) -> Submission:
    """Store a visitor's submission, unless their client sent RATE_LIMIT in the last hour
    (RateLimited). Refused with ValidationError when a field is too long or empty."""
    key = client_key(address or "unknown")
    with transaction.atomic():
        if recent_from(key) >= RATE_LIMIT:
            raise RateLimited
        obj = Submission(
            entry_no=entry_no,
            message=message.strip(),
            contact=contact.strip(),
            language=language[:10],
            client_key=key,
        )
        obj.full_clean()
        obj.save()
    return obj


def submission_review(
    *, actor: Any, submission: Submission, status: str, note: str = ""
) -> Submission:
    """Mark a submission reviewed or rejected (audited; the contact never in the log)."""
    check(actor, "corrections.review")
    if status not in (
        Submission.Status.REVIEWED,
        Submission.Status.REJECTED,
        Submission.Status.NEW,
    ):
        raise ValidationError({"status": _("Choose reviewed or rejected.")})
    return update_audited(
        submission,
        actor=actor,
        changes={
            "status": status,
            "reviewer": actor if status != Submission.Status.NEW else None,
            "reviewed_at": timezone.now() if status != Submission.Status.NEW else None,
            "review_note": note.strip(),
        },
        expected_version=None,
    )
