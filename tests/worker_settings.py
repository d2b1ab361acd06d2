"""Settings of a real `aigaq worker` that a test starts: Aigaq's own, on the test database
(named by the test in AIGAQ_WORKER_TEST_DB; see the `real_worker` fixture in conftest.py)."""

import os

from config.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["AIGAQ_WORKER_TEST_DB"]  # noqa: F405
# The crash tests (tests/crash/) stop these processes at named points (aigaq/core/faults.py).
AIGAQ_FAULT_POINTS = True
