"""Accounts: "sign out everywhere", disabling an account at once (staff page and Django admin),
resetting a lost second factor, new recovery codes, the per-user activity page (keyset pages,
the address of each entry), and an audit log no URL can edit or delete."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, RequestFactory
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from aigaq.core import audit, twofactor
from aigaq.core.models import AuditEntry, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session


def still_in(client: Any) -> bool:
    """Whether the client's session still opens a staff page."""
    return client.get("/").status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_user_only(
    coordinator: Any, interviewer: Any
) -> None:
    office, home, colleague = Client(), Client(), Client()
    office.force_login(coordinator)
    home.force_login(coordinator)
    colleague.force_login(interviewer)
    assert still_in(office) and still_in(home)

    response = home.post("/account/sign-out-everywhere/", REMOTE_ADDR="10.9.8.7")
    assert response["Location"] == "/login/"
    assert not still_in(home)
    assert not still_in(office)
    assert not signed_in(office)
    assert still_in(colleague)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SIGN_OUT_ALL)
    assert (entry.actor, entry.object_id, entry.address) == (
        coordinator,
        str(coordinator.pk),
        "10.9.8.7",
    )
    # A new sign-in works as before.
    office.force_login(User.objects.get(pk=coordinator.pk))
    assert still_in(office)


def test_sign_out_everywhere_needs_a_post(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    assert client.get("/account/sign-out-everywhere/").status_code == 405
    assert still_in(client)


def test_an_admin_disables_an_account_at_once(admin_user: Any, coordinator: Any) -> None:
    admin, them = Client(), Client()
    admin.force_login(admin_user)
    them.force_login(coordinator)
    assert still_in(them)
    page = admin.get(f"/users/{coordinator.pk}/activity/").content.decode()
    assert 'data-testid="disable-account"' in page

    response = admin.post(f"/users/{coordinator.pk}/disable/", follow=True)
    assert "can no longer sign in" in response.content.decode()
    assert not still_in(them)
    coordinator.refresh_from_db()
    assert not coordinator.is_active
    entry = AuditEntry.objects.get(action=AuditEntry.Action.DISABLE)
    assert entry.actor == admin_user and entry.changes == {"is_active": [True, False]}
    # The password no longer signs in, and the page says nothing more than for a wrong one.
    response = Client().post("/login/", {"username": coordinator.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_only_an_admin_disables_and_never_their_own_account(
    admin_user: Any, coordinator: Any, interviewer: Any
) -> None:
    client = Client()
    client.force_login(coordinator)
    assert client.post(f"/users/{interviewer.pk}/disable/").status_code == 403
    assert client.get(f"/users/{interviewer.pk}/activity/").status_code == 403
    interviewer.refresh_from_db()
    assert interviewer.is_active

    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(f"/users/{admin_user.pk}/disable/", follow=True)
    assert "You cannot disable your own account." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DISABLE).exists()


def test_the_django_admin_disables_an_account_and_ends_its_sessions(
    admin_user: Any, coordinator: Any
) -> None:
    admin, them = Client(), Client()
    admin.force_login(admin_user)
    them.force_login(coordinator)
    response = admin.post(
        "/admin/core/user/", {"action": "disable_now", "_selected_action": [coordinator.pk]}
    )
    assert response.status_code == 302
    assert not still_in(them)
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DISABLE, object_id=str(coordinator.pk)
    ).exists()


def test_an_admin_resets_a_lost_second_factor(admin_user: Any, coordinator: Any) -> None:
    admin = Client()
    admin.force_login(admin_user)
    Client().force_login(coordinator)  # gives the coordinator an authenticator
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    response = admin.post(f"/users/{coordinator.pk}/reset-two-factor/", follow=True)
    assert "set up a second factor again" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    response = Client().post("/login/", {"username": coordinator.username, "password": PASSWORD})
    assert response["Location"] == "/login/enrol/"


def test_new_recovery_codes_replace_the_old_ones(client: Any, coordinator: Any) -> None:
    client.force_login(coordinator)
    old = twofactor._recovery_codes_replace(coordinator)
    page = client.get("/account/").content.decode()
    assert "10 recovery codes are left" in page
    response = client.post("/account/recovery-codes/")
    new = list(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert all(code in response.content.decode() for code in new)


def test_my_activity_shows_what_i_did_and_from_where(
    client: Any, coordinator: Any, interviewer: Any
) -> None:
    from tests import factories

    client.force_login(coordinator)
    client.post("/account/recovery-codes/", REMOTE_ADDR="192.0.2.44")
    factories.person("Сайрагүл Сауытбай", actor=interviewer)
    page = client.get("/account/activity/").content.decode()
    assert "192.0.2.44" in page
    assert "new recovery codes" in page
    assert "Сайрагүл" not in page  # someone else's work


def test_the_activity_pages_follow_each_other_without_gaps_or_repeats(
    client: Any, coordinator: Any
) -> None:
    with transaction.atomic():
        for _ in range(120):
            audit.record(actor=coordinator, action=AuditEntry.Action.UPDATE, obj=coordinator)
    # Entries written in one instant order by id: the keyset holds (time, id).
    AuditEntry.objects.filter(actor=coordinator).update(at=AuditEntry.objects.first().at)
    client.force_login(coordinator)
    seen: list[str] = []
    url = "/account/activity/"
    for _ in range(5):
        response = client.get(url)
        page = response.content.decode()
        seen += re.findall(r"<tr><td class=\"nowrap\">", page)
        older = re.search(r'href="(\?before=\d+)" rel="next"', page)
        if older is None:
            break
        url = "/account/activity/" + older.group(1)
    assert len(seen) == AuditEntry.objects.filter(actor=coordinator).count() == 120
    from aigaq.core.accounts import activity_page

    ids: list[int] = []
    before = None
    while True:
        page_entries, before = activity_page(user=coordinator, before=before)
        ids += [e.pk for e in page_entries]
        if before is None:
            break
    assert len(ids) == len(set(ids)) == 120
    assert ids == sorted(ids, reverse=True)


def test_an_admin_opens_anyones_activity(admin_user: Any, coordinator: Any) -> None:
    client = Client()
    client.force_login(admin_user)
    with transaction.atomic():
        audit.record(
            actor=coordinator, action=AuditEntry.Action.UPDATE, obj=coordinator, note="the mark"
        )
    page = client.get(f"/users/{coordinator.pk}/activity/").content.decode()
    assert "the mark" in page
    assert client.get(f"/users/{admin_user.pk}/activity/")["Location"] == "/account/activity/"
    assert client.get("/users/999999/activity/").status_code == 404


def test_audit_entries_cannot_be_added_changed_or_deleted_in_the_admin(
    client: Any, admin_user: Any, coordinator: Any
) -> None:
    from django.contrib import admin as django_admin

    from aigaq.core.admin import AuditEntryAdmin

    with transaction.atomic():
        entry = audit.record(actor=coordinator, action=AuditEntry.Action.UPDATE, obj=coordinator)
    client.force_login(admin_user)
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    response = client.post(
        f"/admin/core/auditentry/{entry.pk}/change/", {"note": "rewritten", "action": "create"}
    )
    assert response.status_code == 403
    response = client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    response = client.post(
        "/admin/core/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    entry.refresh_from_db()
    assert entry.note == "" and entry.action == "update"
    model_admin = AuditEntryAdmin(AuditEntry, django_admin.site)
    request = RequestFactory().get("/admin/core/auditentry/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
    assert "delete_selected" not in model_admin.get_actions(request)
