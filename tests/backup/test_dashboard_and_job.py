"""The dashboard shows each destination's last good backup and warns when it is too old; an
administrator's "Back up now" runs the backup job."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import timezone

from aigaq.backups.models import BackupDestination
from aigaq.backups.services import destination_add
from aigaq.core.models import Job


def test_the_dashboard_warns_when_a_destinations_last_good_backup_is_too_old(
    client: Any, admin_user: Any, coordinator: Any, settings: Any
) -> None:
    settings.BACKUP_MAX_AGE_HOURS = 24
    now = timezone.now()
    BackupDestination.objects.create(
        name="usb", url="/media/usb", last_ok_at=now - dt.timedelta(hours=1)
    )
    client.force_login(admin_user)

    page = client.get(reverse("staff:dashboard")).content.decode()
    assert 'data-testid="backups"' in page and "usb" in page
    assert 'data-testid="backup-warning"' not in page

    BackupDestination.objects.create(
        name="office",
        url="sftp:backup@office.example:/srv/aigaq",
        last_ok_at=now - dt.timedelta(hours=30),
        last_error="The destination office cannot be reached",
    )
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert 'data-testid="backup-warning"' in page
    assert "office cannot be reached" in page

    client.force_login(coordinator)
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert 'data-testid="backups"' not in page


def test_the_dashboard_warns_when_no_destination_is_configured(
    client: Any, admin_user: Any
) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert 'data-testid="backup-warning"' in page


def test_back_up_now_runs_the_backup_job_for_an_administrator_only(
    client: Any, admin_user: Any, coordinator: Any, data_folder: Path, tmp_path: Path, run_jobs: Any
) -> None:
    destination_add(actor=admin_user, name="usb", url=str(tmp_path / "repo"))
    client.force_login(coordinator)
    assert client.post(reverse("staff:backup_now")).status_code == 403

    client.force_login(admin_user)
    with run_jobs():
        response = client.post(reverse("staff:backup_now"))
    job = Job.objects.get(kind="backup")
    assert response.status_code == 302 and str(job.pk) in response["Location"]
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    assert job.result["destinations"][0]["ok"]
    assert BackupDestination.objects.get().last_ok_at is not None


def test_a_scheduled_backup_is_silent_when_it_went_well_and_fails_loudly_otherwise(
    transactional_db: Any, data_folder: Path, tmp_path: Path, capsys: Any
) -> None:
    import pytest
    from django.core.management import call_command
    from django.core.management.base import CommandError

    destination_add(actor=None, name="usb", url=str(tmp_path / "repo"))
    call_command("backup", "--scheduled")
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    assert BackupDestination.objects.get().last_ok_at is not None

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the repository should be")
    destination_add(actor=None, name="broken", url=str(blocked / "repo"))
    with pytest.raises(CommandError) as failed:
        call_command("backup", "--scheduled")
    assert failed.value.returncode == 1
    assert "broken" in capsys.readouterr().err
    assert BackupDestination.objects.get(name="broken").last_error
