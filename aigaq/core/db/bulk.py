"""Appending many rows at once, the fastest way each database engine offers.

Bulk writers (the search index, spreadsheet imports, benchmarks) hand rows of plain
database values here instead of building model instances: no signals, no hooks, no audit.
Callers are responsible for those (see aigaq.transfer.spreadsheet and aigaq.search.services).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


def append_rows(cursor: Any, table: str, columns: Sequence[str], rows: Sequence[Any]) -> None:
    """INSERT ``rows`` (tuples of database values, in ``columns`` order) into ``table``.

    PostgreSQL: one ``COPY ... FROM STDIN`` (several times faster than INSERTs, even
    pipelined ones). Elsewhere: one ``executemany``. ``cursor`` is a Django cursor;
    ``table`` and ``columns`` are trusted names (from models or literals), never input."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    table_name = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table_name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(
        f"INSERT INTO {table_name} ({names}) VALUES ({marks})",  # noqa: S608 - trusted names
        rows,
    )
