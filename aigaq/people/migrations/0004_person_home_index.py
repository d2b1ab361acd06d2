"""An index on (hometown, id) in place of the hometown foreign key's own index.

Search reads the persons of a small place from it without touching their rows (decision
0005). It leads with the hometown, so it also serves every lookup the foreign key's index
served, which is dropped. The field's ``db_index=False`` is applied to the state only: on
SQLite, Django would apply it by copying the whole person table; dropping the index is all
the change needs."""

from django.db import migrations, models


def _hometown(apps):
    model = apps.get_model("people", "Person")
    return model, model._meta.get_field("hometown")


def drop_fk_index(apps, schema_editor):
    model, field = _hometown(apps)
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    for name, info in constraints.items():
        if info["index"] and not info["primary_key"] and info["columns"] == [field.column]:
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_fk_index(apps, schema_editor):
    model, field = _hometown(apps)
    schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_filter_cover_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["hometown", "id"], name="people_person_home"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="hometown",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="natives",
                        to="people.place",
                        verbose_name="hometown",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_fk_index, create_fk_index)],
        ),
    ]
