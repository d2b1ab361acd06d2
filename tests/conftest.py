"""Fixtures shared by the whole suite: staff members of every role, factories, a browser."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest


class Role:
    """Role names as strings, so this conftest imports no Django model at collection time."""

    ADMIN = "admin"
    COORDINATOR = "coordinator"
    INTERVIEWER = "interviewer"
    TRANSLATOR = "translator"
    VIEWER = "viewer"


ROLES = [Role.ADMIN, Role.COORDINATOR, Role.INTERVIEWER, Role.TRANSLATOR, Role.VIEWER]
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a request through the test client leaves
    the language LocaleMiddleware chose active in the thread, and a later test on the same
    worker would then read its messages in Kazakh or Russian."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Every test starts with an empty cache: a test's database is rolled back, but what the
    cache holds (the public statistics, filed under the change counter, which no rolled-back
    test moves) would otherwise be read by the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def verified_device(user: Any) -> Any:
    """The confirmed authenticator of `user` (made once): what a test signs in with."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def totp_code(device: Any) -> str:
    """The code the authenticator app would show now (django-otp's own TOTP)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture(autouse=True)
def _force_login_with_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` signs in as the sign-in page does, second factor included: a
    role that needs one gets a confirmed authenticator and a session verified by it (else
    core.middleware.TwoFactorMiddleware ends the session at its first request). Tests of the
    sign-in itself go through the pages (tests/core/test_two_factor.py)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY

        from aigaq.core.twofactor import required_for

        if required_for(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


def browser_sign_in(page: Any, base_url: str, user: Any) -> None:
    """Sign in through the pages, typing the code of the user's authenticator when asked."""
    from aigaq.core.twofactor import required_for

    device = verified_device(user) if required_for(user) else None
    page.goto(base_url + "/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    if device is not None:
        page.wait_for_url(base_url + "/login/code/")
        page.fill("#id_code", totp_code(device))
        page.click("button[type=submit]")


@pytest.fixture(scope="session")
def ffmpeg_present() -> str:
    """ffmpeg's path. `make test` installs it (scripts/system-deps.sh); a test that needs it
    fails loudly without it rather than being skipped."""
    found = shutil.which("ffmpeg")
    if found is None:
        pytest.fail("ffmpeg is missing: run `make system-deps` (Debian package ffmpeg)")
    return found


@pytest.fixture
def make_user(db: Any) -> Any:
    from aigaq.core.models import User

    def make(role: str = Role.COORDINATOR, username: str | None = None, **extra: Any) -> Any:
        user = User.objects.create_user(
            username=username or f"{role}-user", password=PASSWORD, role=role, **extra
        )
        return user

    return make


@pytest.fixture
def admin_user(make_user: Any) -> Any:
    return make_user(Role.ADMIN, "admin-user", is_superuser=True, is_staff=True)


@pytest.fixture
def coordinator(make_user: Any) -> Any:
    return make_user(Role.COORDINATOR)


@pytest.fixture
def interviewer(make_user: Any) -> Any:
    return make_user(Role.INTERVIEWER)


@pytest.fixture
def translator(make_user: Any) -> Any:
    return make_user(Role.TRANSLATOR)


@pytest.fixture
def viewer(make_user: Any) -> Any:
    return make_user(Role.VIEWER)


@pytest.fixture
def run_jobs(settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Background jobs run at once, in this process: `with run_jobs(): client.post(...)` runs
    the tasks the block enqueued (on commit) when it ends, as `aigaq worker` would.
    tests/core/test_worker.py runs the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def worker_env(transactional_db: Any) -> dict[str, str]:
    """The environment of an `aigaq` process that works on the test database (the data must be
    committed: transactional tests)."""
    from django.db import connection

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "AIGAQ_WORKER_TEST_DB": str(connection.settings_dict["NAME"]),
    }


@pytest.fixture
def real_worker(worker_env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start `aigaq worker` as a process of its own on the test database; whatever is still
    running is stopped after the test."""
    env = worker_env
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        worker = subprocess.Popen(
            [sys.executable, "-m", "aigaq.cli", "worker", "--no-reload", "--no-startup-delay"]
            + ["--interval", "0.2", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.poll() is None:
            worker.kill()
        try:
            out, _err = worker.communicate(timeout=60)
        except subprocess.TimeoutExpired:  # something it started still holds its output
            out = "(its output never closed)"
        print(f"aigaq worker (process {worker.pid}, exit {worker.returncode}):\n{out}")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def signed_in_page(page: Any, live_server: Any, make_user: Any) -> Any:
    """A browser page signed in as a coordinator; returns (page, user)."""

    def sign_in(role: str = Role.COORDINATOR, username: str = "browser-user") -> Any:
        user = make_user(role, username)
        browser_sign_in(page, live_server.url, user)
        page.wait_for_url(live_server.url + "/")
        return page, user

    return sign_in


@pytest.fixture
def public_client() -> Iterator[Any]:
    """A client of the public site alone, as `aigaq serve --public` serves it (its own URLs
    and middleware: no staff page, sign-in or admin)."""
    from django.conf import settings
    from django.test import Client, override_settings

    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        yield Client()
