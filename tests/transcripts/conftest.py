"""Fixtures of the transcripts tests: a testimony a translator may see, its Kazakh transcript
of three segments, and people of each role."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories

KAZAKH = [
    (0, 4000, "Менің ұлым Ерлан 2018 жылы жоғалып кетті."),
    (4500, 9000, "Оны Құлжадағы лагерьге апарды."),
    (9000, 15000, "Содан бері хабар жоқ."),
]
ENGLISH = [
    "My son Erlan disappeared in 2018.",
    "They took him to the camp in Ghulja.",
    "There has been no news since.",
]


@pytest.fixture
def testimony(db: Any) -> Any:
    return factories.testimony(factories.person("Ерлан Серікұлы"), language="kk")


@pytest.fixture
def transcript(testimony: Any) -> Any:
    from aigaq.transcripts.services import SegmentInput, segments_replace, transcript_create

    tr = transcript_create(actor=None, testimony=testimony, language="kk")
    segments_replace(
        actor=None, transcript=tr, segments=[SegmentInput(s, e, t) for s, e, t in KAZAKH]
    )
    tr.refresh_from_db()
    return tr


@pytest.fixture
def second_translator(make_user: Any) -> Any:
    return make_user("translator", "second-translator")


def segs(transcript: Any) -> list[Any]:
    return list(transcript.segments.order_by("position"))


def translate_all(translation: Any, actor: Any, texts: list[str] | None = None) -> None:
    from aigaq.transcripts.services import segment_edit

    for seg, text in zip(segs(translation), texts or ENGLISH, strict=True):
        segment_edit(actor=actor, segment=seg, expected_version=seg.version, text=text)
