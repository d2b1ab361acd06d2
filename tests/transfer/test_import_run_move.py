"""The spreadsheet import runs moved from the dedup app to transfer: the runs recorded before
the move are still there after it, under the transfer model."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from aigaq.transfer.models import ImportRun

BEFORE = [("dedup", "0001_add_candidates_merges_imports"), ("transfer", "0001_add_field_bundles")]


def _db(field: Any, value: Any) -> Any:
    return field.get_db_prep_value(value, connection)


def _leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] in ("dedup", "transfer")]


@pytest.mark.django_db(transaction=True)
def test_import_runs_recorded_under_dedup_survive_the_move_to_transfer(coordinator: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    run_id, when = uuid.uuid4(), timezone.now()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name("dedup_importrun")
        cursor.execute(
            f"INSERT INTO {table} (id, created_at, updated_at, version, file_name, sha256, "  # noqa: S608
            "dry_run, rows, created_persons, flagged, imported_by_id) "
            "VALUES (%s, %s, %s, 1, %s, '', %s, 12, 10, 2, %s)",
            [
                _db(ImportRun._meta.pk, run_id),
                _db(ImportRun._meta.get_field("created_at"), when),
                _db(ImportRun._meta.get_field("updated_at"), when),
                "kashgar-list.xlsx",
                False,
                _db(coordinator._meta.pk, coordinator.pk),
            ],
        )
    executor = MigrationExecutor(connection)
    executor.migrate(_leaves())
    assert "dedup_importrun" not in connection.introspection.table_names()
    run = ImportRun.objects.get(pk=run_id)
    assert (run.file_name, run.rows, run.created_persons, run.flagged) == (
        "kashgar-list.xlsx",
        12,
        10,
        2,
    )
    assert run.imported_by_id == coordinator.pk
