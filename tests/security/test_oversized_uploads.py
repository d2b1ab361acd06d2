"""Oversized uploads: every upload endpoint refuses a body over its limit with a sentence that
says so, and keeps nothing (no record, no job, no stored or spooled file), whether the request
says its true size, says it is larger than the limit while sending little, or says it is small
while sending more (a lying Content-Length: the server reads no more than it declared).

The endpoints that take a file: the testimony form's file (AIGAQ_MAX_UPLOAD_BYTES), a person's
photo (people.services.MAX_PHOTO_BYTES), the spreadsheet import (transfer.spreadsheet.MAX_BYTES),
a petition's scanned answer, with the answer or later (AIGAQ_MAX_UPLOAD_BYTES), the field-bundle
import (AIGAQ_MAX_UPLOAD_BYTES) and the resumable uploads (tus, Upload-Length);
a form or JSON body without a file is held to DATA_UPLOAD_MAX_MEMORY_SIZE. The limits are made
small here so that the bodies stay small. `test_every_file_field_is_covered` fails for a new
form with a file field that is not in ENDPOINTS."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

LIMIT = 256 * 1024  # each endpoint's limit in these tests
BOUNDARY = "oversizedboundary"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

SCAN_HEAD = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str
    url: Callable[[dict[str, Any]], str]
    field: str
    head: bytes  # what the file starts with (a real photo's header, a CSV's first line)
    fields: dict[str, str]
    refused: Callable[[Any], str]  # the page's text that must say "too large"


def _page(response: Any) -> str:
    return response.content.decode()


def _message(response: Any) -> str:
    """A redirect's flash message (read from the page it leads to)."""
    return " ".join(str(m) for m in response.wsgi_request._messages)


ENDPOINTS = [
    Endpoint(
        "testimony file",
        "interviewer",
        lambda w: reverse("staff:testimony_new"),
        "media_file",
        b"\x00\x00\x00\x18ftypmp42",
        {"testifier_name": "Aigul", "recorded_on": "2024-01-01", "media_kind": "video"},
        _page,
    ),
    Endpoint(
        "person photo",
        "interviewer",
        lambda w: reverse("staff:person_photo", args=[w["person"].entry_no]),
        "photo",
        PNG,
        {},
        _message,
    ),
    Endpoint(
        "spreadsheet import",
        "coordinator",
        lambda w: reverse("transfer:spreadsheet_upload"),
        "file",
        b"name,visibility\n",
        {"dry_run": "on"},
        _page,
    ),
    Endpoint(
        "petition answered, with its scanned answer",
        "coordinator",
        lambda w: reverse("staff:petition_state", args=[w["registered"].pk]),
        "answer_scan",
        SCAN_HEAD,
        {"state": "answered", "version": "2", "answer": "Transmitted to the government."},
        _message,
    ),
    Endpoint(
        "scanned answer attached later",
        "coordinator",
        lambda w: reverse("staff:petition_answer_scan", args=[w["answered"].pk]),
        "answer_scan",
        SCAN_HEAD,
        {"version": "3"},
        _message,
    ),
    Endpoint(
        "field bundle import",
        "coordinator",
        lambda w: reverse("transfer:field_import"),
        "bundle",
        b"age-encryption.org/v1\n",
        {"passphrase": "correct horse"},
        _page,
    ),
]
#: The words each refusal must hold (English: the tests' language).
TOO_LARGE = "larger than"
TOO_LARGE_TESTIMONY = "too large"


@pytest.fixture
def small_limits(settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from aigaq.people import services as people_services
    from aigaq.transfer import spreadsheet, tasks

    # A data folder of the test's own: what `_kept` lists is this test's alone (tests run
    # beside it, under pytest -n, write theirs in the shared one).
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    settings.AIGAQ_MAX_UPLOAD_BYTES = LIMIT
    monkeypatch.setattr(people_services, "MAX_PHOTO_BYTES", LIMIT)
    monkeypatch.setattr(spreadsheet, "MAX_BYTES", LIMIT)
    monkeypatch.setattr(tasks, "MAX_BYTES", LIMIT)


def _kept() -> dict[str, Any]:
    """Everything an upload could leave behind: records, jobs, files in the data folder."""
    from aigaq.core.models import Job
    from aigaq.media.models import MediaFile
    from aigaq.staff.models import Upload
    from aigaq.testimonies.models import Testimony

    data = Path(settings.DATA_DIR)
    files = sorted(
        str(p.relative_to(data))
        for p in data.rglob("*")
        if p.is_file() and not any(s in p.name for s in (".sqlite", ".db", "-wal", "-shm"))
    )
    return {
        "media": MediaFile.objects.count(),
        "jobs": Job.objects.count(),
        "uploads": Upload.objects.count(),
        "testimonies": Testimony.objects.count(),
        "files": files,
    }


def _body(endpoint: Endpoint, size: int) -> bytes:
    content = endpoint.head + b"x" * (size - len(endpoint.head))
    upload = SimpleUploadedFile("big.bin", content, content_type="application/octet-stream")
    return encode_multipart(BOUNDARY, {**endpoint.fields, endpoint.field: upload})


def _post(client: Any, address: str, body: bytes, content_length: int | None = None) -> Any:
    extra = {} if content_length is None else {"CONTENT_LENGTH": str(content_length)}
    return client.generic(
        "POST",
        address,
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        **extra,
    )


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    from aigaq.petitions.services import petition_advance, petition_create

    person = factories.person("Ashyq Photobek", visibility="internal")

    def registered() -> Any:
        petition = petition_create(actor=None, form="wgeid", persons=[person], entries={})
        return petition_advance(
            actor=None,
            petition=petition,
            state="registered",
            expected_version=petition.version,
            channel="email",
            registration_no="G/SO 217/1",
        )

    answered = registered()
    answered = petition_advance(
        actor=None,
        petition=answered,
        state="answered",
        expected_version=answered.version,
        answer="Transmitted.",
    )
    return {"person": person, "registered": registered(), "answered": answered}


def _signed_in(client: Any, make_user: Any, role: str) -> None:
    client.force_login(make_user(role, f"{role}-uploads"))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_file_over_the_limit_is_refused_with_a_sentence_and_nothing_kept(
    endpoint: Endpoint, client: Any, make_user: Any, small_limits: None, world: dict[str, Any]
) -> None:
    _signed_in(client, make_user, endpoint.role)
    before = _kept()
    response = _post(client, endpoint.url(world), _body(endpoint, LIMIT + 64 * 1024))
    assert response.status_code in (302, 400, 413), response.status_code
    said = endpoint.refused(response).lower()
    assert TOO_LARGE in said or TOO_LARGE_TESTIMONY in said, said[-2000:]
    assert _kept() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_request_that_says_it_is_over_the_limit_is_refused_before_its_body(
    endpoint: Endpoint, client: Any, make_user: Any, small_limits: None, world: dict[str, Any]
) -> None:
    """Content-Length far over the limit, a small body: refused at once, nothing read."""
    _signed_in(client, make_user, endpoint.role)
    before = _kept()
    body = _body(endpoint, 1024)
    response = _post(client, endpoint.url(world), body, content_length=LIMIT * 64)
    assert response.status_code in (302, 400, 413), response.status_code
    said = endpoint.refused(response).lower()
    assert TOO_LARGE in said or TOO_LARGE_TESTIMONY in said, said[-2000:]
    assert _kept() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_request_that_says_it_is_small_and_sends_more_is_read_no_further(
    endpoint: Endpoint, client: Any, make_user: Any, small_limits: None, world: dict[str, Any]
) -> None:
    """Content-Length within the limit, a body far over it: only the declared bytes are read
    (a truncated form: refused as incomplete), nothing kept."""
    _signed_in(client, make_user, endpoint.role)
    before = _kept()
    body = _body(endpoint, LIMIT * 4)
    response = _post(client, endpoint.url(world), body, content_length=LIMIT // 2)
    assert response.status_code in (200, 302, 400, 413), response.status_code
    assert _kept() == before


def test_a_resumable_upload_over_the_limit_is_refused_and_keeps_nothing(
    client: Any, make_user: Any, small_limits: None
) -> None:
    """tus: an Upload-Length over the limit; then, within it, a part over what is left, said
    honestly and said falsely (a Content-Length within the room, more bytes sent)."""
    _signed_in(client, make_user, "interviewer")
    testimony = factories.testimony()
    tus = {"HTTP_TUS_RESUMABLE": "1.0.0"}
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"filename": "a.mp4", "testimony": testimony.label}.items()
    )
    before = _kept()
    response = client.post(
        "/uploads/", HTTP_UPLOAD_LENGTH=str(LIMIT + 1), HTTP_UPLOAD_METADATA=meta, **tus
    )
    assert response.status_code == 413
    assert TOO_LARGE in response.content.decode()
    assert _kept() == before

    response = client.post("/uploads/", HTTP_UPLOAD_LENGTH="1000", HTTP_UPLOAD_METADATA=meta, **tus)
    assert response.status_code == 201
    address = response["Location"]
    started = _kept()
    for content_length in (None, 1000):
        extra = {} if content_length is None else {"CONTENT_LENGTH": str(content_length)}
        response = client.generic(
            "PATCH",
            address,
            b"x" * 5000,
            content_type="application/offset+octet-stream",
            HTTP_UPLOAD_OFFSET="0",
            **tus,
            **extra,
        )
        if content_length is None:
            assert response.status_code == 413
        else:  # read no further than declared: the upload is whole, at its length
            assert response.status_code == 204
            assert response["Upload-Offset"] == "1000"
    assert _kept()["media"] == started["media"]


def test_a_form_body_over_the_memory_limit_is_refused(
    client: Any, make_user: Any, settings: Any
) -> None:
    """A form without a file, or a JSON body, over DATA_UPLOAD_MAX_MEMORY_SIZE: a 400, nothing
    written."""
    from aigaq.api.services import api_token_create
    from aigaq.people.models import Person

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    settings.AIGAQ_API_RATE = 0
    user = make_user("interviewer", "interviewer-form-body")
    client.force_login(user)
    before = Person.objects.count()
    response = client.post(reverse("staff:person_new"), {"names-0-full_name": "x" * 100_000})
    assert response.status_code == 400
    person = factories.person("Ashyq Jsonbek", visibility="internal")
    token = api_token_create(actor=None, user=user, scopes=["internal:read", "write"]).token
    response = client.post(
        reverse("api-v1:person_name_add", kwargs={"entry_no": person.entry_no}),
        {"full_name": "y" * 100_000},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (400, 413)
    assert Person.objects.count() == before + 1
    person.refresh_from_db()
    assert [n.full_name for n in person.names.all()] == ["Ashyq Jsonbek"]


def _subclasses(cls: type) -> set[type]:
    out = set()
    for sub in cls.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def test_every_file_field_is_covered() -> None:
    """Every form of Aigaq's with a file field is an endpoint above (the identity file is
    posted beside the bundle, under the same limit). The photo and the scanned answer are read
    from request.FILES."""
    from django import forms
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view and its forms
    covered = {
        "TestimonyForm.media_file",
        "SpreadsheetForm.file",
        "ImportForm.bundle",
        "ImportForm.identity",
    }
    found = {
        f"{form.__name__}.{name}"
        for form in _subclasses(forms.BaseForm)
        if form.__module__.startswith("aigaq.")
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.FileField)
    }
    assert found == covered, f"add the new upload to ENDPOINTS in {__file__}"
