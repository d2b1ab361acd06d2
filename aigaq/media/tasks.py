"""Playback renditions as background jobs, run by `aigaq worker` (core/jobs.py): after a video
or a sound recording is ingested or attached, one job makes its web proxy (aigaq/media/
transcode.py), and for a video its poster frame and thumbnail strip, each sealed as it
streams out of ffmpeg (`renditions.rendition_pending`). A web request never waits for a transcode: it only queues the
job, and the testimony page says "being prepared" until the proxy is there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.core.jobs import JobRefused, Progress, job_run, job_start
from aigaq.core.models import Job
from aigaq.media import feed, storage, transcode
from aigaq.media.models import MediaFile, Rendition
from aigaq.media.renditions import (
    rendition_latest,
    rendition_open,
    rendition_pending,
    rendition_save,
)

RENDITIONS = "media_renditions"
PLAYABLE_KINDS = frozenset({MediaFile.Kind.VIDEO, MediaFile.Kind.AUDIO})


def renditions_job(media: MediaFile) -> Job | None:
    """The latest renditions job of this file (queued, running or finished), if any."""
    return (
        Job.objects.filter(kind=RENDITIONS)
        .filter(Q(params__media=str(media.pk)))
        .order_by("-created_at")
        .first()
    )


def media_renditions_start(
    media: MediaFile, *, actor: Any = None, kind: str | None = None, force: bool = False
) -> Job | None:
    """Queue the job that makes the playback renditions of a video or sound file (`kind`: its
    use, the file's own kind if not given). Nothing for other kinds, nor when a proxy exists
    or a job for the file is waiting or running (unless `force`). Inside a transaction the job
    row is part of it and the task is queued when it commits (core.jobs.job_start); its title
    names no file, so the job's page tells nothing of a restricted one."""
    kind = kind or media.kind
    if kind not in PLAYABLE_KINDS:
        return None
    if not force:
        pending = renditions_job(media)
        if pending is not None and not pending.finished:
            return None
        if rendition_latest(media, Rendition.Kind.PROXY) is not None:
            return None
    title = (
        _("Playback copy and thumbnails of a video")
        if kind == MediaFile.Kind.VIDEO
        else _("Playback copy of a sound recording")
    )
    return job_start(
        kind=RENDITIONS,
        actor=actor,
        task=media_renditions_task,
        title=title,
        capability="testimony.view",
        params={"media": str(media.pk), "kind": str(kind)},
    )


@task()
def media_renditions_task(job_id: str) -> str:
    return job_run(job_id, _renditions)


def _renditions(job: Job, progress: Progress) -> Mapping[str, Any]:
    media = MediaFile.objects.filter(pk=job.params["media"]).first()
    if media is None:
        raise JobRefused(_("The file was removed before its playback copy was made."))
    sha256 = media.sha256
    try:
        storage.open_original(sha256).close()
    except FileNotFoundError:
        raise JobRefused(_("The original file is missing from the archive.")) from None
    try:
        return _make(job, media, progress)
    except transcode.TranscodeError as exc:
        raise JobRefused(str(exc)) from None


def _make(job: Job, media: MediaFile, progress: Progress) -> Mapping[str, Any]:
    """Each rendition streams out of ffmpeg and is sealed as it comes (no clear copy on disk,
    not even for a moment); the poster and the strip are taken from the sealed proxy, read
    through the loopback feed."""
    made: dict[str, Any] = {}

    def seconds(done_ms: int, total_ms: int) -> None:
        progress(done_ms // 1000, total_ms // 1000)

    progress(0, 0, _("Reading the file"))
    with feed.LoopbackFeed(lambda: storage.open_original(media.sha256)) as url:
        info = transcode.probe(url)
        video = info.has_video and job.params.get("kind") != MediaFile.Kind.AUDIO
        made["duration"] = round(info.duration, 3)
        with rendition_pending() as pending:
            if video:
                progress(
                    0, int(info.duration), _("Making the web playback copy (seconds of video)")
                )
                transcode.make_video_proxy(
                    url, pending.write, duration=info.duration, progress=seconds
                )
                content_type = transcode.VIDEO_PROXY_TYPE
            else:
                if not info.has_audio:
                    raise JobRefused(_("This file holds no sound to play."))
                progress(0, int(info.duration), _("Making the playback copy (seconds of sound)"))
                transcode.make_audio_proxy(
                    url, pending.write, duration=info.duration, progress=seconds
                )
                content_type = transcode.AUDIO_PROXY_TYPE
            pending.finish()
            with feed.LoopbackFeed(pending.open) as made_url:
                made_info = transcode.probe(made_url)
            proxy = rendition_save(
                pending,
                media=media,
                kind=Rendition.Kind.PROXY,
                content_type=content_type,
                params={
                    "duration": round(made_info.duration, 3),
                    "width": made_info.width,
                    "height": made_info.height,
                    "source_width": info.width,
                    "source_height": info.height,
                },
            )
    made["proxy"] = proxy.size
    if video:
        progress(0, 0, _("Making the poster and the thumbnail strip"))
        with feed.LoopbackFeed(lambda: rendition_open(proxy)) as proxy_url:
            with rendition_pending() as poster:
                at = transcode.make_poster(proxy_url, poster.write, duration=made_info.duration)
                rendition_save(
                    poster,
                    media=media,
                    kind=Rendition.Kind.POSTER,
                    content_type="image/jpeg",
                    params={"at": at},
                )
            with rendition_pending() as strip:
                times = transcode.make_strip(proxy_url, strip.write, duration=made_info.duration)
                rendition_save(
                    strip,
                    media=media,
                    kind=Rendition.Kind.THUMBNAILS,
                    content_type="image/jpeg",
                    params={"times": times, "count": len(times)},
                )
        made["thumbnails"] = len(times)
    return made
