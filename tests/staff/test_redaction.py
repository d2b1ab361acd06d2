"""The redaction page of a video: who may open it, saving a plan (bad ones refused with a
sentence, nothing saved), rendering as a job, the copy served through media_response."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import Job
from aigaq.media.models import MediaFile, RedactionPlan, Rendition
from aigaq.media.tasks import RENDITIONS
from aigaq.testimonies import services as testimony_services
from tests import factories
from tests.media.conftest import ingest_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(settings: Any, tmp_path: Path) -> MediaFile:
    return ingest_video(settings, tmp_path)


REGION = {"x": 0.25, "y": 0.25, "w": 0.5, "h": 0.5, "start": 0.2, "end": 0.6, "effect": "black"}


@pytest.fixture
def attached(video: MediaFile, coordinator: Any) -> Any:
    testimony = factories.testimony(actor=coordinator, visibility="internal")
    testimony_services.testimony_attach_media(
        actor=coordinator, testimony=testimony, media=video, kind="video"
    )
    return testimony


def _url(media: MediaFile) -> str:
    return f"/media/{media.pk}/redact/"


def test_a_coordinator_opens_the_editor_from_the_testimony_page(
    client: Any, coordinator: Any, attached: Any, video: MediaFile
) -> None:
    client.force_login(coordinator)
    page = client.get(f"/testimonies/{attached.number}/").content.decode()
    assert _url(video) in page
    response = client.get(_url(video))
    assert response.status_code == 200
    assert f"/media/{video.pk}/redact/video/" in response.content.decode()
    assert client.get(f"/media/{video.pk}/redact/video/").status_code == 200


@pytest.mark.parametrize("role", ["translator", "viewer", "interviewer"])
def test_roles_without_media_redact_are_refused(
    client: Any, make_user: Any, attached: Any, video: MediaFile, role: str
) -> None:
    client.force_login(make_user(role, f"{role}-redact"))
    assert _url(video) not in client.get(f"/testimonies/{attached.number}/").content.decode()
    assert client.get(_url(video)).status_code == 403
    assert client.post(_url(video), {"regions": json.dumps([REGION])}).status_code == 403
    assert client.get(f"/media/{video.pk}/redact/video/").status_code == 403
    assert not RedactionPlan.objects.exists()


def test_a_file_on_no_testimony_the_reader_may_see_is_not_found(
    client: Any, coordinator: Any, video: MediaFile
) -> None:
    client.force_login(coordinator)
    assert client.get(_url(video)).status_code == 404


def test_a_plan_is_saved_and_a_bad_one_is_refused_with_nothing_saved(
    client: Any, coordinator: Any, attached: Any, video: MediaFile
) -> None:
    client.force_login(coordinator)
    bad = {**REGION, "start": 0.6, "end": 0.2}
    response = client.post(
        _url(video), {"regions": json.dumps([bad]), "action": "save", "duration": "1.0"}
    )
    assert response.status_code == 400
    assert "Region 1 ends before it starts." in response.content.decode()
    assert not RedactionPlan.objects.exists()
    response = client.post(_url(video), {"regions": "not json", "action": "save"})
    assert response.status_code == 400 and not RedactionPlan.objects.exists()
    response = client.post(
        _url(video), {"regions": json.dumps([REGION]), "action": "save", "duration": "1.0"}
    )
    assert response.status_code == 302
    assert RedactionPlan.objects.get(media=video).regions == [REGION]


def test_rendering_runs_as_a_job_and_the_copy_is_served(
    client: Any, coordinator: Any, attached: Any, video: MediaFile, run_jobs: Any
) -> None:
    client.force_login(coordinator)
    with run_jobs():
        response = client.post(
            _url(video), {"regions": json.dumps([REGION]), "action": "render", "duration": "1"}
        )
    job = Job.objects.exclude(kind=RENDITIONS).get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    plan = RedactionPlan.objects.get(media=video)
    copy = Rendition.objects.get(media=video, kind=Rendition.Kind.REDACTED)
    assert plan.status == RedactionPlan.Status.RENDERED and plan.rendition == copy
    page = client.get(_url(video)).content.decode()
    assert f"/media/{video.pk}/redact/copies/{copy.pk}/" in page
    served = client.get(f"/media/{video.pk}/redact/copies/{copy.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "video/mp4"
    body = b"".join(served.streaming_content)
    assert len(body) == copy.size and body[4:8] == b"ftyp"


def test_rendering_an_empty_plan_is_refused(
    client: Any, coordinator: Any, attached: Any, video: MediaFile
) -> None:
    client.force_login(coordinator)
    response = client.post(_url(video), {"regions": "[]", "action": "render"})
    assert response.status_code == 400
    assert "Mark at least one region" in response.content.decode()
    assert not Job.objects.exclude(kind=RENDITIONS).exists()


def test_the_audio_only_copy_is_made_from_the_page(
    client: Any, coordinator: Any, attached: Any, video: MediaFile, run_jobs: Any
) -> None:
    client.force_login(coordinator)
    with run_jobs():
        client.post(_url(video), {"action": "audio_only"})
    assert Job.objects.exclude(kind=RENDITIONS).get().status == Job.Status.DONE
    assert Rendition.objects.filter(media=video, kind=Rendition.Kind.AUDIO_ONLY).exists()
