"""The one reading of an HTTP Range header (aigaq.media.ranges)."""

from __future__ import annotations

import pytest

from aigaq.media.ranges import ByteRange, RangeNotSatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-", ByteRange(0, 1000)),
        ("bytes=0-99", ByteRange(0, 100)),
        ("bytes=500-599", ByteRange(500, 600)),
        ("bytes=990-5000", ByteRange(990, 1000)),  # clipped to the file
        ("bytes=-100", ByteRange(900, 1000)),  # the last 100 bytes
        ("bytes=-5000", ByteRange(0, 1000)),
        ("BYTES = 10 - 19", ByteRange(10, 20)),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file, as RFC 9110 allows
        ("items=0-9", None),
        ("bytes=9-3", None),  # unreadable: ignored
        ("bytes=-", None),
    ],
)
def test_ranges_are_read_as_rfc_9110_says(header: str | None, expected: ByteRange | None) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_outside_the_file_is_not_satisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 1000)


def test_content_range_names_the_last_byte_and_the_size() -> None:
    assert ByteRange(500, 600).content_range(1000) == "bytes 500-599/1000"
