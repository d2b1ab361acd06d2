"""Production settings: `aigaq check --deploy` is clean, and every answer carries the security
headers (CSP without inline scripts, no framing, a referrer policy, nosniff, HSTS over
https), and the session cookie is Secure and HttpOnly when served over https.

The deploy check itself runs in a fresh process with the production environment
(tests/core/test_production.py's `deploy_check`: DEBUG off, a real secret, behind a TLS proxy);
the headers are read from answers of the staff and the public site with the settings that
environment gives (config/settings.py's BEHIND_TLS_PROXY branch).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import PASSWORD, totp_code, verified_device
from tests.core.test_production import deploy_check
from tests.security.test_stored_xss import script_sources

pytestmark = pytest.mark.django_db

#: What config/settings.py sets when AIGAQ_BEHIND_TLS_PROXY=1.
PRODUCTION = {
    "DEBUG": False,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 365 * 24 * 60 * 60,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
}
HTTPS = {"secure": True, "headers": {"X-Forwarded-Proto": "https"}}


def test_the_deploy_check_is_clean_in_production_settings() -> None:
    result = deploy_check(AIGAQ_BEHIND_TLS_PROXY="1")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def assert_security_headers(where: str, response: Any) -> None:
    csp = response.get("Content-Security-Policy", "")
    scripts = script_sources(csp)
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, (
        where,
        csp,
    )
    assert "frame-ancestors 'none'" in csp or response.get("X-Frame-Options") == "DENY", where
    assert response.get("Referrer-Policy") in ("same-origin", "no-referrer"), where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert "max-age=31536000" in response.get("Strict-Transport-Security", ""), where


def test_staff_answers_carry_the_headers_and_a_secure_session_cookie(coordinator: Any) -> None:
    with override_settings(**PRODUCTION):
        client = Client()
        plain = client.get("/login/")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        page = client.get("/login/", **HTTPS)
        assert page.status_code == 200
        assert_security_headers("/login/", page)
        signed_in = client.post(
            "/login/", {"username": coordinator.username, "password": PASSWORD}, **HTTPS
        )
        assert signed_in.status_code == 302
        session = signed_in.cookies["sessionid"]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        # The second factor (every role but viewer): the code of the authenticator app.
        code = totp_code(verified_device(coordinator))
        assert client.post("/login/code/", {"code": code}, **HTTPS).status_code == 302
        assert client.cookies["csrftoken"]["secure"]
        for address in ("/", "/persons/", "/desk/", "/search/persons/?q=a", "/persons/export.csv"):
            response = client.get(address, **HTTPS)
            assert response.status_code == 200, address
            assert_security_headers(address, response)
            assert response.get("Cache-Control") == "no-store", address


def test_public_answers_carry_the_headers() -> None:
    from django.conf import settings

    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE, **PRODUCTION
    ):
        client = Client()
        for address in ("/en/", "/en/entries/", "/en/data/", "/data/entries.csv", "/nowhere/"):
            response = client.get(address, **HTTPS)
            assert response.status_code in (200, 404), address
            assert_security_headers(address, response)
            assert "sessionid" not in response.cookies, address
