"""Django's PostgreSQL backend, creating databases with a UTF-8 character type.

Under the C locale pg_trgm sees no letters in Cyrillic, Arabic or Chinese text, so every
database this project creates (test databases included) gets LC_CTYPE C.UTF-8.
"""

from __future__ import annotations

from django.db.backends.postgresql import base as pg_base
from django.db.backends.postgresql.creation import DatabaseCreation as PGCreation


class DatabaseCreation(PGCreation):
    def sql_table_creation_suffix(self) -> str:
        test = self.connection.settings_dict["TEST"]
        suffix = self._get_database_create_suffix(  # type: ignore[attr-defined]
            encoding=test.get("CHARSET") or "UTF8",
            template=test.get("TEMPLATE") or "template0",
        )
        return suffix + " LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"


class DatabaseWrapper(pg_base.DatabaseWrapper):
    creation_class = DatabaseCreation
