"""Back at the office, in Debian's Chromium: a return bundle is checked, imported from the page,
and the record edited on both sides is resolved on /transfer/conflicts/."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests import factories

PASSPHRASE = "four villages and sixty testimonies"


def _return_bundle(coordinator: Any, tmp_path: Path) -> tuple[Path, Any]:
    """Office → trip bundle → 'laptop' → return bundle, in this one database: the laptop is this
    database under another instance id, as `aigaq field import` would make it."""
    from aigaq.intake.services import field_trip_create
    from aigaq.people.models import Place
    from aigaq.people.services import NameInput, person_create, person_update, place_save
    from aigaq.transfer.models import Instance
    from aigaq.transfer.services import field_bundle_export, field_bundle_import, instance_id

    office = instance_id()
    county = place_save(Place(code="b-county", kind="county", name="Test county"))
    edited = factories.person("Серік Қабылұлы", hometown=county)
    trip = field_trip_create(
        actor=coordinator,
        name="Test county, May",
        place=county,
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
    )
    outbound = io.BytesIO()
    field_bundle_export(
        actor=coordinator, trip=trip, out=outbound, passphrase=PASSPHRASE, persons_at="b-county"
    )

    Instance.objects.all().delete()  # the laptop
    outbound.seek(0)
    field_bundle_import(actor=None, fileobj=outbound, passphrase=PASSPHRASE)
    edited.refresh_from_db()
    person_update(actor=None, person=edited, expected_version=edited.version, occupation="farmer")
    person_create(actor=None, names=[NameInput("Бауыржан Темірханұлы")], hometown=county)
    back = tmp_path / "tekes-back.aigaq"
    with back.open("wb") as fh:
        field_bundle_export(
            actor=None, trip=trip, out=fh, passphrase=PASSPHRASE, return_bundle=True
        )

    Instance.objects.all().delete()  # the office again, which edits the same entry meanwhile
    Instance.objects.create(id=office)
    edited.refresh_from_db()
    person_update(
        actor=coordinator, person=edited, expected_version=edited.version, occupation="teacher"
    )
    return back, edited


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_return_bundle_is_checked_imported_and_its_conflict_resolved_in_the_browser(
    signed_in_page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    from aigaq.core.models import AuditEntry
    from aigaq.transfer.models import Bundle, Conflict

    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    # The import job runs at once in the server (tests/transfer/test_browser_spreadsheet_job.py
    # follows a job run by a real worker).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page, coordinator = signed_in_page("coordinator", "coordinator-dana")
    back, edited = _return_bundle(coordinator, tmp_path)
    received = Bundle.objects.filter(direction="received").count()

    page.click("nav.main-nav >> text=Field bundles")
    page.set_input_files("#id_bundle", str(back))
    page.fill("#id_passphrase", PASSPHRASE)
    page.check("#id_dry_run")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(live_server.url + "/jobs/**")
    report = page.locator("[data-testid=job-status]")
    expect(report).to_contain_text("dry run, nothing written")
    expect(report).to_contain_text("1 conflicts to resolve")
    assert not Conflict.objects.exists()
    assert Bundle.objects.filter(direction="received").count() == received

    report.locator("text=Import another bundle").click()
    page.set_input_files("#id_bundle", str(back))
    page.fill("#id_passphrase", PASSPHRASE)
    page.uncheck("#id_dry_run")
    page.click("form[enctype] button[type=submit]")
    expect(report).to_contain_text("Imported:")
    edited.refresh_from_db()
    assert edited.occupation == "teacher"  # nothing overwritten before a person chooses

    report.locator("text=Resolve the conflicts").click()
    card = page.locator("[data-testid=conflict]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("farmer")
    expect(card).to_contain_text("teacher")
    expect(page.locator("[data-testid=duplicates-link]")).to_be_visible()
    card.locator("button[value=field]").click()
    expect(page.locator(".messages")).to_contain_text("Conflict resolved.")
    expect(page.locator("[data-testid=conflict]")).to_have_count(0)
    edited.refresh_from_db()
    assert edited.occupation == "farmer"
    conflict = Conflict.objects.get()
    assert conflict.status == Conflict.Status.TOOK_FIELD and conflict.resolved_by == coordinator
    assert AuditEntry.objects.filter(object_id=str(conflict.pk), action="update").exists()
