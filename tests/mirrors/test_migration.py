"""The old `published_urls` list of each testimony becomes its mirrors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("mirrors", "0001_add_mirror")]


@pytest.mark.django_db(transaction=True)
def test_published_urls_become_mirrors_with_their_platform() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old: Any = executor.loader.project_state(BEFORE).apps
        who = old.get_model("testimonies", "Testifier").objects.create(full_name="A")
        testimony = old.get_model("testimonies", "Testimony").objects.create(
            testifier=who,
            number=7,
            recorded_on=dt.date(2019, 3, 1),
            published_urls=[
                "https://youtu.be/abc",
                "https://t.me/atajurt/12",
                "https://example.org/v",
            ],
        )
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new: Any = executor.loader.project_state(leaves).apps
        mirrors = new.get_model("mirrors", "Mirror").objects.filter(testimony_id=testimony.pk)
        assert {(m.url, m.platform) for m in mirrors} == {
            ("https://youtu.be/abc", "youtube"),
            ("https://t.me/atajurt/12", "telegram"),
            ("https://example.org/v", "other"),
        }
    finally:
        MigrationExecutor(connection).migrate(leaves)
