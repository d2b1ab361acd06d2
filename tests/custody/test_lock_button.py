"""The admins' lock button: a confirmation page, POST only, capability checked, audited; after
it every page answers "locked" and the key file is gone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from aigaq.core.models import AuditEntry, Role
from aigaq.custody.shares import shares_make


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test database's key, moved from the environment into a key file the lock can take
    away; the data folder a temporary one (its LOCKED marker must not outlive the test)."""
    key = os.environ["AIGAQ_DB_KEY"]
    path = tmp_path / "config" / "aigaq" / "key"
    path.parent.mkdir(parents=True)
    path.write_text(key + "\n")
    monkeypatch.delenv("AIGAQ_DB_KEY")
    monkeypatch.setenv("AIGAQ_DB_KEY_FILE", str(path))
    monkeypatch.setenv("AIGAQ_DATA_DIR", str(tmp_path / "data"))
    return path


def test_admin_locks_after_confirming_and_every_page_then_says_locked(
    client: Any, admin_user: Any, key_file: Path
) -> None:
    shares_make(key=key_file.read_text().strip(), threshold=2, count=3)
    client.force_login(admin_user)
    dashboard = client.get("/")
    assert 'data-testid="lock-link"' in dashboard.content.decode()
    confirm = client.get("/settings/lock/")
    assert confirm.status_code == 200
    assert 'data-testid="lock-now"' in confirm.content.decode()
    assert key_file.exists(), "opening the confirmation page locks nothing"

    done = client.post("/settings/lock/")
    assert done.status_code == 200 and 'data-testid="locked"' in done.content.decode()
    assert not key_file.exists()
    entry = AuditEntry.objects.get(actor=admin_user, changes__locked=[False, True])
    assert "locked this installation" in entry.note

    after = client.get("/persons/")
    assert after.status_code == 503 and 'data-testid="locked"' in after.content.decode()
    assert client.get("/").status_code == 503


def test_lock_without_shares_is_refused_and_changes_nothing(
    client: Any, admin_user: Any, key_file: Path
) -> None:
    client.force_login(admin_user)
    page = client.get("/settings/lock/").content.decode()
    assert "could never be opened again" in page
    refused = client.post("/settings/lock/")
    assert refused.status_code == 400
    assert "could never be opened again" in refused.content.decode()
    assert key_file.exists()
    assert not AuditEntry.objects.filter(changes__locked=[False, True]).exists()
    assert client.get("/").status_code == 200
    # Ticking "a copy of the key is kept elsewhere" locks.
    assert client.post("/settings/lock/", {"i_have_the_key": "on"}).status_code == 200
    assert not key_file.exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INTERVIEWER, Role.TRANSLATOR, Role.VIEWER])
def test_only_admins_may_lock(client: Any, make_user: Any, key_file: Path, role: str) -> None:
    shares_make(key=key_file.read_text().strip(), threshold=2, count=3)
    client.force_login(make_user(role))
    assert 'data-testid="lock-link"' not in client.get("/").content.decode()
    assert client.get("/settings/lock/").status_code == 403
    assert client.post("/settings/lock/").status_code == 403
    assert key_file.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client: Any, key_file: Path) -> None:
    response = client.post("/settings/lock/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert key_file.exists()
