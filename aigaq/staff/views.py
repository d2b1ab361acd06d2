"""Staff pages. Views parse input, call services and selectors, and render; nothing more."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from aigaq.core import audit, twofactor
from aigaq.core.models import AuditEntry, User
from aigaq.staff import selectors


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user: Any = form.get_user()
        if twofactor.required_for(user):
            # The right password alone signs in no one who needs a second factor: the code
            # step does (staff/signin.py).
            twofactor.pending_start(self.request, user=user, next_url=self.get_redirect_url())
            if twofactor.authenticator_for(user) is None:
                return redirect("staff:login_enrol")
            return redirect("staff:login_code")
        response = super().form_valid(form)
        with transaction.atomic():
            audit.record(actor=user, action=AuditEntry.Action.LOGIN, obj=user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"
    success_url = reverse_lazy("staff:dashboard")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user: Any = self.request.user
        if getattr(user, "must_change_password", False):
            User.objects.filter(pk=user.pk).update(must_change_password=False)
        return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/dashboard.html", selectors.dashboard_data(user=request.user))
