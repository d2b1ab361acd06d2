# The spreadsheet import run moves to the transfer app (the spreadsheet import is transfer's
# work; dedup only receives its look-alikes). The rows stay: the table is renamed here, and
# transfer's 0002 takes the model over in its state, creating nothing.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dedup', '0001_add_candidates_merges_imports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name='ImportRun', table='transfer_importrun'),
            ],
            state_operations=[
                migrations.DeleteModel(name='ImportRun'),
            ],
        ),
    ]
