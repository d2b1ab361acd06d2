"""The translators' queue, mentions and the full-text search, each narrowed by disclosure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from aigaq.core.models import Visibility
from aigaq.testimonies.services import consent_withdraw
from aigaq.transcripts import selectors
from aigaq.transcripts.services import (
    SegmentInput,
    glossary_term_add,
    mention_add,
    segments_replace,
    transcript_claim,
    transcript_create,
    transcript_prioritise,
    transcript_submit,
    translation_create,
)
from tests import factories
from tests.transcripts.conftest import segs, translate_all

pytestmark = pytest.mark.django_db


def _with_transcript(text: str = "Сәлем.", **fields: Any) -> Any:
    t = factories.testimony(factories.person(), **fields)
    tr = transcript_create(actor=None, testimony=t, language="kk")
    segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 2000, text)])
    return tr


def test_the_queue_puts_priority_first_then_the_oldest(coordinator: Any, translator: Any) -> None:
    old = translation_create(actor=None, transcript=_with_transcript(), language="en")
    new = translation_create(actor=None, transcript=_with_transcript(), language="en")
    urgent = translation_create(actor=None, transcript=_with_transcript(), language="en")
    translation_create(actor=None, transcript=_with_transcript(), language="ru")
    transcript_prioritise(actor=coordinator, transcript=urgent, priority=5)
    queue = list(selectors.translation_queue(reader=translator, language="en"))
    assert queue == [urgent, old, new]


def test_the_queue_leaves_out_submitted_work_and_others_claims_on_request(
    translator: Any, second_translator: Any
) -> None:
    done = translation_create(actor=None, transcript=_with_transcript(), language="en")
    translate_all(done, translator, ["Hello."])
    transcript_submit(actor=translator, transcript=done)
    taken = translation_create(actor=None, transcript=_with_transcript(), language="en")
    transcript_claim(actor=second_translator, transcript=taken)
    assert list(selectors.translation_queue(reader=translator, language="en")) == [taken]
    assert (
        list(selectors.translation_queue(reader=translator, language="en", include_claimed=False))
        == []
    )
    assert list(selectors.review_queue(reader=second_translator, language="en")) == [done]
    assert list(selectors.review_queue(reader=translator, language="en")) == []  # their own


def test_the_queue_shows_a_translator_only_testimonies_they_may_see(
    translator: Any, interviewer: Any
) -> None:
    visible = translation_create(actor=None, transcript=_with_transcript(), language="en")
    restricted = translation_create(
        actor=None,
        transcript=_with_transcript(visibility=Visibility.RESTRICTED),
        language="en",
    )
    withdrawn_tr = _with_transcript()
    withdrawn = translation_create(actor=None, transcript=withdrawn_tr, language="en")
    consent_withdraw(actor=None, testimony=withdrawn_tr.testimony, reason="Family asked.")
    assert list(selectors.translation_queue(reader=translator, language="en")) == [visible]
    coordinator_sees = set(selectors.translation_queue(reader=interviewer, language="en"))
    assert visible in coordinator_sees and restricted not in coordinator_sees
    assert withdrawn in coordinator_sees


def test_every_testimony_that_mentions_a_person(interviewer: Any, viewer: Any) -> None:
    erlan = factories.person("Ерлан Серікұлы")
    trs = [
        _with_transcript("Ерлан туралы айтамын.", recorded_on=dt.date(2019, 1, d)) for d in (1, 2)
    ]
    _with_transcript("Басқа адам туралы.")
    for tr in trs:
        mention_add(actor=interviewer, segment=segs(tr)[0], start=0, end=5, person=erlan)
    found = list(selectors.testimonies_mentioning(reader=interviewer, person=erlan))
    assert found == [trs[1].testimony, trs[0].testimony]
    # A viewer may not see the (internal) entry: no testimony is named.
    assert list(selectors.testimonies_mentioning(reader=viewer, person=erlan)) == []


@pytest.mark.parametrize(
    ("query", "expected_language"),
    [
        ("лагерьге", "kk"),
        ("ЛАГЕРЬГЕ", "kk"),  # case folded in Cyrillic
        ("Ghulja camp", "en"),  # every word, in any order
        ("带到", "zh_Hans"),  # a two-character Chinese word
        ("伊宁市的营", "zh_Hans"),
    ],
)
def test_search_finds_words_of_transcripts_and_translations_in_any_script(
    transcript: Any, translator: Any, query: str, expected_language: str
) -> None:
    en = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(en, translator)
    zh = translation_create(actor=translator, transcript=transcript, language="zh_Hans")
    translate_all(
        zh,
        translator,
        ["我的儿子叶尔兰2018年失踪了。", "他们把他带到伊宁市的营地。", "从那以后没有消息。"],
    )
    hits = selectors.search_segments(reader=translator, query=query)
    assert [(h.testimony_number, h.language, h.position) for h in hits] == [
        (transcript.testimony.number, expected_language, 1)
    ]


def test_search_leaves_out_testimonies_the_reader_may_not_see(
    translator: Any, coordinator: Any
) -> None:
    _with_transcript("Құпия куәлік сөздері.", visibility=Visibility.RESTRICTED)
    assert selectors.search_segments(reader=translator, query="куәлік") == []
    assert len(selectors.search_segments(reader=coordinator, query="куәлік")) == 1
    assert selectors.testimonies_matching(reader=translator, query="куәлік") == []


@pytest.mark.parametrize("query", ["куәлік", "лі"])  # through the index, and a short word
def test_search_reads_past_newer_matches_the_reader_may_not_see(
    translator: Any, coordinator: Any, query: str
) -> None:
    """The search reads matches newest first, a chunk at a time: a page the reader may see
    is found under many newer matches they may not, and those never appear."""
    older = _with_transcript("Ашық куәлік сөзі.")
    for _ in range(3):
        t = factories.testimony(factories.person(), visibility=Visibility.RESTRICTED)
        tr = transcript_create(actor=None, testimony=t, language="kk")
        segments_replace(
            actor=None,
            transcript=tr,
            segments=[SegmentInput(i * 1000, i * 1000 + 900, "Құпия куәлік.") for i in range(5)],
        )
    hits = selectors.search_segments(reader=translator, query=query, limit=1)
    assert [(h.testimony_number, h.text) for h in hits] == [
        (older.testimony.number, "Ашық куәлік сөзі.")
    ]
    assert len(selectors.search_segments(reader=coordinator, query=query, limit=4)) == 4
    assert len(selectors.search_segments(reader=coordinator, query=query)) == 16


def test_search_of_nothing_finds_nothing(transcript: Any, translator: Any) -> None:
    assert selectors.search_segments(reader=translator, query="   ") == []
    assert selectors.search_segments(reader=translator, query='"жоқ"') == []


def test_the_glossary_beside_a_segment(transcript: Any, translator: Any) -> None:
    glossary_term_add(
        actor=translator,
        source_language="kk",
        target_language="en",
        term="лагерь",
        translation="camp",
    )
    glossary_term_add(
        actor=translator,
        source_language="kk",
        target_language="en",
        term="қандас",
        translation="qandas",
    )
    en = translation_create(actor=translator, transcript=transcript, language="en")
    terms = selectors.glossary_for_segment(segment=segs(en)[1], target_language="en")
    assert [t.translation for t in terms] == ["camp"]
