"""Sign-in throttling around django-axes: failed sign-ins go into Aigaq's audit log, and a
locked-out sign-in gets the sign-in page again with a sentence saying why and for how long.

Failed sign-ins reach us through Django's `user_login_failed` signal (connected in
`CoreConfig.ready`): it is the one place that sees every failure, on the staff sign-in page and
the admin's alike. The password never leaves Django's authentication: the signal carries the
credentials with the password masked, and only the user name and the address are recorded.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aigaq.core import audit


def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Receiver of `user_login_failed`: one audit entry per failed sign-in."""
    if request is None:  # authenticate() called from code, not a sign-in over the web
        return
    audit.record_sign_in_failure(
        username=str(credentials.get("username") or ""),
        address=get_client_ip_address(request) or "",
        # Set by django-axes (its receiver runs first) when this failure locks the user name
        # out, or when the user name was locked out already.
        locked_out=bool(getattr(request, "axes_locked_out", False)),
        # A wrong code of the second step (staff/signin.py), else a wrong password.
        step=str(credentials.get("step") or ""),
    )


def lockout_minutes() -> int:
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any]
) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the sign-in page, in the reader's language, saying
    that this user name is locked out from this address and for how long (HTTP 429)."""
    username = str((credentials or {}).get("username") or "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "locked_out": True,
        "lockout_minutes": lockout_minutes(),
    }
    return render(request, "registration/login.html", context, status=429)
