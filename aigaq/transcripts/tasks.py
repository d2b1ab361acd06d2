"""Background work of transcripts, run by `aigaq worker` (core/jobs.py):

* the machine draft of a transcript (speech recognition of the testimony's sound) or of a
  translation (machine translation of the transcript, segment by segment), engines.py;
* the publication package, built into the job's folder and fetched from the job's page.

Both are idempotent as jobs must be: a machine draft is written in one transaction and
replaces only its own earlier draft; a package is written anew into the job's own folder.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.core.jobs import JobRefused, Progress, job_run, job_start
from aigaq.core.models import Job
from aigaq.media.models import MediaFile
from aigaq.media.storage import open_original
from aigaq.testimonies.models import Testimony, TestimonyMedia
from aigaq.transcripts import engines, languages
from aigaq.transcripts.models import Segment, Transcript
from aigaq.transcripts.services import (
    MachineText,
    SegmentInput,
    machine_draft_save,
    machine_translation_save,
)

DRAFT = "transcript_machine_draft"
PACKAGE = "publication_package"


def _message(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def sound_of(testimony: Testimony) -> MediaFile | None:
    """The recording a speech-recognition draft listens to: the testimony's first video or
    sound file (the one its page plays first)."""
    use = (
        TestimonyMedia.objects.filter(testimony=testimony)
        .filter(Q(media__kind=MediaFile.Kind.VIDEO) | Q(media__kind=MediaFile.Kind.AUDIO))
        .select_related("media")
        .order_by("created_at")
        .first()
    )
    return use.media if use is not None else None


def machine_draft_start(
    *,
    actor: Any,
    testimony: Testimony,
    language: str,
    translate_from: str | None = None,
    model: str | None = None,
) -> Job:
    """Queue a machine draft of `testimony` in `language`: by speech recognition, or, with
    `translate_from`, by machine translation of the transcript in that language. What can be
    checked now is (no model, a language the engine does not know, no recording, no
    transcript to translate): EngineUnavailable or ValidationError, and nothing is queued."""
    language = languages.normalise(language)
    params: dict[str, Any] = {
        "testimony": str(testimony.pk),
        "number": testimony.number,
        "language": language,
        "model": model or "",
    }
    if translate_from:
        source_language = languages.normalise(translate_from)
        engines.model_path(engines.MT, model)
        source = Transcript.objects.filter(
            testimony=testimony, language=source_language, kind=Transcript.Kind.ORIGINAL
        ).first()
        if source is None or not source.segments.exists():
            raise ValidationError(
                _("T%(n)s has no transcript in %(lang)s to translate.")
                % {"n": testimony.number, "lang": languages.name_of(source_language)},
                code="no_source",
            )
        params["translate_from"] = source_language
        capability = "transcripts.translate"
        title = _("Machine translation of T%(n)s from %(from)s into %(into)s") % {
            "n": testimony.number,
            "from": languages.name_of(source_language),
            "into": languages.name_of(language),
        }
    else:
        engines.model_path(engines.ASR, model)
        engines.whisper_language(language)
        if sound_of(testimony) is None:
            raise ValidationError(
                _("T%(n)s has no video or sound file to transcribe.") % {"n": testimony.number},
                code="no_recording",
            )
        capability = "transcripts.edit"
        title = _("Speech recognition of T%(n)s in %(lang)s") % {
            "n": testimony.number,
            "lang": languages.name_of(language),
        }
    return job_start(
        kind=DRAFT,
        actor=actor,
        task=machine_draft_task,
        title=title,
        capability=capability,
        params=params,
    )


@task()
def machine_draft_task(job_id: str) -> str:
    return job_run(job_id, machine_draft_work)


def machine_draft_work(job: Job, progress: Progress) -> Mapping[str, Any]:
    """The job's work (also run as it is by `aigaq transcripts draft` without --queue)."""
    params = job.params
    testimony = Testimony.objects.get(pk=params["testimony"])
    try:
        if params.get("translate_from"):
            return _translate(job, progress, testimony)
        return _recognise(job, progress, testimony)
    except ValidationError as exc:  # EngineUnavailable among them
        raise JobRefused(_message(exc)) from None


def _recognise(job: Job, progress: Progress, testimony: Testimony) -> Mapping[str, Any]:
    language = job.params["language"]
    progress(0, 0, _("Loading the speech-recognition model"))
    engine = engines.recogniser(job.params.get("model") or None)
    media = sound_of(testimony)
    if media is None:
        raise JobRefused(_("The testimony has no video or sound file any more."))
    progress(0, 0, _("Reading the recording"))
    with open_original(media.sha256) as reader:
        audio = engines.decode_audio(reader)
    duration_ms = int(len(audio) * 1000 / engines.SAMPLE_RATE)
    step = _("Listening")

    def heard(done_ms: int, total_ms: int) -> None:
        progress(done_ms // 1000, max(total_ms // 1000, 1), step)

    segments = [
        SegmentInput(s.start_ms, s.end_ms, s.text)
        for s in engine.recognise(audio, language=language, progress=heard)
    ]
    transcript = machine_draft_save(
        actor=job.created_by,
        testimony=testimony,
        language=language,
        segments=segments,
        engine=f"{engine.name} ({engine.path.name})",
        note=_("Machine draft (speech recognition)"),
    )
    return {
        "transcript": str(transcript.pk),
        "language": language,
        "segments": len(segments),
        "duration_ms": duration_ms,
        "engine": engine.name,
    }


def _translate(job: Job, progress: Progress, testimony: Testimony) -> Mapping[str, Any]:
    language = job.params["language"]
    source_language = job.params["translate_from"]
    source = Transcript.objects.filter(
        testimony=testimony, language=source_language, kind=Transcript.Kind.ORIGINAL
    ).first()
    if source is None:
        raise JobRefused(_("The transcript to translate is not there any more."))
    progress(0, 0, _("Loading the translation model"))
    engine = engines.translator(job.params.get("model") or None)
    segments = list(Segment.objects.filter(transcript=source).order_by("position"))
    done: list[MachineText] = []
    batch = 16
    for start in range(0, len(segments), batch):
        chunk = segments[start : start + batch]
        texts = engine.translate([s.text for s in chunk], source=source_language, target=language)
        done.extend(
            MachineText(s.pk, s.fingerprint, text) for s, text in zip(chunk, texts, strict=True)
        )
        progress(len(done), len(segments), _("Translating"))
    translation = machine_translation_save(
        actor=job.created_by,
        transcript=source,
        language=language,
        texts=done,
        engine=f"{engine.name} ({engine.path.name})",
        note=_("Machine draft (machine translation)"),
    )
    return {
        "transcript": str(translation.pk),
        "language": language,
        "segments": len(done),
        "engine": engine.name,
    }


# --- the publication package ----------------------------------------------------------------------


def packages_folder() -> Path:
    root = Path(settings.DATA_DIR) / "tmp" / "packages"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def package_path(job: Job) -> Path:
    """Where the package a job built waits to be fetched (one zip per job)."""
    return packages_folder() / str(job.pk) / f"T{job.params.get('number', '')}-package.zip"


def package_start(*, actor: Any, testimony: Testimony) -> Job:
    """Queue the publication package of `testimony` (package.py); the refusals that can be
    said now (the testimony may not be published) are PackageRefused, nothing queued."""
    from aigaq.transcripts.package import package_check

    package_check(actor=actor, testimony=testimony)
    packages_sweep()
    return job_start(
        kind=PACKAGE,
        actor=actor,
        task=package_task,
        title=_("Publication package of T%(n)s") % {"n": testimony.number},
        capability="export.run",
        params={"testimony": str(testimony.pk), "number": testimony.number},
    )


#: A package waits this long on the server to be fetched from its job's page.
PACKAGE_KEEP_SECONDS = 24 * 3600


def packages_sweep() -> int:
    """Remove the packages older than PACKAGE_KEEP_SECONDS (run as each new one is queued)."""
    cutoff = time.time() - PACKAGE_KEEP_SECONDS
    removed = 0
    for folder in packages_folder().iterdir():
        if folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


@task()
def package_task(job_id: str) -> str:
    return job_run(job_id, package_work)


def package_work(job: Job, progress: Progress) -> Mapping[str, Any]:
    from aigaq.transcripts.package import package_write

    testimony = Testimony.objects.get(pk=job.params["testimony"])
    output = package_path(job)
    shutil.rmtree(output.parent, ignore_errors=True)  # a run before this one stopped half-way
    output.parent.mkdir(mode=0o700)
    progress(0, 0, _("Gathering the package"))
    try:
        manifest = package_write(actor=job.created_by, testimony=testimony, output=output)
    except ValidationError as exc:  # PackageRefused
        shutil.rmtree(output.parent, ignore_errors=True)
        raise JobRefused(_message(exc)) from None
    except BaseException:
        shutil.rmtree(output.parent, ignore_errors=True)
        raise
    return {
        "package": output.name,
        "languages": manifest["languages"],
        "video": manifest["video"]["status"],
        "files": len(manifest["files"]),
        "size": output.stat().st_size,
    }
