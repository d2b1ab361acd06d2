"""Run in a second instance by tests/transfer/test_archive.py: print every row of every
carried model as JSON (the archive's own value form, credentials left out)."""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from tests.transfer.test_archive import dump_rows  # noqa: E402

print(json.dumps(dump_rows(), sort_keys=True, ensure_ascii=False))
