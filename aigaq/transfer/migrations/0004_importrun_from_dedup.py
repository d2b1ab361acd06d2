# The spreadsheet import run, taken over from the dedup app (dedup's 0002 renamed its table to
# transfer_importrun, rows and all): state only, nothing is created in the database.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('transfer', '0003_remove_import_flags'),
        ('dedup', '0002_move_importrun_to_transfer'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ImportRun',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created')),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='updated')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('file_name', models.CharField(max_length=300, verbose_name='file')),
                        ('sha256', models.CharField(blank=True, max_length=64)),
                        ('dry_run', models.BooleanField(default=False, verbose_name='dry run')),
                        ('rows', models.PositiveIntegerField(default=0)),
                        ('created_persons', models.PositiveIntegerField(default=0)),
                        ('flagged', models.PositiveIntegerField(default=0, verbose_name='flagged as possible duplicates')),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'import run',
                        'verbose_name_plural': 'import runs',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
        ),
    ]
