"""The full-text index over segments' text, one per database engine (how search/'s substring
index is built, migration search 0002).

SQLite/SQLCipher: an external-content FTS5 table with the trigram tokenizer over
transcripts_segment.text (any script: words are not split on spaces, which Chinese does not
use; case folded for Cyrillic, Latin, Greek and the rest), kept in step by three triggers.
PostgreSQL: a GIN trigram index (pg_trgm) over UPPER(text), which answers the ICONTAINS
lookups the search makes. Written as SQL: neither can be described by a Django model.
"""

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE transcripts_segment_fts USING fts5("
    "text, content='transcripts_segment', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER transcripts_segment_ai AFTER INSERT ON transcripts_segment BEGIN "
    "INSERT INTO transcripts_segment_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER transcripts_segment_ad AFTER DELETE ON transcripts_segment BEGIN "
    "INSERT INTO transcripts_segment_fts(transcripts_segment_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER transcripts_segment_au AFTER UPDATE OF text ON transcripts_segment BEGIN "
    "INSERT INTO transcripts_segment_fts(transcripts_segment_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO transcripts_segment_fts(rowid, text) VALUES (new.id, new.text); END",
    "INSERT INTO transcripts_segment_fts(transcripts_segment_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS transcripts_segment_au",
    "DROP TRIGGER IF EXISTS transcripts_segment_ad",
    "DROP TRIGGER IF EXISTS transcripts_segment_ai",
    "DROP TABLE IF EXISTS transcripts_segment_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS transcripts_segment_text_trgm "
    "ON transcripts_segment USING gin (UPPER(text) gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS transcripts_segment_text_trgm"]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("transcripts", "0001_add_transcripts"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
