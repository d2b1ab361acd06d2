"""Search: persons by any name form in any script (with the list filters), and places of the
gazetteer; the same entry points as the staff search (aigaq/search/selectors.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from aigaq.api import schemas as s
from aigaq.api.auth import INTERNAL_READ, PUBLIC_READ
from aigaq.api.pages import MAX_PAGE
from aigaq.api.persons import PersonFilters, person_ref, read_filters
from aigaq.core.permissions import require
from aigaq.search.selectors import MAX_QUERY_CHARS, search_persons, search_places

router = Router(tags=["search"])

QUERY: Any = Query(
    ..., min_length=1, max_length=MAX_QUERY_CHARS, description="Any name form, in any script."
)
HITS: Any = Query(20, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE} hits.")


@router.get("/search/persons", response={200: list[s.SearchHit], **s.ERRORS}, auth=INTERNAL_READ)
def search(
    request: HttpRequest, filters: Query[PersonFilters], q: str = QUERY, limit: int = HITS
) -> Any:
    """Persons the user may see whose names match `q` in any script and transliteration
    (Оспан = Osman = 乌斯满), best first; an entry number ("#123") finds that entry."""
    require(request.user, "person.view")
    hits = search_persons(user=request.user, query=q, filters=read_filters(filters), limit=limit)
    return [
        {
            "person": person_ref(h.person),
            "score": h.score,
            "matched_name": h.matched_name,
            "reason": h.reason,
            "names": h.names,
        }
        for h in hits
    ]


@router.get("/places", response={200: list[s.PlaceOut], **s.ERRORS}, auth=PUBLIC_READ)
def places(request: HttpRequest, q: str = QUERY, limit: int = HITS) -> Any:
    """Places of the gazetteer by any of their names (哈密 = Хами = Qumul)."""
    hits = search_places(q, limit=limit)
    return [
        {
            "code": h.place.code,
            "name": h.place.name,
            "kind": h.place.kind,
            "parent": h.place.parent.code if h.place.parent is not None else None,
            "score": h.score,
            "matched_name": h.matched_name,
            "names": h.names,
        }
        for h in hits
    ]
