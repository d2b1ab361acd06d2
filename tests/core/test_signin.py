"""Sign-in throttling (django-axes): a user name guessed at from one address is locked out,
every failure is in the audit log without the password, and an administrator can unlock."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from aigaq.core.models import AuditEntry, User
from aigaq.core.twofactor import required_for
from tests.conftest import PASSWORD, totp_code, verified_device

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-71349"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """These tests sign in dozens of times; a fast hasher keeps them quick (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Any, username: str, password: str, **extra: Any) -> Any:
    """The password step, then the code of the user's authenticator when it is asked for (the
    second step has tests of its own: tests/core/test_two_factor.py)."""
    user = User.objects.filter(username=username).first()
    device = verified_device(user) if user is not None and required_for(user) else None
    response = client.post("/login/", {"username": username, "password": password}, **extra)
    if (
        device is not None
        and response.status_code == 302
        and response["Location"] == "/login/code/"
    ):
        response = client.post("/login/code/", {"code": totp_code(device)}, **extra)
    return response


def signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


def test_six_wrong_passwords_then_the_right_one_is_refused(client: Any, coordinator: Any) -> None:
    for _ in range(6):
        response = sign_in(client, coordinator.username, WRONG)
        assert not signed_in(client)
    assert response.status_code == 429

    response = sign_in(client, coordinator.username, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert not AuditEntry.objects.filter(action="login").exists()


def test_four_wrong_passwords_then_the_right_one_signs_in(client: Any, coordinator: Any) -> None:
    for _ in range(4):
        assert sign_in(client, coordinator.username, WRONG).status_code == 200
    response = sign_in(client, coordinator.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    # A success clears the count: four more mistakes later do not add up to a lockout.
    assert not AccessAttempt.objects.exists()


def test_the_lockout_page_says_why_in_the_readers_language(client: Any, coordinator: Any) -> None:
    for _ in range(5):
        sign_in(client, coordinator.username, WRONG)
    response = sign_in(client, coordinator.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins with this user name from this computer" in page
    assert "Try again in 15 minutes" in page
    assert 'name="password"' in page  # still the sign-in page, not a bare error

    response = sign_in(client, coordinator.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Слишком много неудачных попыток входа" in response.content.decode()
    assert "15 минут" in response.content.decode()
    response = sign_in(client, coordinator.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="kk")
    assert "15 минуттан кейін" in response.content.decode()


def test_a_failed_sign_in_is_in_the_audit_log_without_the_password(
    client: Any, coordinator: Any
) -> None:
    sign_in(client, coordinator.username, WRONG)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert entry.object_id == str(coordinator.pk)
    assert entry.object_label == coordinator.username
    assert entry.actor is None
    assert entry.changes == {"address": "127.0.0.1", "locked_out": False}
    every_entry = str(list(AuditEntry.objects.values_list("changes", "note", "object_label")))
    assert WRONG not in every_entry


def test_a_guessed_user_name_is_audited_too(client: Any) -> None:
    sign_in(client, "no-such-person", WRONG)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.object_id, entry.object_label) == ("", "no-such-person")


def test_the_failure_that_locks_and_the_tries_after_it_are_audited_as_locked(
    client: Any, coordinator: Any
) -> None:
    for _ in range(5):
        sign_in(client, coordinator.username, WRONG)
    sign_in(client, coordinator.username, PASSWORD)
    flags = list(
        AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
        .order_by("id")
        .values_list("changes__locked_out", flat=True)
    )
    assert flags == [False, False, False, False, True, True]


def test_the_lockout_holds_one_user_name_from_one_address(
    client: Any, coordinator: Any, viewer: Any
) -> None:
    for _ in range(5):
        sign_in(client, coordinator.username, WRONG)
    # Another user name from the same office, and the same user name from elsewhere, go on.
    assert sign_in(client, viewer.username, PASSWORD).status_code == 302
    client.logout()
    response = sign_in(client, coordinator.username, PASSWORD, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302


def test_after_the_cool_off_the_right_password_signs_in(client: Any, coordinator: Any) -> None:
    for _ in range(6):
        sign_in(client, coordinator.username, WRONG)
    assert sign_in(client, coordinator.username, PASSWORD).status_code == 429
    # Sixteen minutes pass (the lockout lasts fifteen).
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = sign_in(client, coordinator.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_tries_during_the_lockout_do_not_start_the_wait_again(
    client: Any, coordinator: Any
) -> None:
    for _ in range(5):
        sign_in(client, coordinator.username, WRONG)
    # Fourteen minutes pass; a colleague tries again and is refused.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    assert sign_in(client, coordinator.username, PASSWORD).status_code == 429
    # Two more minutes: fifteen have passed since the lockout began, not since the last try.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=2))
    assert sign_in(client, coordinator.username, PASSWORD).status_code == 302


def test_unlock_user_lets_a_locked_out_user_sign_in_and_is_audited(
    client: Any, coordinator: Any
) -> None:
    for _ in range(6):
        sign_in(client, coordinator.username, WRONG)
    out = io.StringIO()
    call_command("unlock-user", coordinator.username, stdout=out)
    assert "may sign in again" in out.getvalue()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNLOCK)
    assert entry.object_id == str(coordinator.pk)
    assert entry.actor_label == "system"

    assert sign_in(client, coordinator.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_unlock_user_of_a_name_that_is_not_locked_says_so(coordinator: Any) -> None:
    out = io.StringIO()
    call_command("unlock-user", coordinator.username, stdout=out)
    assert "was not locked out" in out.getvalue()


def test_the_admin_has_no_sign_in_form_of_its_own(client: Any, admin_user: Any) -> None:
    """The admin's sign-in is the staff sign-in (throttled, with its second factor): a password
    sent to the admin's old form signs no one in."""
    response = client.post("/admin/login/", {"username": admin_user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/"
    assert not signed_in(client)
    chain = client.get("/admin/", follow=True).redirect_chain
    assert chain[-1][0] == "/login/?next=/admin/"


def _page_without_tokens(response: Any, username: str) -> str:
    """The page as a visitor compares it: its CSRF token and the name typed taken out."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
    return page.replace(f'value="{username}"', 'value=""')


def test_an_unknown_user_name_and_a_wrong_password_get_the_same_page(
    client: Any, coordinator: Any, make_user: Any
) -> None:
    """No account enumeration: whether a user name exists, or is disabled, cannot be read
    from the sign-in page."""
    unknown = sign_in(client, "no-such-person", WRONG)
    wrong = sign_in(client, coordinator.username, WRONG)
    disabled_user = make_user("interviewer", "gone-user", is_active=False)
    disabled = sign_in(client, disabled_user.username, PASSWORD)
    assert unknown.status_code == wrong.status_code == disabled.status_code == 200
    assert "Please enter a correct" in wrong.content.decode()
    assert _page_without_tokens(unknown, "no-such-person") == _page_without_tokens(
        wrong, coordinator.username
    )
    assert _page_without_tokens(disabled, disabled_user.username) == _page_without_tokens(
        wrong, coordinator.username
    )


def test_a_locked_out_unknown_user_name_looks_like_a_locked_out_account(
    client: Any, coordinator: Any
) -> None:
    for _ in range(5):
        sign_in(client, "no-such-person", WRONG)
        sign_in(client, coordinator.username, WRONG)
    unknown = sign_in(client, "no-such-person", WRONG)
    known = sign_in(client, coordinator.username, PASSWORD)
    assert unknown.status_code == known.status_code == 429
    assert _page_without_tokens(unknown, "no-such-person") == _page_without_tokens(
        known, coordinator.username
    )


def test_an_unknown_user_name_costs_a_password_hash_like_a_known_one(
    coordinator: Any, settings: Any
) -> None:
    """Similar timing: Django hashes the password typed for an unknown name too (the figures
    are in bench/signin_timing.py; tests assert no times)."""
    from unittest import mock

    from django.contrib.auth.hashers import MD5PasswordHasher
    from django.test import Client

    calls: list[str] = []
    original = MD5PasswordHasher.encode

    def counting(self: Any, password: str, salt: str) -> str:
        calls.append(password)
        return original(self, password, salt)

    with mock.patch.object(MD5PasswordHasher, "encode", counting):
        sign_in(Client(), "no-such-person", WRONG)
        unknown = len(calls)
        calls.clear()
        sign_in(Client(), coordinator.username, WRONG)
        known = len(calls)
    assert unknown == known == 1
