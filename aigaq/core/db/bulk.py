"""Appending many rows at once, the fastest way each database engine offers.

Bulk writers (the search index, the bulk write services, benchmarks) hand rows of plain
database values (``append_rows``) or of field values (``bulk_insert``) here instead of
building model instances: no signals, no hooks, no audit. Callers are responsible for those
(see ``people.services.persons_create_bulk``, ``core.audit.record_created_bulk`` and
``aigaq.search.services``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections


def append_rows(
    cursor: Any,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Any],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """INSERT ``rows`` (tuples of database values, in ``columns`` order) into ``table``.

    PostgreSQL: one ``COPY ... FROM STDIN`` (several times faster than INSERTs, even
    pipelined ones). Elsewhere: one ``executemany``. ``cursor`` is a Django cursor of the
    database ``using`` names; ``table`` and ``columns`` are trusted names (from models or
    literals), never input."""
    if not rows:
        return
    conn = connections[using]
    names = ", ".join(conn.ops.quote_name(c) for c in columns)
    table_name = conn.ops.quote_name(table)
    if conn.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table_name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(
        f"INSERT INTO {table_name} ({names}) VALUES ({marks})",  # noqa: S608 - trusted names
        rows,
    )


INSERT_BATCH = 5000


def _converter(field: Any) -> Callable[[Any], Any]:
    """How one field's Python value becomes a database parameter, cheaply: text and numbers
    go as they are, UUIDs as the backend stores them, everything else through the field's
    own ``get_db_prep_save`` (memoised for values that repeat, such as the import time)."""
    from django.db import models

    target = field.target_field if field.is_relation else field
    if isinstance(target, models.UUIDField):
        if connection.vendor == "sqlite":
            return lambda v: None if v is None else v.hex
        return lambda v: v
    if type(field) in (models.CharField, models.TextField, models.EmailField):
        return lambda v: v if v is None or type(v) is str else str(v)
    if isinstance(field, models.IntegerField | models.BooleanField) and not field.is_relation:
        return lambda v: v
    if field.is_relation:
        return lambda v: v
    memo: dict[Any, Any] = {}

    def prep(v: Any) -> Any:
        try:
            return memo[v]
        except KeyError:
            out = memo[v] = field.get_db_prep_save(v, connection)
            return out
        except TypeError:  # unhashable (JSON)
            return field.get_db_prep_save(v, connection)

    return prep


def bulk_insert(model: Any, rows: list[dict[str, Any]], batch_size: int = INSERT_BATCH) -> None:
    """INSERT rows (dicts keyed by field attname) through ``append_rows`` (COPY on
    PostgreSQL, executemany elsewhere): what bulk_create does, without building model
    instances or compiling SQL per batch. Columns a row does not give take the field's
    default (computed once); auto-increment keys are left to the database. No signals, no
    hooks (as bulk_create)."""
    if not rows:
        return
    fields = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type() in ("AutoField", "BigAutoField"))
    ]
    convs = [_converter(f) for f in fields]
    defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
    columns = [f.column for f in fields]
    plan = [
        (f.attname, conv, default) for f, conv, default in zip(fields, convs, defaults, strict=True)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch_size):
            params = [
                tuple(conv(row[name]) if name in row else default for name, conv, default in plan)
                for row in rows[start : start + batch_size]
            ]
            append_rows(cursor, model._meta.db_table, columns, params)
