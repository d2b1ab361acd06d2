from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from aigaq.core.permissions import CAPABILITIES, has_cap


def aigaq(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    caps = {cap.replace(".", "_"): has_cap(user, cap) for cap in CAPABILITIES}
    return {"can": caps, "STAFF_LANGUAGES": settings.STAFF_LANGUAGES}
