"""The staff pages of transcripts and translations (aigaq/staff/transcripts.py): the editor,
the translator's page, the queues, the search, the subtitles and the publication package.
Each write is a plain form post (the pages work without JavaScript); htmx gets the segment's
fragment back."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse

from aigaq.core.models import AuditEntry
from aigaq.staff.transcripts import parse_time
from aigaq.transcripts.models import GlossaryTerm, Status, Transcript
from aigaq.transcripts.services import (
    segment_edit,
    transcript_claim,
    transcript_submit,
    translation_create,
)
from tests import factories
from tests.transcripts.conftest import ENGLISH, segs, translate_all

pytestmark = pytest.mark.django_db


def editor_url(testimony: Any, lang: str = "kk") -> str:
    return reverse("staff:transcript_editor", args=[testimony.number, lang])


def translation_url(testimony: Any, lang: str) -> str:
    return reverse("staff:translation_page", args=[testimony.number, lang])


def as_user(client: Any, user: Any) -> Any:
    client.force_login(user)
    return client


# -- times -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("0:00:04.500", 4500),
        ("00:01:02,25", 62250),
        ("2:03", 123000),
        ("63.5", 63500),
        ("1:00:00", 3600000),
    ],
)
def test_times_are_read_as_typed(text: str, ms: int) -> None:
    assert parse_time(text) == ms


@pytest.mark.parametrize("text", ["", "abc", "1:75.0", "-1.0", "1:2:3:4"])
def test_a_time_that_cannot_be_read_is_refused(text: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_time(text)


# -- the editor --------------------------------------------------------------------------------


def test_an_interviewer_starts_a_transcript_and_types_timed_segments(
    client: Any, interviewer: Any, testimony: Any
) -> None:
    c = as_user(client, interviewer)
    page = c.get(editor_url(testimony))
    assert page.status_code == 200
    assert b'data-testid="start-button"' in page.content
    c.post(editor_url(testimony), {"action": "create"})
    transcript = Transcript.objects.get(testimony=testimony)
    assert transcript.language == "kk" and not transcript.is_translation
    answer = c.post(
        editor_url(testimony),
        {
            "action": "add",
            "start": "0:00:00.000",
            "end": "0:00:03.200",
            "speaker": "testifier",
            "text": "Менің ұлым жоғалып кетті.",
        },
    )
    assert answer.status_code == 302 and answer["Location"].endswith("#new-segment")
    c.post(
        editor_url(testimony),
        {"action": "add", "start": "3.2", "end": "6", "speaker": "interviewer", "text": "Қашан?"},
    )
    rows = segs(transcript)
    assert [(s.start_ms, s.end_ms, s.speaker) for s in rows] == [
        (0, 3200, "testifier"),
        (3200, 6000, "interviewer"),
    ]
    page = c.get(editor_url(testimony))
    assert page.content.count(b'data-testid="segment"') == 2
    # The next segment starts where the last ended.
    assert (
        b'value="00:00:06.000" inputmode="decimal" size="11" data-time="start" data-testid="new-start"'
        in page.content
    )
    # The shortcuts are listed on the page, and the script that gives them is loaded.
    assert b"Ctrl</kbd>+<kbd>Space" in page.content and b"staff/transcript.js" in page.content


@pytest.mark.parametrize(
    ("start", "end", "text", "says"),
    [
        ("0:00:05", "0:00:02", "Сөз", "must come after"),
        ("zero", "0:00:02", "Сөз", "is not a time"),
        ("0:00:03", "0:00:06", "Сөз", "overlaps segment 1"),
        ("0:00:20", "0:00:22", "我的儿子失踪了", "Chinese"),
    ],
)
def test_a_bad_new_segment_is_refused_with_a_sentence_and_the_typed_text_kept(
    client: Any, interviewer: Any, transcript: Any, start: str, end: str, text: str, says: str
) -> None:
    c = as_user(client, interviewer)
    before = list(transcript.segments.values_list("pk", "start_ms", "end_ms", "text"))
    page = c.post(
        editor_url(transcript.testimony),
        {"action": "add", "start": start, "end": end, "speaker": "testifier", "text": text},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="new-error"' in html and says in html
    assert text in html  # what was typed is still in the box
    assert list(transcript.segments.values_list("pk", "start_ms", "end_ms", "text")) == before


def test_a_segment_saved_through_htmx_answers_with_its_row(
    client: Any, interviewer: Any, transcript: Any
) -> None:
    c = as_user(client, interviewer)
    seg = segs(transcript)[1]
    answer = c.post(
        editor_url(transcript.testimony),
        {
            "action": "save",
            "segment": seg.pk,
            "version": seg.version,
            "start": "00:00:04.500",
            "end": "00:00:08.000",
            "speaker": "testifier",
            "text": "Оны лагерьге апарды.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.startswith('<li class="segment"') and 'data-testid="saved"' in html
    seg.refresh_from_db()
    assert (seg.end_ms, seg.text) == (8000, "Оны лагерьге апарды.")


def test_an_edit_conflict_keeps_what_was_typed_and_shows_theirs(
    client: Any, interviewer: Any, coordinator: Any, transcript: Any
) -> None:
    seg = segs(transcript)[0]
    stale_version = seg.version
    transcript_claim(actor=coordinator, transcript=transcript)
    segment_edit(
        actor=coordinator, segment=seg, expected_version=stale_version, text="Басқа мәтін."
    )
    from aigaq.transcripts.services import transcript_release

    transcript_release(actor=coordinator, transcript=transcript)
    c = as_user(client, interviewer)
    answer = c.post(
        editor_url(transcript.testimony),
        {
            "action": "save",
            "segment": seg.pk,
            "version": stale_version,
            "start": "0:00:00",
            "end": "0:00:04",
            "speaker": "testifier",
            "text": "Менің мәтінім.",
        },
        HTTP_HX_REQUEST="true",
    )
    html = answer.content.decode()
    assert "Someone saved this segment" in html
    assert "Менің мәтінім." in html and "Басқа мәтін." in html  # mine in the box, theirs below
    seg.refresh_from_db()
    assert seg.text == "Басқа мәтін."
    # Saving again (the page now carries their version) keeps mine.
    new_version = seg.version
    c.post(
        editor_url(transcript.testimony),
        {
            "action": "save",
            "segment": seg.pk,
            "version": new_version,
            "start": "0:00:00",
            "end": "0:00:04",
            "speaker": "testifier",
            "text": "Менің мәтінім.",
        },
    )
    seg.refresh_from_db()
    assert seg.text == "Менің мәтінім."


def test_split_at_the_cursor_and_join_with_the_next(
    client: Any, interviewer: Any, transcript: Any
) -> None:
    c = as_user(client, interviewer)
    url = editor_url(transcript.testimony)
    first = segs(transcript)[0]
    text = first.text
    cut = text.index("2018")
    c.post(
        url,
        {
            "action": "split",
            "segment": first.pk,
            "version": first.version,
            "at": "0:00:02.000",
            "at_char": cut,
            "start": "0:00:00",
            "end": "0:00:04",
            "speaker": "testifier",
            "text": text,
        },
    )
    rows = segs(transcript)
    assert len(rows) == 4
    assert (rows[0].end_ms, rows[1].start_ms) == (2000, 2000)
    assert rows[0].text == text[:cut].strip() and rows[1].text.startswith("2018")
    c.post(url, {"action": "join", "segment": rows[0].pk})
    rows = segs(transcript)
    assert len(rows) == 3 and rows[0].text == text and rows[0].end_ms == 4000


def test_a_split_without_a_moment_cuts_in_the_middle_and_saves_the_typed_words_first(
    client: Any, interviewer: Any, transcript: Any
) -> None:
    c = as_user(client, interviewer)
    seg = segs(transcript)[2]
    c.post(
        editor_url(transcript.testimony),
        {
            "action": "split",
            "segment": seg.pk,
            "version": seg.version,
            "at": "",
            "at_char": "",
            "start": "00:00:09.000",
            "end": "00:00:15.000",
            "speaker": "testifier",
            "text": "Содан бері ешқандай хабар жоқ.",
        },
    )
    rows = segs(transcript)
    assert (rows[2].end_ms, rows[3].start_ms) == (12000, 12000)
    assert f"{rows[2].text} {rows[3].text}" == "Содан бері ешқандай хабар жоқ."


def test_a_viewer_reads_the_transcript_but_has_no_form_to_change_it(
    client: Any, viewer: Any, make_user: Any
) -> None:
    t = factories.testimony(
        factories.person("Ашық Адам"), visibility="public", consent_press=True, language="kk"
    )
    from aigaq.transcripts.services import SegmentInput, segments_replace, transcript_create

    tr = transcript_create(actor=None, testimony=t, language="kk")
    segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 1000, "Сәлем.")])
    c = as_user(client, viewer)
    page = c.get(editor_url(t))
    assert page.status_code == 200 and "Сәлем." in page.content.decode()
    assert (
        b'data-testid="new-segment"' not in page.content
        and b'data-testid="save"' not in page.content
    )
    refused = c.post(editor_url(t), {"action": "add", "start": "1", "end": "2", "text": "Жоқ."})
    assert refused.status_code == 403
    assert tr.segments.count() == 1


def test_a_testimony_the_reader_may_not_see_has_no_transcript_page(
    client: Any, viewer: Any, transcript: Any
) -> None:
    # The fixture's testimony is internal: a viewer may not see it.
    assert as_user(client, viewer).get(editor_url(transcript.testimony)).status_code == 404
    assert (
        client.get(
            reverse("staff:subtitle_track", args=[transcript.testimony.number, "kk"])
        ).status_code
        == 404
    )


def test_an_unknown_language_is_not_found(client: Any, interviewer: Any, testimony: Any) -> None:
    assert as_user(client, interviewer).get(editor_url(testimony, "xx")).status_code == 404


# -- the translator's page ---------------------------------------------------------------------


def test_a_translator_starts_a_translation_and_saves_segments_beside_the_source(
    client: Any, translator: Any, transcript: Any
) -> None:
    c = as_user(client, translator)
    t = transcript.testimony
    assert b'data-testid="start-button"' in c.get(translation_url(t, "en")).content
    c.post(translation_url(t, "en"), {"action": "create"})
    translation = Transcript.objects.get(testimony=t, language="en")
    page = c.get(translation_url(t, "en")).content.decode()
    assert "Оны Құлжадағы лагерьге апарды." in page  # the source beside the box
    rows = segs(translation)
    answer = c.post(
        translation_url(t, "en"),
        {
            "action": "save",
            "segment": rows[0].pk,
            "version": rows[0].version,
            "seen": rows[0].source.fingerprint,
            "text": ENGLISH[0],
        },
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="saved"' in answer.content.decode()
    rows[0].refresh_from_db()
    assert rows[0].text == ENGLISH[0] and rows[0].status == Status.HUMAN_DRAFT


def test_arabic_is_typed_right_to_left(client: Any, translator: Any, transcript: Any) -> None:
    c = as_user(client, translator)
    t = transcript.testimony
    c.post(translation_url(t, "ar"), {"action": "create"})
    html = c.get(translation_url(t, "ar")).content.decode()
    assert html.count('dir="rtl" lang="ar"') == 3
    english = c.post(translation_url(t, "en"), {"action": "create"})
    assert english.status_code == 302
    assert (
        'dir="rtl"'
        not in c.get(translation_url(t, "en")).content.decode().split('class="segments"')[1]
    )


def test_a_segment_whose_transcript_changed_is_marked_stale(
    client: Any, translator: Any, interviewer: Any, transcript: Any
) -> None:
    translation = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(translation, translator)
    from aigaq.transcripts.services import transcript_release

    transcript_release(actor=translator, transcript=translation)
    source = segs(transcript)[1]
    segment_edit(
        actor=interviewer,
        segment=source,
        expected_version=source.version,
        text="Оны Құлжадағы лагерьге апарып қамады.",
    )
    html = (
        as_user(client, translator)
        .get(translation_url(transcript.testimony, "en"))
        .content.decode()
    )
    assert html.count('data-testid="stale"') == 1
    assert "1 stale" in html


def test_a_translation_saved_while_the_transcript_changed_is_kept_and_stays_stale(
    client: Any, translator: Any, interviewer: Any, transcript: Any
) -> None:
    translation = translation_create(actor=translator, transcript=transcript, language="en")
    target = segs(translation)[1]
    seen = target.source.fingerprint  # what the page showed the translator
    source = segs(transcript)[1]
    segment_edit(
        actor=interviewer,
        segment=source,
        expected_version=source.version,
        text="Оны Құлжадағы лагерьге апарып қамады.",
    )
    transcript.refresh_from_db()
    from aigaq.transcripts.services import transcript_release

    transcript_release(actor=interviewer, transcript=transcript)
    answer = as_user(client, translator).post(
        translation_url(transcript.testimony, "en"),
        {
            "action": "save",
            "segment": target.pk,
            "version": target.version,
            "seen": seen,
            "text": ENGLISH[1],
        },
        HTTP_HX_REQUEST="true",
    )
    html = answer.content.decode()
    assert "changed while you were translating" in html and 'data-testid="stale"' in html
    target.refresh_from_db()
    assert target.text == ENGLISH[1] and target.stale


def test_the_glossary_of_the_pair_is_shown_beside_the_segment_it_occurs_in(
    client: Any, translator: Any, transcript: Any
) -> None:
    translation_create(actor=translator, transcript=transcript, language="en")
    c = as_user(client, translator)
    url = translation_url(transcript.testimony, "en")
    c.post(
        url,
        {
            "action": "term",
            "term": "лагерь",
            "term_translation": "re-education camp",
            "note": "not 'summer camp'",
        },
    )
    assert GlossaryTerm.objects.count() == 1
    html = c.get(url).content.decode()
    assert html.count('data-testid="glossary-hints"') == 1
    assert "re-education camp" in html
    # The same term twice: a sentence, nothing added.
    c.post(url, {"action": "term", "term": "Лагерь", "term_translation": "camp"})
    assert GlossaryTerm.objects.count() == 1


def test_two_translators_cannot_work_on_one_translation(
    client: Any, translator: Any, second_translator: Any, transcript: Any
) -> None:
    translation = translation_create(actor=translator, transcript=transcript, language="en")
    transcript_claim(actor=translator, transcript=translation)
    c = as_user(client, second_translator)
    url = translation_url(transcript.testimony, "en")
    html = c.get(url).content.decode()
    assert 'data-testid="held-notice"' in html and "translator-user" in html
    c.post(url, {"action": "claim"}, follow=True)
    translation.refresh_from_db()
    assert translation.claimed_by == translator
    seg = segs(translation)[0]
    answer = c.post(
        url,
        {
            "action": "save",
            "segment": seg.pk,
            "version": seg.version,
            "seen": seg.source.fingerprint,
            "text": "Mine.",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "is being worked on by translator-user" in answer.content.decode()
    seg.refresh_from_db()
    assert seg.text == ""


def test_submit_then_a_reviewer_other_than_the_translator_signs_off(
    client: Any, translator: Any, second_translator: Any, transcript: Any
) -> None:
    translation = translation_create(actor=translator, transcript=transcript, language="en")
    url = translation_url(transcript.testimony, "en")
    c = as_user(client, translator)
    refused = c.post(url, {"action": "submit", "version": translation.version}, follow=True)
    assert "cannot be submitted yet" in refused.content.decode()
    translate_all(translation, translator)
    translation.refresh_from_db()
    c.post(url, {"action": "submit", "version": translation.version})
    translation.refresh_from_db()
    assert translation.submitted_at is not None and translation.claimed_by is None
    assert b'data-testid="sign-off"' not in c.get(url).content  # never one's own
    # The review queue lists it for someone else, and the sign-off counts it done.
    c = as_user(client, second_translator)
    queue = c.get(reverse("staff:review_queue") + "?lang=en").content.decode()
    assert url in queue
    c.post(url, {"action": "review", "version": translation.version})
    translation.refresh_from_db()
    assert translation.status == Status.REVIEWED and translation.reviewer == second_translator
    assert url not in c.get(reverse("staff:review_queue") + "?lang=en").content.decode()


# -- queues and search -------------------------------------------------------------------------


def test_the_queue_lists_priority_first_then_the_oldest_with_who_holds_each(
    client: Any, translator: Any, coordinator: Any, transcript: Any
) -> None:
    from aigaq.transcripts.services import SegmentInput, segments_replace, transcript_create

    older = translation_create(actor=translator, transcript=transcript, language="en")
    other_t = factories.testimony(factories.person("Айгүл"), language="kk")
    other = transcript_create(actor=None, testimony=other_t, language="kk")
    segments_replace(actor=None, transcript=other, segments=[SegmentInput(0, 1000, "Сәлем.")])
    newer = translation_create(actor=translator, transcript=other, language="en")
    transcript_claim(actor=translator, transcript=older)
    c = as_user(client, translator)
    html = c.get(reverse("staff:translation_queue") + "?lang=en").content.decode()
    first, second = translation_url(transcript.testimony, "en"), translation_url(other_t, "en")
    assert html.index(first) < html.index(second)
    assert "translator-user" in html.split(first, 1)[1].split("</tr>", 1)[0]
    assert 'class="priority-form"' not in html  # a translator may not reorder it
    assert (
        c.post(
            reverse("staff:translation_queue"), {"number": other_t.number, "priority": "50"}
        ).status_code
        == 403
    )
    # A coordinator raises the newer one above.
    c = as_user(client, coordinator)
    c.post(
        reverse("staff:translation_queue") + "?lang=en",
        {"number": other_t.number, "priority": "50"},
    )
    newer.refresh_from_db()
    assert newer.priority == 50
    html = c.get(reverse("staff:translation_queue") + "?lang=en").content.decode()
    assert html.index(second) < html.index(first)


def test_the_queue_lists_transcripts_not_yet_translated_into_the_language(
    client: Any, translator: Any, transcript: Any
) -> None:
    html = (
        as_user(client, translator)
        .get(reverse("staff:translation_queue") + "?lang=ar")
        .content.decode()
    )
    assert (
        translation_url(transcript.testimony, "ar") in html.split('data-testid="untranslated"')[1]
    )


def test_the_queue_answers_in_a_few_queries(
    client: Any, translator: Any, transcript: Any, django_assert_max_num_queries: Any
) -> None:
    from aigaq.transcripts.services import SegmentInput, segments_replace, transcript_create

    for n in range(6):
        t = factories.testimony(factories.person(f"Адам {n}"), language="kk")
        tr = transcript_create(actor=None, testimony=t, language="kk")
        segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 1000, "Сәлем.")])
        translation_create(actor=None, transcript=tr, language="en")
    c = as_user(client, translator)
    with django_assert_max_num_queries(20):
        c.get(reverse("staff:translation_queue") + "?lang=en")


def test_search_finds_a_word_of_a_translation_and_links_to_its_moment(
    client: Any, translator: Any, viewer: Any, transcript: Any
) -> None:
    translation = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(translation, translator)
    c = as_user(client, translator)
    html = c.get(reverse("staff:transcript_search"), {"q": "ghulja"}).content.decode()
    number = transcript.testimony.number
    assert "They took him to the camp in Ghulja." in html
    assert f'/testimonies/{number}/?t=4.5"' in html
    assert f"/testimonies/{number}/translation/en/?t=4.5#seg-2" in html
    # A viewer may not see the (internal) testimony: nothing found.
    html = (
        as_user(client, viewer)
        .get(reverse("staff:transcript_search"), {"q": "ghulja"})
        .content.decode()
    )
    assert "Ghulja" not in html.split('data-testid="hit-count"')[1]


# -- subtitles and the package -----------------------------------------------------------------


def _reviewed_english(transcript: Any, translator: Any, reviewer: Any) -> Transcript:
    from aigaq.transcripts.services import transcript_review

    translation = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(translation, translator)
    transcript_submit(actor=translator, transcript=translation)
    return transcript_review(actor=reviewer, transcript=translation)


def test_the_testimony_page_lists_transcripts_with_their_downloads_and_tracks_only_reviewed(
    client: Any, translator: Any, coordinator: Any, transcript: Any
) -> None:
    _reviewed_english(transcript, translator, coordinator)
    translation_create(actor=translator, transcript=transcript, language="ar")
    t = transcript.testimony
    data_url = reverse("staff:subtitle_track", args=[t.number, "en"])
    from aigaq.staff.selectors import testimony_page_data

    page = testimony_page_data(user=coordinator, testimony=t)
    assert [r["transcript"].language for r in page["transcripts"]["rows"]] == ["kk", "ar", "en"]
    from aigaq.staff.transcripts import subtitle_tracks

    assert [x["url"] for x in subtitle_tracks(coordinator, t)] == [data_url]
    html = (
        as_user(client, coordinator)
        .get(reverse("staff:testimony_detail", args=[t.number]))
        .content.decode()
    )
    assert reverse("staff:subtitle_download", args=[t.number, "en", "srt"]) in html
    assert reverse("staff:subtitle_download", args=[t.number, "kk", "vtt"]) in html
    vtt = client.get(data_url)
    assert vtt["Content-Type"].startswith("text/vtt")
    assert "00:00:04.500 --> 00:00:09.000" in vtt.content.decode()
    assert "They took him to the camp in Ghulja." in vtt.content.decode()


def test_the_player_carries_a_track_per_reviewed_language() -> None:
    from django.template.loader import render_to_string

    html = render_to_string(
        "staff/_player.html",
        {
            "player": {
                "media": type("M", (), {"pk": "00000000-0000-0000-0000-000000000001"})(),
                "kind": "video",
                "state": "ready",
                "playable": True,
                "poster": False,
                "thumbs": None,
                "job": None,
                "tracks": [
                    {"url": "/x/en.vtt", "srclang": "en", "label": "English"},
                    {"url": "/x/ar.vtt", "srclang": "ar", "label": "Arabic"},
                ],
            }
        },
    )
    assert html.count("<track ") == 2 and 'srclang="ar" label="Arabic"' in html


def test_srt_and_vtt_download_as_files_and_are_recorded_as_exports(
    client: Any, translator: Any, coordinator: Any, transcript: Any
) -> None:
    _reviewed_english(transcript, translator, coordinator)
    t = transcript.testimony
    c = as_user(client, coordinator)
    srt = c.get(reverse("staff:subtitle_download", args=[t.number, "en", "srt"]))
    assert srt["Content-Disposition"] == f'attachment; filename="T{t.number}.en.srt"'
    assert "00:00:04,500 --> 00:00:09,000" in srt.content.decode()
    vtt = c.get(reverse("staff:subtitle_download", args=[t.number, "en", "vtt"]))
    assert vtt.content.decode().startswith("WEBVTT")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 2
    assert (
        c.get(reverse("staff:subtitle_download", args=[t.number, "en", "ass"])).status_code == 404
    )
    assert (
        c.get(reverse("staff:subtitle_download", args=[t.number, "de", "srt"])).status_code == 404
    )


def test_the_publication_package_is_built_as_a_job_and_downloads_from_its_page(
    client: Any, translator: Any, coordinator: Any, settings: Any, tmp_path: Any, run_jobs: Any
) -> None:
    settings.DATA_DIR = tmp_path
    t = factories.testimony(
        factories.person("Ерлан"),
        visibility="public",
        consent_public=True,
        status="recorded",
        language="kk",
    )
    from aigaq.transcripts.services import SegmentInput, segments_replace, transcript_create

    tr = transcript_create(actor=None, testimony=t, language="kk")
    segments_replace(actor=None, transcript=tr, segments=[SegmentInput(0, 4000, "Менің ұлым.")])
    translation = translation_create(actor=translator, transcript=tr, language="en")
    translate_all(translation, translator, ["My son."])
    c = as_user(client, coordinator)
    with run_jobs():
        queued = c.post(reverse("staff:publication_package", args=[t.number]))
    from aigaq.core.models import Job

    job = Job.objects.get(kind="publication_package")
    assert queued.status_code == 302 and queued["Location"] == reverse(
        "staff:job_detail", args=[job.pk]
    )
    assert job.status == Job.Status.DONE, job.message
    page = c.get(reverse("staff:job_detail", args=[job.pk])).content.decode()
    download = reverse("staff:publication_package_download", args=[job.pk])
    assert download in page
    # Whoever may not follow the job or make packages gets no zip.
    assert as_user(client, translator).get(download).status_code == 403
    c = as_user(client, coordinator)
    answer = c.get(download)
    assert answer["Content-Disposition"].startswith("attachment")
    data = b"".join(answer.streaming_content)
    answer.close()
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert f"T{t.number}/manifest.json" in names and f"T{t.number}/SHA256SUMS" in names
    # Nothing of the build is left beside the package itself.
    kept = [p for p in (tmp_path / "tmp" / "packages").rglob("*") if p.is_file()]
    assert [p.name for p in kept] == [f"T{t.number}-package.zip"]


def test_a_package_that_may_not_be_made_is_refused_on_the_testimony_page(
    client: Any, coordinator: Any, transcript: Any, translator: Any
) -> None:
    t = transcript.testimony  # internal: may not be published
    c = as_user(client, coordinator)
    answer = c.post(reverse("staff:publication_package", args=[t.number]), follow=True)
    assert "may not be published" in answer.content.decode()
    assert (
        as_user(client, translator)
        .post(reverse("staff:publication_package", args=[t.number]))
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("role", "queue"),
    [("viewer", False), ("interviewer", False), ("translator", True), ("coordinator", True)],
)
def test_the_menu_links_the_queue_to_translators_and_the_search_to_all(
    client: Any, make_user: Any, role: str, queue: bool
) -> None:
    html = (
        as_user(client, make_user(role, f"{role}-nav"))
        .get(reverse("staff:dashboard"))
        .content.decode()
    )
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert (reverse("staff:translation_queue") in nav) is queue
    assert reverse("staff:transcript_search") in nav
