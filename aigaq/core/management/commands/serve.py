from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.checks import Tags
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
        # The other apps' database checks (the search index's age, aigaq.search.checks).
        for message in checks.run_checks(databases=[connection.alias], tags=[Tags.database]):
            if message.is_serious():
                raise CommandError(message.msg)
            if not message.is_silenced():
                self.stderr.write(self.style.WARNING(message.msg))
        connection.close()
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Aigaq is serving on {url} (Ctrl+C stops it)."))
        waitress.serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="aigaq",
        )
