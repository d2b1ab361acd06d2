"""A loopback feed: the plaintext of a sealed file served to ffmpeg or ffprobe at a random
address on 127.0.0.1, alive only while a block runs.

ffmpeg and ffprobe need to seek (a phone's MP4 keeps its index at the end), which a pipe cannot
give, and a decrypted copy on disk is what the archive must never leave. So the reader (a
crypto.SealedReader, or anything with `size` and `iter_range(start, end)`) is served with Range
support at http://127.0.0.1:<port>/<random path>; the path is the only secret and is never
logged. Trade-off (docs/media.md): while the block runs, another program of the same machine
that reads the process list could fetch that one file.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aigaq.media.ranges import RangeNotSatisfiable, parse_range


class _FeedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _FeedServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        return  # the path is the feed's secret: never logged

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def _answer(self, *, body: bool) -> None:
        if not secrets.compare_digest(self.path, self.server.secret_path):
            self.send_error(404)
            return
        with self.server.open_reader() as reader:
            size = reader.size
            try:
                wanted = parse_range(self.headers.get("Range"), size)
            except RangeNotSatisfiable:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            start, end = (wanted.start, wanted.end) if wanted else (0, size)
            self.send_response(206 if wanted else 200)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(end - start))
            if wanted:
                self.send_header("Content-Range", wanted.content_range(size))
            self.end_headers()
            if not body:
                return
            try:
                for piece in reader.iter_range(start, end):
                    self.wfile.write(piece)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # ffmpeg sought elsewhere and hung up


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    secret_path: str
    open_reader: Callable[[], Any]


@contextmanager
def LoopbackFeed(open_reader: Callable[[], Any]) -> Iterator[str]:  # noqa: N802 - a resource
    """Serve the plaintext `open_reader()` gives (a reader with `size` and `iter_range`, a
    context manager) at a random URL on 127.0.0.1 while the block runs; yields the URL."""
    server = _FeedServer(("127.0.0.1", 0), _FeedHandler)
    server.secret_path = "/" + secrets.token_urlsafe(24)
    server.open_reader = open_reader
    thread = threading.Thread(target=server.serve_forever, name="media-feed", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}{server.secret_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _FileRange:
    """A seekable file object read as a feed's reader (`size`, `iter_range`); the lock keeps
    the concurrent range requests ffprobe makes from moving each other's position."""

    def __init__(self, fileobj: Any, size: int, lock: threading.Lock) -> None:
        self.fileobj, self.size, self.lock = fileobj, size, lock

    def __enter__(self) -> _FileRange:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def iter_range(self, start: int, end: int) -> Iterator[bytes]:
        pos = start
        while pos < end:
            with self.lock:
                self.fileobj.seek(pos)
                piece = self.fileobj.read(min(1024 * 1024, end - pos))
            if not piece:
                return
            yield piece
            pos += len(piece)


@contextmanager
def feed_fileobj(fileobj: Any, size: int) -> Iterator[str]:
    """LoopbackFeed for an open, seekable file object of `size` bytes (left open)."""
    lock = threading.Lock()
    with LoopbackFeed(lambda: _FileRange(fileobj, size, lock)) as url:
        yield url
