"""The API's rate-limit counts: one row per token and window (aigaq/api/auth.py, RATE_TABLE).

A table of its own rather than a model: the rows are counts that expire within a minute, not
records, so `migrate-to`, `archive export` and `stats` (which go by the models) leave them out.
The count is taken by one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, which needs the
primary key on (token_id, window_start); the same SQL on PostgreSQL and SQLite."""

from django.db import migrations


def create_rate_table(apps, schema_editor):
    table = schema_editor.quote_name("aigaq_api_rate")
    schema_editor.execute(
        f"CREATE TABLE IF NOT EXISTS {table} (token_id varchar(36) NOT NULL, "
        "window_start bigint NOT NULL, hits integer NOT NULL, "
        "PRIMARY KEY (token_id, window_start))"
    )


def drop_rate_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('aigaq_api_rate')}")


class Migration(migrations.Migration):
    dependencies = [("api", "0002_shared_cache_table")]

    operations = [migrations.RunPython(create_rate_table, drop_rate_table)]
