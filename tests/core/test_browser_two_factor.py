"""Two-factor sign-in in Debian's Chromium: a newcomer's first sign-in enrols an authenticator
(QR code and secret), confirms it with a code and ends on the dashboard after the recovery
codes."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

import pytest
from django_otp.oath import totp

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_enrols_types_a_code_and_is_signed_in(
    page: Any, live_server: Any, make_user: Any
) -> None:
    user = make_user("coordinator", "newcomer")
    page.goto(live_server.url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/login/enrol/")
    assert page.locator("[data-testid=enrol-qr] svg").is_visible()
    # What a person types into the app when the camera will not scan: the secret as text.
    secret = page.locator("[data-testid=enrol-secret]").inner_text().replace(" ", "")
    code = f"{totp(b32decode(secret)):06d}"
    page.fill("#id_code", code)
    page.click("button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li")
    codes.first.wait_for()
    assert codes.count() == 10
    page.click("[data-testid=recovery-continue]")
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("button", name="Sign out").is_visible()
