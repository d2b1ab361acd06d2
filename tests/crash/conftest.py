"""Crash tests: real `aigaq` processes on the test database with a data folder of the test's
own, stopped with kill -9 in the middle of their work.

"In the middle" is a named pause point (aigaq/core/faults.py), honoured only by processes
started with tests/worker_settings.py: the process writes its id into a marker file and
sleeps; the test then kills its whole process group (restic and ffmpeg children included),
as a power cut or an OOM kill would. Where the middle can be seen from outside (a restic lock
in the repository) no pause point is used."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
WAIT = 120  # seconds: a ceiling for a busy machine, never a timing assertion


@dataclass
class Crash:
    env: dict[str, str]
    data: Path
    marker: Path
    started: list[subprocess.Popen[str]] = field(default_factory=list)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "aigaq.cli", *args]

    def run(self, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
        """An `aigaq` command (or, with `code`, a Python script) run to its end."""
        argv = [sys.executable, "-c", code, *args] if code else self.command(*args)
        return subprocess.run(
            argv, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=WAIT
        )

    def start(
        self, *args: str, code: str | None = None, pause_at: str | None = None
    ) -> subprocess.Popen[str]:
        env = dict(self.env)
        if pause_at:
            env["AIGAQ_TEST_PAUSE_AT"] = pause_at
        argv = [sys.executable, "-c", code, *args] if code else self.command(*args)
        process = subprocess.Popen(
            argv,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group: kill -9 reaches its children
        )
        self.started.append(process)
        return process

    def kill_at(self, point: str, *args: str, code: str | None = None) -> None:
        """Start the command, wait until it reaches `point`, then kill -9 it."""
        self.marker.unlink(missing_ok=True)
        process = self.start(*args, code=code, pause_at=point)
        deadline = time.monotonic() + WAIT
        while not self.marker.exists():
            if process.poll() is not None:
                out = process.stdout.read() if process.stdout else ""
                pytest.fail(f"it ended (exit {process.returncode}) before {point}:\n{out}")
            if time.monotonic() > deadline:
                pytest.fail(f"it never reached {point}")
            time.sleep(0.05)
        kill_group(process)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                kill_group(process)


def kill_group(process: subprocess.Popen[str]) -> None:
    """kill -9 the process and everything it started, and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=WAIT)


@pytest.fixture
def crash(worker_env: dict[str, str], settings: Any, tmp_path: Path) -> Iterator[Crash]:
    """The test database (committed data: transactional tests), a data folder of its own for
    this process and the ones it starts, and the pause-point marker."""
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    settings.DATA_DIR = data
    settings.MEDIA_ROOT = str(data / "media")
    marker = tmp_path / "paused"
    env = {
        **worker_env,
        "AIGAQ_DATA_DIR": str(data),
        "AIGAQ_TEST_PAUSE_FILE": str(marker),
        "PYTHONUNBUFFERED": "1",
    }
    session = Crash(env=env, data=data, marker=marker)
    try:
        yield session
    finally:
        session.stop_all()
