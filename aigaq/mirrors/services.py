"""Writes to mirrors: add, remove, confirm a match, import a channel's metadata, check which
mirrors answer. Every write is audited in its own transaction."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check
from aigaq.core.services import create_audited, update_audited
from aigaq.core.validators import is_web_url
from aigaq.media.models import MediaFile
from aigaq.mirrors import matching
from aigaq.mirrors.models import Mirror
from aigaq.mirrors.ytdlp import PublishedVideo, platform_for
from aigaq.people.models import PersonName
from aigaq.testimonies.models import Testimony, TestimonyMedia, TestimonyPerson


def mirror_add(
    *,
    actor: Any,
    url: str,
    testimony: Testimony | None = None,
    media: MediaFile | None = None,
    platform: str = "",
    title: str = "",
    published_on: dt.date | None = None,
) -> Mirror:
    """A place where a testimony (or one of its files) is published. The same address twice
    for one testimony is refused."""
    check(actor, "testimony.edit")
    url = (url or "").strip()
    if not is_web_url(url):
        raise ValidationError({"url": _("Give a web address starting with http:// or https://.")})
    if testimony is None and media is None:
        raise ValidationError(_("A mirror belongs to a testimony or a media file."))
    with transaction.atomic():
        if Mirror.objects.filter(url=url, testimony=testimony, media=media).exists():
            raise ValidationError({"url": _("This address is already listed.")})
        return create_audited(
            Mirror,
            actor=actor,
            data={
                "testimony": testimony,
                "media": media,
                "url": url,
                "platform": platform or platform_for(url),
                "title": title.strip(),
                "published_on": published_on,
                "created_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )


def mirror_remove(*, actor: Any, mirror: Mirror) -> None:
    """Take an address off the list (the video itself is not touched): audited."""
    check(actor, "testimony.edit")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=mirror,
            changes={"url": [mirror.url, None], "testimony": [str(mirror.testimony_id), None]},
        )
        Mirror.objects.filter(pk=mirror.pk).delete()


def mirror_confirm(*, actor: Any, mirror: Mirror, testimony: Testimony | None) -> Mirror:
    """A person confirms which testimony an imported video is (or, with None, that it is in
    the archive under none: it stays listed as published but not in the archive)."""
    check(actor, "testimony.edit")
    changes: dict[str, Any] = {"candidates": []}
    if testimony is not None:
        changes["testimony"] = testimony
    return update_audited(mirror, actor=actor, changes=changes, expected_version=None)


# -- import of a channel's metadata ---------------------------------------------------------


def _seconds(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


def _media_has_duration() -> bool:
    return any(f.name == "duration" for f in MediaFile._meta.concrete_fields)


def archive_for_matching() -> matching.Archive:
    """Numbers, dates, names and durations of every testimony, read in a few queries."""
    archive = matching.Archive()
    rows = Testimony.objects.values_list(
        "pk", "number", "recorded_on", "testifier__full_name", "testifier__other_names"
    )
    for pk, number, recorded_on, name, other_names in rows.iterator():
        archive.testimonies[number] = matching.TestimonyFacts(pk, number, recorded_on)
        archive.add_name(archive.by_testifier_name, name or "", number)
        for other in (other_names or "").replace(";", ",").replace("\n", ",").split(","):
            archive.add_name(archive.by_testifier_name, other, number)
    numbers_of_person: dict[Any, set[int]] = {}
    links = TestimonyPerson.objects.values_list(
        "person_id", "person__entry_no", "testimony__number"
    )
    for person_id, entry_no, number in links.iterator():
        numbers_of_person.setdefault(person_id, set()).add(number)
        archive.by_entry[entry_no].add(number)
    names = PersonName.objects.filter(person_id__in=list(numbers_of_person)).values_list(
        "person_id", "full_name"
    )
    for person_id, full_name in names.iterator():
        for number in numbers_of_person.get(person_id, ()):
            archive.add_name(archive.by_person_name, full_name, number)
    if _media_has_duration():  # MediaFile.duration comes from ffprobe at ingest
        uses = TestimonyMedia.objects.values_list(
            "testimony__number", "media_id", "media__duration"
        )
        for number, media_id, duration in uses.iterator():
            seconds = _seconds(duration)
            if seconds is not None and number in archive.testimonies:
                archive.testimonies[number].durations.append(seconds)
                archive.testimonies[number].media_by_duration.append((seconds, media_id))
    return archive


@dataclass
class ImportRow:
    outcome: str  # linked, already, candidates, unmatched
    video: PublishedVideo
    testimony_number: int | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        v = self.video
        return {
            "outcome": self.outcome,
            "platform": v.platform,
            "id": v.external_id,
            "url": v.url,
            "title": v.title,
            "published_on": v.published_on.isoformat() if v.published_on else None,
            "duration": v.duration,
            "testimony": f"T{self.testimony_number}" if self.testimony_number else None,
            "candidates": self.candidates,
        }


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def _existing(video: PublishedVideo) -> Mirror | None:
    if video.external_id:
        found = Mirror.objects.filter(platform=video.platform, external_id=video.external_id)
        if mirror := found.first():
            return mirror
    return Mirror.objects.filter(url=video.url).order_by("created_at").first()


def _metadata(video: PublishedVideo) -> dict[str, Any]:
    return {
        "platform": video.platform,
        "external_id": video.external_id,
        "url": video.url,
        "title": video.title,
        "published_on": video.published_on,
        "duration": video.duration,
        "channel": video.channel,
    }


def mirrors_import(
    *, actor: Any, videos: Iterable[PublishedVideo], dry_run: bool = False
) -> ImportReport:
    """Record each published video as a mirror: linked to its testimony when the clues agree
    (matching.py), with candidates for a person to confirm when they do not, and as published
    but not in the archive when nothing points to a testimony. Importing the same files again
    changes nothing; a video already linked keeps its testimony."""
    check(actor, "testimony.edit")
    archive = archive_for_matching()
    pks = {f.number: f.pk for f in archive.testimonies.values()}
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        for video in videos:
            existing = _existing(video)
            if existing is not None and existing.in_archive:
                row = ImportRow("already", video, _number_of(existing, archive))
                data = {k: v for k, v in _metadata(video).items() if not getattr(existing, k)}
                if data and not dry_run:
                    update_audited(existing, actor=actor, changes=data, expected_version=None)
                report.rows.append(row)
                continue
            verdict = matching.match(video, archive)
            data = _metadata(video)
            if verdict.linked is not None:
                row = ImportRow("linked", video, verdict.linked.number)
                data.update(
                    testimony=Testimony.objects.get(pk=pks[verdict.linked.number]),
                    media=MediaFile.objects.filter(pk=verdict.linked.media_pk).first()
                    if verdict.linked.media_pk
                    else None,
                    candidates=[],
                )
            elif verdict.candidates:
                row = ImportRow(
                    "candidates", video, candidates=[c.as_json() for c in verdict.candidates]
                )
                data["candidates"] = row.candidates
            else:
                row = ImportRow("unmatched", video)
                data["candidates"] = []
            report.rows.append(row)
            if dry_run:
                continue
            if existing is None:
                create_audited(Mirror, actor=actor, data=data, note="yt-dlp import")
            else:
                changes = {k: v for k, v in data.items() if getattr(existing, k) != v}
                if changes:
                    update_audited(
                        existing,
                        actor=actor,
                        changes=changes,
                        expected_version=None,
                        note="yt-dlp import",
                    )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _number_of(mirror: Mirror, archive: matching.Archive) -> int | None:
    for facts in archive.testimonies.values():
        if facts.pk == mirror.testimony_id:
            return facts.number
    return None


# -- checking which mirrors answer ----------------------------------------------------------


class Offline(RuntimeError):
    """No mirror could be reached at all: no network (no DNS, no connection)."""


CHECK_TIMEOUT = 8.0
GONE_CODES = frozenset({404, 410, 451})


class NetworkError(Exception):
    """The address could not be reached (no DNS answer, no connection, a timeout)."""


def http_status(url: str, timeout: float) -> int:
    """The HTTP status of a HEAD request (a GET when HEAD is refused), redirects followed.
    Raises NetworkError when nothing answers."""
    if not is_web_url(url):
        raise NetworkError("not a web address")
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            url, method=method, headers={"User-Agent": "Aigaq mirror check"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only (validated)
                return int(response.status)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (405, 501):
                continue
            return int(exc.code)
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise NetworkError(str(getattr(exc, "reason", exc))) from None
    return 0  # pragma: no cover - the GET always returns or raises


@dataclass
class CheckResult:
    mirror: Mirror
    status: str
    http_status: int | None = None
    error: str = ""


def _status_for(code: int) -> str:
    if code in GONE_CODES:
        return Mirror.Status.GONE
    if 200 <= code < 400:
        return Mirror.Status.ANSWERING
    return Mirror.Status.UNKNOWN


def mirrors_check(
    *,
    actor: Any,
    mirrors: Iterable[Mirror] | None = None,
    timeout: float = CHECK_TIMEOUT,
    fetch: Callable[[str, float], int] = http_status,
    workers: int = 8,
) -> list[CheckResult]:
    """Ask every mirror (HEAD, short timeout) and record answering or gone with the time.
    When not one of them can be reached, the machine is offline: Offline is raised and
    nothing is changed."""
    check(actor, "testimony.edit")
    todo = list(Mirror.objects.all() if mirrors is None else mirrors)
    if not todo:
        return []

    def one(mirror: Mirror) -> CheckResult:
        try:
            code = fetch(mirror.url, timeout)
        except NetworkError as exc:
            return CheckResult(mirror, Mirror.Status.UNKNOWN, None, str(exc)[:200])
        return CheckResult(mirror, _status_for(code), code)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(todo)))) as pool:
        results = list(pool.map(one, todo))
    if all(r.http_status is None for r in results):
        raise Offline(results[0].error)
    now = timezone.now()
    with transaction.atomic():
        for r in results:
            before = {"last_status": r.mirror.last_status}
            Mirror.objects.filter(pk=r.mirror.pk).update(last_status=r.status, last_checked_at=now)
            if before["last_status"] != r.status:
                audit.record(
                    actor=actor,
                    action=AuditEntry.Action.UPDATE,
                    obj=r.mirror,
                    changes={"last_status": [before["last_status"], r.status]},
                    note="mirror check",
                )
            r.mirror.last_status, r.mirror.last_checked_at = r.status, now
    return results
