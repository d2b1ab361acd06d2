"""A person whose petitions can be made (names in four scripts, a dated arrest with its place,
a camp with its facility, a testimony consented for petitions), and the entries of each form."""

from __future__ import annotations

from typing import Any

import pytest

from aigaq.people.models import Place
from aigaq.people.services import status_event_add
from tests import factories

NAMES = ("Серік Оспанұлы", "سېرىك ئوسپان", "赛力克·乌斯满", "Serik Ospanuly")
# A valid IIN: its check digit 9 is the first eleven digits weighted 1..11, modulo 11.
IIN = "750512300019"

ENTRIES: dict[str, dict[str, Any]] = {
    "wgeid": {
        "forces": "Officers of the county public security bureau.",
        "steps": "Letters to the Chinese embassy in Astana in 2019; no answer.",
        "source_name": "Гүлжан Тоқтарқызы",
        "source_address": "Almaty, Abai avenue 1; +7 701 234 56 78",
        "source_relationship": "mother",
        "family_consent": True,
    },
    "wgad": {
        "authority": "County public security bureau; no warrant shown.",
        "grounds": "None were given to the family.",
        "category": "I, II, V",
        "argument": "Held without any legal basis for his faith and ethnicity.",
        "remedies": "None available: the family abroad has no access to a court.",
        "source_name": "Гүлжан Тоқтарқызы",
        "source_address": "Almaty, Abai avenue 1",
        "source_relationship": "mother",
        "family_consent": True,
    },
    "kz-mfa-kk": {
        "applicant_name": "Тоқтарқызы Гүлжан",
        "applicant_iin": IIN,
        "applicant_address": "Алматы қ., Абай даңғылы, 1",
        "applicant_phone": "+7 701 234 56 78",
    },
}
ENTRIES["kz-mfa-ru"] = ENTRIES["kz-mfa-kk"]
ENTRIES["wgeid-fr"] = ENTRIES["wgeid-es"] = ENTRIES["wgeid"]


@pytest.fixture
def tekes(db: Any) -> Place:
    return Place.objects.create(
        code="test-tekes", kind="county", name="Tekes", local_names={"kk": "Текес", "ru": "Текес"}
    )


@pytest.fixture
def ready_person(coordinator: Any, tekes: Place) -> Any:
    p = factories.person(
        *NAMES,
        actor=coordinator,
        gender="male",
        birth_year=1975,
        occupation="imam",
        hometown=tekes,
    )
    status_event_add(
        actor=coordinator, person=p, kind="detained", date_text="2018-05-12", place=tekes
    )
    status_event_add(
        actor=coordinator,
        person=p,
        kind="camp",
        date_text="2018-06",
        facility="county vocational training centre",
    )
    factories.testimony(p, actor=coordinator, relationship="mother", consent_petitions=True)
    p.refresh_from_db()
    return p
