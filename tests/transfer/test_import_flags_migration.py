"""The look-alikes older bundle imports flagged (transfer.ImportFlag) arrive in the one
duplicates queue (dedup.Candidate) when the database is migrated."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories

BEFORE = [("transfer", "0001_add_field_bundles")]


@pytest.mark.django_db(transaction=True)
def test_open_import_flags_become_import_candidates_and_decided_ones_do_not() -> None:
    from aigaq.dedup import scan
    from aigaq.dedup.models import Candidate, NotSame

    new, old = factories.person("Gulnar Serikkyzy"), factories.person("Гүлнар Серікқызы")
    other, same = factories.person("Ерлан"), factories.person("Erlan")
    reviewed_a, reviewed_b = factories.person("Асқар"), factories.person("Asqar")
    a, b = scan.ordered(other.pk, same.pk)
    NotSame.objects.create(a_id=a, b_id=b)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        state = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        bundle = state.get_model("transfer", "Bundle").objects.create(
            bundle_id=uuid.uuid4(),
            direction="received",
            kind="return",
            trip_id=uuid.uuid4(),
            trip_name="Tekes, May",
            source_instance=uuid.uuid4(),
            bundle_created_at=dt.datetime(2026, 5, 3, tzinfo=dt.UTC),
        )
        flag = state.get_model("transfer", "ImportFlag").objects
        flag.create(bundle=bundle, person_id=new.pk, similar_to_id=old.pk, score=0.93)
        flag.create(bundle=bundle, person_id=other.pk, similar_to_id=same.pk, score=0.9)
        flag.create(
            bundle=bundle,
            person_id=reviewed_a.pk,
            similar_to_id=reviewed_b.pk,
            score=0.9,
            status="done",
        )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    candidate = Candidate.objects.get()
    assert (candidate.a_id, candidate.b_id) == scan.ordered(new.pk, old.pk)
    assert candidate.source == "import" and candidate.status == Candidate.Status.OPEN
    assert candidate.score == 0.93
    assert {"code": "field_bundle", "trip": "Tekes, May"} in candidate.reasons
    names = next(r for r in candidate.reasons if r["code"] == "names")
    assert {names["a"], names["b"]} == {"Gulnar Serikkyzy", "Гүлнар Серікқызы"}
