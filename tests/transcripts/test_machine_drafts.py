"""Machine drafts (aigaq/transcripts/engines.py, tasks.py): the real faster-whisper and
CTranslate2 adapters run end to end on tiny random models the tests build (tiny_models.py),
as background jobs, from the command line and from the editor's button."""

from __future__ import annotations

import io
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from aigaq.core.models import AuditEntry, Job
from aigaq.media.services import media_ingest
from aigaq.testimonies import services as testimony_services
from aigaq.transcripts import engines
from aigaq.transcripts.models import Status, Transcript
from aigaq.transcripts.services import SegmentInput, segment_edit, translation_create
from aigaq.transcripts.tasks import machine_draft_start
from tests.media.videos import audio_bytes
from tests.transcripts.conftest import KAZAKH, segs, translate_all
from tests.transcripts.tiny_models import build_translator, build_whisper

pytestmark = pytest.mark.django_db

SECONDS = 8


@pytest.fixture(scope="session")
def whisper_model(tmp_path_factory: Any) -> Path:
    return build_whisper(tmp_path_factory.mktemp("models") / "whisper")


@pytest.fixture(scope="session")
def mt_model(tmp_path_factory: Any) -> Path:
    return build_translator(
        tmp_path_factory.mktemp("models") / "kk-en",
        source_text="\n".join(text for _s, _e, text in KAZAKH),
        target_text="My son Erlan disappeared in 2018.\nThey took him to the camp in Ghulja.\n"
        "There has been no news since.",
    )


@pytest.fixture
def asr(settings: Any, whisper_model: Path) -> Path:
    settings.ASR_MODEL_PATH = str(whisper_model)
    settings.ASR_VAD = False  # a test tone is no speech: the voice-activity filter would drop it
    settings.ENGINE_THREADS = 1
    return whisper_model


@pytest.fixture
def mt(settings: Any, mt_model: Path) -> Path:
    settings.MT_MODEL_PATH = str(mt_model)
    settings.ENGINE_THREADS = 1
    return mt_model


def _record(testimony: Any) -> None:
    media = media_ingest(
        actor=None,
        fileobj=io.BytesIO(audio_bytes(SECONDS)),
        original_name="interview.m4a",
        kind="audio",
    )
    testimony_services.testimony_attach_media(
        actor=None, testimony=testimony, media=media, kind="audio"
    )


def _draft(run_jobs: Any, actor: Any, testimony: Any, **kwargs: Any) -> Job:
    with run_jobs():
        job = machine_draft_start(actor=actor, testimony=testimony, **kwargs)
    job.refresh_from_db()
    return job


def _check_timed(transcript: Transcript, *, within_ms: int) -> list[Any]:
    rows = segs(transcript)
    assert rows, "the engine gave no segment"
    last_end = 0
    for n, seg in enumerate(rows):
        assert seg.position == n
        assert last_end <= seg.start_ms < seg.end_ms <= within_ms
        assert seg.text.strip()
        assert seg.status == Status.MACHINE_DRAFT
        last_end = seg.end_ms
    return rows


def test_speech_recognition_of_the_recording_makes_a_machine_draft_with_timed_segments(
    asr: Path, testimony: Any, interviewer: Any, run_jobs: Any
) -> None:
    _record(testimony)
    job = _draft(run_jobs, interviewer, testimony, language="kk")
    assert job.status == Job.Status.DONE, job.message
    transcript = Transcript.objects.get(testimony=testimony)
    assert transcript.kind == Transcript.Kind.ORIGINAL and transcript.language == "kk"
    assert transcript.status == Status.MACHINE_DRAFT
    # Inside the recording as decoded (AAC adds a few milliseconds of padding).
    assert SECONDS * 1000 <= job.result["duration_ms"] < SECONDS * 1000 + 100
    rows = _check_timed(transcript, within_ms=job.result["duration_ms"])
    assert job.result["segments"] == len(rows)
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).latest("at")
    assert entry.changes["engine"][1].startswith("faster-whisper")
    # Run again (a job taken twice): its own draft is replaced by the same, nothing added.
    again = _draft(run_jobs, interviewer, testimony, language="kk")
    assert again.status == Job.Status.DONE
    assert [(s.start_ms, s.end_ms, s.text) for s in segs(transcript)] == [
        (s.start_ms, s.end_ms, s.text) for s in rows
    ]


def test_a_machine_draft_never_replaces_a_transcript_a_person_wrote(
    asr: Path, transcript: Any, interviewer: Any, run_jobs: Any
) -> None:
    _record(transcript.testimony)
    before = [(s.start_ms, s.end_ms, s.text, s.status) for s in segs(transcript)]
    job = _draft(run_jobs, interviewer, transcript.testimony, language="kk")
    assert job.status == Job.Status.FAILED
    assert "never replaces" in job.message
    assert [(s.start_ms, s.end_ms, s.text, s.status) for s in segs(transcript)] == before
    transcript.refresh_from_db()
    assert transcript.status == Status.HUMAN_DRAFT


def test_a_persons_correction_makes_the_machine_draft_theirs(
    asr: Path, testimony: Any, interviewer: Any, run_jobs: Any
) -> None:
    _record(testimony)
    assert _draft(run_jobs, interviewer, testimony, language="kk").status == Job.Status.DONE
    transcript = Transcript.objects.get(testimony=testimony)
    first = segs(transcript)[0]
    segment_edit(
        actor=interviewer, segment=first, expected_version=first.version, text="Менің ұлым."
    )
    transcript.refresh_from_db()
    assert transcript.status == Status.HUMAN_DRAFT
    job = _draft(run_jobs, interviewer, testimony, language="kk")
    assert job.status == Job.Status.FAILED
    assert segs(transcript)[0].text == "Менің ұлым."


def test_machine_translation_fills_each_segment_with_the_fingerprint_of_its_original(
    mt: Path, transcript: Any, translator: Any, run_jobs: Any
) -> None:
    job = _draft(run_jobs, translator, transcript.testimony, language="en", translate_from="kk")
    assert job.status == Job.Status.DONE, job.message
    translation = Transcript.objects.get(testimony=transcript.testimony, language="en")
    assert translation.is_translation and translation.source_id == transcript.pk
    assert translation.status == Status.MACHINE_DRAFT
    originals = segs(transcript)
    rows = segs(translation)
    assert len(rows) == len(originals) == job.result["segments"]
    for seg, original in zip(rows, originals, strict=True):
        assert seg.source_id == original.pk
        assert (seg.start_ms, seg.end_ms) == (original.start_ms, original.end_ms)
        assert seg.source_hash == original.fingerprint and not seg.stale
        assert seg.status == Status.MACHINE_DRAFT and seg.text.strip()


def test_machine_translation_never_replaces_a_translators_work(
    mt: Path, transcript: Any, translator: Any, run_jobs: Any
) -> None:
    translation = translation_create(actor=translator, transcript=transcript, language="en")
    translate_all(translation, translator)
    before = [s.text for s in segs(translation)]
    job = _draft(run_jobs, translator, transcript.testimony, language="en", translate_from="kk")
    assert job.status == Job.Status.FAILED and "never replaces" in job.message
    assert [s.text for s in segs(translation)] == before


def test_without_a_model_nothing_is_queued_and_the_message_says_how_to_set_one_up(
    settings: Any, testimony: Any, interviewer: Any, tmp_path: Path
) -> None:
    _record(testimony)
    settings.ASR_MODEL_PATH = ""
    with pytest.raises(engines.EngineUnavailable, match="AIGAQ_ASR_MODEL"):
        machine_draft_start(actor=interviewer, testimony=testimony, language="kk")
    settings.ASR_MODEL_PATH = str(tmp_path / "nowhere")
    with pytest.raises(engines.EngineUnavailable, match="no model folder"):
        machine_draft_start(actor=interviewer, testimony=testimony, language="kk")
    settings.ASR_MODEL_PATH = str(tmp_path)
    with pytest.raises(engines.EngineUnavailable, match="model.bin"):
        machine_draft_start(actor=interviewer, testimony=testimony, language="kk")
    assert not Job.objects.filter(kind="transcript_machine_draft").exists()


def test_a_model_folder_without_its_tokenizer_fails_the_job_without_downloading_one(
    settings: Any,
    whisper_model: Path,
    testimony: Any,
    interviewer: Any,
    run_jobs: Any,
    tmp_path: Path,
) -> None:
    _record(testimony)
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("model.bin", "config.json", "vocabulary.json"):
        (bare / name).symlink_to(whisper_model / name)
    settings.ASR_MODEL_PATH = str(bare)
    job = _draft(run_jobs, interviewer, testimony, language="kk")
    assert job.status == Job.Status.FAILED and "tokenizer.json" in job.message
    assert not Transcript.objects.filter(testimony=testimony).exists()


def test_speech_recognition_refuses_languages_whisper_does_not_know(
    asr: Path, settings: Any, testimony: Any, interviewer: Any
) -> None:
    _record(testimony)
    settings.TRANSCRIPT_LANGUAGES = [*settings.TRANSCRIPT_LANGUAGES, "ug"]
    with pytest.raises(engines.EngineUnavailable, match="Uyghur"):
        machine_draft_start(actor=interviewer, testimony=testimony, language="ug")


def test_a_testimony_without_a_recording_is_refused(
    asr: Path, testimony: Any, interviewer: Any
) -> None:
    with pytest.raises(ValidationError, match="no video or sound"):
        machine_draft_start(actor=interviewer, testimony=testimony, language="kk")


def test_engine_segments_are_kept_inside_the_recording_and_in_order() -> None:
    cleaned = engines.clean_segments(
        [
            (0.5, 2.0, " бір "),
            (1.5, 3.0, "екі"),
            (3.0, 3.0, "үш"),
            (4.0, 99.0, "төрт"),
            (5.0, 6.0, "   "),
            (12.0, 13.0, "бес"),
        ],
        duration_ms=10_000,
    )
    assert [(s.start_ms, s.end_ms, s.text) for s in cleaned] == [
        (500, 2000, "бір"),
        (2000, 3000, "екі"),
        (4000, 10_000, "төрт"),
    ]


def test_the_command_makes_a_draft_now_or_queues_it(
    settings: Any, whisper_model: Path, testimony: Any
) -> None:
    _record(testimony)
    settings.ASR_MODEL_PATH = ""
    settings.ASR_VAD = False
    with pytest.raises(CommandError, match="AIGAQ_ASR_MODEL"):
        call_command(
            "transcripts",
            "draft",
            "--testimony",
            f"T{testimony.number}",
            "--language",
            "kk",
            stdout=StringIO(),
        )
    out = StringIO()
    call_command(
        "transcripts",
        "draft",
        "--testimony",
        f"T{testimony.number}",
        "--language",
        "kk",
        "--model",
        str(whisper_model),
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["segments"] >= 1 and result["language"] == "kk"
    assert Transcript.objects.get(testimony=testimony).status == Status.MACHINE_DRAFT
    queued = StringIO()
    call_command(
        "transcripts",
        "draft",
        "--testimony",
        str(testimony.number),
        "--language",
        "kk",
        "--model",
        str(whisper_model),
        "--queue",
        "--json",
        stdout=queued,
    )
    assert json.loads(queued.getvalue())["status"] == Job.Status.QUEUED


def test_the_editor_offers_the_button_only_with_a_model_and_explains_otherwise(
    client: Any, settings: Any, asr: Path, testimony: Any, interviewer: Any, run_jobs: Any
) -> None:
    from tests.transcripts.test_pages import as_user

    _record(testimony)
    c = as_user(client, interviewer)
    editor = reverse("staff:transcript_editor", args=[testimony.number, "kk"])
    settings.ASR_MODEL_PATH = ""
    page = c.get(editor).content.decode()
    assert 'data-testid="machine-setup"' in page and "AIGAQ_ASR_MODEL" in page
    assert 'data-testid="machine-button"' not in page
    settings.ASR_MODEL_PATH = str(asr)
    page = c.get(editor).content.decode()
    assert 'data-testid="machine-button"' in page
    assert "weak on Kazakh" in page
    with run_jobs():
        answer = c.post(editor, {"action": "machine_draft"})
    job = Job.objects.get(kind="transcript_machine_draft")
    assert answer["Location"] == reverse("staff:job_detail", args=[job.pk])
    job_page = c.get(answer["Location"]).content.decode()
    assert 'data-testid="job-result"' in job_page and editor in job_page
    page = c.get(editor).content.decode()
    assert "Machine draft" in page
    # Once a person has corrected it the button is gone, and why is said.
    first = segs(Transcript.objects.get(testimony=testimony))[0]
    segment_edit(actor=interviewer, segment=first, expected_version=first.version, text="Иә.")
    page = c.get(editor).content.decode()
    assert 'data-testid="machine-blocked"' in page
    assert 'data-testid="machine-button"' not in page


def test_a_viewer_cannot_start_a_machine_draft(
    client: Any, asr: Path, testimony: Any, viewer: Any, run_jobs: Any
) -> None:
    from tests.transcripts.test_pages import as_user

    _record(testimony)
    c = as_user(client, viewer)
    editor = reverse("staff:transcript_editor", args=[testimony.number, "kk"])
    assert 'data-testid="machine-button"' not in c.get(editor).content.decode()
    with run_jobs():
        answer = c.post(editor, {"action": "machine_draft"})
    assert answer.status_code in (403, 404)
    assert not Job.objects.filter(kind="transcript_machine_draft").exists()


def test_segment_inputs_from_an_engine_are_checked_for_timing(
    interviewer: Any, testimony: Any
) -> None:
    from aigaq.transcripts.services import machine_draft_save

    with pytest.raises(ValidationError):
        machine_draft_save(
            actor=interviewer,
            testimony=testimony,
            language="kk",
            segments=[SegmentInput(2000, 1000, "бір")],
            engine="test",
        )
    assert not Transcript.objects.filter(testimony=testimony).exists()
