"""A coordinator plans a trip from the pages, in Debian's Chromium, and downloads its bundle."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests import factories

PASSPHRASE = "our five word passphrase here"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_plans_a_trip_and_downloads_its_encrypted_bundle(
    signed_in_page: Any, live_server: Any, make_user: Any, settings: Any, tmp_path: Path
) -> None:
    from aigaq.intake.models import FieldTrip
    from aigaq.people.models import Place
    from aigaq.people.services import place_save
    from aigaq.transfer.bundle import MAGIC
    from aigaq.transfer.models import Bundle

    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    tekes = place_save(Place(code="cn-xj-ili-tekes", kind="county", name="Tekes"))
    factories.person("Гүлнар Серікқызы", hometown=tekes)
    factories.person("Алмас Ерланұлы")  # lives elsewhere: stays at the office
    interviewer = make_user("interviewer", "aliya", display_name="Aliya")
    page, _coordinator = signed_in_page("coordinator", "coordinator-dana")

    page.click("nav.main-nav >> text=Field trips")
    page.click("[data-testid=trip-new]")
    page.fill("#id_name", "Tekes, May")
    page.fill("#id_place_q", "Tekes")
    page.click("#id_place_results [data-pick]")
    page.fill("#id_starts_on", "2026-05-01")
    page.fill("#id_ends_on", "2026-05-03")
    page.check(f"[data-testid=team] input[value='{interviewer.pk}']")
    page.click("button.primary[type=submit]")
    page.wait_for_url(re.compile(r".*/desk/trips/[0-9a-f-]{36}/$"))
    expect(page.locator("[data-testid=trip-team]")).to_contain_text("Aliya")
    expect(page.locator("[data-testid=trip-facts]")).to_contain_text("Tekes")
    trip = FieldTrip.objects.get()
    assert trip.place == tekes and list(trip.team.all()) == [interviewer]

    # Two different passphrases: refused, nothing exported.
    page.fill("#id_passphrase", PASSPHRASE)
    page.fill("#id_passphrase_again", PASSPHRASE + " typo")
    page.click("[data-testid=export-form] button[type=submit]")
    expect(page.locator("[data-testid=export-form]")).to_contain_text("The two passphrases differ.")
    assert not Bundle.objects.exists()

    page.fill("#id_passphrase", PASSPHRASE)
    page.fill("#id_passphrase_again", PASSPHRASE)
    expect(page.locator("#id_persons_at_place")).to_be_checked()
    with page.expect_download() as info:
        page.click("[data-testid=export-form] button[type=submit]")
    download = info.value
    assert download.suggested_filename.endswith(".aigaq")
    data = Path(download.path()).read_bytes()
    assert data.startswith(MAGIC + b"passphrase ")
    assert "Гүлнар".encode() not in data
    sent = Bundle.objects.get()
    assert sent.trip_id == trip.pk and sent.counts["person"] == 1
    tmp = Path(settings.DATA_DIR) / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []
