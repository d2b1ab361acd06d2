"""Testimonies get a number a volunteer can say aloud (T12), never reused.

Existing testimonies are numbered in the order they were created; the "testimony.number"
sequence then continues after the highest.
"""

from django.db import migrations, models


def number_existing(apps, schema_editor):
    Testimony = apps.get_model("testimonies", "Testimony")
    Sequence = apps.get_model("core", "Sequence")
    last = 0
    for pk in Testimony.objects.order_by("created_at", "id").values_list("pk", flat=True):
        last += 1
        Testimony.objects.filter(pk=pk).update(number=last)
    seq, _created = Sequence.objects.get_or_create(name="testimony.number")
    if seq.last_value < last:
        seq.last_value = last
        seq.save(update_fields=["last_value"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("testimonies", "0007_normalise_stored_phones"),
    ]

    operations = [
        migrations.AddField(
            model_name="testimony",
            name="number",
            field=models.PositiveIntegerField(
                editable=False, null=True, verbose_name="testimony number"
            ),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
    ]
