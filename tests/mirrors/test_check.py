"""`aigaq mirrors check`: against a local web server in a thread (no network); offline, it
says so and changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from aigaq.mirrors.models import Mirror
from aigaq.mirrors.services import NetworkError, Offline, mirror_add, mirrors_check
from tests import factories

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    def do_HEAD(self) -> None:  # noqa: N802 - the standard library's name
        if self.path == "/no-head":
            self.send_response(405)
        elif self.path.startswith("/gone"):
            self.send_response(404)
        else:
            self.send_response(200)
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_answering_and_gone_mirrors_are_recorded_with_the_time(server: str) -> None:
    t = factories.testimony()
    ok = mirror_add(actor=None, testimony=t, url=f"{server}/watch?v=1")
    gone = mirror_add(actor=None, testimony=t, url=f"{server}/gone/2")
    head_refused = mirror_add(actor=None, testimony=t, url=f"{server}/no-head")
    out = StringIO()
    call_command("mirrors", "check", stdout=out)
    for mirror, status in ((ok, "answering"), (gone, "gone"), (head_refused, "answering")):
        mirror.refresh_from_db()
        assert mirror.last_status == status
        assert mirror.last_checked_at is not None
    assert "3 mirrors checked: 2 answering, 1 gone, 0 unknown." in out.getvalue()


def test_offline_it_says_so_and_changes_nothing() -> None:
    t = factories.testimony()
    mirror = mirror_add(actor=None, testimony=t, url="https://www.youtube.com/watch?v=abc")

    def no_network(url: str, timeout: float) -> int:
        raise NetworkError("Temporary failure in name resolution")

    with pytest.raises(Offline):
        mirrors_check(actor=None, fetch=no_network)
    mirror.refresh_from_db()
    assert mirror.last_status == "unknown" and mirror.last_checked_at is None


def test_offline_from_the_command_line_when_nothing_connects() -> None:
    # A port nobody listens on: connection refused, as with no network at all.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t = factories.testimony()
    mirror_add(actor=None, testimony=t, url=f"http://127.0.0.1:{port}/v")
    with pytest.raises(CommandError, match="seems offline. Nothing was changed."):
        call_command("mirrors", "check", "--timeout", "2")
    assert Mirror.objects.get().last_checked_at is None
