"""`aigaq serve --production`: gunicorn in front of Aigaq's WSGI application
(docs/decisions/0013-production-server.md, docs/deploy.md).

Gunicorn forks its worker processes from a master that has already loaded Django (the
command has checked the database and collected the static files by then), so a broken setting
stops the start instead of every worker failing on its own. Each worker runs threads (the
`gthread` worker): a long upload or a video sent in ranges holds a thread, not a whole process,
and the master's liveness check does not kill a worker that is busy with one.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO")


def default_workers() -> int:
    """Two processes per processor, at most 8 (each holds up to `threads` database
    connections; PostgreSQL allows 100 by default)."""
    return max(2, min(2 * (os.cpu_count() or 1), 8))


class TrustedProxy:
    """What Waitress's trusted_proxy does for the laptop server, for gunicorn: a request from
    the reverse proxy's address gets the client's address (the last X-Forwarded-For entry,
    the one the proxy added) as REMOTE_ADDR, which sign-in throttling and the audit log
    record; the forwarded headers of any other sender are removed, so nobody can claim
    another address or https."""

    def __init__(self, app: WSGIApp, proxy: str) -> None:
        self.app = app
        self.proxy = proxy

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REMOTE_ADDR") == self.proxy:
            forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
            client = forwarded.split(",")[-1].strip()
            if client:
                environ["REMOTE_ADDR"] = client
        else:
            for name in FORWARDED:
                environ.pop(name, None)
        return self.app(environ, start_response)


def client_timeouts() -> tuple[float, float]:
    """(seconds a client may leave a request's body silent, the slowest average rate in bytes
    a second it may send it at): AIGAQ_CLIENT_TIMEOUT (default 30) and AIGAQ_CLIENT_MIN_RATE
    (default 10000, 10 kB/s: a 4 GB file in under five days; the resumable uploads send
    parts and keep what arrived)."""
    idle = float(os.environ.get("AIGAQ_CLIENT_TIMEOUT", "30"))
    rate = float(os.environ.get("AIGAQ_CLIENT_MIN_RATE", "10000"))
    return idle, rate


class ClientTooSlow(OSError):
    """A request's body came slower than the server allows (SlowBodyGuard)."""


class _DeadlineInput:
    """wsgi.input read no later than a deadline: each read may wait at most `idle` seconds
    for the socket and never past the deadline (the socket's own timeout), then fails."""

    def __init__(self, stream: Any, sock: Any, deadline: float, idle: float) -> None:
        self._stream, self._sock, self._deadline, self._idle = stream, sock, deadline, idle

    def _arm(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise ClientTooSlow("the request's body came too slowly")
        if self._sock is not None:
            self._sock.settimeout(min(self._idle, left))

    def _call(self, name: str, *args: Any) -> Any:
        self._arm()
        try:
            return getattr(self._stream, name)(*args)
        except TimeoutError as exc:
            raise ClientTooSlow("the request's body came too slowly") from exc

    def read(self, *args: Any) -> bytes:
        return self._call("read", *args)  # type: ignore[no-any-return]

    def readline(self, *args: Any) -> bytes:
        return self._call("readline", *args)  # type: ignore[no-any-return]

    def readlines(self, *args: Any) -> list[bytes]:
        return self._call("readlines", *args)  # type: ignore[no-any-return]

    def __iter__(self) -> Any:
        return iter(self.readline, b"")


class SlowBodyGuard:
    """A thread of gunicorn's reads a request's body while the application asks for it: a
    client that trickles a body (slowloris) would hold that thread for as long as it likes.
    Here the body must come within AIGAQ_CLIENT_TIMEOUT seconds plus its length at
    AIGAQ_CLIENT_MIN_RATE, with no silence longer than AIGAQ_CLIENT_TIMEOUT; past that a
    read fails (ClientTooSlow, an OSError: Django refuses the request, a resumable upload
    keeps what arrived) and the thread is free again. The headers are gunicorn's own
    concern (a connection whose headers do not come is handed back to its poller)."""

    def __init__(self, app: WSGIApp, idle: float, rate: float) -> None:
        self.app, self.idle, self.rate = app, idle, rate

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > 0 or environ.get("HTTP_TRANSFER_ENCODING"):
            deadline = time.monotonic() + self.idle + max(length, 0) / self.rate
            environ["wsgi.input"] = _DeadlineInput(
                environ["wsgi.input"], environ.get("gunicorn.socket"), deadline, self.idle
            )
        return self.app(environ, start_response)


def gunicorn_serve(
    application: WSGIApp,
    *,
    bind: str,
    workers: int,
    threads: int,
    trusted_proxy: str,
    when_ready: Callable[[], None],
) -> None:
    """Run gunicorn on `application` until it is stopped (SIGTERM or SIGINT: a graceful stop,
    requests under way are finished first)."""
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]

    app = TrustedProxy(application, trusted_proxy) if trusted_proxy else application
    app = SlowBodyGuard(app, *client_timeouts())
    options: dict[str, Any] = {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        # The proxy's X-Forwarded-Proto decides wsgi.url_scheme only from the trusted proxy.
        "forwarded_allow_ips": trusted_proxy or "",
        "proc_name": "aigaq",
        # No control socket in the home folder (two sites on one machine would share it);
        # the service manager starts and stops the server.
        "control_socket_disable": True,
        # Errors to stderr (the service manager's journal); no access log: request lines name
        # the persons and searches looked at, which the audit log records where it must.
        "errorlog": "-",
        "accesslog": None,
        "graceful_timeout": 30,
        # A worker is replaced after this many requests (with some spread), so a slow leak
        # never grows for weeks.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "when_ready": lambda server: when_ready(),
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> WSGIApp:
            return app

    Server().run()
