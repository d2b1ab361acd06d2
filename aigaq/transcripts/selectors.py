"""Reads of transcripts and translations: the translators' queues, the glossary, who is
mentioned where, and the full-text search. Every read that returns testimonies starts from
disclosure.selectors.testimonies_for(reader): a reader never learns of a testimony, or of a
word said in it, that they may not see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from aigaq.disclosure.policy import person_visible_to
from aigaq.disclosure.selectors import testimonies_for
from aigaq.people.models import Person
from aigaq.testimonies.models import Testimony
from aigaq.transcripts.models import GlossaryTerm, Segment, Status, Transcript

#: A search answers with at most this many segments.
SEARCH_LIMIT = 50
#: The trigram index finds words of at least this many characters; shorter ones (a Chinese
#: word of two characters) are checked on the segments the longer words found, or scanned.
TRIGRAM = 3


def translation_queue(
    *, reader: Any, language: str, include_claimed: bool = True
) -> QuerySet[Transcript]:
    """What waits in `language`: transcripts and translations not yet submitted, highest
    priority first, then the oldest; only testimonies the reader may see."""
    qs = Transcript.objects.filter(
        language=language,
        status__in=[Status.TODO, Status.MACHINE_DRAFT, Status.HUMAN_DRAFT],
        submitted_at__isnull=True,
        testimony__in=testimonies_for(reader),
    )
    if not include_claimed:
        qs = qs.filter(Q(claimed_by__isnull=True) | Q(claimed_by=reader))
    return qs.select_related("testimony", "claimed_by", "source").order_by(
        "-priority", "created_at"
    )


def review_queue(*, reader: Any, language: str) -> QuerySet[Transcript]:
    """Submitted work in `language` waiting for a reviewer's sign-off (not the reader's own)."""
    return (
        Transcript.objects.filter(
            language=language,
            submitted_at__isnull=False,
            testimony__in=testimonies_for(reader),
        )
        .exclude(status=Status.REVIEWED)
        .exclude(translator_id=getattr(reader, "pk", None))
        .select_related("testimony", "translator")
        .order_by("-priority", "submitted_at")
    )


def transcripts_of(*, reader: Any, testimony: Testimony) -> list[Transcript]:
    """A testimony's transcript and translations, if the reader may see the testimony."""
    if not testimonies_for(reader).filter(pk=testimony.pk).exists():
        return []
    return list(
        Transcript.objects.filter(testimony=testimony)
        .select_related("translator", "reviewer", "claimed_by")
        .order_by("kind", "language")
    )


def reviewed_languages(numbers: list[int]) -> dict[int, list[str]]:
    """For each of these testimony numbers, the languages of its reviewed transcript and
    translations (original first). Says nothing of who may read them: the public site asks
    disclosure (`public_subtitles_allowed`) before it names or sends one."""
    out: dict[int, list[str]] = {}
    if not numbers:
        return out
    rows = (
        Transcript.objects.filter(testimony__number__in=numbers, status=Status.REVIEWED)
        .order_by("kind", "language")
        .values_list("testimony__number", "language")
    )
    for number, language in rows:
        out.setdefault(number, []).append(language)
    return out


def reviewed_transcript(number: int, language: str) -> Transcript | None:
    """Testimony `number`'s reviewed transcript or translation in `language`, if any (the
    caller asks disclosure whether it may be read)."""
    return (
        Transcript.objects.filter(
            testimony__number=number, language=language, status=Status.REVIEWED
        )
        .select_related("testimony")
        .first()
    )


def glossary(*, source_language: str, target_language: str) -> QuerySet[GlossaryTerm]:
    return GlossaryTerm.objects.filter(
        source_language=source_language, target_language=target_language
    ).order_by("term")


def glossary_for_segment(*, segment: Segment, target_language: str) -> list[GlossaryTerm]:
    """The glossary terms that occur in a segment of the transcript (shown beside it while it
    is translated into `target_language`)."""
    source = segment.source if segment.source_id else segment
    assert source is not None
    text = source.text.casefold()
    language = Transcript.objects.values_list("language", flat=True).get(pk=source.transcript_id)
    return [
        t
        for t in glossary(source_language=language, target_language=target_language)
        if t.term.casefold() in text
    ]


def testimonies_mentioning(*, reader: Any, person: Person) -> QuerySet[Testimony]:
    """Every testimony the reader may see in whose transcript or translations the person is
    mentioned (none when the reader may not see the person)."""
    if not person_visible_to(reader, person):
        return Testimony.objects.none()
    return (
        testimonies_for(reader)
        .filter(transcripts__segments__mentions__person=person)
        .distinct()
        .order_by("-recorded_on", "number")
    )


@dataclass(frozen=True)
class Hit:
    testimony_number: int
    language: str
    kind: str
    position: int
    start_ms: int
    end_ms: int
    text: str
    recorded_on: dt.date


def _words(query: str) -> list[str]:
    # A NUL is no character of any word (and PostgreSQL's text refuses it).
    text = (query or "").replace("\x00", "")
    return [w for w in " ".join(text.split()).split(" ") if w]


#: The search reads the ids of matching segments newest first, a chunk at a time (the first
#: twice the page, each next one twice as large, at most SEARCH_CHUNK_MAX), until it has its
#: page: a word in every testimony answers as fast as a rare one, and no step counts or sorts
#: every match.
SEARCH_CHUNK_MAX = 8000


def _candidate_ids(*, words: list[str], before: int | None, size: int) -> list[int]:
    """The ids of up to `size` segments below `before` whose text may contain every word,
    newest first. SQLite: the FTS5 trigram table, read backwards by rowid with its own LIMIT
    (never the whole set of matches); PostgreSQL: the trigram index or the primary key read
    backwards, whichever the planner finds cheaper for the word."""
    long_words = [w for w in words if len(w) >= TRIGRAM]
    if connection.vendor == "sqlite" and long_words:
        expr = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM transcripts_segment_fts WHERE transcripts_segment_fts MATCH %s"
                " AND rowid < %s ORDER BY rowid DESC LIMIT %s",
                [expr, 2**63 - 1 if before is None else before, size],
            )
            return [row[0] for row in cursor.fetchall()]
    qs = Segment.objects.all()
    for w in long_words or words:
        qs = qs.filter(text__icontains=w)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id").values_list("id", flat=True)[:size])


def search_segments(*, reader: Any, query: str, limit: int = SEARCH_LIMIT) -> list[Hit]:
    """Segments of transcripts and translations that contain every word of `query` (as a
    part of a word, in any script, case folded), in testimonies the reader may see: the
    most recently written first (the index is read a chunk at a time, newest first, so a word
    in every testimony answers as fast as a rare one), then shown by the testimony's date.
    Only the page is read from the segments: their ids are filtered through
    disclosure.selectors.testimonies_for in the database, chunk by chunk."""
    words = _words(query)[:8]
    if not words or limit <= 0:
        return []
    folded = [w.casefold() for w in words]
    visible = testimonies_for(reader)
    hits: list[Hit] = []
    before: int | None = None
    size = 2 * limit
    while len(hits) < limit:
        chunk = _candidate_ids(words=words, before=before, size=size)
        if not chunk:
            break
        before = chunk[-1]
        rows = (
            Segment.objects.filter(id__in=chunk, transcript__testimony__in=visible)
            .order_by("-id")
            .values_list(
                "text",
                "position",
                "start_ms",
                "end_ms",
                "transcript__language",
                "transcript__kind",
                "transcript__testimony__number",
                "transcript__testimony__recorded_on",
            )
        )
        # Every word is checked again case folded (short words, and SQLite's ASCII-only LIKE).
        for text, position, start_ms, end_ms, language, kind, number, recorded_on in rows:
            lowered = text.casefold()
            if all(w in lowered for w in folded):
                hits.append(
                    Hit(
                        testimony_number=number,
                        language=language,
                        kind=kind,
                        position=position,
                        start_ms=start_ms,
                        end_ms=end_ms,
                        text=text,
                        recorded_on=recorded_on,
                    )
                )
                if len(hits) >= limit:
                    break
        if len(chunk) < size:
            break
        size = min(2 * size, SEARCH_CHUNK_MAX)
    hits.sort(
        key=lambda h: (-(h.recorded_on.toordinal()), h.language, h.testimony_number, h.position)
    )
    return hits


def testimonies_matching(*, reader: Any, query: str, limit: int = SEARCH_LIMIT) -> list[int]:
    """The numbers of the testimonies whose transcript or translations contain `query`."""
    seen: dict[int, None] = {}
    for hit in search_segments(reader=reader, query=query, limit=limit * 4):
        seen.setdefault(hit.testimony_number, None)
    return list(seen)[:limit]


def untranslated(*, reader: Any, language: str) -> QuerySet[Transcript]:
    """Transcripts (originals with segments) that have no translation into `language` yet,
    highest priority first, then the oldest; only testimonies the reader may see."""
    done = Transcript.objects.filter(language=language).values("testimony_id")
    return (
        Transcript.objects.filter(
            kind=Transcript.Kind.ORIGINAL,
            testimony__in=testimonies_for(reader),
        )
        .filter(Exists(Segment.objects.filter(transcript=OuterRef("pk"))))
        .exclude(language=language)
        .exclude(testimony_id__in=done)
        .select_related("testimony")
        .order_by("-priority", "created_at")
    )
