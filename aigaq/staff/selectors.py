"""What the staff pages show, each part asked of aigaq.disclosure (what this reader may see)
and narrowed by the domain apps' selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from aigaq.backups.selectors import backup_status
from aigaq.core.audit import history_for_person
from aigaq.core.permissions import has_cap
from aigaq.dedup.selectors import merged_remnants
from aigaq.disclosure.policy import (
    MediaUse,
    can_see,
    media_restricted,
    media_visible_to,
    person_visible_to,
)
from aigaq.disclosure.selectors import persons_for, testimonies_for
from aigaq.media.models import MediaFile
from aigaq.mirrors.models import Mirror
from aigaq.mirrors.selectors import mirrors_of_testimony
from aigaq.people.models import Person, PersonRelation, StatusEvent, StatusKind
from aigaq.staff.history import history_for_testimony, readable
from aigaq.staff.media import player_context
from aigaq.testimonies.models import Testimony
from aigaq.testimonies.selectors import testimonies_about_person


def dashboard_data(*, user: Any) -> dict[str, Any]:
    qs = persons_for(user)
    by_status = list(
        qs.values("current_status").annotate(n=Count("id")).order_by("-n", "current_status")
    )
    labels = dict(StatusKind.choices)
    for row in by_status:
        row["label"] = labels.get(row["current_status"], "—")
    return {
        "recent": list(qs.select_related("hometown").order_by("-created_at")[:10]),
        "total": qs.count(),
        "by_status": by_status,
        "backups": backup_status() if has_cap(user, "backup.run") else None,
    }


def person_by_entry_no(*, user: Any, entry_no: int) -> tuple[Person | None, Person | None]:
    """(person, survivor): the entry with this number if `user` may see it, and, when it was
    merged into another entry, the surviving entry (None if the user may not see that one)."""
    person = Person.objects.select_related("hometown", "merged_into").filter(entry_no=entry_no)
    found = person.first()
    if found is None:
        return None, None
    if found.merged_into_id is None:
        return (found if can_see(user, found) else None), None
    survivor: Person | None = found
    for _hop in range(20):  # merge chains are short; the bound stops a loop in bad data
        if survivor is None or survivor.merged_into_id is None:
            break
        survivor = survivor.merged_into
    if survivor is None or survivor.merged_into_id is not None or not can_see(user, survivor):
        return None, None
    return found, survivor


def person_page_data(*, user: Any, person: Person) -> dict[str, Any]:
    """Everything the person page shows, each part filtered by what `user` may see."""
    events = list(
        StatusEvent.objects.filter(person=person)
        .select_related("place", "source", "testimony__testifier")
        .order_by("date_start", "created_at")
    )
    # Official claims and denials stand in their own column, beside what was reported.
    official = {StatusEvent.Report.OFFICIAL_CLAIM, StatusEvent.Report.OFFICIAL_DENIAL}
    # A cited testimony is linked only for a reader who may see it.
    cited = {e.testimony_id for e in events if e.testimony_id}
    cited_shown = set(
        testimonies_for(user).filter(pk__in=cited).values_list("pk", flat=True) if cited else ()
    )
    timeline = [
        {
            "event": e,
            "official": e.report in official,
            "testimony_shown": e.testimony_id in cited_shown,
        }
        for e in events
    ]
    relations: list[dict[str, Any]] = []
    for rel in PersonRelation.objects.filter(person=person).select_related("relative"):
        if person_visible_to(user, rel.relative) and rel.relative.merged_into_id is None:
            relations.append({"person": rel.relative, "relationship": rel.relationship})
    for rel in PersonRelation.objects.filter(relative=person).select_related("person"):
        if person_visible_to(user, rel.person) and rel.person.merged_into_id is None:
            relations.append({"person": rel.person, "relationship": rel.relationship})
    testimonies = testimonies_about_person(visible=testimonies_for(user), person=person)
    testifiers = []
    seen: set[Any] = set()
    for t in testimonies:
        if t.testifier_id in seen:
            continue
        seen.add(t.testifier_id)
        testifiers.append(
            {
                "testifier": t.testifier,
                "testimony": t,  # what its reader may read of the name depends on its consent
                "relationship": getattr(t, "about_relationship", ""),
                "relationship_label": getattr(t, "about_relationship_label", ""),
            }
        )
    return {
        "person": person,
        "photo_shown": person.photo is not None
        and media_visible_to(user, person.photo, use=MediaUse.PHOTO, record=person),
        "names": list(person.names.all()),
        "tags": list(person.tags.all()),
        "timeline": timeline,
        "testimonies": testimonies,
        "sources": list(person.sources.all()),
        "relations": relations,
        "testifiers": testifiers,
        "merged_from": merged_remnants(user=user, person=person),
        "history": readable(user, history_for_person(person.pk))
        if has_cap(user, "audit.view")
        else None,
    }


def testimony_page_data(*, user: Any, testimony: Testimony) -> dict[str, Any]:
    """The testimony page: the persons it concerns (named only where the reader may see them)
    and its files (a restricted file's name only to readers of restricted fields)."""
    relations = []
    for link in testimony.relations.select_related("person").order_by("created_at"):
        shown = person_visible_to(user, link.person) and link.person.merged_into_id is None
        relations.append({"link": link, "person": link.person if shown else None})
    media = []
    for use in testimony.media_links.select_related("media").order_by("created_at", "pk"):
        media.append(
            {
                "use": use,
                "file": use.media,
                "restricted": use.restricted_use or media_restricted(use.media),
                # The name, size and hash of a restricted file only to readers of restricted
                # fields; to others, that there is one.
                "shown": media_visible_to(
                    user, use.media, use=MediaUse.TESTIMONY, record=testimony
                ),
            }
        )
        # A video or sound file the reader may have: its player (staff/media.py).
        media[-1]["player"] = player_context(use.media, use.kind) if media[-1]["shown"] else None
    players = [m for m in media if m["player"] is not None]
    # The subtitles of every reviewed language, as <track>s of each video (staff/transcripts.py).
    from aigaq.staff.transcripts import subtitle_tracks, transcripts_panel

    tracks = subtitle_tracks(user, testimony)
    for m in players:
        player: Any = m["player"]
        player["tracks"] = tracks
    return {
        "testimony": testimony,
        "relations": relations,
        "media": media,
        "mirrors": list(mirrors_of_testimony(testimony)),
        "mirror_platforms": Mirror.Platform.choices,
        "media_kinds": MediaFile.Kind.choices,
        "players": players,
        "transcripts": transcripts_panel(user, testimony),
        "history": readable(user, history_for_testimony(testimony))
        if has_cap(user, "audit.view")
        else None,
    }
