"""A case with a family to keep informed: a person, the mother who testified about him (her
testimony consented for the press), and a contact planned for her."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aigaq.casework.services import contact_create
from tests import factories

HANDLE = "+77015550123"


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def case(coordinator: Any) -> dict[str, Any]:
    person = factories.person("Серік Оспанұлы", actor=coordinator, visibility="internal")
    mother = factories.testifier("Гүлжан Тоқтарқызы", actor=coordinator)
    testimony = factories.testimony(
        person, actor=coordinator, testifier_obj=mother, relationship="mother", consent_press=True
    )
    return {"person": person, "testifier": mother, "testimony": testimony}


@pytest.fixture
def contact(case: dict[str, Any], coordinator: Any, today: dt.date) -> Any:
    return contact_create(
        actor=coordinator,
        person=case["person"],
        testifier=case["testifier"],
        consent=True,
        method="whatsapp",
        handle="+7 701 555 01 23",
        next_contact_due=today + dt.timedelta(days=3),
    )
