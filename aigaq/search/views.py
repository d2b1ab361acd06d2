"""JSON endpoints for the htmx pickers and scripts (persons and places), sign-in required.

/search/persons/?q=...&limit=N takes the filters of aigaq.search.selectors.FILTER_KEYS
(status, place, ethnicity, tag, grade, born_from, born_to); a birth year that is not a year
is answered 400 with {"error": "..."}."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from aigaq.core.permissions import has_cap
from aigaq.search.selectors import filters_from, search_persons, search_places


def _limit(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("limit", "20")), 50))
    except ValueError:
        return 20


@require_GET
@login_required
def persons(request: HttpRequest) -> JsonResponse:
    if not has_cap(request.user, "person.view"):
        raise PermissionDenied
    try:
        filters = filters_from(request.GET)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    hits = search_persons(
        user=request.user, query=request.GET.get("q", ""), filters=filters, limit=_limit(request)
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": str(h.person.pk),
                    "entry_no": h.person.entry_no,
                    "name": h.person.primary_name,
                    "names": h.names,
                    "matched_name": h.matched_name,
                    "score": h.score,
                    "reason": h.reason,
                }
                for h in hits
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@login_required
def places(request: HttpRequest) -> JsonResponse:
    hits = search_places(request.GET.get("q", ""), limit=_limit(request))
    return JsonResponse(
        {
            "results": [
                {
                    "id": str(h.place.pk),
                    "code": h.place.code,
                    "kind": h.place.kind,
                    "name": h.place.name,
                    "names": h.names,
                    "matched_name": h.matched_name,
                    "score": h.score,
                }
                for h in hits
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )
