"""A PostgreSQL database created by hand with the C character type is refused with a
sentence that says how to create it right (under C, pg_trgm sees no Cyrillic, Arabic or
Chinese letters, so searches in those scripts would silently find nothing)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from aigaq.core.checks import ctype_problem

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL run only")


@pytest.fixture
def c_ctype_connection(django_db_blocker: Any) -> Iterator[Any]:
    """A Django connection to a database created with LC_CTYPE 'C' (dropped afterwards); the
    tests that use it touch no other database."""
    with django_db_blocker.unblock():
        yield from _c_ctype_connection()


def _c_ctype_connection() -> Iterator[Any]:
    name = f"aigaq_c_ctype_{os.getpid()}"
    with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'SQL_ASCII' "
            "LC_COLLATE 'C' LC_CTYPE 'C'"
        )
    connections.settings["c_ctype"] = {**connections["default"].settings_dict, "NAME": name}
    other = connections["c_ctype"]
    try:
        yield other
    finally:
        other.close()
        del connections["c_ctype"]
        del connections.settings["c_ctype"]
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db
def test_the_test_database_passes_the_character_type_check() -> None:
    assert ctype_problem(connection) is None
    assert [m for m in run_checks(databases=["default"]) if m.id == "aigaq.E001"] == []


def test_a_database_with_the_c_character_type_is_refused_with_the_fix(
    c_ctype_connection: Any,
) -> None:
    problem = ctype_problem(c_ctype_connection)
    assert problem is not None
    assert "character type 'C'" in problem
    assert "LC_CTYPE 'C.UTF-8'" in problem
    assert c_ctype_connection.settings_dict["NAME"] in problem


def test_serve_refuses_to_start_on_such_a_database(
    c_ctype_connection: Any, monkeypatch: Any
) -> None:
    from aigaq.core.management.commands import serve

    monkeypatch.setattr(serve, "connection", c_ctype_connection)
    served: list[Any] = []
    monkeypatch.setattr("waitress.serve", lambda *a, **k: served.append(a))
    with pytest.raises(CommandError, match="character type 'C'"):
        call_command("serve", stdout=StringIO(), stderr=StringIO())
    assert served == []


def test_init_and_migrate_refuse_such_a_database_before_creating_anything(
    c_ctype_connection: Any, monkeypatch: Any
) -> None:
    from django.core.management.base import SystemCheckError

    from aigaq.core.management.commands import init

    monkeypatch.setattr(init, "connection", c_ctype_connection)
    with pytest.raises(CommandError, match="character type 'C'"):
        call_command("init", stdout=StringIO())
    # `aigaq migrate` typed by hand runs the system checks (call_command skips them unless
    # asked, as the command line does not).
    with pytest.raises(SystemCheckError, match="aigaq.E001"):
        call_command(
            "migrate", database="c_ctype", interactive=False, verbosity=0, skip_checks=False
        )
    with c_ctype_connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchone()[0] == 0
