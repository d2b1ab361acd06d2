"""Substring indexes over search_nameform.form, one per database engine.

SQLite/SQLCipher: an external-content FTS5 table with the trigram tokenizer (detail=none keeps
it small; LIKE '%...%' on it is answered from the trigram index and checked against the
content table), kept in step with search_nameform by three triggers.
PostgreSQL: the pg_trgm extension and a GIN trigram index (answers LIKE '%...%' and %).
Written as SQL on purpose: neither object can be described by a Django model.
"""

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_nameform_fts USING fts5("
    "form, content='search_nameform', content_rowid='id', tokenize='trigram', detail='none')",
    "CREATE TRIGGER search_nameform_ai AFTER INSERT ON search_nameform BEGIN "
    "INSERT INTO search_nameform_fts(rowid, form) VALUES (new.id, new.form); END",
    "CREATE TRIGGER search_nameform_ad AFTER DELETE ON search_nameform BEGIN "
    "INSERT INTO search_nameform_fts(search_nameform_fts, rowid, form) "
    "VALUES ('delete', old.id, old.form); END",
    "CREATE TRIGGER search_nameform_au AFTER UPDATE ON search_nameform BEGIN "
    "INSERT INTO search_nameform_fts(search_nameform_fts, rowid, form) "
    "VALUES ('delete', old.id, old.form); "
    "INSERT INTO search_nameform_fts(rowid, form) VALUES (new.id, new.form); END",
    # Rows written before this migration (none in practice) enter the index too.
    "INSERT INTO search_nameform_fts(search_nameform_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_nameform_au",
    "DROP TRIGGER IF EXISTS search_nameform_ad",
    "DROP TRIGGER IF EXISTS search_nameform_ai",
    "DROP TABLE IF EXISTS search_nameform_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_nameform_form_trgm "
    "ON search_nameform USING gin (form gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS search_nameform_form_trgm"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_add_name_index"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
