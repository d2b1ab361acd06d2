from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aigaq.core.checks import ctype_problem


class Command(BaseCommand):
    help = "Serve the staff interface with the Waitress web server (default http://127.0.0.1:8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to listen on (default 127.0.0.1: this machine only)",
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")

    def handle(self, *args: Any, **options: Any) -> None:
        import waitress  # type: ignore[import-untyped]

        from config.wsgi import application

        connection.ensure_connection()  # refuse to start with a wrong key, before serving
        problem = ctype_problem(connection)
        if problem:
            raise CommandError(problem)
        from aigaq.search.services import index_is_current

        if not index_is_current():
            self.stderr.write(
                self.style.WARNING(
                    "The search index was built by an older version of Aigaq, so searches may "
                    "miss persons: stop, run 'aigaq init' (it rebuilds the index), start again."
                )
            )
        connection.close()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Aigaq is serving on {url} (Ctrl+C stops it)."))
        waitress.serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="aigaq",
            **proxy_options(),
        )


def proxy_options() -> dict[str, Any]:
    """Behind a reverse proxy (AIGAQ_TRUSTED_PROXY): believe its X-Forwarded-For and
    X-Forwarded-Proto, so the client's own address is the one throttled and audited at
    sign-in and https is known; the same headers from anyone else are removed."""
    if not settings.AIGAQ_TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.AIGAQ_TRUSTED_PROXY,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }
