"""Background jobs (core/jobs.py): enqueued on commit, run once, their progress and outcome
recorded, their kept files encrypted and erased, followed on a page."""

from __future__ import annotations

import io
import os
import stat
import time
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from aigaq.core.jobs import SWEEP_AFTER_SECONDS, JobRefused, job_run, jobs_folder, jobs_sweep
from aigaq.core.models import Job
from aigaq.people.models import Person
from aigaq.transfer.spreadsheet import spreadsheet_import
from aigaq.transfer.tasks import spreadsheet_import_start, spreadsheet_import_task

pytestmark = pytest.mark.django_db

GOOD = "name,gender,birth_year\nАсқар Бекұлы,male,1960\nГүлнар Серікқызы,female,1975\n".encode()
BAD = "name,gender,birth_year\nАсқар Бекұлы,male,19x0\n,female,1975\nНұрлан,male,1961\n".encode()
IMPORT = "aigaq.transfer.tasks.spreadsheet_import_task"


def _queued() -> list[Any]:
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=IMPORT))


def _start(actor: Any, data: bytes = GOOD, dry_run: bool = False) -> Job:
    return spreadsheet_import_start(
        actor=actor, fileobj=io.BytesIO(data), file_name="list.csv", dry_run=dry_run
    )


def test_a_job_is_enqueued_with_its_id_only_when_its_transaction_commits(
    coordinator: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        job = _start(coordinator)
        assert _queued() == []
    [queued] = _queued()
    assert queued.args_kwargs["args"] == [str(job.pk)]
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.task_id == str(queued.id)


def test_a_job_whose_transaction_is_rolled_back_is_never_enqueued_and_its_file_is_swept(
    coordinator: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    waiting = _start(coordinator)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        job = _start(coordinator)
        raise RuntimeError("refused")
    assert not Job.objects.filter(pk=job.pk).exists()
    assert [q.args_kwargs["args"] for q in _queued()] == []
    folder = jobs_folder() / str(job.pk)
    assert "Асқар".encode() not in (folder / "upload").read_bytes()  # its key is gone
    assert jobs_sweep() == 0  # too young: it might be a start not yet committed
    old = time.time() - SWEEP_AFTER_SECONDS - 60
    for kept in (folder, jobs_folder() / str(waiting.pk)):
        os.utime(kept, (old, old))
    assert jobs_sweep() == 1
    assert not folder.exists() and (jobs_folder() / str(waiting.pk)).exists()


def test_the_kept_spreadsheet_is_encrypted_private_and_erased_with_its_key_when_the_job_ends(
    coordinator: Any, run_jobs: Any
) -> None:
    job = _start(coordinator)
    kept = jobs_folder() / str(job.pk) / "upload"
    blob = kept.read_bytes()
    assert blob.startswith(b"age-encryption.org/v1") and "Асқар".encode() not in blob
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert job.secret.startswith("AGE-SECRET-KEY-")
    spreadsheet_import_task.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.secret == ""
    assert not kept.parent.exists()


def test_a_job_run_twice_imports_once(coordinator: Any) -> None:
    job = _start(coordinator)
    assert spreadsheet_import_task.call(str(job.pk)) == Job.Status.DONE
    assert Person.objects.count() == 2
    assert spreadsheet_import_task.call(str(job.pk)) == "skipped"
    assert Person.objects.count() == 2
    job.refresh_from_db()
    assert job.result["created"] == 2 and job.done == job.total == 2


def test_a_refused_spreadsheet_changes_nothing_and_its_page_lists_the_row_errors(
    client: Client, coordinator: Any, run_jobs: Any
) -> None:
    client.force_login(coordinator)
    with run_jobs():
        response = client.post(
            "/duplicates/import/", {"file": _upload(BAD), "dry_run": ""}, HTTP_ACCEPT_LANGUAGE="en"
        )
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.message == "2 problems; nothing was imported."
    assert not Person.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="job-row-errors"' in html
    assert "Row 2, birth_year" in html and "Row 3, name" in html
    assert "hx-trigger" not in html  # finished: the page stops polling


def test_a_spreadsheet_too_large_to_import_is_refused_on_the_page_and_nothing_is_kept(
    client: Client, coordinator: Any, monkeypatch: Any, settings: Any, tmp_path: Any
) -> None:
    from aigaq.transfer import tasks

    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(tasks, "MAX_BYTES", len(GOOD) - 1)
    client.force_login(coordinator)
    response = client.post("/duplicates/import/", {"file": _upload(GOOD)})
    assert response.status_code == 200
    assert "larger than 64 MB" in response.content.decode()
    assert not Job.objects.exists() and list(jobs_folder().iterdir()) == []


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("list.csv", data, content_type="text/csv")


def test_an_unexpected_error_fails_the_job_with_a_sentence_never_a_traceback(
    client: Client, coordinator: Any, caplog: Any
) -> None:
    from aigaq.core.jobs import job_start

    job = job_start(
        kind="spreadsheet_import",
        actor=coordinator,
        task=spreadsheet_import_task,
        title="t",
        capability="import.run",
    )

    def broken(job: Job, progress: Any) -> dict[str, Any]:
        raise RuntimeError("internal detail 8f3a")

    with pytest.raises(RuntimeError):
        job_run(job.pk, broken)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "worker's log" in job.message
    client.force_login(coordinator)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.message.replace("'", "&#x27;") in html
    assert "8f3a" not in html and "Traceback" not in html
    assert "8f3a" in caplog.text  # the operator finds it in the worker's log


def test_a_refusal_keeps_its_own_sentence_and_result(coordinator: Any) -> None:
    job = _start(coordinator)

    def refuse(job: Job, progress: Any) -> dict[str, Any]:
        raise JobRefused("The passphrase is wrong.", result={"n": 1})

    assert job_run(job.pk, refuse) == Job.Status.FAILED
    job.refresh_from_db()
    assert (job.message, job.result) == ("The passphrase is wrong.", {"n": 1})


def test_progress_reported_by_the_work_is_on_the_job_while_it_runs(coordinator: Any) -> None:
    job = _start(coordinator)
    seen: dict[str, Any] = {}

    def work(job: Job, progress: Any) -> dict[str, Any]:
        progress(3, 10, "Checking the rows")
        row = Job.objects.get(pk=job.pk)
        seen.update(status=row.status, done=row.done, total=row.total, step=row.message)
        return {}

    job_run(job.pk, work)
    assert seen == {"status": "running", "done": 3, "total": 10, "step": "Checking the rows"}


def test_the_spreadsheet_import_reports_rows_checked_then_persons_written(
    coordinator: Any,
) -> None:
    calls: list[tuple[int, int, str]] = []
    report = spreadsheet_import(
        actor=coordinator,
        data=GOOD,
        file_name="list.csv",
        progress=lambda done, total=0, step="": calls.append((done, total, str(step))),
    )
    assert report.created == 2
    assert calls[0] == (0, 0, "Checking the rows")
    written = [(d, t) for d, t, _s in calls if t]
    assert written[0] == (0, 2) and written[-1] == (2, 2)
    assert [d for d, _t in written] == sorted(d for d, _t in written)


def test_a_job_runs_in_the_language_of_the_one_who_started_it(coordinator: Any) -> None:
    with translation.override("ru"):
        job = _start(coordinator, BAD)
    assert job.language == "ru"
    spreadsheet_import_task.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "nothing was imported" not in job.message and "2" in job.message


def test_the_status_fragment_asks_to_be_polled_until_the_job_has_finished(
    client: Client, coordinator: Any
) -> None:
    job = _start(coordinator)
    client.force_login(coordinator)
    waiting = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert 'hx-trigger="every 1s"' in waiting and 'data-status="queued"' in waiting
    spreadsheet_import_task.call(str(job.pk))
    done = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-trigger" not in done and 'data-status="done"' in done
    assert "Imported 2 persons" in done


def test_only_its_starter_and_holders_of_its_capability_follow_a_job(
    client: Client, coordinator: Any, interviewer: Any
) -> None:
    job = _start(coordinator)
    client.force_login(interviewer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 403
    Job.objects.filter(pk=job.pk).update(created_by=interviewer)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_the_duplicate_scan_runs_as_a_job_from_the_duplicates_page(
    client: Client, coordinator: Any, run_jobs: Any
) -> None:
    from tests import factories

    factories.person("Гүлнар Серікқызы", birth_year=1975, gender="female")
    factories.person("Gulnar Serikqyzy", birth_year=1975, gender="female")
    client.force_login(coordinator)
    with run_jobs():
        response = client.post("/duplicates/scan/")
    job = Job.objects.get(kind="duplicates_scan")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and job.result["candidates"] == 1
    assert "1 pair of entries to review" in client.get(response["Location"]).content.decode()
