"""Person.first_detained_year, derived from the timeline (people.services keeps it), filled
for the persons already recorded in one UPDATE."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import ExtractYear

# As people.models.DETENTION_KINDS when this migration was written.
DETENTION_KINDS = ("detained", "camp", "prison", "house_arrest", "forced_labour")


def fill(apps: Any, schema_editor: Any) -> None:
    Person = apps.get_model("people", "Person")
    StatusEvent = apps.get_model("people", "StatusEvent")
    first = (
        StatusEvent.objects.filter(
            person=OuterRef("pk"), kind__in=DETENTION_KINDS, date_start__isnull=False
        )
        .order_by("date_start")
        .annotate(y=ExtractYear("date_start"))
        .values("y")[:1]
    )
    Person.objects.update(first_detained_year=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_status_event_other_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="first_detained_year",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True, verbose_name="first detained in"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
