from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from aigaq.core.dates import parse_partial_date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2018", dt.date(2018, 1, 1), dt.date(2018, 12, 31)),
        ("2018-03", dt.date(2018, 3, 1), dt.date(2018, 3, 31)),
        ("2018-02", dt.date(2018, 2, 1), dt.date(2018, 2, 28)),
        ("2018-03-12", dt.date(2018, 3, 12), dt.date(2018, 3, 12)),
        ("12.03.2018", dt.date(2018, 3, 12), dt.date(2018, 3, 12)),
        ("early 2018", dt.date(2018, 1, 1), dt.date(2018, 4, 30)),
        ("spring 2018", dt.date(2018, 3, 1), dt.date(2018, 5, 31)),
        ("end of 2018", dt.date(2018, 9, 1), dt.date(2018, 12, 31)),
        ("весна 2018", dt.date(2018, 3, 1), dt.date(2018, 5, 31)),
        ("2018 көктем", dt.date(2018, 3, 1), dt.date(2018, 5, 31)),
        ("2018 жылы көктемде", dt.date(2018, 3, 1), dt.date(2018, 5, 31)),
        ("2018 жылдың соңы", dt.date(2018, 9, 1), dt.date(2018, 12, 31)),
        ("2018 ж. күзде", dt.date(2018, 9, 1), dt.date(2018, 11, 30)),
        ("2017..2019", dt.date(2017, 1, 1), dt.date(2019, 12, 31)),
        ("2017-2019", dt.date(2017, 1, 1), dt.date(2019, 12, 31)),
        ("2018-03..2018-06", dt.date(2018, 3, 1), dt.date(2018, 6, 30)),
    ],
)
def test_partial_dates_are_stored_as_ranges(text: str, start: dt.date, end: dt.date) -> None:
    pd = parse_partial_date(text)
    assert (pd.start, pd.end) == (start, end)
    assert pd.text == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2018-13", "there is no month 13"),
        ("2018-02-30", "that month has no day 30"),
        ("1850", "between 1900 and 2100"),
        ("2019..2017", "ends before it begins"),
        ("sometime", "is not a date Aigaq understands"),
        ("", "Enter a date"),
    ],
)
def test_bad_partial_dates_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_partial_date(text)
    assert message in " ".join(exc.value.messages)
