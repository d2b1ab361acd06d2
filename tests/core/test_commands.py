from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from aigaq.core.models import AuditEntry, User
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def test_createadmin_prints_a_one_time_password_once_and_forces_a_change(client) -> None:
    out = io.StringIO()
    call_command("createadmin", stdout=out)
    match = re.search(r"One-time password \(shown only now\): (\S+)", out.getvalue())
    assert match, out.getvalue()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.must_change_password
    assert AuditEntry.objects.filter(object_id=str(admin.pk), action="create").exists()
    assert match.group(1) not in str(list(AuditEntry.objects.values_list("changes", flat=True)))

    again = io.StringIO()
    call_command("createadmin", "--if-none", stdout=again)
    assert "already exists" in again.getvalue()
    assert "One-time password" not in again.getvalue()

    # Through the sign-in page, as a person would (django-axes needs the request): the
    # newcomer sets up the second factor first, then chooses a password.
    response = client.post("/login/", {"username": "admin", "password": match.group(1)})
    assert response["Location"] == "/login/enrol/"
    assert client.get("/login/enrol/").status_code == 200
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post("/login/enrol/", {"code": totp_code(device)})
    assert 'data-testid="recovery-codes"' in response.content.decode()
    assert "_auth_user_id" in client.session
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/password/"


def test_createadmin_refuses_an_existing_user_name() -> None:
    call_command("createadmin", stdout=io.StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("createadmin", stdout=io.StringIO())


def test_pages_carry_a_strict_content_security_policy(client, coordinator) -> None:
    client.force_login(coordinator)
    response = client.get("/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["Cache-Control"] == "no-store"
    assert response["X-Frame-Options"] == "DENY"
