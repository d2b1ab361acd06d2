"""Django's sqlite3 backend over SQLCipher 4 (the `sqlcipher3` module).

Only the connection differs: the key is applied first, then checked, then WAL and foreign
keys are switched on. Everything else (SQL, introspection, schema editing) is sqlite3's.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
from collections.abc import Mapping
from itertools import tee
from pathlib import Path
from typing import Any

from django.db.backends.sqlite3 import base as sqlite_base
from django.db.backends.sqlite3._functions import register as register_functions
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from sqlcipher3 import dbapi2 as Database

from aigaq.core import keys

Database.register_converter("bool", b"1".__eq__)
Database.register_converter("date", sqlite_base.decoder(parse_date))
Database.register_converter("time", sqlite_base.decoder(parse_time))
Database.register_converter("datetime", sqlite_base.decoder(parse_datetime))
Database.register_converter("timestamp", sqlite_base.decoder(parse_datetime))
Database.register_adapter(decimal.Decimal, str)
Database.register_adapter(datetime.date, sqlite_base.adapt_date)  # type: ignore[attr-defined]
Database.register_adapter(datetime.datetime, sqlite_base.adapt_datetime)  # type: ignore[attr-defined]


class SQLCipherCursorWrapper(Database.Cursor):  # type: ignore[misc,name-defined]
    """Django's SQLiteCursorWrapper (format/pyformat → qmark/named), on sqlcipher3's cursor."""

    convert_query = sqlite_base.SQLiteCursorWrapper.convert_query  # type: ignore[attr-defined]

    def execute(self, query: str, params: Any = None) -> Any:
        if params is None:
            return Database.Cursor.execute(self, query)
        names = list(params) if isinstance(params, Mapping) else None
        return Database.Cursor.execute(self, self.convert_query(query, param_names=names), params)

    def executemany(self, query: str, param_list: Any) -> Any:
        peekable, param_list = tee(iter(param_list))
        first = next(peekable, None)
        names = list(first) if first and isinstance(first, Mapping) else None
        return Database.Cursor.executemany(
            self, self.convert_query(query, param_names=names), param_list
        )


class DatabaseWrapper(sqlite_base.DatabaseWrapper):
    vendor = "sqlite"
    display_name = "SQLite (SQLCipher)"
    Database = Database

    def get_connection_params(self) -> dict[str, Any]:
        options = self.settings_dict["OPTIONS"]
        self._explicit_key = options.get("key")
        clean = {k: v for k, v in options.items() if k != "key"}
        saved = self.settings_dict["OPTIONS"]
        self.settings_dict["OPTIONS"] = clean
        try:
            return super().get_connection_params()
        finally:
            self.settings_dict["OPTIONS"] = saved

    def _key(self) -> tuple[str, str]:
        if self._explicit_key:
            return self._explicit_key, "the key given in the database settings"
        source = keys.key_source()
        name = self.settings_dict["NAME"]
        if self.is_in_memory_db():
            return keys.load_key(source), source.description
        database = Path(str(name)).resolve()
        return keys.load_key(source, database.parent, database=database), source.description

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        key, where = self._key()
        conn = Database.connect(**conn_params)
        # SQLCipher would print its own diagnostics on a wrong key; we say it in one sentence.
        conn.execute("PRAGMA cipher_log_level = NONE")
        try:
            conn.execute(keys.pragma_key(key))
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except Database.DatabaseError:
            conn.close()
            raise keys.DatabaseKeyError(
                f"The database {self.settings_dict['NAME']} cannot be opened with the key from "
                f"{where}: the key is wrong, or the file is not an Aigaq database."
            ) from None
        register_functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA legacy_alter_table = OFF")
        if not self.is_in_memory_db():
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            # Every page read from disk is decrypted: a 32 MB page cache per connection
            # (SQLite's default is 2 MB) keeps the hot index pages decrypted in memory.
            conn.execute("PRAGMA cache_size = -32768")
        for init_command in self.init_commands:  # type: ignore[attr-defined]
            if init_command := init_command.strip():
                conn.execute(init_command)
        return conn

    def _close(self) -> None:
        # SQLite's advice for short-lived connections (here one per request): PRAGMA optimize
        # just before closing, so the planner's statistics follow the database as it grows
        # (a laptop database filled by hand never gets an ANALYZE otherwise). Usually a no-op
        # (0.2 ms on a 1,000,000-person database); when it analyses, SQLite caps the work.
        # Never inside a transaction, and never a reason for closing to fail.
        if self.connection is not None and not self.in_atomic_block:
            with contextlib.suppress(Database.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()  # type: ignore[misc]  # not in django-stubs

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=SQLCipherCursorWrapper)
