"""Language identification: Kazakh, Russian, Chinese, and "unknown" rather than a guess."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.transcripts.langid import identify, identify_transcript


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Менің ұлым Ерлан 2018 жылы Құлжадағы лагерьге алынды, содан бері хабар жоқ.", "kk"),
        ("Мой сын Ерлан пропал в 2018 году, с тех пор от него нет никаких вестей.", "ru"),
        ("我的儿子叶尔兰2018年被带到伊宁的营地，从那以后没有任何消息。", "zh_Hans"),
        # Kyrgyz: lingua has no Kyrgyz and would say Kazakh.
        ("Менин уулум 2018-жылы жоголуп кетти, ошондон бери эч кабар жок.", "unknown"),
        # Uyghur in the Arabic script: lingua has no Uyghur.
        ("مېنىڭ ئوغلۇم 2018-يىلى لاگېرغا ئېلىپ كېتىلدى", "unknown"),
        ("My son disappeared in 2018.", "unknown"),
        ("Ок.", "unknown"),
        ("", "unknown"),
    ],
)
def test_identify_answers_kazakh_russian_chinese_or_unknown(text: str, expected: str) -> None:
    assert identify(text) == expected


@pytest.mark.django_db
def test_a_transcripts_language_from_its_segments(transcript: Any) -> None:
    assert identify_transcript(transcript) == "kk"
