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


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("2026-04-10", True),
        ("spring 2026", True),  # it has begun
        ("2026", True),
        ("2026-04-11", False),
        ("2026-05", False),
        ("2030", False),
        ("2024..2027", False),  # a range whose second part has not begun
        ("2024..2026", True),
    ],
)
def test_a_date_that_has_not_begun_by_today_is_refused(text: str, accepted: bool) -> None:
    today = dt.date(2026, 4, 10)
    if accepted:
        parse_partial_date(text, today=today)
    else:
        with pytest.raises(ValidationError) as exc:
            parse_partial_date(text, today=today)
        assert "is in the future: today is 2026-04-10" in " ".join(exc.value.messages)


def test_today_is_the_configured_time_zones(settings: object) -> None:
    """23:30 UTC on 31 December is already the new year in Almaty (UTC+5)."""
    from unittest import mock

    from django.utils import timezone

    late = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=late):
        parse_partial_date("2026-01-01")  # Almaty's today
        with timezone.override("UTC"), pytest.raises(ValidationError):
            parse_partial_date("2026-01-01")
