"""Sending a sealed file over HTTP with byte ranges: the one place both the staff interface
(aigaq/staff/media.py) and the public site (aigaq/public/media.py) build their responses.
Who may be sent what is asked of disclosure before these are called, never here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from aigaq.media.ranges import ByteRange, parse_range


class SealedRangeBody:
    """The bytes [start, end) of a sealed reader, decrypted chunk by chunk as the response is
    sent; the reader is closed with the response (even one never iterated: a HEAD request)."""

    def __init__(self, reader: Any, start: int, end: int) -> None:
        self.reader, self.start, self.end = reader, start, end

    def __iter__(self) -> Any:
        return iter(self.reader.iter_range(self.start, self.end))

    def close(self) -> None:
        self.reader.close()


def wanted_range(request: HttpRequest, size: int, etag: str) -> ByteRange | None:
    """The range the request asks of a file of `size` bytes tagged `etag` (None: all of it;
    an `If-Range` with another tag asks all of it: the file changed since the first part).
    Raises ranges.RangeNotSatisfiable for a range outside the file."""
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        header = None
    return parse_range(header, size)


def not_satisfiable(size: int) -> HttpResponse:
    refused = HttpResponse(status=416)
    refused["Content-Range"] = f"bytes */{size}"
    refused["Accept-Ranges"] = "bytes"
    return refused


def range_response(
    reader: Any,
    wanted: ByteRange | None,
    *,
    size: int,
    etag: str,
    content_type: str,
    disposition: str = "inline",
    cache_control: str = "no-store",
) -> StreamingHttpResponse:
    """200 with the whole file, or 206 with the range `wanted`, decrypted as it is sent."""
    start, end = (wanted.start, wanted.end) if wanted is not None else (0, size)
    response = StreamingHttpResponse(
        SealedRangeBody(reader, start, end),
        status=206 if wanted is not None else 200,
        content_type=content_type,
    )
    response["Content-Length"] = str(end - start)
    if wanted is not None:
        response["Content-Range"] = wanted.content_range(size)
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response
