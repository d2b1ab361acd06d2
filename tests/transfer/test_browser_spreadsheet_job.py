"""A coordinator uploads a spreadsheet in the browser; the import runs in a real `aigaq
worker`, and the job's page follows it (waiting, then the result) without a reload."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from aigaq.core.models import Job
from aigaq.people.models import Person

ROWS = [
    "Асқар Бекұлы,male,1960",
    "Гүлнар Серікқызы,female,1975",
    "Gulnar Serikqyzy,female,1975",
]


@pytest.mark.browser
def test_an_uploaded_spreadsheet_is_imported_by_the_worker_while_its_page_follows_it(
    live_server: Any, signed_in_page: Any, real_worker: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "list.csv"
    sheet.write_text("name,gender,birth_year\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    page, _user = signed_in_page("coordinator", "importer")

    page.goto(live_server.url + "/duplicates/import/")
    page.set_input_files("#id_file", str(sheet))
    page.uncheck("#id_dry_run")
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url(live_server.url + "/jobs/**")
    status = page.locator("[data-testid=job-status]")
    expect(status).to_have_attribute("data-status", "queued")  # no worker yet
    expect(status.locator("progress")).to_be_visible()
    expect(page.locator("[data-testid=job-state]")).to_have_text("Waiting for the worker")
    assert not Person.objects.exists()

    worker = real_worker()
    result = page.locator("[data-testid=job-result]")
    expect(result).to_contain_text("Imported 3 persons", timeout=120_000)  # polled, no reload
    expect(result).to_contain_text("2 entries flagged as possible duplicates")
    expect(status).to_have_attribute("data-status", "done")
    assert Person.objects.count() == 3
    assert Job.objects.get().status == Job.Status.DONE

    worker.send_signal(signal.SIGTERM)
    worker.communicate(timeout=120)
    assert worker.returncode == 0
