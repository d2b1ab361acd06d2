"""Run on the trip laptop by the round-trip test (a separate process, its own encrypted
database): record new work, then print the UUIDs it made as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from aigaq.intake.models import FieldTrip  # noqa: E402
from aigaq.media.services import media_ingest  # noqa: E402
from aigaq.people.models import Person, Place  # noqa: E402
from aigaq.people.services import NameInput, person_create, person_update  # noqa: E402
from aigaq.testimonies.services import (  # noqa: E402
    RelationInput,
    testifier_create,
    testimony_create,
)

edited_id, media_path = sys.argv[1], sys.argv[2]
trip = FieldTrip.objects.get()
county = Place.objects.get(code="test-county")
lookalike = person_create(
    actor=None, names=[NameInput("Gulnar Serikkyzy")], hometown=county, gender="female"
)
fresh = person_create(actor=None, names=[NameInput("Бауыржан Темірханұлы")], hometown=county)
edited = Person.objects.get(pk=edited_id)
person_update(actor=None, person=edited, expected_version=edited.version, occupation="farmer")
teller = testifier_create(actor=None, full_name="Айжан Нұрланқызы", phone="+7 700 000 00 00")
with open(media_path, "rb") as fh:
    media = media_ingest(actor=None, fileobj=fh, original_name="cam1-0001.mp4", kind="video")
testimony = testimony_create(
    actor=None,
    testifier=teller,
    recorded_on=dt.date(2026, 5, 2),
    location="field",
    field_trip=trip,
    place=county,
    relations=[RelationInput(fresh, "brother"), RelationInput(edited, "son")],
    media=[media],
)
print(
    json.dumps(
        {
            "lookalike": str(lookalike.pk),
            "fresh": str(fresh.pk),
            "testifier": str(teller.pk),
            "testimony": str(testimony.pk),
            "media_sha": media.sha256,
            "media_id": str(media.pk),
        }
    )
)
