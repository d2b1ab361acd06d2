from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline scripts: user text can never run), no caching
    of pages that carry personal data, and the forced password change after a one-time password."""

    CSP = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
        ):
            allowed = {reverse("staff:password_change"), reverse("staff:logout")}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("staff:password_change")
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
