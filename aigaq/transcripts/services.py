"""Writes of transcripts, translations, segments, glossary terms and mentions.

Every write checks the actor's capability (core.permissions) and that the actor may see the
testimony (disclosure), runs in one transaction and records its audit entry there. Bad input
is refused with a ValidationError that says what is wrong, before anything is written.

Locking: a segment's edit carries the segment's `version`; a change of a transcript's shape
(a segment added, split or joined, its status) carries the transcript's `version`; both are
refused with core.locking.EditConflict when someone saved in between. A transcript or a
translation is worked on by one person at a time: `transcript_claim` takes it with one
conditional UPDATE (which holds on PostgreSQL as on SQLite), and an edit by someone else while
it is claimed is refused (`ClaimRefused`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.locking import EditConflict, bump, lock_for_edit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check
from aigaq.core.validators import TEXT_MAX, check_length
from aigaq.disclosure.policy import testimony_visible_to
from aigaq.people.models import Person, Place
from aigaq.testimonies.models import Testimony
from aigaq.transcripts import languages
from aigaq.transcripts.models import (
    GlossaryTerm,
    Mention,
    Segment,
    Speaker,
    Status,
    Transcript,
    fmt_ms,
)

__all__ = [
    "ClaimRefused",
    "EditConflict",
    "SegmentInput",
    "glossary_term_add",
    "machine_draft_save",
    "machine_translation_save",
    "mention_add",
    "mention_remove",
    "segment_add",
    "segment_edit",
    "segment_join",
    "segment_split",
    "segments_replace",
    "testimony_prioritise",
    "transcript_claim",
    "transcript_create",
    "transcript_prioritise",
    "transcript_release",
    "transcript_review",
    "transcript_submit",
    "translation_create",
    "translation_fill",
]


class ClaimRefused(ValidationError):
    """Someone else is working on this transcript or translation."""


@dataclass(frozen=True)
class SegmentInput:
    start_ms: int
    end_ms: int
    text: str
    speaker: str = Speaker.TESTIFIER


# --- checks ---------------------------------------------------------------------------------


def _capability(transcript: Transcript) -> str:
    return "transcripts.translate" if transcript.is_translation else "transcripts.edit"


def _may_see(actor: Any, testimony: Testimony) -> None:
    if actor is not None and not testimony_visible_to(actor, testimony):
        raise PermissionDenied("testimony.view")


def _label(transcript: Transcript) -> str:
    return _("%(t)s in %(lang)s") % {
        "t": f"T{transcript.testimony.number}",
        "lang": languages.name_of(transcript.language),
    }


def _who(user: Any) -> str:
    return str(user) if user is not None else _("someone")


def check_timing(start_ms: Any, end_ms: Any, *, where: str = "") -> None:
    """end > start >= 0, both whole milliseconds; else a ValidationError that says which."""
    prefix = f"{where}: " if where else ""
    if not isinstance(start_ms, int) or not isinstance(end_ms, int):
        raise ValidationError(prefix + _("Start and end must be times."), code="timing")
    if start_ms < 0 or end_ms < 0:
        raise ValidationError(
            prefix
            + _("A time cannot be negative (%(s)s – %(e)s).")
            % {"s": _fmt(start_ms), "e": _fmt(end_ms)},
            code="negative",
        )
    if end_ms <= start_ms:
        raise ValidationError(
            prefix
            + _("The end (%(e)s) must come after the start (%(s)s).")
            % {"s": fmt_ms(start_ms), "e": fmt_ms(end_ms)},
            code="end_before_start",
        )


def _fmt(ms: int) -> str:
    return ("-" + fmt_ms(-ms)) if ms < 0 else fmt_ms(ms)


def check_text(text: str, language: str, *, where: str = "") -> None:
    prefix = f"{where}: " if where else ""
    if len(text) > TEXT_MAX:
        check_length("text", text, TEXT_MAX)
    problem = languages.script_problem(text, language)
    if problem:
        raise ValidationError(prefix + problem, code="script")


def check_segments(segments: Sequence[SegmentInput], language: str) -> None:
    """All of a transcript's segments at once (an import): each timed and written right, in
    order, none overlapping the next. The first problem is named with its segment's number."""
    previous: SegmentInput | None = None
    for n, seg in enumerate(segments, start=1):
        where = _("Segment %(n)s") % {"n": n}
        check_timing(seg.start_ms, seg.end_ms, where=where)
        check_text(seg.text, language, where=where)
        if seg.speaker not in Speaker.values:
            raise ValidationError(where + ": " + _("Unknown speaker."), code="speaker")
        if previous is not None and seg.start_ms < previous.end_ms:
            raise ValidationError(
                _(
                    "Segments %(a)s and %(b)s overlap: %(b)s starts at %(s)s, before %(a)s "
                    "ends at %(e)s."
                )
                % {"a": n - 1, "b": n, "s": fmt_ms(seg.start_ms), "e": fmt_ms(previous.end_ms)},
                code="overlap",
            )
        previous = seg


def _check_fits(transcript: Transcript, start_ms: int, end_ms: int, *, exclude: Any = None) -> None:
    """The segment [start, end) overlaps no other segment of the transcript."""
    clash = (
        transcript.segments.filter(start_ms__lt=end_ms, end_ms__gt=start_ms)
        .exclude(pk=exclude)
        .order_by("start_ms")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("This overlaps segment %(n)s (%(s)s – %(e)s).")
            % {"n": clash.position + 1, "s": fmt_ms(clash.start_ms), "e": fmt_ms(clash.end_ms)},
            code="overlap",
        )


# --- claims -----------------------------------------------------------------------------------


def _refuse_claim(transcript: Transcript, holder_id: Any) -> ClaimRefused:
    from django.contrib.auth import get_user_model

    holder = get_user_model().objects.filter(pk=holder_id).first()
    return ClaimRefused(
        _(
            "%(what)s is being worked on by %(who)s. Ask them, or a coordinator, to release "
            "it; two people must not translate the same testimony."
        )
        % {"what": _label(transcript), "who": _who(holder)},
        code="claimed",
    )


def transcript_claim(*, actor: Any, transcript: Transcript) -> Transcript:
    """Take a transcript or translation to work on it, unless someone else holds it
    (ClaimRefused). Claiming what one holds already changes nothing."""
    check(actor, _capability(transcript))
    _may_see(actor, transcript.testimony)
    if actor is None:
        raise ValidationError(_("A claim is made by a person."), code="no_actor")
    with transaction.atomic():
        now = timezone.now()
        # One conditional UPDATE: of two translators claiming at once, only one changes the
        # row (the other's UPDATE finds claimed_by set and changes nothing).
        taken = Transcript.objects.filter(pk=transcript.pk, claimed_by__isnull=True).update(
            claimed_by=actor, claimed_at=now
        )
        current = Transcript.objects.select_related("testimony").get(pk=transcript.pk)
        if not taken:
            if current.claimed_by_id == actor.pk:
                return current
            raise _refuse_claim(current, current.claimed_by_id)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes={"claimed_by": [None, str(actor.pk)]},
            label=_label(current),
        )
    return current


def transcript_release(*, actor: Any, transcript: Transcript) -> Transcript:
    """Give a claimed transcript back to the queue: its holder, or a coordinator."""
    with transaction.atomic():
        current = Transcript.objects.select_related("testimony").get(pk=transcript.pk)
        holder = current.claimed_by_id
        if holder is None:
            return current
        if actor is not None and holder != actor.pk:
            check(actor, "transcripts.prioritise")
        Transcript.objects.filter(pk=current.pk).update(claimed_by=None, claimed_at=None)
        current.claimed_by = None
        current.claimed_at = None
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes={"claimed_by": [str(holder), None]},
            label=_label(current),
        )
    return current


def _hold(actor: Any, transcript: Transcript) -> None:
    """Refuse an edit while someone else holds the transcript; an edit by nobody's claim
    claims it for the editor (who then holds it until they submit or release it)."""
    if actor is None:
        return
    holder = (
        Transcript.objects.filter(pk=transcript.pk).values_list("claimed_by_id", flat=True).get()
    )
    if holder is None:
        taken = Transcript.objects.filter(pk=transcript.pk, claimed_by__isnull=True).update(
            claimed_by=actor, claimed_at=timezone.now()
        )
        if taken:
            return
        holder = (
            Transcript.objects.filter(pk=transcript.pk)
            .values_list("claimed_by_id", flat=True)
            .get()
        )
    if holder != actor.pk:
        raise _refuse_claim(transcript, holder)


# --- transcripts and translations -----------------------------------------------------------


def transcript_create(*, actor: Any, testimony: Testimony, language: str) -> Transcript:
    """The (empty) transcript of a testimony in the language it was told in."""
    check(actor, "transcripts.edit")
    _may_see(actor, testimony)
    language = languages.normalise(language)
    with transaction.atomic():
        existing = Transcript.objects.filter(testimony=testimony).order_by("kind").first()
        if existing is not None and existing.kind == Transcript.Kind.ORIGINAL:
            raise ValidationError(
                _("T%(n)s already has a transcript (in %(lang)s).")
                % {"n": testimony.number, "lang": languages.name_of(existing.language)},
                code="exists",
            )
        obj = Transcript(testimony=testimony, language=language, kind=Transcript.Kind.ORIGINAL)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=obj,
            changes={"language": [None, language], "kind": [None, obj.kind]},
            label=_label(obj),
        )
    return obj


def translation_create(*, actor: Any, transcript: Transcript, language: str) -> Transcript:
    """A translation of `transcript` into `language`, aligned to its segments: one empty
    segment (to do) per segment of the transcript, with the same timing."""
    check(actor, "transcripts.translate")
    _may_see(actor, transcript.testimony)
    language = languages.normalise(language)
    if transcript.is_translation:
        raise ValidationError(
            _("Translate from the transcript, not from another translation."), code="source"
        )
    with transaction.atomic():
        if language == transcript.language:
            raise ValidationError(
                _("The transcript is in %(lang)s already.") % {"lang": languages.name_of(language)},
                code="same_language",
            )
        if Transcript.objects.filter(
            testimony_id=transcript.testimony_id, language=language
        ).exists():
            raise ValidationError(
                _("T%(n)s already has a translation into %(lang)s.")
                % {"n": transcript.testimony.number, "lang": languages.name_of(language)},
                code="exists",
            )
        obj = Transcript(
            testimony_id=transcript.testimony_id,
            language=language,
            kind=Transcript.Kind.TRANSLATION,
            source=transcript,
            priority=transcript.priority,
        )
        obj.save()
        sources = list(transcript.segments.order_by("position"))
        Segment.objects.bulk_create([_aligned(obj, s) for s in sources])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=obj,
            changes={
                "language": [None, language],
                "kind": [None, obj.kind],
                "source": [None, str(transcript.pk)],
                "segments": [0, len(sources)],
            },
            label=_label(obj),
        )
    return obj


def _aligned(translation: Transcript, source: Segment) -> Segment:
    return Segment(
        transcript=translation,
        position=source.position,
        start_ms=source.start_ms,
        end_ms=source.end_ms,
        speaker=source.speaker,
        text="",
        status=Status.TODO,
        source=source,
        source_hash="",
    )


def _touch(transcript: Transcript, *, status: str | None = None) -> None:
    """The transcript's content changed: a new version; a reviewed one is a draft again (its
    sign-off was for what it said before)."""
    fields: dict[str, Any] = {"version": F("version") + 1, "updated_at": timezone.now()}
    if status is not None:
        fields["status"] = status
    elif transcript.status in (Status.REVIEWED, Status.TODO, Status.MACHINE_DRAFT):
        # A person's edit of a machine draft makes it theirs: no machine draft replaces it.
        fields["status"] = Status.HUMAN_DRAFT
    Transcript.objects.filter(pk=transcript.pk).update(**fields)


def _renumber(original: Transcript) -> None:
    """Positions 0..n-1 in time order, and each translation's segments at their source's."""
    segments = list(original.segments.order_by("start_ms", "id"))
    changed = []
    for n, seg in enumerate(segments):
        if seg.position != n:
            seg.position = n
            changed.append(seg)
    if changed:
        Segment.objects.bulk_update(changed, ["position"])
    positions = {s.pk: s.position for s in segments}
    moved = []
    for seg in Segment.objects.filter(source__transcript=original).only(
        "id", "position", "source_id"
    ):
        want = positions.get(seg.source_id) if seg.source_id is not None else None
        if want is not None and seg.position != want:
            seg.position = want
            moved.append(seg)
    if moved:
        Segment.objects.bulk_update(moved, ["position"])


def _follow(sources: Iterable[Segment]) -> int:
    """The original's segments changed: their translations take the new timing, and the ones
    translated from another text or timing are marked stale. Returns how many became stale."""
    by_id = {s.pk: s for s in sources}
    if not by_id:
        return 0
    stale = 0
    changed = []
    touched: set[Any] = set()
    for seg in Segment.objects.filter(source_id__in=list(by_id)):
        src = by_id[seg.source_id]  # type: ignore[index]
        seg.start_ms, seg.end_ms = src.start_ms, src.end_ms
        if seg.source_hash and seg.source_hash != src.fingerprint and not seg.stale:
            seg.stale = True
            stale += 1
            touched.add(seg.transcript_id)
        changed.append(seg)
    if changed:
        Segment.objects.bulk_update(changed, ["start_ms", "end_ms", "stale"])
    for pk in touched:  # a signed-off translation with a stale segment is a draft again
        Transcript.objects.filter(pk=pk, status=Status.REVIEWED).update(
            status=Status.HUMAN_DRAFT, submitted_at=None
        )
    return stale


def _lock_transcript(transcript: Transcript, expected_version: int | None) -> Transcript:
    current: Transcript = lock_for_edit(Transcript, transcript.pk, expected_version)
    return current


def _segment_record(
    actor: Any, segment: Segment, transcript: Transcript, action: str, changes: dict[str, Any]
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=segment,
        changes=changes,
        label=_("%(t)s, segment %(n)s") % {"t": _label(transcript), "n": segment.position + 1},
    )


def segment_add(
    *,
    actor: Any,
    transcript: Transcript,
    start_ms: int,
    end_ms: int,
    text: str,
    speaker: str = Speaker.TESTIFIER,
    expected_version: int | None = None,
) -> Segment:
    """A new segment of the transcript (not of a translation: a translation keeps the
    transcript's segments); each translation gets an empty segment beside it."""
    check(actor, "transcripts.edit")
    _may_see(actor, transcript.testimony)
    if transcript.is_translation:
        raise ValidationError(
            _("A translation keeps the transcript's segments: add the segment to the transcript."),
            code="translation",
        )
    text = text.strip()
    check_timing(start_ms, end_ms)
    check_text(text, transcript.language)
    if speaker not in Speaker.values:
        raise ValidationError(_("Unknown speaker."), code="speaker")
    with transaction.atomic():
        current = _lock_transcript(transcript, expected_version)
        _hold(actor, current)
        _check_fits(current, start_ms, end_ms)
        seg = Segment.objects.create(
            transcript=current,
            position=current.segments.filter(start_ms__lt=start_ms).count(),
            start_ms=start_ms,
            end_ms=end_ms,
            speaker=speaker,
            text=text,
            status=Status.HUMAN_DRAFT,
            updated_by=actor if actor is not None else None,
        )
        for translation in current.translations.all():
            _aligned(translation, seg).save()
        _renumber(current)
        seg.refresh_from_db(fields=["position"])
        _touch(current)
        _segment_record(
            actor,
            seg,
            current,
            AuditEntry.Action.CREATE,
            {"start_ms": [None, start_ms], "end_ms": [None, end_ms], "text": [None, text]},
        )
    return seg


def segment_edit(
    *,
    actor: Any,
    segment: Segment,
    expected_version: int | None,
    text: str | None = None,
    start_ms: int | None = None,
    end_ms: int | None = None,
    speaker: str | None = None,
    seen_source_hash: str | None = None,
) -> Segment:
    """Change a segment's text (and, in the transcript, its timing or speaker).

    In the transcript, the translations of a segment whose text or timing changed are marked
    stale. In a translation, the text is recorded as translated from the segment of the
    transcript the translator saw (`seen_source_hash`, the fingerprint the page was given;
    the current one when not given): when the transcript changed while the translation was
    open, the text is kept and the segment stays stale, so nothing typed is lost."""
    transcript = Transcript.objects.select_related("testimony").get(pk=segment.transcript_id)
    check(actor, _capability(transcript))
    _may_see(actor, transcript.testimony)
    with transaction.atomic():
        current: Segment = lock_for_edit(Segment, segment.pk, expected_version)
        _hold(actor, transcript)
        marks = (current.source_hash, current.stale)
        before = {
            "text": current.text,
            "start_ms": current.start_ms,
            "end_ms": current.end_ms,
            "speaker": current.speaker,
        }
        new_text = current.text if text is None else text.strip()
        if transcript.is_translation:
            if (start_ms is not None and start_ms != current.start_ms) or (
                end_ms is not None and end_ms != current.end_ms
            ):
                raise ValidationError(
                    _("A translation keeps the transcript's timing: change it in the transcript."),
                    code="translation_timing",
                )
            check_text(new_text, transcript.language)
            source = (
                Segment.objects.filter(pk=current.source_id).first()
                if current.source_id is not None
                else None
            )
            now_hash = source.fingerprint if source is not None else ""
            seen = seen_source_hash if seen_source_hash is not None else now_hash
            current.text = new_text
            current.source_hash = seen
            current.stale = bool(seen != now_hash)
            current.status = Status.HUMAN_DRAFT if new_text else Status.TODO
        else:
            new_start = current.start_ms if start_ms is None else start_ms
            new_end = current.end_ms if end_ms is None else end_ms
            check_timing(new_start, new_end)
            check_text(new_text, transcript.language)
            if speaker is not None and speaker not in Speaker.values:
                raise ValidationError(_("Unknown speaker."), code="speaker")
            _check_fits(transcript, new_start, new_end, exclude=current.pk)
            current.text = new_text
            current.start_ms, current.end_ms = new_start, new_end
            if speaker is not None:
                current.speaker = speaker
            current.status = Status.HUMAN_DRAFT
        after = {
            "text": current.text,
            "start_ms": current.start_ms,
            "end_ms": current.end_ms,
            "speaker": current.speaker,
        }
        delta = audit.diff(before, after)
        if not delta and (current.source_hash, current.stale) == marks:
            return current
        bump(current)
        current.updated_by = actor if actor is not None else None
        current.save()
        if "text" in delta:
            _reanchor(current, actor)
        if not transcript.is_translation:
            if "start_ms" in delta or "end_ms" in delta:
                _renumber(transcript)
            _follow([current])
            for translation in transcript.translations.all():
                if translation.segments.filter(stale=True).exists():
                    _touch_quiet(translation)
        _touch(transcript)
        _segment_record(actor, current, transcript, AuditEntry.Action.UPDATE, delta)
    return current


def _touch_quiet(transcript: Transcript) -> None:
    Transcript.objects.filter(pk=transcript.pk).update(updated_at=timezone.now())


def segment_split(
    *,
    actor: Any,
    segment: Segment,
    at_ms: int,
    at_char: int | None = None,
    expected_version: int | None = None,
) -> tuple[Segment, Segment]:
    """Cut a segment of the transcript in two at `at_ms` (strictly inside it); its text is
    cut at `at_char`, or at the space nearest the same share of the text. The translations'
    segment stays with the first half (stale) and an empty one is added for the second.
    `expected_version` is the transcript's."""
    transcript = Transcript.objects.select_related("testimony").get(pk=segment.transcript_id)
    check(actor, "transcripts.edit")
    _may_see(actor, transcript.testimony)
    if transcript.is_translation:
        raise ValidationError(
            _("A translation keeps the transcript's segments: split the transcript's segment."),
            code="translation",
        )
    with transaction.atomic():
        current_t = _lock_transcript(transcript, expected_version)
        _hold(actor, current_t)
        first = Segment.objects.select_for_update().get(pk=segment.pk)
        if not first.start_ms < at_ms < first.end_ms:
            raise ValidationError(
                _("Split inside the segment: between %(s)s and %(e)s.")
                % {"s": fmt_ms(first.start_ms), "e": fmt_ms(first.end_ms)},
                code="split_outside",
            )
        text = first.text
        if at_char is None:
            at_char = _cut(text, (at_ms - first.start_ms) / (first.end_ms - first.start_ms))
        if not 0 <= at_char <= len(text):
            raise ValidationError(_("Split the text inside it."), code="split_text")
        head, tail = text[:at_char].strip(), text[at_char:].strip()
        old_end = first.end_ms
        moved = list(first.mentions.filter(start__gte=at_char))
        first.text, first.end_ms = head, at_ms
        bump(first)
        first.save()
        second = Segment.objects.create(
            transcript=current_t,
            position=first.position + 1,
            start_ms=at_ms,
            end_ms=old_end,
            speaker=first.speaker,
            text=tail,
            status=first.status,
            updated_by=actor if actor is not None else None,
        )
        _carry_mentions(first, second, moved, offset=-(len(text) - len(text[at_char:].lstrip())))
        _reanchor(first, actor)
        for translation in current_t.translations.all():
            _aligned(translation, second).save()
        _renumber(current_t)
        _follow([first])
        _touch(current_t)
        first.refresh_from_db()
        second.refresh_from_db()
        _segment_record(
            actor,
            first,
            current_t,
            AuditEntry.Action.UPDATE,
            {"end_ms": [old_end, at_ms], "text": [text, head], "split_into": [None, second.pk]},
        )
    return first, second


def _cut(text: str, share: float) -> int:
    """The space nearest `share` of the text (its middle, for a cut in the middle), or that
    share of the characters when it has no space (Chinese)."""
    target = round(len(text) * share)
    spaces = [i for i, ch in enumerate(text) if ch.isspace()]
    if not spaces:
        return target
    return min(spaces, key=lambda i: abs(i - target))


def _carry_mentions(first: Segment, second: Segment, moved: list[Mention], *, offset: int) -> None:
    for m in moved:
        m.segment = second
        m.start = max(0, m.start + offset)
        m.end = m.start + len(m.text)
        m.save()


def _reanchor(segment: Segment, actor: Any) -> None:
    """After a text change, each mention finds its words again (nearest their old place), or
    goes, recorded in the audit log: a mention must never point at other words."""
    for m in list(segment.mentions.all()):
        if segment.text[m.start : m.end] == m.text:
            continue
        found = [i for i in range(len(segment.text)) if segment.text.startswith(m.text, i)]
        if found:
            m.start = min(found, key=lambda i: abs(i - m.start))
            m.end = m.start + len(m.text)
            m.save(update_fields=["start", "end"])
        else:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                obj=m,
                changes={"text": [m.text, None]},
                person_id=m.person_id,
                note="its words are no longer in the segment",
            )
            m.delete()


def segment_join(*, actor: Any, segment: Segment, expected_version: int | None = None) -> Segment:
    """Join a segment of the transcript with the next one. Each translation's two segments
    are joined too (their texts kept, the result stale). `expected_version`: the
    transcript's."""
    transcript = Transcript.objects.select_related("testimony").get(pk=segment.transcript_id)
    check(actor, "transcripts.edit")
    _may_see(actor, transcript.testimony)
    if transcript.is_translation:
        raise ValidationError(
            _("A translation keeps the transcript's segments: join the transcript's segments."),
            code="translation",
        )
    with transaction.atomic():
        current_t = _lock_transcript(transcript, expected_version)
        _hold(actor, current_t)
        first = Segment.objects.select_for_update().get(pk=segment.pk)
        second = current_t.segments.filter(start_ms__gte=first.end_ms).order_by("start_ms").first()
        if second is None:
            raise ValidationError(
                _("This is the last segment: nothing follows to join."), code="last"
            )
        before = {"text": first.text, "end_ms": first.end_ms}
        offset = len(first.text) + 1 if first.text and second.text else len(first.text)
        joined = _join_text(first.text, second.text)
        check_length("text", joined, TEXT_MAX)
        for m in list(second.mentions.all()):
            m.segment = first
            m.start += offset
            m.end += offset
            m.save()
        first.text, first.end_ms = joined, second.end_ms
        bump(first)
        first.save()
        # The translations: their two segments become one, both texts kept.
        for t_seg in Segment.objects.filter(source=second):
            partner = Segment.objects.filter(
                transcript_id=t_seg.transcript_id, source=first
            ).first()
            if partner is None:
                t_seg.source = first
                t_seg.save(update_fields=["source"])
                continue
            partner.text = _join_text(partner.text, t_seg.text)
            if partner.text:
                partner.status = Status.HUMAN_DRAFT
            bump(partner)
            partner.save()
            t_seg.delete()
        removed = second.pk
        second.delete()
        _renumber(current_t)
        _follow([first])
        _touch(current_t)
        _segment_record(
            actor,
            first,
            current_t,
            AuditEntry.Action.UPDATE,
            {
                **audit.diff(before, {"text": first.text, "end_ms": first.end_ms}),
                "joined": [removed, None],
            },
        )
    return first


def _join_text(a: str, b: str) -> str:
    return " ".join(x for x in (a.strip(), b.strip()) if x)


def segments_replace(
    *, actor: Any, transcript: Transcript, segments: Sequence[SegmentInput], note: str = ""
) -> bool:
    """Make the transcript's segments these (an import). Returns False when they are these
    already (the same file twice changes nothing). A transcript with translations keeps its
    segments' number: each is changed in place and the translations' follow (stale where the
    text or timing changed); a file with another number of segments is refused."""
    check(actor, "transcripts.edit")
    _may_see(actor, transcript.testimony)
    if transcript.is_translation:
        raise ValidationError(_("Import a translation's text with translation_fill."), code="kind")
    segs = [SegmentInput(s.start_ms, s.end_ms, s.text.strip(), s.speaker) for s in segments]
    check_segments(segs, transcript.language)
    with transaction.atomic():
        current = _lock_transcript(transcript, None)
        _hold(actor, current)
        existing = list(current.segments.order_by("position"))
        if [(s.start_ms, s.end_ms, s.text) for s in existing] == [
            (s.start_ms, s.end_ms, s.text) for s in segs
        ]:
            return False
        has_translations = current.translations.exists()
        if has_translations and len(existing) != len(segs):
            raise ValidationError(
                _(
                    "%(what)s has %(n)s segments and translations aligned to them; this file "
                    "has %(m)s. Nothing was changed: correct the transcript segment by segment "
                    "instead."
                )
                % {"what": _label(current), "n": len(existing), "m": len(segs)},
                code="misaligned",
            )
        if has_translations:
            for seg, new in zip(existing, segs, strict=True):
                seg.start_ms, seg.end_ms, seg.text = new.start_ms, new.end_ms, new.text
                seg.status = Status.HUMAN_DRAFT
                seg.version += 1
            # Two passes keep the end-after-start check true at every step.
            Segment.objects.bulk_update(
                existing, ["start_ms", "end_ms", "text", "status", "version"]
            )
            _follow(existing)
        else:
            current.segments.all().delete()
            _segments_write(current, segs, Status.HUMAN_DRAFT)
        _touch(current)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=current,
            changes={"segments": [len(existing), len(segs)]},
            note=note,
            label=_label(current),
        )
    return True


def translation_fill(
    *, actor: Any, translation: Transcript, texts: Sequence[SegmentInput], note: str = ""
) -> int:
    """Put imported subtitle texts into a translation's segments: each cue goes to the
    transcript's segment it overlaps most (several cues on one segment are joined); a cue
    that overlaps none is refused. Returns how many segments changed (0: the same file
    again)."""
    check(actor, "transcripts.translate")
    _may_see(actor, translation.testimony)
    if not translation.is_translation:
        raise ValidationError(_("This is a transcript, not a translation."), code="kind")
    check_segments(list(texts), translation.language)
    with transaction.atomic():
        current = _lock_transcript(translation, None)
        _hold(actor, current)
        targets = list(current.segments.select_related("source").order_by("position"))
        if not targets:
            raise ValidationError(
                _("The transcript has no segments yet: import or type the transcript first."),
                code="no_segments",
            )
        gathered: dict[Any, list[str]] = {}
        for n, cue in enumerate(texts, start=1):
            best = max(
                targets, key=lambda s: min(s.end_ms, cue.end_ms) - max(s.start_ms, cue.start_ms)
            )
            if min(best.end_ms, cue.end_ms) - max(best.start_ms, cue.start_ms) <= 0:
                raise ValidationError(
                    _(
                        "Subtitle %(n)s (%(s)s – %(e)s) falls between the transcript's segments; "
                        "a translation keeps the transcript's timing. Nothing was imported."
                    )
                    % {"n": n, "s": fmt_ms(cue.start_ms), "e": fmt_ms(cue.end_ms)},
                    code="unaligned",
                )
            gathered.setdefault(best.pk, []).append(cue.text)
        changed = []
        for seg in targets:
            if seg.pk not in gathered:
                continue
            text = " ".join(t for t in gathered[seg.pk] if t)
            src_hash = seg.source.fingerprint if seg.source is not None else ""
            if text == seg.text and seg.source_hash == src_hash and not seg.stale:
                continue
            seg.text, seg.source_hash, seg.stale = text, src_hash, False
            seg.status = Status.HUMAN_DRAFT if text else Status.TODO
            seg.version += 1
            changed.append(seg)
        if not changed:
            return 0
        Segment.objects.bulk_update(changed, ["text", "source_hash", "stale", "status", "version"])
        _touch(current)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=current,
            changes={"segments_changed": [None, len(changed)]},
            note=note,
            label=_label(current),
        )
    return len(changed)


# --- the work's course --------------------------------------------------------------------------


def _unfinished(transcript: Transcript) -> str | None:
    segments = transcript.segments
    if not segments.exists():
        return str(_("It has no segments."))
    empty = segments.filter(text="").count()
    if empty:
        return str(_("%(n)s segments have no text yet.") % {"n": empty})
    stale = segments.filter(stale=True).count()
    if stale:
        return str(
            _("%(n)s segments were translated from a transcript that changed since (stale).")
            % {"n": stale}
        )
    return None


def transcript_submit(
    *, actor: Any, transcript: Transcript, expected_version: int | None = None
) -> Transcript:
    """The translator says it is done: it waits for a reviewer's sign-off, and is released.
    Refused while a segment is empty or stale."""
    check(actor, _capability(transcript))
    _may_see(actor, transcript.testimony)
    with transaction.atomic():
        current = _lock_transcript(transcript, expected_version)
        _hold(actor, current)
        problem = _unfinished(current)
        if problem:
            raise ValidationError(
                _("%(what)s cannot be submitted yet: %(why)s")
                % {"what": _label(current), "why": problem},
                code="unfinished",
            )
        before = {"status": current.status, "submitted_at": None}
        current.submitted_at = timezone.now()
        if current.status in (Status.TODO, Status.REVIEWED, Status.MACHINE_DRAFT):
            current.status = Status.HUMAN_DRAFT
        if actor is not None:
            current.translator = actor
        current.claimed_by, current.claimed_at = None, None
        bump(current)
        current.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes=audit.diff(
                before, {"status": current.status, "submitted_at": current.submitted_at.isoformat()}
            ),
            label=_label(current),
        )
    return current


def transcript_review(
    *, actor: Any, transcript: Transcript, expected_version: int | None = None
) -> Transcript:
    """A reviewer signs the transcript or translation off: it now counts as done. Needs
    transcripts.review, and a reviewer other than whoever translated it."""
    check(actor, "transcripts.review")
    _may_see(actor, transcript.testimony)
    with transaction.atomic():
        current = _lock_transcript(transcript, expected_version)
        if current.submitted_at is None:
            raise ValidationError(
                _("%(what)s has not been submitted for review.") % {"what": _label(current)},
                code="not_submitted",
            )
        if actor is not None and current.translator_id == actor.pk:
            raise ValidationError(
                _("You translated %(what)s: someone else must review it.")
                % {"what": _label(current)},
                code="own_work",
            )
        problem = _unfinished(current)
        if problem:
            raise ValidationError(
                _("%(what)s cannot be signed off: %(why)s")
                % {"what": _label(current), "why": problem},
                code="unfinished",
            )
        before = current.status
        current.status = Status.REVIEWED
        current.reviewer = actor
        current.reviewed_at = timezone.now()
        bump(current)
        current.save()
        current.segments.update(status=Status.REVIEWED)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes={"status": [before, Status.REVIEWED]},
            label=_label(current),
        )
    return current


def transcript_prioritise(*, actor: Any, transcript: Transcript, priority: int) -> Transcript:
    """Move a transcript or translation up (or down) the translators' queue."""
    check(actor, "transcripts.prioritise")
    if not isinstance(priority, int) or not -1000 <= priority <= 1000:
        raise ValidationError(_("Give a priority between -1000 and 1000."), code="priority")
    with transaction.atomic():
        current = Transcript.objects.select_for_update().get(pk=transcript.pk)
        if current.priority == priority:
            return current
        before = current.priority
        Transcript.objects.filter(pk=current.pk).update(priority=priority)
        current.priority = priority
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=current,
            changes={"priority": [before, priority]},
            label=_label(current),
        )
    return current


def testimony_prioritise(*, actor: Any, testimony: Testimony, priority: int) -> int:
    """A testimony's transcript and every translation of it, moved to `priority` (a petition
    deadline, a press request). Returns how many changed."""
    check(actor, "transcripts.prioritise")
    _may_see(actor, testimony)
    changed = 0
    with transaction.atomic():
        for t in Transcript.objects.filter(testimony=testimony).select_related("testimony"):
            if t.priority != priority:
                transcript_prioritise(actor=actor, transcript=t, priority=priority)
                changed += 1
    return changed


# --- glossary and mentions ----------------------------------------------------------------------


def glossary_term_add(
    *,
    actor: Any,
    source_language: str,
    target_language: str,
    term: str,
    translation: str,
    note: str = "",
) -> GlossaryTerm:
    check(actor, "transcripts.translate")
    src = languages.normalise(source_language)
    dst = languages.normalise(target_language)
    term, translation = term.strip(), translation.strip()
    if not term or not translation:
        raise ValidationError(_("Give the term and its translation."), code="empty")
    check_text(term, src)
    check_text(translation, dst)
    with transaction.atomic():
        # Compared case-folded in Python: SQLite's own case folding knows only ASCII letters.
        pair = GlossaryTerm.objects.filter(source_language=src, target_language=dst)
        if any(t.casefold() == term.casefold() for t in pair.values_list("term", flat=True)):
            raise ValidationError(
                _("“%(term)s” is in the glossary already.") % {"term": term}, code="exists"
            )
        obj = GlossaryTerm(
            source_language=src,
            target_language=dst,
            term=term,
            translation=translation,
            note=note.strip(),
        )
        obj.full_clean()
        obj.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=obj,
            changes=audit.diff(
                {},
                audit.snapshot(
                    obj, ["source_language", "target_language", "term", "translation", "note"]
                ),
            ),
        )
    return obj


def mention_add(
    *,
    actor: Any,
    segment: Segment,
    start: int,
    end: int,
    person: Person | None = None,
    place: Place | None = None,
) -> Mention:
    """Link the words segment.text[start:end] to a person's or a place's record."""
    transcript = Transcript.objects.select_related("testimony").get(pk=segment.transcript_id)
    check(actor, _capability(transcript))
    _may_see(actor, transcript.testimony)
    if (person is None) == (place is None):
        raise ValidationError(_("Link the words to one person or one place."), code="target")
    if person is not None and actor is not None:
        from aigaq.disclosure.policy import person_visible_to

        if not person_visible_to(actor, person):
            raise PermissionDenied("person.view")
    if not 0 <= start < end <= len(segment.text):
        raise ValidationError(_("Choose words inside the segment's text."), code="span")
    words = segment.text[start:end]
    if not words.strip():
        raise ValidationError(_("Choose words, not spaces."), code="span")
    with transaction.atomic():
        obj = Mention.objects.create(
            segment=segment, person=person, place=place, start=start, end=end, text=words[:300]
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=obj,
            changes={
                "text": [None, obj.text],
                "target": [None, f"person {person.pk}" if person else f"place {place.pk}"],  # type: ignore[union-attr]
            },  # type: ignore[union-attr]
            person_id=person.pk if person is not None else None,
        )
    return obj


# --- machine drafts -----------------------------------------------------------------------------


def _refuse_machine(current: Transcript, actor: Any) -> None:
    """A machine draft replaces only a machine draft or nothing: never what a person wrote
    or signed off, never while someone else holds the work."""
    worked = current.status in (Status.HUMAN_DRAFT, Status.REVIEWED) or (
        current.segments.exclude(status__in=(Status.TODO, Status.MACHINE_DRAFT)).exists()
    )
    if worked:
        raise ValidationError(
            _(
                "%(what)s has been written or corrected by a person (%(status)s); a machine "
                "draft never replaces that. Nothing was changed."
            )
            % {"what": _label(current), "status": current.get_status_display()},
            code="human_work",
        )
    if current.claimed_by_id is not None and (actor is None or current.claimed_by_id != actor.pk):
        raise _refuse_claim(current, current.claimed_by_id)


def machine_draft_save(
    *,
    actor: Any,
    testimony: Testimony,
    language: str,
    segments: Sequence[SegmentInput],
    engine: str,
    note: str = "",
) -> Transcript:
    """The transcript of `testimony` in `language` as a speech-recognition engine heard it
    (engines.Recogniser): its segments in status "machine draft", the transcript made when
    there is none. Run again, it replaces its own earlier draft (a job run twice writes the
    same); it never replaces a transcript a person wrote, corrected or signed off, nor one
    with translations aligned to its segments. The text is kept as the engine wrote it, even
    in a script the language does not use (the person who corrects it sees that); timing and
    length are checked as for any import."""
    check(actor, "transcripts.edit")
    _may_see(actor, testimony)
    language = languages.normalise(language)
    segs = [
        SegmentInput(s.start_ms, s.end_ms, s.text.strip()[:TEXT_MAX], Speaker.TESTIFIER)
        for s in segments
    ]
    if not segs:
        raise ValidationError(
            _("The engine heard no speech in this recording. Nothing was changed."),
            code="empty",
        )
    previous: SegmentInput | None = None
    for n, seg in enumerate(segs, start=1):
        check_timing(seg.start_ms, seg.end_ms, where=_("Segment %(n)s") % {"n": n})
        if previous is not None and seg.start_ms < previous.end_ms:
            raise ValidationError(_("The engine's segments overlap."), code="overlap")
        previous = seg
    with transaction.atomic():
        original = Transcript.objects.filter(
            testimony=testimony, kind=Transcript.Kind.ORIGINAL
        ).first()
        if original is not None and original.language != language:
            raise ValidationError(
                _("T%(n)s already has a transcript (in %(lang)s).")
                % {"n": testimony.number, "lang": languages.name_of(original.language)},
                code="exists",
            )
        if original is None:
            original = transcript_create(actor=actor, testimony=testimony, language=language)
        current = _lock_transcript(original, None)
        current.testimony = testimony
        _refuse_machine(current, actor)
        if current.translations.exists():
            raise ValidationError(
                _(
                    "%(what)s has translations aligned to its segments; a new machine draft "
                    "would take their segments away. Nothing was changed."
                )
                % {"what": _label(current)},
                code="misaligned",
            )
        before = current.segments.count()
        current.segments.all().delete()
        _segments_write(current, segs, Status.MACHINE_DRAFT)
        _touch(current, status=Status.MACHINE_DRAFT)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=current,
            changes={"segments": [before, len(segs)], "engine": [None, engine]},
            note=note,
            label=_label(current),
        )
        current.refresh_from_db()
    return current


@dataclass(frozen=True)
class MachineText:
    """A machine translation of one segment of the transcript, and the fingerprint that
    segment had when it was translated (a change meanwhile leaves the segment stale)."""

    source_id: int
    source_hash: str
    text: str


def machine_translation_save(
    *,
    actor: Any,
    transcript: Transcript,
    language: str,
    texts: Sequence[MachineText],
    engine: str,
    note: str = "",
) -> Transcript:
    """A translation of `transcript` into `language` as a translation engine wrote it
    (engines.Translator): segment by segment, each in status "machine draft" with the
    fingerprint of the segment it was translated from; the translation made (aligned) when
    there is none. The same rules as `machine_draft_save`: it replaces only its own earlier
    draft, never a person's work."""
    check(actor, "transcripts.translate")
    _may_see(actor, transcript.testimony)
    language = languages.normalise(language)
    with transaction.atomic():
        existing = Transcript.objects.filter(
            testimony_id=transcript.testimony_id, language=language
        ).first()
        if existing is None:
            existing = translation_create(actor=actor, transcript=transcript, language=language)
        elif not existing.is_translation:
            raise ValidationError(
                _("The transcript is in %(lang)s already.") % {"lang": languages.name_of(language)},
                code="same_language",
            )
        current = _lock_transcript(existing, None)
        current.testimony = transcript.testimony
        _refuse_machine(current, actor)
        by_source = {t.source_id: t for t in texts}
        changed = []
        for seg in current.segments.select_related("source").order_by("position"):
            given = by_source.get(seg.source_id) if seg.source_id is not None else None
            if given is None or seg.source is None:
                continue
            seg.text = given.text.strip()[:TEXT_MAX]
            seg.source_hash = given.source_hash
            seg.stale = given.source_hash != seg.source.fingerprint
            seg.status = Status.MACHINE_DRAFT if seg.text else Status.TODO
            seg.version += 1
            changed.append(seg)
        if not changed:
            raise ValidationError(
                _("The transcript has no segments to translate. Nothing was changed."),
                code="empty",
            )
        Segment.objects.bulk_update(changed, ["text", "source_hash", "stale", "status", "version"])
        _touch(current, status=Status.MACHINE_DRAFT)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=current,
            changes={"segments_changed": [None, len(changed)], "engine": [None, engine]},
            note=note,
            label=_label(current),
        )
        current.refresh_from_db()
    return current


def mention_remove(*, actor: Any, mention: Mention) -> None:
    """Take a wrong link away (the words stay in the segment)."""
    segment = Segment.objects.get(pk=mention.segment_id)
    transcript = Transcript.objects.select_related("testimony").get(pk=segment.transcript_id)
    check(actor, _capability(transcript))
    _may_see(actor, transcript.testimony)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=mention,
            changes={
                "text": [mention.text, None],
                "target": [
                    f"person {mention.person_id}"
                    if mention.person_id
                    else f"place {mention.place_id}",
                    None,
                ],
            },
            person_id=mention.person_id,
        )
        mention.delete()


def _segments_write(transcript: Transcript, segs: Any, status: str) -> None:
    """The transcript's segments, new, in the given order and status (its old ones deleted
    first by the caller)."""
    Segment.objects.bulk_create(
        [
            Segment(
                transcript=transcript,
                position=n,
                start_ms=s.start_ms,
                end_ms=s.end_ms,
                speaker=s.speaker,
                text=s.text,
                status=status,
            )
            for n, s in enumerate(segs)
        ]
    )
