"""The second step of signing in (aigaq/core/twofactor.py): the 6-digit code of an authenticator
app or a recovery code, and the enrolment of a first authenticator (a QR code, the secret as
text, one code to confirm, then the ten recovery codes shown once)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from aigaq.core import audit, twofactor
from aigaq.core.models import AuditEntry
from aigaq.core.signin import lockout_response


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


def _credentials(user: Any) -> dict[str, Any]:
    return {"username": user.get_username(), "step": "code"}


def _code_failed(request: HttpRequest, user: Any) -> None:
    """A wrong code is a failed sign-in: django-axes counts it with the wrong passwords of
    this user name from this address, and the audit log records it (core.signin)."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        twofactor.pending_clear(request)  # locked out: the password is asked again


def _locked_out(request: HttpRequest, user: Any) -> HttpResponse | None:
    credentials = _credentials(user)
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    twofactor.pending_clear(request)
    return lockout_response(request, None, credentials)


def _finish(request: HttpRequest, user: Any, device: Any, *, via: str) -> str:
    """Sign in for good: the session becomes the user's and is marked verified by `device`."""
    next_url = twofactor.pending_next(request) or resolve_url("staff:dashboard")
    twofactor.pending_clear(request)
    auth_login(request, user, backend=user.backend)
    django_otp.login(request, device)
    with transaction.atomic():
        audit.record(
            actor=user,
            action=AuditEntry.Action.LOGIN,
            obj=user,
            changes={"second_factor": via},
        )
    return next_url


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    user = twofactor.pending_user(request)
    if user is None:
        return redirect("staff:login")
    if twofactor.authenticator_for(user) is None:
        return redirect("staff:login_enrol")
    form = CodeForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        refused = _locked_out(request, user)
        if refused is not None:
            return refused
        check = twofactor.code_check(user=user, code=form.cleaned_data["code"])
        if check.device is not None:
            via = "recovery code" if check.device.persistent_id.startswith("otp_static") else "app"
            next_url = _finish(request, user, check.device, via=via)
            if via == "recovery code":
                left = twofactor.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. %(n)s recovery code is left.",
                        "You signed in with a recovery code. %(n)s recovery codes are left.",
                        left,
                    )
                    % {"n": left},
                )
            return redirect(next_url)
        if check.wait_seconds:
            wait = check.wait_seconds
        else:
            _code_failed(request, user)
            form.add_error("code", _("This code is not right. Type the code your app shows now."))
    return render(request, "registration/login_code.html", {"form": form, "wait": wait})


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    user = twofactor.pending_user(request)
    if user is None:
        return redirect("staff:login")
    if twofactor.authenticator_for(user) is not None:
        return redirect("staff:login_code")
    device = twofactor.enrolment_device(user)
    form = CodeForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        refused = _locked_out(request, user)
        if refused is not None:
            return refused
        check = twofactor.enrolment_confirm(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if check.device is not None:
            next_url = _finish(request, user, check.device, via="app")
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": check.recovery_codes, "next_url": next_url, "first": True},
            )
        if check.wait_seconds:
            wait = check.wait_seconds
        else:
            _code_failed(request, user)
            form.add_error(
                "code",
                _(
                    "This code is not right. Check the time on your phone, "
                    "then type the code it shows now."
                ),
            )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)
    context = {
        "form": form,
        "qr": qr,
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "username": user.get_username(),
        "wait": wait,
    }
    return render(request, "registration/login_enrol.html", context)
