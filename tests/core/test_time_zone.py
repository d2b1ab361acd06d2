"""One time zone, the office's (AIGAQ_TIME_ZONE, default Asia/Almaty), for every day Aigaq
derives from a time: a draft testimony imported at 01:30 in Almaty is dated that day, not the
day before as in UTC."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from aigaq.core.models import AuditEntry
from aigaq.testimonies.models import Testimony
from aigaq.transfer.spreadsheet import spreadsheet_import

REPO = Path(__file__).resolve().parents[2]
# 20:30 UTC on 10 March 2024 is 01:30 on 11 March in Almaty (UTC+5).
LATE_EVENING_UTC = dt.datetime(2024, 3, 10, 20, 30, tzinfo=dt.UTC)


def test_the_time_zone_is_almaty_unless_configured() -> None:
    assert os.environ.get("AIGAQ_TIME_ZONE", "Asia/Almaty") == settings.TIME_ZONE
    env = {**os.environ, "AIGAQ_TIME_ZONE": "Asia/Bishkek"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.TIME_ZONE)",
        ],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "Asia/Bishkek"


@pytest.mark.django_db
def test_draft_testimonies_from_an_import_are_dated_in_the_offices_day(
    coordinator: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.TIME_ZONE = "Asia/Almaty"
    timezone.activate("Asia/Almaty")
    monkeypatch.setattr(timezone, "now", lambda: LATE_EVENING_UTC)
    data = (
        "name,testifier,phone,relation\n"
        "Гүлнар Серікқызы,Айгүл Сәрсенқызы,+7 700 111 2233,daughter\n"
    ).encode()
    report = spreadsheet_import(actor=coordinator, data=data, file_name="late.csv")
    assert report.ok, report
    assert Testimony.objects.get().recorded_on == dt.date(2024, 3, 11)
    timezone.deactivate()


def test_an_audit_entry_reads_in_the_offices_time(settings: Any) -> None:
    settings.TIME_ZONE = "Asia/Almaty"
    entry = AuditEntry(at=LATE_EVENING_UTC, actor_label="ana", action="create", object_type="x")
    assert str(entry).startswith("2024-03-11 01:30")
