"""Redaction work as background jobs (core/jobs.py), started from the redaction page and run by
`aigaq worker`: rendering a plan, finding suggestions, the audio-only and anonymised copies. A
web request never waits for ffmpeg. Who may start them is decided by the page (media.redact,
and disclosure's media_visible_to); each job runs as the one who started it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.core.jobs import JobRefused, Progress, job_run, job_start
from aigaq.core.models import Job
from aigaq.media import redaction, suggestions
from aigaq.media.models import MediaFile, RedactionPlan

RENDER = "redaction_render"
SUGGEST = "redaction_suggest"
AUDIO_ONLY = "media_audio_only"
ANONYMISED = "media_anonymised"
CAPABILITY = "media.redact"


def _start(*, kind: str, actor: Any, media: MediaFile, task: Any, title: str) -> Job:
    return job_start(
        kind=kind,
        actor=actor,
        task=task,
        title=title,
        capability=CAPABILITY,
        params={"media": str(media.pk)},
    )


def _media(job: Job) -> MediaFile:
    return MediaFile.objects.get(pk=job.params["media"])


def _ms_progress(progress: Progress, step: str) -> Any:
    def report(done: int, total: int) -> None:
        progress(done, total, step)

    return report


def redaction_render_start(*, actor: Any, plan: RedactionPlan) -> Job:
    """Queue the rendering of the plan as it is now saved."""
    if not plan.regions:
        raise redaction.RedactionError(_("Mark at least one region before rendering."))
    redaction.redaction_plan_mark(plan=plan, status=RedactionPlan.Status.RENDERING)
    return _start(
        kind=RENDER,
        actor=actor,
        media=plan.media,
        task=redaction_render_task,
        title=_("Redacted copy of %(name)s") % {"name": plan.media.original_name or plan.media},
    )


@task()
def redaction_render_task(job_id: str) -> str:
    return job_run(job_id, _render)


def _render(job: Job, progress: Progress) -> Mapping[str, Any]:
    media = _media(job)
    plan = RedactionPlan.objects.get(media=media)
    try:
        rendition = redaction.render_redacted(
            media=media,
            regions=plan.regions,
            actor=job.created_by,
            progress=_ms_progress(progress, _("Rendering the redacted copy")),
        )
    except redaction.RedactionError as exc:
        redaction.redaction_plan_mark(plan=plan, status=RedactionPlan.Status.FAILED)
        raise JobRefused(str(exc)) from None
    except BaseException:
        redaction.redaction_plan_mark(plan=plan, status=RedactionPlan.Status.FAILED)
        raise
    redaction.redaction_plan_mark(
        plan=plan, status=RedactionPlan.Status.RENDERED, rendition=rendition
    )
    return {"regions": len(plan.regions), "size": rendition.size, "sha256": rendition.sha256}


def redaction_suggest_start(*, actor: Any, media: MediaFile) -> Job:
    """Queue the search for faces and card-like text (suggestions only)."""
    return _start(
        kind=SUGGEST,
        actor=actor,
        media=media,
        task=redaction_suggest_task,
        title=_("Faces and text in %(name)s") % {"name": media.original_name or media},
    )


@task()
def redaction_suggest_task(job_id: str) -> str:
    return job_run(job_id, _suggest)


def _suggest(job: Job, progress: Progress) -> Mapping[str, Any]:
    media = _media(job)
    with redaction.original_feed(media) as source:
        try:
            info = redaction.probe(source)
        except redaction.RedactionError as exc:
            raise JobRefused(str(exc)) from None
        progress(0, 2, _("Looking for faces"))
        faces = suggestions.suggest_faces(source, info.duration)
        progress(1, 2, _("Looking for text"))
        texts = suggestions.suggest_text(source, info.duration)
    plan = redaction.redaction_plan_for(media)
    redaction.redaction_plan_save(
        actor=job.created_by,
        media=media,
        regions=plan.regions if plan else [],
        suggestions=faces + texts,
        duration=info.duration,
    )
    return {"faces": len(faces), "text": len(texts)}


def audio_only_start(*, actor: Any, media: MediaFile) -> Job:
    return _start(
        kind=AUDIO_ONLY,
        actor=actor,
        media=media,
        task=audio_only_task,
        title=_("Audio-only copy of %(name)s") % {"name": media.original_name or media},
    )


@task()
def audio_only_task(job_id: str) -> str:
    return job_run(job_id, _audio_only)


def _audio_only(job: Job, progress: Progress) -> Mapping[str, Any]:
    try:
        rendition = redaction.render_audio_only(
            media=_media(job),
            actor=job.created_by,
            progress=_ms_progress(progress, _("Making the audio-only copy")),
        )
    except redaction.RedactionError as exc:
        raise JobRefused(str(exc)) from None
    return {"size": rendition.size, "sha256": rendition.sha256}


def anonymised_start(*, actor: Any, media: MediaFile) -> Job:
    return _start(
        kind=ANONYMISED,
        actor=actor,
        media=media,
        task=anonymised_task,
        title=_("Anonymised copy of %(name)s") % {"name": media.original_name or media},
    )


@task()
def anonymised_task(job_id: str) -> str:
    return job_run(job_id, _anonymised)


def _anonymised(job: Job, progress: Progress) -> Mapping[str, Any]:
    media = _media(job)
    plan = redaction.redaction_plan_for(media)
    progress(0, 0, _("Looking for faces"))
    try:
        rendition = redaction.render_anonymised(
            media=media,
            actor=job.created_by,
            detect=suggestions.suggest_faces,
            extra_regions=plan.regions if plan else [],
            progress=_ms_progress(progress, _("Making the anonymised copy")),
        )
    except redaction.RedactionError as exc:
        raise JobRefused(str(exc)) from None
    return {"faces": rendition.params.get("faces", 0), "size": rendition.size}
