"""Resumable browser uploads: the tus protocol, version 1.0.0 (https://tus.io/protocols/
resumable-upload), core plus the creation and termination extensions.

    OPTIONS /uploads/            what this server speaks (Tus-Version, Tus-Extension, Tus-Max-Size)
    POST    /uploads/            create: Upload-Length, Upload-Metadata (filename, testimony, kind)
    HEAD    /uploads/<id>/       how many bytes arrived (Upload-Offset): where to resume
    PATCH   /uploads/<id>/       bytes from Upload-Offset on (application/offset+octet-stream)
    DELETE  /uploads/<id>/       end it: every part removed

Nothing is kept in clear, even for a moment: each PATCH body is sealed as it streams in
(aigaq.media.crypto.SealedWriter, with the media encryption key) into its own part file under
MEDIA_ROOT/uploads/<id>/; whatever part of a body arrived before a connection dropped is kept,
so the client resumes from the last byte received. When the last byte arrives, the PATCH
answers at once and a background job (`upload_finish_start`, run by `aigaq worker`) decrypts
the parts in order, streams them into aigaq.media.services.media_ingest and attaches the file
to the testimony; the answer's Aigaq-Job header names the job's status fragment, which the
client (static/staff/upload.js) follows until the job has finished. Uploads left unfinished expire (`uploads_expire`, run on every new
upload and by `aigaq worker` through the task below), leaving nothing behind."""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime as dt
import errno
import io
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from aigaq.core.faults import pause_at
from aigaq.core.jobs import JobRefused, Progress, job_effect, job_run, job_start
from aigaq.core.models import Job
from aigaq.core.permissions import has_cap
from aigaq.disclosure.selectors import testimonies_for
from aigaq.media.crypto import SealedError, SealedReader, SealedWriter
from aigaq.media.keys import media_keys
from aigaq.media.models import MediaFile
from aigaq.media.services import MediaRefused, MediaTooLarge, check_file_name, media_ingest
from aigaq.staff.models import Upload
from aigaq.testimonies.selectors import parse_testimony_number
from aigaq.testimonies.services import testimony_attach_media

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination"
#: An unfinished upload is kept this long after its last byte arrived.
EXPIRY = dt.timedelta(hours=24)
#: A finished upload waits this long for the job that adds it to the archive (the worker may
#: be stopped for a while); the job removes it as soon as it has run.
FINISHING = dt.timedelta(days=7)
UPLOAD_FINISH = "upload_finish"
READ_SIZE = 1024 * 1024


def staging_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads"


def staging_dir(upload_id: Any) -> Path:
    return staging_root() / str(uuid.UUID(str(upload_id)))


def _response(status: int, message: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _max_size() -> int:
    return int(settings.AIGAQ_MAX_UPLOAD_BYTES)


def _metadata(header: str) -> dict[str, str]:
    """Upload-Metadata: comma-separated `key base64value` pairs. ValueError when malformed."""
    out: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in header.split(","))):
        key, _sep, value = item.partition(" ")
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(key) from None
    return out


def _safe_name(name: str) -> str:
    """The file's own name, never a path: folders and `..` are dropped."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().replace("\x00", "")
    return "" if base in ("", ".", "..") else base[:255]


# -- expiry ---------------------------------------------------------------------------------


def upload_discard(upload: Upload) -> None:
    shutil.rmtree(staging_dir(upload.pk), ignore_errors=True)
    Upload.objects.filter(pk=upload.pk).delete()


def uploads_expire(now: dt.datetime | None = None) -> int:
    """Remove unfinished uploads past their expiry, and any staging folder no upload owns.
    Returns how many uploads were removed."""
    now = now or timezone.now()
    expired = list(Upload.objects.filter(expires_at__lt=now))
    for upload in expired:
        upload_discard(upload)
    root = staging_root()
    if root.is_dir():
        known = {str(pk) for pk in Upload.objects.values_list("pk", flat=True)}
        for entry in root.iterdir():
            if entry.name not in known:
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
    return len(expired)


# -- the parts, read back as one file -------------------------------------------------------


class PartsReader(io.RawIOBase):
    """The sealed parts of an upload, decrypted in order, as one read-only, seekable stream
    (the ingest checks a file's content by seeking in it: ffprobe, image decoders)."""

    def __init__(self, folder: Path, key: bytes) -> None:
        super().__init__()
        self._parts = [SealedReader.open(path, key) for path in sorted(folder.glob("*.part"))]
        self._starts: list[int] = []
        total = 0
        for part in self._parts:
            self._starts.append(total)
            total += part.size
        self._size = total
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._pos >= self._size or not len(view):
            return 0
        index = bisect.bisect_right(self._starts, self._pos) - 1
        part = self._parts[index]
        part.seek(self._pos - self._starts[index])
        n = part.readinto(view)
        self._pos += n
        return n

    def close(self) -> None:
        for part in self._parts:
            part.close()
        self._parts = []
        super().close()


# -- the endpoints --------------------------------------------------------------------------


def _options() -> HttpResponse:
    return _response(
        204, Tus_Version=TUS_VERSION, Tus_Extension=EXTENSIONS, Tus_Max_Size=str(_max_size())
    )


def _version_ok(request: HttpRequest) -> bool:
    return request.headers.get("Tus-Resumable") == TUS_VERSION


@login_required
def upload_create(request: HttpRequest) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options()
    if not has_cap(request.user, "testimony.edit"):
        raise PermissionDenied("testimony.edit")
    if request.method != "POST":
        return _response(405, _("Use POST to start an upload."), Allow="OPTIONS, POST")
    if not _version_ok(request):
        return _response(412, _("This server speaks tus 1.0.0."), Tus_Version=TUS_VERSION)
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _response(400, _("The upload's size (Upload-Length) is missing."))
    if length < 1:
        return _response(400, _("The file is empty."))
    if length > _max_size():
        return _response(
            413,
            _("The file is larger than the limit of %(mb)s MB.")
            % {"mb": _max_size() // (1024 * 1024)},
        )
    try:
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _response(400, _("The upload's description (Upload-Metadata) is malformed."))
    number = parse_testimony_number(meta.get("testimony", ""))
    testimony = testimonies_for(request.user).filter(number=number).first() if number else None
    if testimony is None:
        return _response(404, _("No such testimony."))
    name = _safe_name(meta.get("filename", ""))
    if not name:
        return _response(400, _("The file has no usable name."))
    try:  # refused now, not after the last byte: the archive keeps only plain names
        name = check_file_name(name)
    except MediaRefused as exc:
        return _response(400, str(exc))
    kind = meta.get("kind") or MediaFile.Kind.VIDEO
    if kind not in MediaFile.Kind.values:
        return _response(400, _("Unknown kind of file."))
    uploads_expire()
    upload = Upload.objects.create(
        user=cast(Any, request.user),
        testimony=testimony,
        length=length,
        file_name=name,
        kind=kind,
        expires_at=timezone.now() + EXPIRY,
    )
    staging_dir(upload.pk).mkdir(parents=True, exist_ok=True)
    location = reverse("staff:upload_detail", args=[upload.pk])
    return _response(201, Location=request.build_absolute_uri(location), Upload_Offset="0")


@login_required
def upload_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    if request.method == "OPTIONS":
        return _options()
    upload = Upload.objects.filter(pk=pk, user=cast(Any, request.user)).first()
    if upload is None or upload.expires_at < timezone.now():
        if upload is not None:
            upload_discard(upload)
        return _response(404, _("No such upload (finished, ended or expired)."))
    if not has_cap(request.user, "testimony.edit"):
        raise PermissionDenied("testimony.edit")
    if not _version_ok(request):
        return _response(412, _("This server speaks tus 1.0.0."), Tus_Version=TUS_VERSION)
    if request.method == "HEAD":
        return _response(200, Upload_Offset=str(upload.offset), Upload_Length=str(upload.length))
    if request.method == "DELETE":
        if upload.offset >= upload.length:  # its job reads the parts: let it finish
            return _response(409, _("This upload is complete and is being added to the archive."))
        upload_discard(upload)
        return _response(204)
    if request.method == "PATCH":
        return _patch(request, upload)
    return _response(405, "", Allow="OPTIONS, HEAD, PATCH, DELETE")


def _patch(request: HttpRequest, upload: Upload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _response(415, _("Send the bytes as application/offset+octet-stream."))
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        return _response(400, _("Upload-Offset is missing."))
    if offset != upload.offset:
        return _response(
            409,
            _("The server has %(n)s bytes of this upload: resume from there.")
            % {"n": upload.offset},
            Upload_Offset=str(upload.offset),
        )
    room = upload.length - offset
    declared = request.META.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > room:
        return _response(413, _("More bytes than the upload's size."))
    folder = staging_dir(upload.pk)
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f"{offset:016d}.part"
    tmp = folder / f".{offset:016d}.{uuid.uuid4().hex}.tmp"
    received = 0
    try:
        with tmp.open("xb") as out:
            writer = SealedWriter(out, media_keys().encryption)
            while received <= room:
                try:
                    data = request.read(min(READ_SIZE, room + 1 - received))
                except OSError:  # the connection dropped: keep what arrived
                    break
                if not data:
                    break
                received += len(data)
                if received > room:
                    break
                writer.write(data)
            if received > room:
                writer.abort()
            else:
                writer.close()
                out.flush()
                os.fsync(out.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.errno == errno.ENOSPC:
            return _response(507, _("The server's disk is full: nothing of this part was kept."))
        raise
    if received > room:
        tmp.unlink(missing_ok=True)
        return _response(413, _("More bytes than the upload's size."))
    if received == 0:
        tmp.unlink(missing_ok=True)
        return _response(204, Upload_Offset=str(offset))
    with transaction.atomic():
        moved = Upload.objects.filter(pk=upload.pk, offset=offset).update(
            offset=offset + received, expires_at=timezone.now() + EXPIRY
        )
        if moved:
            os.replace(tmp, part)
    if not moved:  # another request wrote these bytes first
        tmp.unlink(missing_ok=True)
        current = Upload.objects.filter(pk=upload.pk).values_list("offset", flat=True).first()
        return _response(
            409, _("Another request sent these bytes first."), Upload_Offset=str(current)
        )
    upload.offset = offset + received
    if upload.offset < upload.length:
        return _response(204, Upload_Offset=str(upload.offset))
    return _finish(request, upload)


def _finish(request: HttpRequest, upload: Upload) -> HttpResponse:
    """Every byte is here: checking the file and adding it to the archive is a background job
    (a 4 GB file takes minutes to hash and seal again); the answer comes at once and names the
    job's status page (Aigaq-Job), which the client follows until the file is there."""
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(expires_at=timezone.now() + FINISHING)
        job = upload_finish_start(actor=request.user, upload=upload)
    return _response(
        204,
        Upload_Offset=str(upload.offset),
        Aigaq_Job=reverse("staff:job_status", args=[job.pk]),
        Aigaq_Job_Page=reverse("staff:job_detail", args=[job.pk]),
    )


# -- the job that adds a finished upload to the archive -------------------------------------


def upload_finish_start(*, actor: Any, upload: Upload) -> Job:
    """Queue the job that adds the finished `upload` to the archive and to its testimony. Its
    title names the testimony, never the file (its page may be seen by others)."""
    return job_start(
        kind=UPLOAD_FINISH,
        actor=actor,
        task=upload_finish_task,
        title=_("An uploaded file for testimony %(label)s") % {"label": upload.testimony.label},
        capability="testimony.edit",
        params={"upload": str(upload.pk)},
    )


@task()
def upload_finish_task(job_id: str) -> str:
    return job_run(job_id, _upload_finish)


def _upload_finish(job: Job, progress: Progress) -> Mapping[str, Any]:
    """Decrypt the parts in order into the archive and attach the file, in one transaction
    (a refusal changes no record and leaves no stored file); the parts go whatever happens."""
    upload = Upload.objects.select_related("testimony").filter(pk=job.params["upload"]).first()
    if upload is None:
        raise JobRefused(_("The upload was ended or expired before it reached the archive."))
    if upload.offset < upload.length:  # pragma: no cover - started only once every byte is in
        raise JobRefused(_("The upload is not complete."))
    actor = job.created_by
    progress(0, 0, _("Checking the file and adding it to the archive"))
    try:
        reader = PartsReader(staging_dir(upload.pk), media_keys().encryption)
    except (OSError, SealedError):
        upload_discard(upload)
        raise JobRefused(
            _("The uploaded parts could not be read; upload the file again.")
        ) from None
    try:
        with transaction.atomic():
            media = media_ingest(
                actor=actor,
                fileobj=io.BufferedReader(reader, READ_SIZE),
                original_name=upload.file_name,
                kind=upload.kind,
            )
            testimony_attach_media(
                actor=actor, testimony=upload.testimony, media=media, kind=upload.kind
            )
            result = {"sha256": media.sha256, "testimony": upload.testimony.label}
            # With the attachment, in its transaction: a run again after a lost worker
            # attaches nothing twice (core.jobs.job_effect).
            job_effect(result)
            pause_at("upload.attached")
    except MediaTooLarge:
        raise JobRefused(_("The file is larger than the limit.")) from None
    except MediaRefused as exc:  # not what it was given as, cut short, empty, disk full
        raise JobRefused(str(exc)) from None
    except ValidationError as exc:
        raise JobRefused(" ".join(str(m) for m in exc.messages)) from None
    finally:
        reader.close()
        upload_discard(upload)
    return result
