"""The transcript records, their constraints and the language table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from aigaq.transcripts import languages
from aigaq.transcripts.models import Segment, Transcript
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_eight_languages_are_configured_by_default() -> None:
    assert languages.languages() == ["kk", "zh_Hans", "en", "ru", "tr", "ar", "fr", "de"]


def test_a_language_is_added_by_configuration(settings: Any) -> None:
    settings.TRANSCRIPT_LANGUAGES = [*settings.TRANSCRIPT_LANGUAGES, "ko"]
    assert languages.normalise("KO") == "ko"
    assert languages.script_problem("저는 딸을 찾고 있습니다", "ko") is None
    assert languages.script_problem("Мен қызымды іздеймін", "ko") is not None


def test_language_codes_are_read_as_people_type_them() -> None:
    assert languages.normalise("zh-Hans") == "zh_Hans"
    assert languages.normalise("zh") == "zh_Hans"
    with pytest.raises(ValidationError, match="not a transcript language"):
        languages.normalise("xx")


def test_kazakh_text_is_refused_for_chinese_and_allowed_for_kazakh() -> None:
    kazakh = "Менің ұлым 2018 жылы лагерьге алынды."
    problem = languages.script_problem(kazakh, "zh_Hans")
    assert problem is not None and "Cyrillic" in problem and "Chinese" in problem
    assert languages.script_problem(kazakh, "kk") is None
    assert languages.script_problem("我的儿子2018年被带走了。", "zh_Hans") is None
    # Names in another script inside a sentence are normal.
    assert languages.script_problem("My son was taken to a camp in 石河子 in 2018.", "en") is None
    assert languages.script_problem("ابني أُخذ إلى المعسكر", "ar") is None
    assert languages.script_problem("2018 — 12:00", "ar") is None  # no letters: nothing to judge


def test_one_transcript_per_testimony_and_language() -> None:
    t = factories.testimony()
    Transcript.objects.create(testimony=t, language="kk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transcript.objects.create(testimony=t, language="kk")


def test_a_translation_needs_its_source_and_an_original_none() -> None:
    t = factories.testimony()
    original = Transcript.objects.create(testimony=t, language="kk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transcript.objects.create(testimony=t, language="en", kind="translation")
    with pytest.raises(IntegrityError), transaction.atomic():
        Transcript.objects.create(testimony=t, language="ru", source=original)
    Transcript.objects.create(testimony=t, language="en", kind="translation", source=original)


def test_the_database_refuses_a_segment_that_ends_before_it_starts() -> None:
    t = factories.testimony()
    tr = Transcript.objects.create(testimony=t, language="kk")
    with pytest.raises(IntegrityError), transaction.atomic():
        Segment.objects.create(transcript=tr, position=0, start_ms=2000, end_ms=1000)


def test_segment_text_is_in_the_full_text_index() -> None:
    t = factories.testimony()
    tr = Transcript.objects.create(testimony=t, language="kk")
    seg = Segment.objects.create(
        transcript=tr, position=0, start_ms=0, end_ms=1000, text="Алматыда тұрамын"
    )
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM transcripts_segment_fts WHERE transcripts_segment_fts MATCH %s",
            ['"алматы"'],
        )
        assert [r[0] for r in cursor.fetchall()] == [seg.pk]
        Segment.objects.filter(pk=seg.pk).update(text="Астанада")
        cursor.execute(
            "SELECT rowid FROM transcripts_segment_fts WHERE transcripts_segment_fts MATCH %s",
            ['"алматы"'],
        )
        assert cursor.fetchall() == []
