"""Named points where the crash tests (tests/crash/) stop a real process before they kill it.

`pause_at("spreadsheet.writing")` does nothing at all unless the settings say
`AIGAQ_FAULT_POINTS = True`, which only `tests/worker_settings.py` does (the settings of the
processes a test starts). There, a process whose environment names this point in
`AIGAQ_TEST_PAUSE_AT` writes its process id into the file `AIGAQ_TEST_PAUSE_FILE` and sleeps
until the test kills it (`kill -9`): a deterministic "in the middle" of work that would
otherwise be over before a test could see it (a merge is a few milliseconds).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings


def pause_at(point: str) -> None:
    if not settings.AIGAQ_FAULT_POINTS or os.environ.get("AIGAQ_TEST_PAUSE_AT") != point:
        return
    marker = Path(os.environ["AIGAQ_TEST_PAUSE_FILE"])
    marker.write_text(f"{os.getpid()}\n")
    while True:  # until the test's kill -9
        time.sleep(3600)
