"""HTTP byte ranges (RFC 9110 §14): the one reading of a `Range` header, for the staff player
(aigaq/staff/media.py) and the loopback feed of the transcoder (aigaq/media/transcode.py).

Only one range per request is served (a player never asks for several); a header with several
is answered with the whole file, which RFC 9110 allows (a server may ignore Range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class RangeNotSatisfiable(ValueError):
    """The range lies outside the file (416)."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # exclusive

    @property
    def length(self) -> int:
        return self.end - self.start

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end - 1}/{size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The range a `Range` header asks of a file of `size` bytes; None for the whole file (no
    header, a unit other than bytes, several ranges, or a header that cannot be read, which
    RFC 9110 says to ignore). RangeNotSatisfiable when it lies outside the file."""
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return ByteRange(max(0, size - n), size)
    start = int(first)
    if start >= size:
        raise RangeNotSatisfiable(header)
    end = size if not last else min(int(last) + 1, size)
    if end <= start:  # last < first: a header that cannot be read
        return None
    return ByteRange(start, end)
