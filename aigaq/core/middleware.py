from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class SessionIdleTimeoutMiddleware:
    """Sign out a session that has made no request for SESSION_IDLE_SECONDS.

    Each request of a signed-in user renews the session, at most once a minute (so that the
    desk board's polling every few seconds does not write the session each time); the renewal
    also moves the session's expiry in the database and the cookie (SESSION_COOKIE_AGE is the
    idle time), so an abandoned session ends even if its cookie is kept. The clock starts at
    sign-in (`start_idle_clock`), so the first page after it writes nothing more."""

    KEY = "aigaq_last_seen"
    RENEW_AFTER = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                logout(request)  # the page then asks to sign in again, as for any visitor
            elif last_seen is None or now - int(last_seen) >= self.RENEW_AFTER:
                request.session[self.KEY] = now
        return self.get_response(request)


def start_idle_clock(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Receiver of `user_logged_in`: the session's idle time counts from the sign-in."""
    if request is not None:
        request.session[SessionIdleTimeoutMiddleware.KEY] = int(time.time())


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
