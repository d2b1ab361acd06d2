"""Resumable uploads (tus 1.0.0) through the Django test client: create, send in parts, ask
the offset, resume after a cut, refuse a wrong offset or too many bytes, end an upload; parts
are never in clear on disk, and an unfinished upload expires leaving nothing."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from aigaq.core.models import Job
from aigaq.media.models import MediaFile
from aigaq.staff.models import Upload
from aigaq.staff.uploads import (
    UPLOAD_FINISH,
    staging_dir,
    staging_root,
    upload_finish_task,
    uploads_expire,
)
from tests import factories
from tests.media.videos import video_bytes

pytestmark = pytest.mark.django_db
TUS = {"Tus-Resumable": "1.0.0"}
DATA = video_bytes(seconds=4, size="640x480")  # a real video: the archive checks content
HALF, QUARTER, THREE_QUARTERS = len(DATA) // 2, len(DATA) // 4, 3 * len(DATA) // 4


def meta(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def create(
    client: Any, testimony: Any, length: int = len(DATA), name: str = "interview.mp4"
) -> Any:
    return client.post(
        "/uploads/",
        headers={
            **TUS,
            "Upload-Length": str(length),
            "Upload-Metadata": meta(filename=name, testimony=testimony.label, kind="video"),
        },
    )


def patch(client: Any, url: str, offset: int, body: bytes) -> Any:
    return client.patch(
        url,
        data=body,
        content_type="application/offset+octet-stream",
        headers={**TUS, "Upload-Offset": str(offset)},
    )


def head_offset(client: Any, url: str) -> int:
    response = client.head(url, headers=TUS)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return int(response["Upload-Offset"])


@pytest.fixture
def setup(client: Any, interviewer: Any) -> tuple[Any, Any]:
    client.force_login(interviewer)
    return client, factories.testimony()


def test_options_says_what_the_server_speaks(setup: Any) -> None:
    client, _t = setup
    response = client.options("/uploads/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert response["Tus-Extension"] == "creation,termination"
    assert int(response["Tus-Max-Size"]) == settings.AIGAQ_MAX_UPLOAD_BYTES


def test_an_upload_in_two_parts_reaches_the_archive_and_the_testimony(
    setup: Any, run_jobs: Any
) -> None:
    client, testimony = setup
    response = create(client, testimony)
    assert response.status_code == 201 and response["Tus-Resumable"] == "1.0.0"
    url = response["Location"]
    assert head_offset(client, url) == 0
    first = patch(client, url, 0, DATA[:HALF])
    assert first.status_code == 204 and first["Upload-Offset"] == str(HALF)
    assert head_offset(client, url) == HALF
    # Nothing of the file is on disk in clear.
    parts = list(staging_root().rglob("*.part"))
    assert parts and all(DATA[:4096] not in p.read_bytes() for p in parts)
    with run_jobs():  # the last byte queues the job that adds the file to the archive
        last = patch(client, url, HALF, DATA[HALF:])
    assert last.status_code == 204 and last["Upload-Offset"] == str(len(DATA))
    job = Job.objects.get(kind=UPLOAD_FINISH)
    assert last["Aigaq-Job"] == f"/jobs/{job.pk}/status/"
    assert job.status == Job.Status.DONE, job.message
    media = MediaFile.objects.get()
    assert media.sha256 == hashlib.sha256(DATA).hexdigest() == job.result["sha256"]
    assert media.original_name == "interview.mp4"
    assert testimony.media_links.get().media == media
    assert not Upload.objects.exists() and not any(staging_root().iterdir())
    assert client.head(url, headers=TUS).status_code == 404


def test_resume_after_a_cut_from_the_offset_the_server_gives(setup: Any, run_jobs: Any) -> None:
    client, testimony = setup
    url = create(client, testimony)["Location"]
    patch(client, url, 0, DATA[:QUARTER])
    # The connection drops: the client does not know what arrived, so it asks.
    offset = head_offset(client, url)
    assert offset == QUARTER
    patch(client, url, offset, DATA[offset:THREE_QUARTERS])
    offset = head_offset(client, url)
    with run_jobs():
        assert patch(client, url, offset, DATA[offset:]).status_code == 204
    assert MediaFile.objects.get().sha256 == hashlib.sha256(DATA).hexdigest()


def test_a_wrong_offset_is_a_conflict_and_changes_nothing(setup: Any) -> None:
    client, testimony = setup
    url = create(client, testimony)["Location"]
    patch(client, url, 0, DATA[:1000])
    response = patch(client, url, 0, DATA[:1000])
    assert response.status_code == 409 and response["Upload-Offset"] == "1000"
    assert head_offset(client, url) == 1000


def test_too_large_a_file_or_too_many_bytes_is_refused(setup: Any, settings: Any) -> None:
    client, testimony = setup
    settings.AIGAQ_MAX_UPLOAD_BYTES = 1000
    response = create(client, testimony, length=1001)
    assert response.status_code == 413 and "larger than the limit" in response.content.decode()
    assert not Upload.objects.exists()
    url = create(client, testimony, length=10)["Location"]
    assert patch(client, url, 0, b"x" * 11).status_code == 413
    assert head_offset(client, url) == 0


def test_bad_requests_get_a_clear_refusal(setup: Any) -> None:
    client, testimony = setup
    assert client.post("/uploads/", headers={"Upload-Length": "5"}).status_code == 412
    no_length = client.post(
        "/uploads/", headers={**TUS, "Upload-Metadata": meta(testimony=testimony.label)}
    )
    assert no_length.status_code == 400
    elsewhere = create(client, testimony, name="../../etc/passwd")
    assert elsewhere.status_code == 201
    assert Upload.objects.get().file_name == "passwd"
    url = elsewhere["Location"]
    wrong_type = client.patch(
        url, data=b"x", content_type="text/plain", headers={**TUS, "Upload-Offset": "0"}
    )
    assert wrong_type.status_code == 415
    nobody = client.post(
        "/uploads/",
        headers={
            **TUS,
            "Upload-Length": "5",
            "Upload-Metadata": meta(filename="a", testimony="T9999"),
        },
    )
    assert nobody.status_code == 404


def test_terminate_removes_every_part(setup: Any) -> None:
    client, testimony = setup
    url = create(client, testimony)["Location"]
    patch(client, url, 0, DATA[:1000])
    assert client.delete(url, headers=TUS).status_code == 204
    assert not Upload.objects.exists() and not any(staging_root().iterdir())
    assert client.head(url, headers=TUS).status_code == 404


def test_another_user_cannot_see_or_continue_an_upload(setup: Any, coordinator: Any) -> None:
    client, testimony = setup
    url = create(client, testimony)["Location"]
    client.force_login(coordinator)
    assert client.head(url, headers=TUS).status_code == 404
    assert patch(client, url, 0, DATA[:10]).status_code == 404


def test_a_viewer_may_not_upload(client: Any, viewer: Any) -> None:
    client.force_login(viewer)
    testimony = factories.testimony(visibility="public")
    assert create(client, testimony).status_code == 403


def test_an_unfinished_upload_expires_leaving_nothing(setup: Any) -> None:
    client, testimony = setup
    url = create(client, testimony)["Location"]
    patch(client, url, 0, DATA[:1000])
    upload = Upload.objects.get()
    stray = staging_root() / "not-an-upload"
    stray.mkdir()
    assert staging_dir(upload.pk).is_dir()
    assert uploads_expire(now=timezone.now() + dt.timedelta(days=2)) == 1
    assert not Upload.objects.exists()
    assert list(Path(staging_root()).iterdir()) == []
    assert MediaFile.objects.count() == 0


def test_an_upload_that_is_not_what_it_claims_is_refused_and_leaves_nothing(
    setup: Any, run_jobs: Any
) -> None:
    client, testimony = setup
    fake = b"this is a text file, not a video" * 100
    url = create(client, testimony, len(fake))["Location"]
    with run_jobs():
        response = patch(client, url, 0, fake)
    assert response.status_code == 204
    job = Job.objects.get(kind=UPLOAD_FINISH)
    assert job.status == Job.Status.FAILED and "not a video" in job.message
    status = client.get(response["Aigaq-Job"])
    assert 'data-status="failed"' in status.content.decode()
    assert "not a video" in status.content.decode()
    assert not MediaFile.objects.exists()
    assert not testimony.media.exists()
    assert not Upload.objects.exists() and not any(staging_root().rglob("*.part"))


def test_the_last_byte_answers_at_once_and_the_job_adds_the_file(setup: Any) -> None:
    """The request that brings the last byte only queues the job (the file is hashed and
    sealed again by the worker, not while the browser waits); the job then adds it."""
    client, testimony = setup
    url = create(client, testimony)["Location"]
    response = patch(client, url, 0, DATA)
    assert response.status_code == 204 and response["Upload-Offset"] == str(len(DATA))
    job = Job.objects.get(kind=UPLOAD_FINISH)
    assert job.status == Job.Status.QUEUED and job.params == {
        "upload": url.rstrip("/").split("/")[-1]
    }
    assert str(testimony.label) in job.title and "interview" not in job.title
    assert not MediaFile.objects.exists()
    # While it waits, the finished upload is kept (HEAD says every byte is in) and cannot be
    # ended under the job's feet; it does not expire as an unfinished one would.
    assert head_offset(client, url) == len(DATA)
    assert client.delete(url, headers=TUS).status_code == 409
    assert uploads_expire(now=timezone.now() + dt.timedelta(days=2)) == 0
    status = client.get(response["Aigaq-Job"])
    assert status.status_code == 200 and 'data-status="queued"' in status.content.decode()

    assert upload_finish_task.call(str(job.pk)) == Job.Status.DONE
    job.refresh_from_db()
    media = MediaFile.objects.get()
    assert job.result == {"sha256": media.sha256, "testimony": testimony.label}
    assert testimony.media_links.get().media == media
    assert not Upload.objects.exists() and not any(staging_root().iterdir())
    done = client.get(response["Aigaq-Job"]).content.decode()
    assert 'data-status="done"' in done and "attached to the testimony" in done
    # Run twice (a worker restarted mid-way), it does nothing the second time.
    assert upload_finish_task.call(str(job.pk)) == "skipped"
    assert MediaFile.objects.count() == 1


def test_a_job_whose_upload_is_gone_fails_with_a_sentence(setup: Any) -> None:
    client, testimony = setup
    url = create(client, testimony)["Location"]
    patch(client, url, 0, DATA)
    job = Job.objects.get(kind=UPLOAD_FINISH)
    Upload.objects.all().delete()
    assert upload_finish_task.call(str(job.pk)) == Job.Status.FAILED
    job.refresh_from_db()
    assert "ended or expired" in job.message
    assert not MediaFile.objects.exists()
