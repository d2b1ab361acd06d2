"""CSV cells no spreadsheet runs: text that begins like a formula (= + - @, a tab or a
carriage return: OWASP's "CSV injection") is written with a leading apostrophe. Shared by
every CSV the project writes for people to open in a spreadsheet."""

from __future__ import annotations

import datetime as dt
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """The value as a safe cell: None as empty, numbers and dates as they are, text that
    begins like a formula with a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | dt.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
