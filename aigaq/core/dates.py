"""Partial dates and ranges, as testimonies give them.

"2018", "2018-03", "2018-03-12", "early 2018", "spring 2018", "end of 2018", "2017/2018",
"2017-2019", "2018-03..2018-06", and a few Russian and Kazakh words. Every partial date is stored as
the text typed plus the first and last day it can mean, so it sorts and filters as a range.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MIN_YEAR = 1900
MAX_YEAR = 2100


@dataclass(frozen=True)
class PartialDate:
    text: str
    start: dt.date
    end: dt.date
    precision: str  # day, month, season, year, range

    def __str__(self) -> str:
        return self.text


# word → (first month, last month); words in English, Russian and Kazakh.
_PERIODS: dict[str, tuple[int, int]] = {}
for words, months in [
    (("early", "beginning of", "start of", "начало", "в начале", "басы", "басында"), (1, 4)),
    (("mid", "middle of", "середина", "ортасы", "ортасында"), (5, 8)),
    (("late", "end of", "конец", "в конце", "соңы", "аяғы", "соңында"), (9, 12)),
    (("spring", "весна", "весной", "көктем", "көктемде"), (3, 5)),
    (("summer", "лето", "летом", "жаз", "жазда"), (6, 8)),
    (("autumn", "fall", "осень", "осенью", "күз", "күзде"), (9, 11)),
    (("winter", "зима", "зимой", "қыс", "қыста"), (1, 2)),
    (("first half of", "первая половина"), (1, 6)),
    (("second half of", "вторая половина"), (7, 12)),
]:
    for w in words:
        _PERIODS[w] = months

_YEAR = r"(\d{4})"
_RE_DAY = re.compile(rf"^{_YEAR}-(\d{{1,2}})-(\d{{1,2}})$")
_RE_DMY = re.compile(rf"^(\d{{1,2}})[./](\d{{1,2}})[./]{_YEAR}$")
_RE_MONTH = re.compile(rf"^{_YEAR}-(\d{{1,2}})$")
_RE_YEAR = re.compile(rf"^{_YEAR}(?:\s*(?:year|г\.?|год|жыл|жылы))?$")
_RE_RANGE = re.compile(r"^(.+?)\s*(?:\.\.|–|—|/|\s-\s|(?<=\d)-(?=\d{4}$)|\bto\b)\s*(.+)$")
_RE_PERIOD = re.compile(rf"^(?:(.+?)\s+{_YEAR}|{_YEAR}\s+(?:жылдың\s+|жылы\s+|ж\.?\s*)?(.+?))$")


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(
            _("“%(text)s”: the year must be between %(min)s and %(max)s."),
            code="year",
            params={"text": text, "min": MIN_YEAR, "max": MAX_YEAR},
        )


def _check_month(month: int, text: str) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(
            _("“%(text)s”: there is no month %(month)s; months run from 1 to 12."),
            code="month",
            params={"text": text, "month": month},
        )


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _parse_single(text: str) -> PartialDate:
    t = text.strip().lower()
    if m := _RE_DAY.match(t):
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)), text)
    if m := _RE_DMY.match(t):
        return _day(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    if m := _RE_MONTH.match(t):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(year, text)
        _check_month(month, text)
        return PartialDate(text, dt.date(year, month, 1), _month_end(year, month), "month")
    if m := _RE_YEAR.match(t):
        year = int(m.group(1))
        _check_year(year, text)
        return PartialDate(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    if m := _RE_PERIOD.match(t):
        word = (m.group(1) or m.group(4) or "").strip().rstrip(",")
        year = int(m.group(2) or m.group(3))
        months = _PERIODS.get(word)
        if months is not None:
            _check_year(year, text)
            first, last = months
            return PartialDate(text, dt.date(year, first, 1), _month_end(year, last), "season")
    raise ValidationError(
        _(
            "“%(text)s” is not a date Aigaq understands. Write it as 2018, 2018-03, "
            "2018-03-12, “spring 2018”, “end of 2018” or a range such as 2017..2019."
        ),
        code="invalid",
        params={"text": text},
    )


def _day(year: int, month: int, day: int, text: str) -> PartialDate:
    _check_year(year, text)
    _check_month(month, text)
    try:
        d = dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“%(text)s”: that month has no day %(day)s."),
            code="day",
            params={"text": text, "day": day},
        ) from None
    return PartialDate(text, d, d, "day")


def _check_not_future(part: PartialDate, text: str, today: dt.date) -> None:
    """What a testimony reports has happened: a date (or a range's second part) whose first
    possible day is after today (in the office's time zone) is a typing mistake ("2030" for
    "2020")."""
    if part.start > today:
        raise ValidationError(
            _("“%(text)s” is in the future: today is %(today)s."),
            code="future",
            params={"text": text, "today": today.isoformat()},
        )


def parse_partial_date(text: str, *, today: dt.date | None = None) -> PartialDate:
    """Parse what a volunteer typed. Raises ValidationError with a sentence saying why not.

    A date that cannot have begun yet (after `today`, by default today in the configured time
    zone, settings.TIME_ZONE) is refused: "spring 2026" is accepted on 2026-04-10, "2030" is
    not, nor a range whose second part has not begun."""
    parsed, last_part = _parse(text)
    _check_not_future(last_part, parsed.text, today or timezone.localdate())
    return parsed


def _parse(text: str) -> tuple[PartialDate, PartialDate]:
    """(the date, its last part: the date itself, or the second part of a range)."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError(_("Enter a date."), code="required")
    if len(text) > 60:
        raise ValidationError(_("A date is at most 60 characters."), code="too_long")
    if not (_RE_DAY.match(text) or _RE_MONTH.match(text)):
        m = _RE_RANGE.match(text)
        if m:
            first, second = _parse_single(m.group(1)), _parse_single(m.group(2))
            if second.end < first.start:
                raise ValidationError(
                    _("“%(text)s”: the range ends before it begins."),
                    code="order",
                    params={"text": text},
                )
            return PartialDate(text, first.start, second.end, "range"), second
    single = _parse_single(text)
    return single, single
