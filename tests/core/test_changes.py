"""The data's change counter (aigaq.core.changes): one step after each committed transaction
that wrote audited data, none for a rolled-back one or for a read of restricted data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from aigaq.core import audit
from aigaq.core.changes import changes_current
from aigaq.people.services import person_update
from tests import factories


class Abandoned(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_the_counter_moves_once_per_committed_write(coordinator: Any) -> None:
    before = changes_current()
    p = factories.person("Бақыт Санаулы", actor=coordinator)
    assert changes_current() == before + 1

    with transaction.atomic():  # many writes in one transaction: one step
        for occupation in ("teacher", "imam", "driver"):
            p = person_update(
                actor=coordinator, person=p, expected_version=None, occupation=occupation
            )
    assert changes_current() == before + 2

    with pytest.raises(Abandoned), transaction.atomic():  # rolled back: no step
        person_update(actor=coordinator, person=p, expected_version=None, occupation="farmer")
        raise Abandoned
    assert changes_current() == before + 2

    with transaction.atomic():  # a savepoint rolled back, the rest committed: one step
        try:
            with transaction.atomic():
                person_update(actor=coordinator, person=p, expected_version=None, occupation="x")
                raise Abandoned
        except Abandoned:
            pass
        person_update(actor=coordinator, person=p, expected_version=None, occupation="poet")
    assert changes_current() == before + 3

    audit.record_read(actor=coordinator, obj=p, fields=["chinese_id"])
    assert changes_current() == before + 3
