"""Testimony numbers are unique and always set (0008 numbered the existing ones)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("testimonies", "0008_testimony_number")]

    operations = [
        migrations.AlterField(
            model_name="testimony",
            name="number",
            field=models.PositiveIntegerField(
                editable=False, unique=True, verbose_name="testimony number"
            ),
        ),
    ]
