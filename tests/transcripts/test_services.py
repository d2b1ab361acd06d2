"""Writing transcripts and translations: segments, alignment, stale marks, claims, sign-off."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from aigaq.core.locking import EditConflict
from aigaq.core.models import AuditEntry, Visibility
from aigaq.transcripts import services
from aigaq.transcripts.models import Segment, Status, Transcript
from aigaq.transcripts.services import (
    ClaimRefused,
    SegmentInput,
    glossary_term_add,
    mention_add,
    segment_add,
    segment_edit,
    segment_join,
    segment_split,
    segments_replace,
    transcript_claim,
    transcript_create,
    transcript_release,
    transcript_review,
    transcript_submit,
    translation_create,
)
from tests import factories
from tests.transcripts.conftest import ENGLISH, segs, translate_all

pytestmark = pytest.mark.django_db


def _snapshot(transcript: Any) -> list[tuple[Any, ...]]:
    return [
        (s.position, s.start_ms, s.end_ms, s.text, s.stale, s.version)
        for s in Segment.objects.filter(transcript=transcript).order_by("position")
    ]


def test_a_transcript_is_typed_segment_by_segment_and_audited(
    testimony: Any, interviewer: Any
) -> None:
    tr = transcript_create(actor=interviewer, testimony=testimony, language="kk")
    second = segment_add(
        actor=interviewer, transcript=tr, start_ms=5000, end_ms=8000, text="Екінші сөйлем."
    )
    first = segment_add(
        actor=interviewer,
        transcript=tr,
        start_ms=0,
        end_ms=4000,
        text="Бірінші сөйлем.",
        speaker="interviewer",
    )
    assert [(s.position, s.text) for s in segs(tr)] == [
        (0, "Бірінші сөйлем."),
        (1, "Екінші сөйлем."),
    ]
    second.refresh_from_db()
    assert second.position == 1 and first.speaker == "interviewer"
    assert (
        AuditEntry.objects.filter(object_type="transcripts.segment", actor=interviewer).count() == 2
    )
    tr.refresh_from_db()
    assert tr.status == Status.HUMAN_DRAFT and tr.claimed_by == interviewer


@pytest.mark.parametrize(
    ("start", "end", "text", "message"),
    [
        (3000, 2000, "Сөйлем.", "must come after the start"),
        (2000, 2000, "Сөйлем.", "must come after the start"),
        (-1000, 2000, "Сөйлем.", "cannot be negative"),
        (3000, 6000, "Сөйлем.", "overlaps segment 1"),
        (20000, 22000, "我的儿子2018年失踪了。", "Chinese letters, which Kazakh does not use"),
    ],
)
def test_a_bad_segment_is_refused_with_a_clear_message_and_nothing_written(
    transcript: Any, interviewer: Any, start: int, end: int, text: str, message: str
) -> None:
    before = _snapshot(transcript)
    with pytest.raises(ValidationError, match=message):
        segment_add(actor=interviewer, transcript=transcript, start_ms=start, end_ms=end, text=text)
    assert _snapshot(transcript) == before


def test_kazakh_text_in_the_chinese_translation_is_refused(
    transcript: Any, translator: Any
) -> None:
    zh = translation_create(actor=translator, transcript=transcript, language="zh_Hans")
    seg = segs(zh)[0]
    with pytest.raises(ValidationError, match="Cyrillic letters, which Chinese does not use"):
        segment_edit(
            actor=translator,
            segment=seg,
            expected_version=seg.version,
            text="Менің ұлым жоғалып кетті.",
        )
    seg.refresh_from_db()
    assert seg.text == "" and seg.status == Status.TODO
    segment_edit(
        actor=translator,
        segment=seg,
        expected_version=seg.version,
        text="我的儿子叶尔兰2018年失踪了。",
    )


def test_a_translation_is_aligned_to_the_transcript(transcript: Any, translator: Any) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    pairs = list(zip(segs(transcript), segs(en), strict=True))
    assert len(pairs) == 3
    for src, dst in pairs:
        assert (dst.start_ms, dst.end_ms, dst.source_id, dst.text) == (
            src.start_ms,
            src.end_ms,
            src.pk,
            "",
        )
    with pytest.raises(ValidationError, match="already has a translation"):
        translation_create(actor=translator, transcript=transcript, language="en")
    with pytest.raises(ValidationError, match="in Kazakh already"):
        translation_create(actor=translator, transcript=transcript, language="kk")


def test_a_translation_keeps_the_transcripts_timing(transcript: Any, translator: Any) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    seg = segs(en)[0]
    with pytest.raises(ValidationError, match="keeps the transcript's timing"):
        segment_edit(
            actor=translator, segment=seg, expected_version=seg.version, text="x", start_ms=100
        )
    with pytest.raises(ValidationError, match="keeps the transcript's segments"):
        segment_add(actor=translator, transcript=en, start_ms=20000, end_ms=21000, text="More.")


def test_a_change_to_the_transcript_marks_its_translation_stale(
    transcript: Any, translator: Any, interviewer: Any
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(en, translator)
    assert not Segment.objects.filter(transcript=en, stale=True).exists()
    src = segs(transcript)[1]
    transcript_release(actor=None, transcript=transcript)
    segment_edit(
        actor=interviewer,
        segment=src,
        expected_version=src.version,
        text="Оны Құлжадағы лагерьге 2018 жылы апарды.",
    )
    stale = [s.position for s in Segment.objects.filter(transcript=en, stale=True)]
    assert stale == [1]
    # A timing change also makes it stale, and the translation follows the new timing.
    src0 = segs(transcript)[0]
    segment_edit(actor=interviewer, segment=src0, expected_version=src0.version, end_ms=4200)
    en0 = segs(en)[0]
    assert en0.stale and en0.end_ms == 4200
    # Translating it again clears the mark.
    segment_edit(actor=translator, segment=en0, expected_version=en0.version, text=ENGLISH[0])
    en0.refresh_from_db()
    assert not en0.stale


def test_a_transcript_edited_while_its_translation_is_open_loses_nothing(
    transcript: Any, translator: Any, interviewer: Any
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    opened = segs(en)[1]  # the page shows the source's fingerprint and the segment's version
    seen = opened.source.fingerprint
    transcript_release(actor=None, transcript=transcript)
    src = segs(transcript)[1]
    segment_edit(
        actor=interviewer,
        segment=src,
        expected_version=src.version,
        text="Оны Үрімжідегі түрмеге апарды.",
    )
    # The translator saves what they typed from the old text: kept, and marked stale.
    saved = segment_edit(
        actor=translator,
        segment=opened,
        expected_version=opened.version,
        text=ENGLISH[1],
        seen_source_hash=seen,
    )
    assert saved.text == ENGLISH[1] and saved.stale
    with pytest.raises(ValidationError, match="stale"):
        translate_all_but(en, translator, skip=1)
        transcript_submit(actor=translator, transcript=en)


def translate_all_but(translation: Any, actor: Any, skip: int) -> None:
    for n, seg in enumerate(segs(translation)):
        if n != skip:
            segment_edit(actor=actor, segment=seg, expected_version=seg.version, text=ENGLISH[n])


def test_two_editors_of_one_segment_conflict(transcript: Any, interviewer: Any) -> None:
    seg = segs(transcript)[0]
    segment_edit(
        actor=interviewer, segment=seg, expected_version=seg.version, text="Бірінші нұсқа."
    )
    with pytest.raises(EditConflict):
        segment_edit(
            actor=interviewer, segment=seg, expected_version=seg.version, text="Екінші нұсқа."
        )
    seg.refresh_from_db()
    assert seg.text == "Бірінші нұсқа."


def test_split_and_join_keep_translations_aligned_and_lose_no_text(
    transcript: Any, translator: Any, interviewer: Any
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(en, translator)
    transcript_release(actor=translator, transcript=en)
    src = segs(transcript)[0]
    tr = Transcript.objects.get(pk=transcript.pk)
    first, second = segment_split(
        actor=interviewer, segment=src, at_ms=2000, expected_version=tr.version
    )
    assert (first.end_ms, second.start_ms, second.end_ms) == (2000, 2000, 4000)
    assert first.text + " " + second.text == "Менің ұлым Ерлан 2018 жылы жоғалып кетті."
    assert [s.position for s in segs(transcript)] == [0, 1, 2, 3]
    en_segs = segs(en)
    assert [s.source_id for s in en_segs] == [s.pk for s in segs(transcript)]
    assert en_segs[0].stale and en_segs[0].text == ENGLISH[0] and en_segs[1].text == ""
    # Join them back: the translation's two segments are joined too, nothing lost.
    tr.refresh_from_db()
    joined = segment_join(actor=interviewer, segment=first, expected_version=tr.version)
    assert joined.text == "Менің ұлым Ерлан 2018 жылы жоғалып кетті." and joined.end_ms == 4000
    en_segs = segs(en)
    assert len(en_segs) == 3 and en_segs[0].text == ENGLISH[0]
    # A stale version of the transcript is refused.
    with pytest.raises(EditConflict):
        segment_join(actor=interviewer, segment=joined, expected_version=tr.version)


def test_split_outside_the_segment_is_refused(transcript: Any, interviewer: Any) -> None:
    src = segs(transcript)[0]
    with pytest.raises(ValidationError, match="Split inside the segment"):
        segment_split(actor=interviewer, segment=src, at_ms=4000)


def test_a_second_translator_cannot_claim_the_same_work(
    transcript: Any, translator: Any, second_translator: Any, coordinator: Any
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    transcript_claim(actor=translator, transcript=en)
    transcript_claim(actor=translator, transcript=en)  # again: nothing changes
    with pytest.raises(ClaimRefused, match="being worked on by translator-user"):
        transcript_claim(actor=second_translator, transcript=en)
    seg = segs(en)[0]
    with pytest.raises(ClaimRefused):
        segment_edit(actor=second_translator, segment=seg, expected_version=seg.version, text="No.")
    seg.refresh_from_db()
    assert seg.text == ""
    # Only the holder or a coordinator releases it.
    with pytest.raises(PermissionDenied):
        transcript_release(actor=second_translator, transcript=en)
    transcript_release(actor=coordinator, transcript=en)
    assert transcript_claim(actor=second_translator, transcript=en).claimed_by == second_translator


@pytest.mark.django_db(transaction=True)
def test_two_translators_claiming_at_the_same_moment_get_one_claim(make_user: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL (SQLite serialises writers anyway)")
    t = factories.testimony(factories.person("Ерлан Серікұлы"))
    tr = transcript_create(actor=None, testimony=t, language="kk")
    segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 1000, "Сәлем.")])
    en = translation_create(actor=None, transcript=tr, language="en")
    users = [make_user("translator", f"claimer-{n}") for n in range(4)]
    start = threading.Barrier(len(users))
    results: list[str] = []

    def claim(user: Any) -> None:
        try:
            start.wait()
            transcript_claim(actor=user, transcript=en)
            results.append("ok")
        except ClaimRefused:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(u,)) for u in users]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "refused", "refused", "refused"]


def test_submit_needs_every_segment_translated(transcript: Any, translator: Any) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    with pytest.raises(ValidationError, match="3 segments have no text yet"):
        transcript_submit(actor=translator, transcript=en)


def test_a_reviewer_signs_off_a_translation_but_not_their_own(
    transcript: Any, translator: Any, second_translator: Any, viewer: Any
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(en, translator)
    with pytest.raises(ValidationError, match="not been submitted"):
        transcript_review(actor=second_translator, transcript=en)
    en = transcript_submit(actor=translator, transcript=en)
    assert en.claimed_by is None and en.translator == translator
    with pytest.raises(ValidationError, match="someone else must review"):
        transcript_review(actor=translator, transcript=en)
    with pytest.raises(PermissionDenied):
        transcript_review(actor=viewer, transcript=en)
    en = transcript_review(actor=second_translator, transcript=en)
    assert en.status == Status.REVIEWED and en.reviewer == second_translator and en.reviewed_at
    assert set(en.segments.values_list("status", flat=True)) == {Status.REVIEWED}


def test_a_reviewed_translation_whose_transcript_changes_is_a_draft_again(
    transcript: Any, translator: Any, second_translator: Any, interviewer: Any
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(en, translator)
    transcript_submit(actor=translator, transcript=en)
    transcript_review(actor=second_translator, transcript=en)
    src = segs(transcript)[2]
    segment_edit(
        actor=interviewer,
        segment=src,
        expected_version=src.version,
        text="Содан бері ешқандай хабар жоқ.",
    )
    en.refresh_from_db()
    assert en.status == Status.HUMAN_DRAFT


def test_roles_without_the_capability_are_refused(
    transcript: Any, viewer: Any, interviewer: Any
) -> None:
    with pytest.raises(PermissionDenied):
        segment_add(actor=viewer, transcript=transcript, start_ms=20000, end_ms=21000, text="Сөз.")
    with pytest.raises(PermissionDenied):
        translation_create(actor=interviewer, transcript=transcript, language="en")
    with pytest.raises(PermissionDenied):
        services.testimony_prioritise(actor=interviewer, testimony=transcript.testimony, priority=5)


def test_a_translator_cannot_touch_a_testimony_they_may_not_see(translator: Any) -> None:
    hidden = factories.testimony(factories.person(), visibility=Visibility.RESTRICTED)
    with pytest.raises(PermissionDenied):
        transcript_create(actor=translator, testimony=hidden, language="kk")


def test_a_coordinator_raises_a_testimonys_priority(transcript: Any, coordinator: Any) -> None:
    translation_create(actor=None, transcript=transcript, language="en")
    assert (
        services.testimony_prioritise(
            actor=coordinator, testimony=transcript.testimony, priority=10
        )
        == 2
    )
    assert set(Transcript.objects.values_list("priority", flat=True)) == {10}
    assert AuditEntry.objects.filter(actor=coordinator, changes__priority=[0, 10]).count() == 2


def test_importing_the_same_segments_twice_changes_nothing(transcript: Any) -> None:
    from tests.transcripts.conftest import KAZAKH

    before = _snapshot(transcript)
    audits = AuditEntry.objects.count()
    changed = segments_replace(
        actor=None, transcript=transcript, segments=[SegmentInput(s, e, t) for s, e, t in KAZAKH]
    )
    assert changed is False and _snapshot(transcript) == before
    assert AuditEntry.objects.count() == audits


def test_glossary_terms_per_language_pair(translator: Any) -> None:
    term = glossary_term_add(
        actor=translator,
        source_language="kk",
        target_language="en",
        term="қандас",
        translation="qandas (ethnic Kazakh returnee)",
    )
    assert str(term) == "қандас → qandas (ethnic Kazakh returnee)"
    with pytest.raises(ValidationError, match="in the glossary already"):
        glossary_term_add(
            actor=translator,
            source_language="kk",
            target_language="en",
            term="Қандас",
            translation="x",
        )


def test_a_mention_links_words_to_a_person_and_follows_edits(
    transcript: Any, interviewer: Any
) -> None:
    erlan = transcript.testimony.relations.get().person
    seg = segs(transcript)[0]
    start = seg.text.index("Ерлан")
    m = mention_add(actor=interviewer, segment=seg, start=start, end=start + 5, person=erlan)
    assert m.text == "Ерлан"
    segment_edit(
        actor=interviewer,
        segment=seg,
        expected_version=seg.version,
        text="Менің үлкен ұлым Ерлан жоғалып кетті.",
    )
    m.refresh_from_db()
    assert m.segment.text[m.start : m.end] == "Ерлан"
    with pytest.raises(ValidationError, match="inside the segment"):
        mention_add(actor=interviewer, segment=m.segment, start=0, end=500, person=erlan)
