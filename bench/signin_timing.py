"""Sign-in timing: does a wrong password for an existing account take as long as any password
for a user name that does not exist? (No account enumeration by the clock.)

    .venv/bin/python bench/signin_timing.py

Posts BENCH_SIGNINS (default 30) sign-ins of each kind, alternating, to the sign-in page of a
temporary SQLCipher database through Django's test client, with the production password hasher,
and prints the median and the spread of each. The lockout is raised out of the way. No
assertions (tests/core/test_signin.py checks that both cost one password hash).
"""

from __future__ import annotations

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
N = int(os.environ.get("BENCH_SIGNINS", "30"))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="aigaq-signin-bench-")
    atexit.register(shutil.rmtree, tmp, True)
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ["AIGAQ_SIGNIN_FAILURES"] = str(10 * N)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from aigaq.core.models import Role, User

    setup_test_environment()
    call_command("migrate", verbosity=0)
    User.objects.create_user(username="someone", password="a long right password", role=Role.VIEWER)
    client = Client()
    times: dict[str, list[float]] = {"unknown user name": [], "wrong password": []}
    for _ in range(N):
        for kind, name in (("unknown user name", "nobody-here"), ("wrong password", "someone")):
            started = time.perf_counter()
            client.post("/login/", {"username": name, "password": "not the password"})
            times[kind].append(time.perf_counter() - started)
    for kind, values in times.items():
        print(
            f"{kind:>18}: median {statistics.median(values) * 1000:.1f} ms, "
            f"min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f} ({N} sign-ins)"
        )


if __name__ == "__main__":
    main()
