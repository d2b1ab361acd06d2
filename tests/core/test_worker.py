"""`aigaq worker`, the real process, on the test database: it runs a queued import end to end,
does nothing twice, and stops cleanly on SIGTERM."""

from __future__ import annotations

import contextlib
import io
import signal
import subprocess
import sys
from typing import Any

import pytest

from aigaq.core.models import Job
from aigaq.people.models import Person
from aigaq.transfer.tasks import spreadsheet_import_start, spreadsheet_import_task

DATA = "name,gender,birth_year\nАсқар Бекұлы,male,1960\nГүлнар Серікқызы,female,1975\n".encode()
WAIT = 120  # seconds: a generous ceiling for a busy machine, never a timing assertion


def test_the_worker_runs_a_queued_import_and_a_second_run_of_its_task_imports_nothing(
    real_worker: Any, coordinator: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    job = spreadsheet_import_start(
        actor=coordinator, fileobj=io.BytesIO(DATA), file_name="list.csv"
    )
    worker = real_worker("--batch")
    out, _err = worker.communicate(timeout=WAIT)
    assert worker.returncode == 0, out
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, (job.message, out)
    assert job.result["created"] == 2 and Person.objects.count() == 2
    assert job.task_id and DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"

    again = spreadsheet_import_task.enqueue(str(job.pk))
    worker = real_worker("--batch")
    out, _err = worker.communicate(timeout=WAIT)
    assert worker.returncode == 0, out
    assert DBTaskResult.objects.get(id=again.id).return_value == "skipped"
    assert Person.objects.count() == 2


def test_the_worker_stops_cleanly_on_sigterm(real_worker: Any) -> None:
    worker = real_worker()
    assert worker.stdout is not None
    for line in worker.stdout:  # wait until it is up and polling the queue
        if "Starting worker" in line:
            break
    else:
        pytest.fail("the worker never started")
    worker.send_signal(signal.SIGTERM)
    out, _err = worker.communicate(timeout=WAIT)
    assert worker.returncode == 0, out
    assert "shutting down gracefully" in out


def test_the_worker_has_real_help_without_a_database_key(tmp_path: Any) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGAQ_DB_KEY")}
    env["XDG_CONFIG_HOME"] = str(tmp_path)  # no key file there either
    done = subprocess.run(
        [sys.executable, "-m", "aigaq.cli", "worker", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert done.returncode == 0, done.stderr
    assert "background jobs" in done.stdout and "SIGTERM" in done.stdout


def test_serve_starts_one_worker_beside_the_server_and_stops_it_on_sigterm(
    worker_env: dict[str, str],
) -> None:
    import os
    import queue
    import re
    import socket
    import threading
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # No PYTHONUNBUFFERED: serve must say it is serving at once even when its output is a
    # pipe, as under a service manager (CI runs without that variable, and the line waited
    # in serve's buffer while this test waited for it).
    env = {k: v for k, v in worker_env.items() if k != "PYTHONUNBUFFERED"}
    serve = subprocess.Popen(
        [sys.executable, "-m", "aigaq.cli", "serve", "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    seen: list[str] = []

    def read() -> None:
        assert serve.stdout is not None
        for line in serve.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    worker_pid = None
    try:
        deadline = time.monotonic() + WAIT
        serving = False
        while not serving and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if serve.poll() is not None:
                    break
                continue
            seen.append(line)
            found = re.search(r"Background worker started \(process (\d+)\)", line)
            if found:
                worker_pid = int(found.group(1))
            serving = "Aigaq is serving" in line
        assert serving, f"serve never said it was serving: {''.join(seen)!r}"
        assert worker_pid is not None
        os.kill(worker_pid, 0)  # the worker runs
        serve.send_signal(signal.SIGTERM)  # at once: the server must stop its worker anyway
        try:
            serve.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"serve did not stop: {''.join(seen)!r}")
        assert serve.returncode == 0, "".join(seen)
        with pytest.raises(ProcessLookupError):
            os.kill(worker_pid, 0)  # stopped with the server, and reaped
    finally:
        # The worker first: it shares serve's output, which stays open while it lives.
        if worker_pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker_pid, signal.SIGKILL)
        if serve.poll() is None:
            serve.kill()
            serve.wait(timeout=WAIT)
