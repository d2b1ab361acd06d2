"""A staff member's own page (second factor, recovery codes, "sign out everywhere", "My
activity") and an administrator's pages about another account (its activity, disable it, reset
its second factor). Services: core/accounts.py and core/twofactor.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aigaq.core import accounts, twofactor
from aigaq.staff import history
from aigaq.staff.access import cap_required


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    context = {
        "two_factor": twofactor.required_for(user),
        "has_authenticator": twofactor.authenticator_for(user) is not None,
        "recovery_left": twofactor.recovery_codes_left(user),
    }
    return render(request, "staff/account.html", context)


@require_POST
@login_required
def account_sign_out_all(request: HttpRequest) -> HttpResponse:
    accounts.sessions_end_all(user=request.user, actor=request.user)
    logout(request)
    return redirect("staff:login")


@require_POST
@login_required
def account_recovery_codes(request: HttpRequest) -> HttpResponse:
    if twofactor.authenticator_for(request.user) is None:
        raise PermissionDenied
    codes = twofactor.recovery_codes_new(user=request.user)
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": codes, "next_url": reverse("staff:account")},
    )


def _activity(request: HttpRequest, owner: Any, template_context: dict[str, Any]) -> HttpResponse:
    try:
        before = int(request.GET["before"]) if request.GET.get("before") else None
    except ValueError:
        before = None
    entries, next_before = accounts.activity_page(user=owner, before=before)
    context = {
        "owner": owner,
        "rows": history.readable(request.user, entries),
        "next_before": next_before,
        "first_page": before is None,
        **template_context,
    }
    return render(request, "staff/activity.html", context)


@login_required
def account_activity(request: HttpRequest) -> HttpResponse:
    return _activity(request, request.user, {"own": True})


@cap_required("users.manage")
def user_activity(request: HttpRequest, pk: int) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), pk=pk)
    if owner.pk == request.user.pk:
        return redirect("staff:account_activity")
    return _activity(
        request,
        owner,
        {"own": False, "has_authenticator": twofactor.authenticator_for(owner) is not None},
    )


@require_POST
@cap_required("users.manage")
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), pk=pk)
    try:
        accounts.user_disable(user=owner, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("%(name)s can no longer sign in; their sessions have ended.")
            % {"name": history.user_name(owner)},
        )
    return redirect("staff:user_activity", pk=owner.pk)


@require_POST
@cap_required("users.manage")
def user_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    owner = get_object_or_404(get_user_model(), pk=pk)
    twofactor.two_factor_reset(user=owner, actor=request.user)
    messages.success(
        request,
        _("%(name)s will set up a second factor again at their next sign-in.")
        % {"name": history.user_name(owner)},
    )
    return redirect("staff:user_activity", pk=owner.pk)
