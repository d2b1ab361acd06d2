"""Databases the project creates on PostgreSQL use a UTF-8 character type, so that trigram
matching sees Cyrillic, Arabic and Chinese letters."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL run only")


def test_test_database_is_created_with_utf8_ctype(db: None) -> None:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT datctype, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()"
        )
        ctype, encoding = cur.fetchone()
    assert encoding == "UTF8"
    assert ctype.upper().replace("-", "") in {"C.UTF8", "EN_US.UTF8"} or "UTF" in ctype.upper()


def test_trigrams_see_cyrillic_arabic_and_chinese(db: None) -> None:
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cur.execute(
            "SELECT similarity('Гүлнар', 'Гулнар'), similarity('گۇلنار', 'گۈلنار'), show_trgm('石河子')"
        )
        cyr, arab, han = cur.fetchone()
    assert cyr > 0.2
    assert arab > 0.1
    assert len(han) > 0
