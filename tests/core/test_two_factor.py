"""Two-factor sign-in (aigaq/core/twofactor.py, aigaq/staff/signin.py): every role but viewer
signs in with a password and a code; a newcomer enrols an authenticator app and gets ten
recovery codes shown once; wrong codes count toward the lockout; a session without its second
factor is no session."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aigaq.core import twofactor
from aigaq.core.models import AuditEntry
from tests.conftest import PASSWORD, totp_code, verified_device

pytestmark = pytest.mark.django_db

WRONG_CODE = "000000"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def password_step(client: Any, user: Any, next_url: str = "") -> Any:
    url = "/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": PASSWORD})


def signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


def other_code(device: Any) -> str:
    """A code that is not the one the app shows now (nor the one before or after)."""
    now = {totp_code(device)}
    near = {f"{totp(device.bin_key, t0=device.t0 + d * device.step):06d}" for d in (-1, 0, 1)} | now
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in near)


def test_a_newcomer_enrols_an_authenticator_and_gets_ten_recovery_codes_once(
    client: Any, coordinator: Any
) -> None:
    response = password_step(client, coordinator)
    assert response["Location"] == "/login/enrol/"
    assert not signed_in(client)  # the password alone signs no one in
    assert client.get("/").status_code == 302

    page = client.get("/login/enrol/").content.decode()
    assert "<svg" in page and 'data-testid="enrol-qr"' in page
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = re.search(r'data-testid="enrol-secret" dir="ltr">([A-Z2-7 ]+)<', page)
    assert secret is not None
    # A reload shows the same secret (the app may have scanned it already).
    assert secret.group(1) in client.get("/login/enrol/").content.decode()

    response = client.post("/login/enrol/", {"code": other_code(device)})
    assert response.status_code == 200 and not signed_in(client)
    assert "This code is not right" in response.content.decode()
    # Straight after a wrong code, django-otp asks to wait a second.
    response = client.post("/login/enrol/", {"code": totp_code(device)})
    assert "Too many wrong codes in a row. Wait 1 second" in response.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)

    response = client.post("/login/enrol/", {"code": totp_code(device)})
    assert response.status_code == 200
    assert signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    page = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    entry = AuditEntry.objects.get(note="two-factor sign-in enrolled")
    assert entry.object_id == str(coordinator.pk)
    assert not any(code in str(entry.changes) for code in codes)
    # The codes are never shown again: the enrolment page now sends to the code step.
    client.logout()
    password_step(client, coordinator)
    assert client.get("/login/enrol/")["Location"] == "/login/code/"


def test_an_enrolled_user_signs_in_with_the_code_and_goes_where_they_were_going(
    client: Any, coordinator: Any
) -> None:
    device = verified_device(coordinator)
    response = password_step(client, coordinator, next_url="/persons/")
    assert response["Location"] == "/login/code/"
    assert not signed_in(client)
    # Someone who knows only the password cannot enrol a phone of their own.
    assert client.get("/login/enrol/")["Location"] == "/login/code/"
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=False).exists()

    response = client.post("/login/code/", {"code": totp_code(device)})
    assert response["Location"] == "/persons/"
    assert signed_in(client)
    assert client.get("/persons/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.changes == {"second_factor": "app"}
    # The same code cannot sign in a second time (a code seen over a shoulder).
    client.logout()
    password_step(client, coordinator)
    response = client.post("/login/code/", {"code": totp_code(device)})
    assert response.status_code == 200 and not signed_in(client)


def test_a_recovery_code_signs_in_once(client: Any, coordinator: Any) -> None:
    device = verified_device(coordinator)
    codes = twofactor._recovery_codes_replace(coordinator)
    password_step(client, coordinator)
    response = client.post("/login/code/", {"code": codes[0].upper()[:4] + " " + codes[0][4:]})
    assert response.status_code == 302 and signed_in(client)
    assert "9 recovery codes are left" in client.get("/").content.decode()
    assert AuditEntry.objects.get(action="login").changes == {"second_factor": "recovery code"}
    client.logout()
    password_step(client, coordinator)
    assert client.post("/login/code/", {"code": codes[0]}).status_code == 200
    assert not signed_in(client)
    assert client.post("/login/code/", {"code": totp_code(device)}).status_code == 302


def test_a_viewer_signs_in_with_the_password_alone(client: Any, viewer: Any) -> None:
    response = password_step(client, viewer)
    assert response["Location"] == "/"
    assert signed_in(client)
    assert client.get("/").status_code == 200


def test_wrong_codes_count_toward_the_lockout_and_end_the_half_done_sign_in(
    client: Any, coordinator: Any
) -> None:
    device = verified_device(coordinator)
    password_step(client, coordinator)
    for _ in range(4):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        assert client.post("/login/code/", {"code": other_code(device)}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post("/login/code/", {"code": other_code(device)})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get("/login/code/")["Location"] == "/login/"
    # The right password is refused now too, and the right code would not help.
    assert password_step(client, coordinator).status_code == 429
    failures = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED).order_by("id")
    assert [e.changes.get("locked_out") for e in failures][:5] == [False] * 4 + [True]
    assert failures[0].changes.get("step") == "code"


def test_a_right_password_does_not_clear_the_count_of_wrong_codes(
    client: Any, coordinator: Any
) -> None:
    """Guessing codes cannot go on for ever by typing the password again between guesses."""
    device = verified_device(coordinator)
    for _ in range(5):
        password_step(client, coordinator)
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        response = client.post("/login/code/", {"code": other_code(device)})
    assert response.status_code == 429


def test_a_device_throttled_after_wrong_codes_asks_to_wait(client: Any, coordinator: Any) -> None:
    device = verified_device(coordinator)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=6, throttling_failure_timestamp=timezone.now()
    )
    password_step(client, coordinator)
    response = client.post("/login/code/", {"code": totp_code(device)})
    assert response.status_code == 200 and not signed_in(client)
    assert "Too many wrong codes in a row. Wait" in response.content.decode()


def test_the_half_done_sign_in_expires(client: Any, coordinator: Any) -> None:
    device = verified_device(coordinator)
    password_step(client, coordinator)
    session = client.session
    session[twofactor.PENDING_KEY]["since"] = int(time.time()) - twofactor.PENDING_SECONDS - 1
    session.save()
    response = client.post("/login/code/", {"code": totp_code(device)})
    assert response["Location"] == "/login/"
    assert not signed_in(client)


def test_a_session_without_its_second_factor_is_signed_out(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    assert client.get("/").status_code == 200
    session = client.session
    del session[DEVICE_ID_SESSION_KEY]
    session.save()
    response = client.get("/persons/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not signed_in(client)


def test_a_viewer_given_a_role_that_needs_a_second_factor_signs_in_again(
    client: Any, viewer: Any
) -> None:
    client.force_login(viewer)
    assert client.get("/").status_code == 200
    viewer.role = "interviewer"
    viewer.save()
    assert client.get("/").status_code == 302
    assert not signed_in(client)


def test_a_reset_second_factor_is_enrolled_again_at_the_next_sign_in(
    client: Any, coordinator: Any, admin_user: Any
) -> None:
    verified_device(coordinator)
    twofactor._recovery_codes_replace(coordinator)
    twofactor.two_factor_reset(user=coordinator, actor=admin_user)
    assert twofactor.recovery_codes_left(coordinator) == 0
    assert password_step(client, coordinator)["Location"] == "/login/enrol/"
    entry = AuditEntry.objects.get(note="two-factor sign-in reset")
    assert entry.actor == admin_user


def test_the_code_pages_need_the_password_first(client: Any) -> None:
    assert client.get("/login/code/")["Location"] == "/login/"
    assert client.get("/login/enrol/")["Location"] == "/login/"
    assert client.post("/login/code/", {"code": "123456"})["Location"] == "/login/"


def test_an_unconfirmed_device_verifies_nothing(coordinator: Any) -> None:
    """An abandoned enrolment leaves an unconfirmed device, which verifies nothing."""
    device = twofactor.enrolment_device(coordinator)
    assert twofactor.authenticator_for(coordinator) is None
    assert twofactor.code_check(user=coordinator, code=totp_code(device)).device is None
