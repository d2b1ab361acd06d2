"""Persons: the list (keyset pages, the list filters), one entry (names, timeline, relatives,
the testimonies about them), its restricted fields (audited), its petitions, and a name form
added. Who may see what is asked of aigaq/disclosure; writes go through people.services."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from aigaq.api import schemas as s
from aigaq.api.auth import INTERNAL_READ, WRITE
from aigaq.api.errors import ApiError
from aigaq.api.pages import AFTER, LIMIT, NUMBER, keyset_values
from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import require
from aigaq.disclosure.policy import person_visible_to
from aigaq.disclosure.selectors import persons_for, testimonies_for
from aigaq.people.models import Person, PersonName, PersonRelation, Place, StatusEvent
from aigaq.people.services import NameInput, person_update
from aigaq.petitions.selectors import petitions_seen_by
from aigaq.search.selectors import filters_from, persons_listed
from aigaq.testimonies.selectors import testimonies_about_person

router = Router(tags=["persons"])


class PersonFilters(Schema):
    """The persons list's filters (search.selectors.filters_from), all optional."""

    status: s.Text | None = None
    ethnicity: s.Text | None = None
    place: s.Text | None = None
    tag: s.Text | None = None
    grade: s.Text | None = None
    born_from: int | None = None
    born_to: int | None = None


def read_filters(filters: PersonFilters) -> dict[str, Any]:
    try:
        return filters_from(filters.dict())
    except ValueError as exc:
        raise ApiError(422, str(exc)) from exc


def place_ref(place: Place | None) -> dict[str, str] | None:
    return {"code": place.code, "name": place.name} if place is not None else None


def person_ref(person: Person) -> dict[str, Any]:
    return {"entry_no": person.entry_no, "name": person.primary_name}


#: The columns of a list item, read as values: a page of 50 persons built from model instances
#: with their names and tags prefetched cost about 40 ms of processor time, most of it in
#: Django's prefetching (bench/api_load.py); read as rows, about 5.
_ITEM_FIELDS = (
    "id",
    "entry_no",
    "primary_name",
    "gender",
    "birth_year",
    "birth_year_max",
    "ethnicity",
    "hometown_id",
    "current_status",
    "evidence_grade",
    "visibility",
    "updated_at",
)


def _names_and_tags(
    ids: list[Any], *name_fields: str
) -> tuple[dict[Any, list[Any]], dict[Any, list[str]]]:
    """The persons' name forms (each the value of `name_fields`' one field, or a dict of
    them) in their order, and their tag slugs by label: one query each, as rows (a prefetch
    into model instances cost several times more)."""
    names: dict[Any, list[Any]] = {pk: [] for pk in ids}
    tags: dict[Any, list[str]] = {pk: [] for pk in ids}
    if ids:
        for row in (
            PersonName.objects.filter(person_id__in=ids)
            .order_by("position", "id")
            .values("person_id", *name_fields)
        ):
            pk = row.pop("person_id")
            names[pk].append(row[name_fields[0]] if len(name_fields) == 1 else row)
        for pk, slug in (
            Person.tags.through.objects.filter(person_id__in=ids)
            .order_by("tag__label")
            .values_list("person_id", "tag__slug")
        ):
            tags[pk].append(slug)
    return names, tags


def _item(row: dict[str, Any], names: list[Any], tags: list[str], hometown: Any) -> dict[str, Any]:
    """A persons list item (the schema's PersonItem) from a row of `_ITEM_FIELDS`."""
    return {
        "id": row["id"],
        "entry_no": row["entry_no"],
        "name": row["primary_name"],
        "names": names,
        "gender": row["gender"],
        "birth_year": row["birth_year"],
        "birth_year_max": row["birth_year_max"],
        "ethnicity": row["ethnicity"],
        "hometown": hometown,
        "current_status": row["current_status"],
        "evidence_grade": row["evidence_grade"],
        "visibility": row["visibility"],
        "tags": tags,
        "updated_at": row["updated_at"],
    }


def person_items(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """List items for rows of `_ITEM_FIELDS`, in their order: the names, tags and places of
    the whole page read in one query each."""
    ids = [r["id"] for r in rows]
    names, tags = _names_and_tags(ids, "full_name")
    wanted = {r["hometown_id"] for r in rows if r["hometown_id"] is not None}
    places = {
        pk: {"code": code, "name": name}
        for pk, code, name in (
            Place.objects.filter(pk__in=wanted).values_list("pk", "code", "name") if wanted else ()
        )
    }
    return [_item(r, names[r["id"]], tags[r["id"]], places.get(r["hometown_id"])) for r in rows]


@router.get("/persons", response={200: s.PersonPage, **s.ERRORS}, auth=INTERNAL_READ)
def person_list(
    request: HttpRequest,
    filters: Query[PersonFilters],
    after: int = AFTER,
    limit: int = LIMIT,
) -> Any:
    """The persons the token's user may see, by entry number, a page at a time: pass the
    `next_after` of one page as `after` for the next."""
    require(request.user, "person.view")
    found = persons_listed(user=request.user, filters=read_filters(filters))
    rows, next_after = keyset_values(found, "entry_no", after, limit, _ITEM_FIELDS)
    return {"items": person_items(rows), "next_after": next_after, "limit": limit}


def visible_person(user: Any, entry_no: int) -> Person:
    """Entry `entry_no` if `user` may see it; 404 otherwise (and, for a number retired by a
    merge, the entry it lives in now when the user may see that one)."""
    person = persons_for(user).select_related("hometown").filter(entry_no=entry_no).first()
    if person is not None:
        return person
    retired = Person.objects.filter(entry_no=entry_no, merged_into__isnull=False).first()
    hops = 0
    while retired is not None and retired.merged_into_id is not None and hops < 20:
        retired = Person.objects.filter(pk=retired.merged_into_id).first()
        hops += 1
    if retired is not None and retired.merged_into_id is None and person_visible_to(user, retired):
        raise Http404(
            _("Entry #%(old)s was merged into entry #%(new)s.")
            % {"old": entry_no, "new": retired.entry_no}
        )
    raise Http404(_("No such entry."))


def _timeline(user: Any, person: Person) -> list[dict[str, Any]]:
    events = list(
        StatusEvent.objects.filter(person=person)
        .order_by("date_start", "created_at")
        .values(
            "id",
            "kind",
            "report",
            "date_text",
            "date_start",
            "date_end",
            "place__code",
            "place__name",
            "facility",
            "sentence",
            "testimony_id",
            "source__title",
            "source_text",
            "note",
        )
    )
    cited = {e["testimony_id"] for e in events if e["testimony_id"]}
    shown = dict(
        testimonies_for(user).filter(pk__in=cited).values_list("pk", "number") if cited else ()
    )
    return [
        {
            "id": e["id"],
            "kind": e["kind"],
            "report": e["report"],
            "date_text": e["date_text"],
            "date_start": e["date_start"],
            "date_end": e["date_end"],
            "place": (
                {"code": e["place__code"], "name": e["place__name"]}
                if e["place__code"] is not None
                else None
            ),
            "facility": e["facility"],
            "sentence": e["sentence"],
            "testimony_number": shown.get(e["testimony_id"]) if e["testimony_id"] else None,
            "source_title": e["source__title"] or "",
            "source_text": e["source_text"],
            "note": e["note"],
        }
        for e in events
    ]


#: What a relative's link needs of each side: disclosure's visibility rule reads the rest.
_SIDE = ("entry_no", "primary_name", "visibility", "merged_into")


def _relatives(user: Any, person: Person) -> list[dict[str, Any]]:
    out = []
    # Both directions in one query: the entry's own links and the links to it.
    links = (
        PersonRelation.objects.filter(Q(person=person) | Q(relative=person))
        .select_related("person", "relative")
        .only(
            "relationship",
            *(f"person__{f}" for f in _SIDE),
            *(f"relative__{f}" for f in _SIDE),
        )
    )
    rows = list(links)
    pairs = [(r.relative, r.relationship) for r in rows if r.person_id == person.pk] + [
        (r.person, r.relationship) for r in rows if r.person_id != person.pk
    ]
    for other, relationship in pairs:
        if other.merged_into_id is None and person_visible_to(user, other):
            out.append({"person": person_ref(other), "relationship": relationship})
    return out


@router.get(
    "/persons/{entry_no}", response={200: s.PersonDetail, **s.NOT_FOUND}, auth=INTERNAL_READ
)
def person_detail(request: HttpRequest, entry_no: int = NUMBER) -> Any:
    """One entry as its staff page shows it to this user: names in every script, the status
    timeline, the relatives the user may see and the testimonies about them the user may see."""
    require(request.user, "person.view")
    person = visible_person(request.user, entry_no)
    names, tags = _names_and_tags([person.pk], "full_name", "script", "lang", "kind")
    testimonies = testimonies_about_person(visible=testimonies_for(request.user), person=person)
    row = {field: getattr(person, field) for field in _ITEM_FIELDS}
    return {
        **_item(row, names[person.pk], tags[person.pk], place_ref(person.hometown)),
        "version": person.version,  # the item's names, here with their script and language
        "citizenships": list(person.citizenships or []),
        "occupation": person.occupation,
        "biography": person.biography,
        "timeline": _timeline(request.user, person),
        "relatives": _relatives(request.user, person),
        "testimonies": [
            {
                "number": t.number,
                "recorded_on": t.recorded_on,
                "relationship": getattr(t, "about_relationship", ""),
            }
            for t in testimonies
        ],
        "created_at": person.created_at,
    }


@router.get(
    "/persons/{entry_no}/restricted",
    response={200: s.RestrictedOut, **s.NOT_FOUND},
    auth=INTERNAL_READ,
)
def person_restricted(request: HttpRequest, entry_no: int = NUMBER) -> Any:
    """The entry's restricted fields (the Chinese ID number), for roles that may read them.
    Every reading is written to the audit log, as the staff page's "Show" is."""
    require(request.user, "restricted.read")
    person = visible_person(request.user, entry_no)
    if person.chinese_id:
        with transaction.atomic():
            audit.record(
                actor=request.user,
                action=AuditEntry.Action.READ,
                obj=person,
                changes={"fields": ["chinese_id"]},
                person_id=person.pk,
                note=f"API token {request.auth.pk}",  # type: ignore[attr-defined]
            )
    return {"entry_no": person.entry_no, "chinese_id": person.chinese_id}


@router.get(
    "/persons/{entry_no}/petitions",
    response={200: list[s.PetitionOut], **s.NOT_FOUND},
    auth=INTERNAL_READ,
)
def person_petitions(request: HttpRequest, entry_no: int = NUMBER) -> Any:
    """The petitions about this person (filed under them or naming them), newest first."""
    require(request.user, "petition.manage")
    person = visible_person(request.user, entry_no)
    out = []
    for p in petitions_seen_by(request.user, person):
        if p.person.merged_into_id is not None:
            continue
        out.append(
            {
                "id": p.pk,
                "form": p.form,
                "state": p.state,
                "channel": p.channel,
                "person": person_ref(p.person),
                "signed_on": p.signed_on,
                "sent_on": p.sent_on,
                "registration_no": p.registration_no,
                "registered_on": p.registered_on,
                "answered_on": p.answered_on,
                "closed_on": p.closed_on,
                "next_action": p.next_action,
                "next_action_due": p.next_action_due,
                "created_at": p.created_at,
            }
        )
    return out


@router.post(
    "/persons/{entry_no}/names",
    response={201: s.NamesOut, 409: s.ErrorOut, **s.NOT_FOUND},
    auth=WRITE,
)
def person_name_add(request: HttpRequest, payload: s.NameIn, entry_no: int = NUMBER) -> Any:
    """Add a name form (any script) to an entry, through the same service as the staff edit
    form (people.services.person_update: cleaned, audited, the search index kept current)."""
    require(request.user, "person.edit")
    person = visible_person(request.user, entry_no)
    if not payload.full_name.strip():
        raise ApiError(422, _("The name is empty."))
    if payload.script and payload.script not in PersonName.Script.values:
        raise ApiError(
            422,
            _("Unknown script: give one of %(known)s, or none.")
            % {"known": ", ".join(PersonName.Script.values)},
        )
    names = [NameInput(n.full_name, n.kind, n.lang, n.script) for n in person.names.all()]
    names.append(NameInput(payload.full_name, payload.kind, payload.lang, payload.script))
    version = payload.version if payload.version is not None else person.version
    person = person_update(actor=request.user, person=person, expected_version=version, names=names)
    return Status(
        201,
        {
            "entry_no": person.entry_no,
            "version": person.version,
            "names": [
                {"full_name": n.full_name, "script": n.script, "lang": n.lang, "kind": n.kind}
                for n in person.names.all()
            ],
        },
    )
