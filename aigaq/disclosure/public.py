"""What the public may read: the one place that turns records into public entries.

The public site's pages, its open-data files, its feed and sitemap and the static edition all
read persons through `public_persons()` and what they show of each through `public_entries()`
/ `public_entry()`. Nothing else decides what is published; a field that is not in
`PublicEntry` is never published. A withdrawal of consent, an entry made internal or a
testimony retracted takes effect on the next request or build, since nothing here is cached.

The rules (docs/public-site.md):
* an entry is public when it is marked public, is not merged into another, and either has at
  least one testimony published with the testifier's consent, or no testimony at all (an
  entry made public from published sources); a testimony is published when it is recorded
  (not a draft, not retracted), public, consented for publication and not withdrawn;
* an entry whose every published testimony asked for anonymity is shown by initials only,
  with no other name form, no photo and no biography;
* a testifier is named only when the testimony did not ask for anonymity and the testifier's
  own record is public; otherwise by initials;
* never: Chinese ID numbers, contacts, addresses, ID documents, notes, the free-text sources
  of timeline events, a testimony's files other than their redacted publication copies,
  restricted files, or anything of an entry or testimony that is not public.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from aigaq.core.models import Visibility
from aigaq.core.validators import is_web_url
from aigaq.disclosure.policy import (
    Use,
    initials,
    media_restricted,
    testimonies_usable_for,
    testimony_words_publishable,
)
from aigaq.media.models import MediaFile
from aigaq.people.models import DETENTION_KINDS, Person, PersonName, Source, StatusEvent
from aigaq.testimonies.models import Testimony, TestimonyMedia, TestimonyPerson

#: Kinds of source whose title and address are published material (a news article, an
#: official document, a leaked list, a published video); the group's own interviews are not.
PUBLISHED_SOURCE_KINDS = frozenset(
    {Source.Kind.ARTICLE, Source.Kind.OFFICIAL, Source.Kind.LEAK, Source.Kind.VIDEO}
)


def public_testimonies(qs: QuerySet[Testimony] | None = None) -> QuerySet[Testimony]:
    """The testimonies of `qs` (all by default) that are published."""
    if qs is None:
        qs = Testimony.objects.all()
    return testimonies_usable_for(qs, Use.PUBLIC).filter(status=Testimony.Status.RECORDED)


def public_persons() -> QuerySet[Person]:
    """Every entry the public may see (one per person: merged entries are left out)."""
    links = TestimonyPerson.objects.filter(person=OuterRef("pk"))
    published = links.filter(testimony__in=public_testimonies())
    return Person.objects.filter(visibility=Visibility.PUBLIC, merged_into__isnull=True).filter(
        ~Exists(links) | Exists(published)
    )


def public_person(entry_no: int) -> Person | None:
    """The public entry with this number, or the entry it was merged into when that is public
    (the caller redirects); None when neither may be shown."""
    person = Person.objects.filter(entry_no=entry_no).only("id", "merged_into_id").first()
    seen = 0
    while person is not None and person.merged_into_id is not None and seen < 20:
        person = Person.objects.filter(pk=person.merged_into_id).first()
        seen += 1
    if person is None:
        return None
    return public_persons().filter(pk=person.pk).first()


def retired_number_target(entry_no: int) -> int | None:
    """For an entry number retired by a merge: the public entry it now lives in, else None."""
    person = Person.objects.filter(entry_no=entry_no).only("merged_into_id").first()
    if person is None or person.merged_into_id is None:
        return None
    kept = public_person(entry_no)
    return kept.entry_no if kept is not None else None


@dataclass(frozen=True)
class PublicName:
    full_name: str
    script: str
    kind: str


@dataclass(frozen=True)
class PublicSource:
    kind: str
    title: str
    url: str
    date_text: str


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    report: str
    date_text: str
    date_start: date | None
    place_id: Any
    facility: str
    sentence: str
    testimony_number: int | None  # the published testimony it cites
    source: PublicSource | None  # the published source it cites


@dataclass(frozen=True)
class PublicTestimony:
    number: int
    recorded_on: date
    language: str
    channel: str  # Testimony.Location: office, field trip, remote
    relationship: str  # what the testifier is to the person (TestimonyPerson.relationship)
    testifier: str  # full name, or initials
    testifier_named: bool
    summary: str
    videos: tuple[Any, ...] = ()  # publication copies (media.Rendition), never originals
    #: May its reviewed transcripts and translations be shown as the video's subtitles? Only
    #: where a publication copy is shown and the testimony did not ask anonymity (what is
    #: said may name the testifier or others the published copy hides; the entry shows them
    #: by initials). Which languages exist is the transcripts app's to say.
    subtitles: bool = False


@dataclass(frozen=True)
class PublicEntry:
    entry_no: int
    name: str  # the name to show: the primary name, or initials
    anonymous: bool
    names: tuple[PublicName, ...]
    gender: str
    ethnicity: str
    birth_year: int | None
    birth_year_max: int | None
    citizenships: tuple[str, ...]
    hometown_id: Any
    occupation: str
    biography: str
    evidence_grade: str
    current_status: str
    tags: tuple[str, ...]  # slugs
    photo_id: Any  # a MediaFile the public may be sent, or None
    events: tuple[PublicEvent, ...]
    testimonies: tuple[PublicTestimony, ...]
    sources: tuple[PublicSource, ...]
    created_at: datetime
    updated_at: datetime
    year_detained: int | None = field(default=None)


def public_entry(person: Person | int) -> PublicEntry | None:
    """What the public may read of one person (by record or entry number); None when the
    entry is not public."""
    qs = public_persons()
    qs = qs.filter(entry_no=person) if isinstance(person, int) else qs.filter(pk=person.pk)
    return next(iter(public_entries(qs)), None)


# DETENTION_KINDS (people.models) is named here too, for the public site's modules.


def public_entries(qs: QuerySet[Person], *, batch: int = 500) -> Iterator[PublicEntry]:
    """PublicEntry for each person of `qs` (which may be sliced) that is public, in `qs`'s
    order, read in batches (a few queries per batch, however many entries)."""
    ids: list[Any] = []
    for pk in qs.values_list("pk", flat=True).iterator(chunk_size=batch):
        ids.append(pk)
        if len(ids) >= batch:
            yield from _build(ids)
            ids = []
    if ids:
        yield from _build(ids)


def _build(ids: list[Any]) -> Iterable[PublicEntry]:
    allowed = set(public_persons().filter(pk__in=ids).values_list("pk", flat=True))
    ids = [pk for pk in ids if pk in allowed]
    if not ids:
        return
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids).prefetch_related("tags")}
    names: dict[Any, list[PublicName]] = {}
    for n in PersonName.objects.filter(person_id__in=ids).order_by("position", "id"):
        names.setdefault(n.person_id, []).append(PublicName(n.full_name, n.script, n.kind))

    links = (
        TestimonyPerson.objects.filter(person_id__in=ids, testimony__in=public_testimonies())
        .select_related("testimony__testifier")
        .order_by("testimony__recorded_on", "testimony__number")
    )
    testimonies: dict[Any, list[tuple[TestimonyPerson, Testimony]]] = {}
    for link in links:
        testimonies.setdefault(link.person_id, []).append((link, link.testimony))
    published_numbers = {t.pk: t.number for rows in testimonies.values() for _, t in rows}
    videos = _publication_copies(list(published_numbers))

    sources: dict[Any, list[PublicSource]] = {}
    through = Source.persons.through.objects.filter(
        person_id__in=ids, source__kind__in=PUBLISHED_SOURCE_KINDS
    ).select_related("source")
    for row in through.order_by("source__title"):
        sources.setdefault(row.person_id, []).append(_source(row.source))

    events: dict[Any, list[PublicEvent]] = {}
    for e in StatusEvent.objects.filter(person_id__in=ids).select_related("source"):
        cited_source = (
            _source(e.source)
            if e.source is not None and e.source.kind in PUBLISHED_SOURCE_KINDS
            else None
        )
        events.setdefault(e.person_id, []).append(
            PublicEvent(
                kind=e.kind,
                report=e.report,
                date_text=e.date_text,
                date_start=e.date_start,
                place_id=e.place_id,
                facility=e.facility,
                sentence=e.sentence,
                testimony_number=published_numbers.get(e.testimony_id) if e.testimony_id else None,
                source=cited_source,
            )
        )

    for pk in ids:
        p = persons[pk]
        rows = testimonies.get(pk, [])
        anonymous = shown_anonymously([t.consent_anonymous for _, t in rows])
        person_names = names.get(pk, [])
        if anonymous:
            shown = initials(p.primary_name)
            person_names = []
        else:
            shown = p.primary_name
        evs = sorted(events.get(pk, []), key=lambda e: (e.date_start is None, e.date_start))
        detained_years = [
            e.date_start.year for e in evs if e.kind in DETENTION_KINDS and e.date_start
        ]
        yield PublicEntry(
            entry_no=p.entry_no,
            name=shown,
            anonymous=anonymous,
            names=tuple(person_names),
            gender=p.gender,
            ethnicity=p.ethnicity,
            birth_year=p.birth_year,
            birth_year_max=p.birth_year_max,
            citizenships=tuple(str(c) for c in (p.citizenships or [])),
            hometown_id=p.hometown_id,
            occupation="" if anonymous else p.occupation,
            biography="" if anonymous else p.biography,
            evidence_grade=p.evidence_grade,
            current_status=p.current_status,
            tags=tuple(sorted(t.slug for t in p.tags.all())),
            photo_id=None if anonymous else _public_photo(p),
            events=tuple(evs),
            testimonies=tuple(
                PublicTestimony(
                    number=t.number,
                    recorded_on=t.recorded_on,
                    language=t.language,
                    channel=t.location,
                    relationship=link.relationship,
                    testifier=_testifier_name(t),
                    testifier_named=_testifier_named(t),
                    summary=t.summary,
                    videos=tuple(videos.get(t.pk, ())),
                    subtitles=_subtitles_allowed(t, videos.get(t.pk, ())),
                )
                for link, t in rows
            ),
            sources=tuple(sources.get(pk, [])),
            created_at=p.created_at,
            updated_at=p.updated_at,
            year_detained=min(detained_years) if detained_years else None,
        )


def shown_anonymously(asked: list[bool]) -> bool:
    """Whether an entry is shown by initials only: `asked` holds, for each of its published
    testimonies, whether the testimony asked for anonymity; all of them must have."""
    return bool(asked) and all(asked)


@dataclass(frozen=True)
class PublicCard:
    """What a list of entries shows of each one (the public list and search pages): the
    fields of PublicEntry a card reads, decided by the same rules."""

    entry_no: int
    name: str  # the primary name, or initials
    anonymous: bool
    birth_year: int | None
    birth_year_max: int | None
    current_status: str
    hometown_id: Any


def public_cards(ids: Iterable[Any]) -> list[PublicCard]:
    """Cards for the persons `ids` that are public, in the order of `ids`: two queries for a
    page (building a whole PublicEntry for each card took about a quarter of a search page's
    time, bench/public_load.py)."""
    ids = list(ids)
    rows = {
        row[0]: row
        for row in public_persons()
        .filter(pk__in=ids)
        .values_list(
            "pk",
            "entry_no",
            "primary_name",
            "birth_year",
            "birth_year_max",
            "current_status",
            "hometown_id",
        )
    }
    asked: dict[Any, list[bool]] = {}
    if rows:
        links = TestimonyPerson.objects.filter(
            person_id__in=list(rows), testimony__in=public_testimonies()
        ).values_list("person_id", "testimony__consent_anonymous")
        for pk, anonymous in links:
            asked.setdefault(pk, []).append(anonymous)
    out = []
    for pk in ids:
        if pk not in rows:
            continue
        _pk, entry_no, name, low, high, status, hometown = rows[pk]
        anonymous = shown_anonymously(asked.get(pk, []))
        out.append(
            PublicCard(
                entry_no=entry_no,
                name=initials(name) if anonymous else name,
                anonymous=anonymous,
                birth_year=low,
                birth_year_max=high,
                current_status=status,
                hometown_id=hometown,
            )
        )
    return out


def _source(s: Source) -> PublicSource:
    # Only an http(s) address is published: one stored before validation refused it (an old
    # import, a field bundle) must not become a `javascript:` link on the entry page or in
    # the open data.
    url = s.url if is_web_url(s.url) else ""
    return PublicSource(kind=s.kind, title=s.title, url=url, date_text=s.date_text)


def _testifier_named(t: Testimony) -> bool:
    return not t.consent_anonymous and t.testifier.visibility == Visibility.PUBLIC


def _testifier_name(t: Testimony) -> str:
    name = t.testifier.full_name
    return name if _testifier_named(t) else initials(name)


def _public_photo(p: Person) -> Any:
    """The photo's id when the public may be sent it: never a restricted file."""
    if p.photo_id is None:
        return None
    photo = MediaFile.objects.filter(pk=p.photo_id).first()
    if photo is None or media_restricted(photo):
        return None
    return photo.pk


def public_photo_allowed(entry_no: int, media_id: Any) -> bool:
    """May the public be sent this file as the photo of this entry?"""
    entry = public_entry(entry_no)
    return entry is not None and entry.photo_id is not None and str(entry.photo_id) == str(media_id)


def _publication_copies(testimony_ids: list[Any]) -> dict[Any, list[Any]]:
    """The redacted publication copy of each video or sound file of these testimonies that is
    not restricted (no copy, no video: the original is never sent)."""
    from aigaq.media.redaction import publication_copy

    out: dict[Any, list[Any]] = {}
    uses = (
        TestimonyMedia.objects.filter(testimony_id__in=testimony_ids, restricted=False)
        .exclude(kind__in=MediaFile.RESTRICTED_KINDS)
        .filter(Q(media__kind="video") | Q(media__kind="audio"))
        .select_related("media")
    )
    for use in uses:
        if media_restricted(use.media):
            continue
        copy = publication_copy(use.media)
        if copy is not None:
            out.setdefault(use.testimony_id, []).append(copy)
    return out


def _subtitles_allowed(t: Testimony, copies: Iterable[Any]) -> bool:
    return testimony_words_publishable(t) and any(
        (c.content_type or "").startswith("video/") for c in copies
    )


def public_subtitles_allowed(number: int) -> bool:
    """May the public read the subtitles of testimony `number` (its reviewed transcripts and
    translations)? Only a published testimony about a public entry, that did not ask
    anonymity, whose video the public may be sent as its publication copy."""
    t = public_testimonies().filter(number=number).first()
    if (
        t is None
        or not TestimonyPerson.objects.filter(testimony=t, person__in=public_persons()).exists()
    ):
        return False
    return _subtitles_allowed(t, _publication_copies([t.pk]).get(t.pk, ()))


def public_rendition_allowed(rendition: Any) -> bool:
    """May the public be sent this rendition? Only a publication copy of a file of a
    published testimony about a public entry."""
    from aigaq.media.redaction import publication_copy

    copy = publication_copy(rendition.media)
    if copy is None or copy.pk != rendition.pk or media_restricted(rendition.media):
        return False
    uses = TestimonyMedia.objects.filter(media_id=rendition.media_id, restricted=False).exclude(
        kind__in=MediaFile.RESTRICTED_KINDS
    )
    published = public_testimonies().filter(pk__in=uses.values("testimony_id"))
    return TestimonyPerson.objects.filter(
        testimony__in=published, person__in=public_persons()
    ).exists()
