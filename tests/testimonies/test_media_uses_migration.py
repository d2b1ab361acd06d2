"""Migrations 0004-0006 turn the plain testimony↔file links into uses (TestimonyMedia) without
losing one: each keeps the file's kind, and an ID card stays restricted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("testimonies", "0003_published_urls_web_addresses_only")]


@pytest.mark.django_db(transaction=True)
def test_existing_links_become_uses_with_the_files_kind_and_restriction() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        old: Any = executor.loader.project_state(BEFORE).apps
        who = old.get_model("testimonies", "Testifier").objects.create(full_name="A")
        testimony = old.get_model("testimonies", "Testimony").objects.create(
            testifier=who, recorded_on=dt.date(2019, 3, 1)
        )
        media = old.get_model("media", "MediaFile")
        card = media.objects.create(sha256="a" * 64, size=1, kind="id_card", restricted=True)
        video = media.objects.create(sha256="b" * 64, size=2, kind="video")
        testimony.media.add(card, video)

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new: Any = executor.loader.project_state(leaves).apps
        uses = new.get_model("testimonies", "TestimonyMedia").objects.filter(
            testimony_id=testimony.pk
        )
        got = {(u.media.sha256[0], u.kind, u.restricted) for u in uses}
        assert got == {("a", "id_card", True), ("b", "video", False)}
    finally:
        MigrationExecutor(connection).migrate(leaves)
