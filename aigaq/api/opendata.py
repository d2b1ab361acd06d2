"""The public open data (scope public:read): the same `PublicEntry` records the public site,
its open-data files and the static edition are built from (aigaq/disclosure/public.py). An
entry disclosure does not publish is never listed, and a field PublicEntry lacks is never sent."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from aigaq.api import schemas as s
from aigaq.api.auth import PUBLIC_READ
from aigaq.api.pages import AFTER, LIMIT, NUMBER, keyset
from aigaq.disclosure.public import (
    PublicEntry,
    PublicSource,
    public_entries,
    public_entry,
    public_persons,
)
from aigaq.people.models import Place

router = Router(tags=["open data"])


class _Places:
    """The places a page of entries names, read in one query."""

    def __init__(self, entries: list[PublicEntry]) -> None:
        ids = {e.hometown_id for e in entries} | {ev.place_id for e in entries for ev in e.events}
        ids.discard(None)
        self._by_id = {
            p.pk: {"code": p.code, "name": p.name}
            for p in Place.objects.filter(pk__in=ids).only("id", "code", "name")
        }

    def get(self, place_id: Any) -> dict[str, str] | None:
        return self._by_id.get(place_id) if place_id is not None else None


def _source(src: PublicSource | None) -> dict[str, str] | None:
    if src is None:
        return None
    return {"kind": src.kind, "title": src.title, "url": src.url, "date_text": src.date_text}


def _entry(e: PublicEntry, places: _Places) -> dict[str, Any]:
    return {
        "entry_no": e.entry_no,
        "name": e.name,
        "anonymous": e.anonymous,
        "names": [{"full_name": n.full_name, "script": n.script, "kind": n.kind} for n in e.names],
        "gender": e.gender,
        "ethnicity": e.ethnicity,
        "birth_year": e.birth_year,
        "birth_year_max": e.birth_year_max,
        "citizenships": list(e.citizenships),
        "hometown": places.get(e.hometown_id),
        "occupation": e.occupation,
        "biography": e.biography,
        "evidence_grade": e.evidence_grade,
        "current_status": e.current_status,
        "year_detained": e.year_detained,
        "tags": list(e.tags),
        "has_photo": e.photo_id is not None,
        "events": [
            {
                "kind": ev.kind,
                "report": ev.report,
                "date_text": ev.date_text,
                "date_start": ev.date_start,
                "place": places.get(ev.place_id),
                "facility": ev.facility,
                "sentence": ev.sentence,
                "testimony_number": ev.testimony_number,
                "source": _source(ev.source),
            }
            for ev in e.events
        ],
        "testimonies": [
            {
                "number": t.number,
                "recorded_on": t.recorded_on,
                "language": t.language,
                "channel": t.channel,
                "relationship": t.relationship,
                "testifier": t.testifier,
                "testifier_named": t.testifier_named,
                "summary": t.summary,
                "videos": len(t.videos),
            }
            for t in e.testimonies
        ],
        "sources": [_source(src) for src in e.sources],
        "created_at": e.created_at,
        "updated_at": e.updated_at,
    }


@router.get("/public/entries", response={200: s.PublicPage, **s.ERRORS}, auth=PUBLIC_READ)
def entries(request: HttpRequest, after: int = AFTER, limit: int = LIMIT) -> Any:
    """The public entries by entry number, a page at a time (the open data of the public
    site's /data/entries.json, as pages)."""
    rows, next_after = keyset(public_persons(), "entry_no", after, limit)
    built = list(
        public_entries(public_persons().filter(pk__in=[p.pk for p in rows]).order_by("entry_no"))
    )
    places = _Places(built)
    return {"items": [_entry(e, places) for e in built], "next_after": next_after, "limit": limit}


@router.get(
    "/public/entries/{entry_no}", response={200: s.PublicEntryOut, **s.NOT_FOUND}, auth=PUBLIC_READ
)
def entry(request: HttpRequest, entry_no: int = NUMBER) -> Any:
    """One public entry (404 for an entry that is not public)."""
    found = public_entry(entry_no)
    if found is None:
        raise Http404(_("No such public entry."))
    return _entry(found, _Places([found]))
