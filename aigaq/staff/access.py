"""Access to staff pages: signed-out visitors go to the sign-in page; signed-in staff without
the capability get 403. Capabilities come from core.permissions (one table for everything)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from aigaq.core.permissions import require


def cap_required(cap: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, cap)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def suggest_term(request: HttpRequest) -> str:
    """Picker boxes send their text under their own name (`hometown_q`, `relations-0-q`…)."""
    for value in request.GET.values():
        if isinstance(value, str) and value.strip():
            return value[:200]
    return ""
