"""The table of the shared cache (settings.CACHES["shared"], Django's DatabaseCache): the API's
rate limit is counted there, so every server process and machine on one database shares it.

Made by Django's own `createcachetable`, so the table is exactly the one DatabaseCache reads;
it is idempotent (an existing table is left alone). Being a migration, every path that migrates
makes it: `aigaq init`, `aigaq migrate`, the test databases and `aigaq migrate-to`'s target."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from django.conf import settings

    table = settings.CACHES["shared"]["LOCATION"]
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
