"""Testimonies: the list (keyset pages by testimony number) and one testimony, as the staff
pages show them to the token's user (aigaq/disclosure decides what of each may be read)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from aigaq.api import schemas as s
from aigaq.api.auth import INTERNAL_READ
from aigaq.api.pages import AFTER, LIMIT, NUMBER, keyset
from aigaq.api.persons import person_ref, place_ref
from aigaq.core.permissions import require
from aigaq.disclosure.policy import (
    MediaUse,
    media_restricted,
    media_visible_to,
    person_visible_to,
    testifier_name_for,
    testimonies_naming_testifier,
)
from aigaq.disclosure.selectors import testimonies_for
from aigaq.testimonies.models import Testimony
from aigaq.testimonies.selectors import testimony_for_page, testimony_list

router = Router(tags=["testimonies"])


class TestimonyFilters(Schema):
    q: s.Text | None = None
    location: s.Text | None = None
    consent: s.Text | None = None


def _item(user: Any, t: Testimony) -> dict[str, Any]:
    persons = []
    # In the order they were named (the testimony page's), whatever order the prefetch gave.
    for link in sorted(t.relations.all(), key=lambda link: (link.created_at, str(link.pk))):
        p = link.person
        shown = p.merged_into_id is None and person_visible_to(user, p)
        persons.append(person_ref(p) if shown else None)
    return {
        "id": t.pk,
        "number": t.number,
        "recorded_on": t.recorded_on,
        "location": t.location,
        "language": t.language,
        "status": t.status,
        "visibility": t.visibility,
        "testifier": testifier_name_for(user, t),
        "persons": persons,
        "consent_public": t.consent_public,
        "consent_press": t.consent_press,
        "consent_petitions": t.consent_petitions,
        "consent_anonymous": t.consent_anonymous,
        "consent_withdrawn": t.consent_withdrawn_at is not None,
    }


@router.get("/testimonies", response={200: s.TestimonyPage, **s.ERRORS}, auth=INTERNAL_READ)
def testimonies(
    request: HttpRequest,
    filters: Query[TestimonyFilters],
    after: int = AFTER,
    limit: int = LIMIT,
) -> Any:
    """The testimonies the token's user may see, by number. `q` finds a testifier by name
    among the testimonies whose testifier the user may read by name (never an oracle)."""
    require(request.user, "testimony.view")
    wanted = filters.dict(exclude_none=True)
    visible = testimonies_for(request.user)
    if wanted.get("q"):
        visible = testimonies_naming_testifier(request.user, visible)
    qs = testimony_list(visible=visible, filters=wanted)
    rows, next_after = keyset(qs, "number", after, limit)
    return {
        "items": [_item(request.user, t) for t in rows],
        "next_after": next_after,
        "limit": limit,
    }


@router.get(
    "/testimonies/{number}", response={200: s.TestimonyDetail, **s.NOT_FOUND}, auth=INTERNAL_READ
)
def testimony_detail(request: HttpRequest, number: int = NUMBER) -> Any:
    """One testimony: its summary, the persons it concerns (named where the user may see
    them) and its files (a restricted file's name, size and hash only to readers of
    restricted fields)."""
    require(request.user, "testimony.view")
    t = testimony_for_page(visible=testimonies_for(request.user), number=number)
    if t is None:
        raise Http404(_("No such testimony."))
    files = []
    for use in t.media_links.select_related("media").order_by("created_at", "pk"):
        shown = media_visible_to(request.user, use.media, use=MediaUse.TESTIMONY, record=t)
        files.append(
            {
                "kind": use.kind,
                "restricted": use.restricted_use or media_restricted(use.media),
                "shown": shown,
                "sha256": use.media.sha256 if shown else None,
                "size": use.media.size if shown else None,
                "name": use.media.original_name if shown else None,
            }
        )
    return {
        **_item(request.user, t),
        "summary": t.summary,
        "place": place_ref(t.place),
        "files": files,
    }
