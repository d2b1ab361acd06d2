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
