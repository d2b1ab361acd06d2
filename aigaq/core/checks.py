"""System checks that need the database: Django runs them before `migrate` (so `aigaq init`
refuses a database it cannot serve) and `aigaq serve` runs them before serving."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections


def ctype_problem(conn: Any) -> str | None:
    """Why the PostgreSQL database behind ``conn`` (a Django connection) cannot hold Aigaq's
    search, or None when it can. A database an operator created by hand may have the C
    character type, under which pg_trgm extracts no trigrams from Cyrillic, Arabic or Chinese
    text: the substring search would then silently find nothing in those scripts."""
    if conn.vendor != "postgresql":
        return None
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT datctype, pg_encoding_to_char(encoding) FROM pg_database "
            "WHERE datname = current_database()"
        )
        ctype, encoding = cursor.fetchone()
    readable = "UTF8" in ctype.upper().replace("-", "") and encoding.upper() == "UTF8"
    if readable:
        return None
    name = conn.settings_dict["NAME"]
    return (
        f"The PostgreSQL database {name!r} has the character type {ctype!r} and the encoding "
        f"{encoding!r}: its trigram search sees no letters in Cyrillic, Arabic or Chinese names, "
        "so searches in those scripts would silently find nothing. Create the database with a "
        f"UTF-8 character type: CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
        "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'; (an existing one can be moved with pg_dump "
        "and pg_restore; see docs/deployment.md)."
    )


@register(Tags.database)
def database_character_type(
    app_configs: Any = None, databases: Iterable[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias in databases or ():
        problem = ctype_problem(connections[alias])
        if problem:
            errors.append(Error(problem, id="aigaq.E001"))
    return errors
