"""API tokens: made once (only a hash kept), refused when unknown, expired or revoked (401),
held to their scopes (403) and to the user's role (403), counted (429), and the command."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from aigaq.api.models import ApiToken
from aigaq.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_only_the_tokens_hash_is_stored_and_its_making_is_audited(viewer: Any) -> None:
    from aigaq.api.services import api_token_create

    made = api_token_create(actor=None, user=viewer, scopes=["public:read"], days=5)
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(made.token.encode()).hexdigest()
    assert made.token not in json.dumps(list(ApiToken.objects.values()), default=str)
    entry = AuditEntry.objects.get(object_type="api.apitoken", action="create")
    assert made.token not in json.dumps(entry.changes)
    assert row.digest not in json.dumps(entry.changes)


def test_the_openapi_document_is_served_without_a_token(api: Any) -> None:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["version"] == "1"
    assert "/api/v1/persons" in doc["paths"]
    assert doc["components"]["securitySchemes"]


def test_no_token_is_401_with_a_sentence(api: Any) -> None:
    response = api.get("/persons")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401(api: Any, viewer: Any, make_token: Any) -> None:
    make_token(viewer)
    response = api.get("/persons", "aigaq_" + "x" * 43)
    assert response.status_code == 401
    assert "No such token" in response.json()["detail"]


def test_an_expired_token_is_401_and_says_so(api: Any, viewer: Any, make_token: Any) -> None:
    token = make_token(viewer)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api.get("/persons", token)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_401_and_says_so(api: Any, viewer: Any, make_token: Any) -> None:
    token = make_token(viewer)
    assert api.get("/persons", token).status_code == 200
    call_command("api", "token", "revoke", str(ApiToken.objects.get().pk), stdout=StringIO())
    response = api.get("/persons", token)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_token_of_an_inactive_user_is_401(api: Any, viewer: Any, make_token: Any) -> None:
    token = make_token(viewer)
    viewer.is_active = False
    viewer.save()
    assert api.get("/persons", token).status_code == 401


def test_a_token_used_beyond_its_scope_is_403(api: Any, coordinator: Any, make_token: Any) -> None:
    public_only = make_token(coordinator, "public:read")
    response = api.get("/persons", public_only)
    assert response.status_code == 403
    assert "internal:read" in response.json()["detail"]
    read_only = make_token(coordinator, "internal:read")
    p = factories.person("Ерлан Серікұлы")
    response = api.post(f"/persons/{p.entry_no}/names", read_only, '{"full_name": "Erlan"}')
    assert response.status_code == 403
    assert "write" in response.json()["detail"]


def test_internal_read_includes_the_public_open_data(
    api: Any, coordinator: Any, make_token: Any
) -> None:
    assert api.get("/public/entries", make_token(coordinator, "internal:read")).status_code == 200


def test_the_role_still_applies_to_a_token_with_the_scope(
    api: Any, viewer: Any, translator: Any, make_token: Any
) -> None:
    p = factories.person("Ерлан Серікұлы", visibility="public")
    body = '{"full_name": "Erlan Serikuly"}'
    response = api.post(f"/persons/{p.entry_no}/names", make_token(viewer, "write"), body)
    assert response.status_code == 403
    assert "may not create or edit" in response.json()["detail"]
    # Petitions carry an applicant's contacts: translators and viewers may not read them.
    response = api.get(f"/persons/{p.entry_no}/petitions", make_token(translator))
    assert response.status_code == 403
    # Restricted fields: only roles with restricted.read.
    assert api.get(f"/persons/{p.entry_no}/restricted", make_token(viewer)).status_code == 403


def test_a_token_over_its_rate_is_429_with_retry_after(
    api: Any, viewer: Any, make_token: Any, settings: Any
) -> None:
    settings.AIGAQ_API_RATE = 3
    settings.AIGAQ_API_RATE_WINDOW = 60
    token, other = make_token(viewer), make_token(viewer)
    assert [api.get("/persons", token).status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/persons", token)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Too many requests" in response.json()["detail"]
    assert api.get("/persons", other).status_code == 200  # per token


def test_the_rate_is_one_row_per_token_and_window_and_old_windows_go(
    viewer: Any, settings: Any, monkeypatch: Any
) -> None:
    from django.db import connection

    from aigaq.api import auth
    from aigaq.api.services import api_token_create

    settings.AIGAQ_API_RATE = 100
    settings.AIGAQ_API_RATE_WINDOW = 60
    token = api_token_create(actor=None, user=viewer, scopes=["internal:read"], days=1).record

    def rows() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT token_id, window_start, hits FROM {auth.RATE_TABLE}")  # noqa: S608
            return [tuple(r) for r in cursor.fetchall()]

    monkeypatch.setattr(auth.time, "time", lambda: 6_000_010.0)
    for _ in range(3):
        auth.rate_limit(token)
    assert rows() == [(str(token.pk), 6_000_000, 3)]
    # The next window: counted afresh, and the finished window's row is removed.
    monkeypatch.setattr(auth.time, "time", lambda: 6_000_061.0)
    auth.rate_limit(token)
    assert rows() == [(str(token.pk), 6_000_060, 1)]


def test_last_used_is_recorded(api: Any, viewer: Any, make_token: Any) -> None:
    token = make_token(viewer)
    assert ApiToken.objects.get().last_used_at is None
    api.get("/persons", token)
    assert ApiToken.objects.get().last_used_at is not None


def test_the_command_creates_lists_and_revokes(viewer: Any, api: Any) -> None:
    out, err = StringIO(), StringIO()
    call_command(
        "api", "token", "create", "--user", viewer.username, "--scope", "public:read",
        "--scope", "internal:read", "--expires", "7", "--name", "research", "--json",
        stdout=out, stderr=err,
    )  # fmt: skip
    made = json.loads(out.getvalue())
    assert made["token"].startswith("aigaq_")
    assert made["scopes"] == ["internal:read", "public:read"]
    assert api.get("/persons", made["token"]).status_code == 200
    out = StringIO()
    call_command("api", "token", "list", "--json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [r["name"] for r in listed] == ["research"]
    assert made["token"] not in out.getvalue()
    out = StringIO()
    call_command("api", "token", "revoke", made["id"][:8], stdout=out)
    assert "revoked" in out.getvalue()
    assert ApiToken.objects.get().revoked_at is not None


def test_the_command_refuses_bad_input_and_makes_nothing(viewer: Any) -> None:
    with pytest.raises(CommandError, match="no user"):
        call_command("api", "token", "create", "--user", "nobody", "--scope", "write")
    with pytest.raises(CommandError, match="1 to 3650 days"):
        call_command(
            "api", "token", "create", "--user", viewer.username, "--scope", "write",
            "--expires", "0",
        )  # fmt: skip
    with pytest.raises(CommandError, match="No token"):
        call_command("api", "token", "revoke", "00000000")
    assert not ApiToken.objects.exists()
