"""Browser benchmark: a person with names in four scripts entered from the keyboard alone, in
Debian's Chromium against `aigaq serve`, timed.

    .venv/bin/python bench/browser_bench.py

The same keystrokes as tests/staff/test_browser.py's keyboard test (which checks what is
saved): open the new-person page, type Гүлнар Серікқызы, Gulnar Serikqyzy, 古丽娜尔·赛力克,
add a fourth name in Arabic script, press Enter. Runs BENCH_ROUNDS (default 3) times on a
temporary SQLCipher database served by `aigaq serve` (Waitress) on a free port; prints the
sign-in and each round in seconds (page load to the saved person's page) and the load average.
The test checks what is saved; this is where a slow page shows. No assertions.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
PASSWORD = "bench password for a synthetic database"
# The bench user's authenticator (a coordinator signs in with a second factor).
TOTP_KEY = "3132333435363738393031323334353637383930"


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="aigaq-browser-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    atexit.register(shutil.rmtree, tmp, True)
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from aigaq.core.models import Role, User

    call_command("migrate", verbosity=0)
    user = User.objects.create_user(username="bench", password=PASSWORD, role=Role.COORDINATOR)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="bench", key=TOTP_KEY, confirmed=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/aigaq"), "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("aigaq serve did not answer within a minute")


def enter_person(page: object, url: str) -> float:
    from typing import Any

    p: Any = page
    started = time.perf_counter()
    p.goto(url + "/persons/new/")
    p.keyboard.type("Гүлнар Серікқызы")
    p.keyboard.press("Tab")  # kind of name
    p.keyboard.press("Tab")
    p.keyboard.type("Gulnar Serikqyzy")
    p.keyboard.press("Tab")
    p.keyboard.press("Tab")
    p.keyboard.type("古丽娜尔·赛力克")
    p.keyboard.press("Tab")
    p.keyboard.press("Tab")  # "Add another name"
    p.keyboard.press("Enter")
    p.keyboard.type("گۇلنار سەرىكقىزى")
    p.keyboard.press("Enter")  # saves
    p.wait_for_url(re.compile(r".*/persons/\d+/$"))
    return time.perf_counter() - started


def main() -> None:
    from playwright.sync_api import sync_playwright

    setup()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = serve(port)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            page = browser.new_context(locale="en-GB").new_page()
            page.set_default_timeout(60000)
            started = time.perf_counter()
            page.goto(url + "/login/")
            page.fill("#id_username", "bench")
            page.fill("#id_password", PASSWORD)
            page.keyboard.press("Enter")
            page.wait_for_url(url + "/login/code/")
            from django_otp.oath import totp

            page.fill("#id_code", f"{totp(bytes.fromhex(TOTP_KEY)):06d}")
            page.keyboard.press("Enter")
            page.wait_for_url(url + "/")
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"browser: sign-in {time.perf_counter() - started:.2f} s (load average {load})")
            for round_no in range(1, ROUNDS + 1):
                seconds = enter_person(page, url)
                print(
                    f"   person with four names from the keyboard, round {round_no}: {seconds:.2f} s"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
