"""Two-factor sign-in: who needs a second factor, the half-done sign-in between the password and
the code, and the services that enrol, check and reset the devices (django-otp's TOTP device and
its static device for the ten single-use recovery codes; decision 0016).

A sign-in is two steps. The password step (`staff.views.LoginView`) checks the password through
Django's authentication (django-axes counts a failure) and, for a role that needs a second
factor, does *not* sign in: it keeps only "this user gave the right password" in the session
(`pending_start`). The code step then signs in (`django.contrib.auth.login`, then
`django_otp.login`, which marks the session verified). A session signed in any other way (an
older session, a role that changed) is ended by `middleware.TwoFactorMiddleware` when it is not
verified. A wrong code is a failed sign-in for django-axes (so password and code failures add
up to one lockout that only a whole sign-in clears) and django-otp throttles each device on top
(each wrong code doubles the wait before the next), which survives a new password step.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aigaq.core import audit
from aigaq.core.models import AuditEntry, Role
from aigaq.core.permissions import role_of

RECOVERY_CODES = 10
PENDING_KEY = "aigaq_signin_pending"
# How long the code step waits after the right password before the password is asked again.
PENDING_SECONDS = 10 * 60
_TOTP_CODE = re.compile(r"^\d{6}$")


def required_for(user: Any) -> bool:
    """Every role but viewer signs in with a second factor."""
    role = role_of(user)
    return role is not None and role != Role.VIEWER


# --- the half-done sign-in ----------------------------------------------------------------------


def pending_start(request: HttpRequest, *, user: Any, next_url: str) -> None:
    request.session.cycle_key()  # a new session id once the password is known
    request.session[PENDING_KEY] = {
        "user": str(user.pk),
        "backend": getattr(user, "backend", ""),
        "since": int(time.time()),
        "next": next_url,
    }


def pending_user(request: HttpRequest) -> Any:
    """The user whose password was right in this session a short while ago, or None."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if int(time.time()) - int(pending.get("since", 0)) > PENDING_SECONDS:
        pending_clear(request)
        return None
    user: Any = get_user_model().objects.filter(pk=str(pending.get("user")), is_active=True).first()
    if user is None:
        pending_clear(request)
    else:
        user.backend = pending.get("backend") or "django.contrib.auth.backends.ModelBackend"
    return user


def pending_next(request: HttpRequest) -> str:
    pending = request.session.get(PENDING_KEY)
    return str(pending.get("next") or "") if isinstance(pending, dict) else ""


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


# --- devices --------------------------------------------------------------------------------------


def authenticator_for(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled: the same secret on every reload of the
    enrolment page, until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@dataclass(frozen=True)
class CodeCheck:
    device: Any  # the device that accepted the code, or None
    wait_seconds: int = 0  # > 0: refused unseen, django-otp's throttle asks to wait
    recovery_codes: list[str] | None = None  # an enrolment's new codes, to show once


def _throttle_wait(device: Any) -> int:
    """Seconds django-otp's throttle still asks to wait before `device` checks a code."""
    allowed, why = device.verify_is_allowed()
    if allowed:
        return 0
    until = (why or {}).get("locked_until")
    return max(1, int(until.timestamp() - time.time()) + 1) if until is not None else 1


def code_check(*, user: Any, code: str) -> CodeCheck:
    """Check a 6-digit code of the authenticator, or a recovery code (used up by the check)."""
    code = "".join(code.split()).lower()
    if _TOTP_CODE.match(code):
        devices: list[Any] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    else:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    with transaction.atomic():
        for device in devices:
            device = type(device).objects.select_for_update().get(pk=device.pk)
            wait = _throttle_wait(device)
            if wait:
                return CodeCheck(device=None, wait_seconds=wait)
            if device.verify_token(code):
                return CodeCheck(device=device)
    return CodeCheck(device=None)


def enrolment_confirm(*, user: Any, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm the authenticator with one of its codes: the check carries the ten new recovery
    codes (to be shown once), or no device when the code is wrong. Audited."""
    code = "".join(code.split())
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        wait = _throttle_wait(device)
        if wait:
            return CodeCheck(device=None, wait_seconds=wait)
        if not _TOTP_CODE.match(code) or not device.verify_token(code):
            return CodeCheck(device=None)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
        audit.record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=user,
            changes={"two_factor": [False, True]},
            note="two-factor sign-in enrolled",
        )
    return CodeCheck(device=device, recovery_codes=codes)


def _recovery_codes_replace(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=t) for t in codes])
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_reset(*, user: Any, actor: Any) -> None:
    """Remove the user's authenticator and recovery codes (a lost phone): the next sign-in
    enrols again. Audited."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=user,
            changes={"two_factor": [True, False]},
            note="two-factor sign-in reset",
        )


def recovery_codes_new(*, user: Any) -> list[str]:
    """Ten new recovery codes for a signed-in user (the old ones stop working). Audited."""
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit.record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=user,
            changes={"recovery_codes": [None, RECOVERY_CODES]},
            note="new recovery codes",
        )
    return codes
