"""Keyset pages: ``?after=<key>&limit=<n>``. A page is one index range scan
(``WHERE key > after ORDER BY key LIMIT n + 1``): never an OFFSET, never a COUNT, so the
millionth entry costs what the first does."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from ninja import Path, Query

M = TypeVar("M", bound=Model)

#: The largest page the API gives (a larger `limit` is refused with 422).
MAX_PAGE = 200
DEFAULT_PAGE = 50
_MAX_KEY = 2**31 - 1

#: An entry or testimony number in a path (larger numbers are refused, never sent to the database).
NUMBER: Any = Path(..., ge=1, le=_MAX_KEY)
AFTER: Any = Query(
    0, ge=0, le=_MAX_KEY, description="The last key of the previous page (0: the first page)."
)
LIMIT: Any = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE} items.")


def keyset(qs: QuerySet[M], key: str, after: int, limit: int) -> tuple[list[M], int | None]:
    """The page of `qs` after `after` by the unique integer field `key`, and the key to ask
    the next page with (None on the last page)."""
    rows = list(qs.filter(**{f"{key}__gt": after}).order_by(key)[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, int(getattr(rows[-1], key))


def keyset_values(
    qs: QuerySet[M], key: str, after: int, limit: int, fields: tuple[str, ...]
) -> tuple[list[dict[str, Any]], int | None]:
    """`keyset`, the rows read as dicts of `fields` (which hold `key`)."""
    rows = list(qs.filter(**{f"{key}__gt": after}).order_by(key).values(*fields)[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, int(rows[-1][key])
