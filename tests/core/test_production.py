"""Running on a server behind a TLS reverse proxy, and sessions that end when left idle."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def deploy_check(**env: str) -> subprocess.CompletedProcess[str]:
    """`aigaq check --deploy` in a fresh process: the settings are read from the environment
    once, at start."""
    # Not the test process's own AIGAQ_* settings, nor DJANGO_ALLOW_ASYNC_UNSAFE (the browser
    # fixture sets it for Playwright in this process; a server never has it).
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AIGAQ_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    for name in ("AIGAQ_DATA_DIR", "AIGAQ_DB_KEY", "DATABASE_URL"):
        if name in os.environ:
            environ[name] = os.environ[name]
    environ.update(
        AIGAQ_SECRET_KEY=secrets.token_urlsafe(50), AIGAQ_ALLOWED_HOSTS="aigaq.example.org"
    )
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "aigaq.cli", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_behind_a_tls_proxy() -> None:
    result = deploy_check(AIGAQ_BEHIND_TLS_PROXY="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_the_deploy_check_warns_on_a_laptop_setup_served_to_the_internet() -> None:
    result = deploy_check()
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in output


@pytest.mark.django_db
def test_serve_believes_the_forwarded_headers_of_the_trusted_proxy_only(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress  # type: ignore[import-untyped]
    from django.db import connection
    from waitress.adjustments import Adjustments  # type: ignore[import-untyped]

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.setattr(connection, "close", lambda: None)  # the test's own connection

    settings.AIGAQ_TRUSTED_PROXY = ""
    call_command("serve", stdout=StringIO(), stderr=StringIO())
    assert "trusted_proxy" not in calls[-1]

    settings.AIGAQ_TRUSTED_PROXY = "127.0.0.1"
    call_command("serve", stdout=StringIO(), stderr=StringIO())
    options = calls[-1]
    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert options["clear_untrusted_proxy_headers"] is True
    Adjustments(**options)  # waitress knows every option given


# ---------------------------------------------------------------- idle sessions


IDLE_KEY = "aigaq_last_seen"


def idle_for(client: Any, seconds: int) -> None:
    """As if the browser had made no request for `seconds`."""
    session = client.session
    session[IDLE_KEY] = session[IDLE_KEY] - seconds
    session.save()


@pytest.mark.django_db
def test_a_session_left_idle_for_thirty_one_minutes_must_sign_in_again(
    client: Any, coordinator: Any
) -> None:
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    idle_for(client, 31 * 60)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_session_in_use_stays_signed_in_and_is_renewed(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    idle_for(client, 29 * 60)
    assert client.get("/").status_code == 200
    # The request renewed the session: another 29 quiet minutes are still within the limit.
    idle_for(client, 29 * 60)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_stored_session_expires_after_the_idle_time_not_hours_later(
    client: Any, coordinator: Any
) -> None:
    from django.utils import timezone

    client.force_login(coordinator)
    client.get("/")
    session = Session.objects.get(session_key=client.session.session_key)
    left = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < left <= 30 * 60


@pytest.mark.django_db
def test_the_idle_time_is_configurable(client: Any, coordinator: Any, settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 5 * 60
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    idle_for(client, 6 * 60)
    assert client.get("/").status_code == 302


def test_the_idle_time_and_the_lockout_are_read_from_the_environment() -> None:
    environ = dict(
        os.environ,
        AIGAQ_SESSION_IDLE_MINUTES="10",
        AIGAQ_SIGNIN_FAILURES="3",
        AIGAQ_SIGNIN_LOCK_MINUTES="30",
    )
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_IDLE_SECONDS, s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT, "
        "int(s.AXES_COOLOFF_TIME.total_seconds()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["600", "600", "3", "1800"], result.stderr
