from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import Tags
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aigaq.core import keys
from aigaq.core.checks import ctype_problem

WORKER_STOP_SECONDS = 30


class Command(BaseCommand):
    help = (
        "Serve the staff interface with the Waitress web server (default "
        "http://127.0.0.1:8000), with one background worker beside it (`aigaq worker`: imports "
        "and duplicate scans run there). Ctrl+C stops both; a job under way is finished first. "
        "On a server, `--production` serves with gunicorn instead (settings only from the "
        "environment, static files collected and compressed; docs/deploy.md)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="address to listen on (default 127.0.0.1: this machine only)",
        )
        parser.add_argument(
            "--port", type=int, default=None, help="port (default 8000; 8080 with --public)"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads per server process (default 8; 4 with --production)",
        )
        parser.add_argument(
            "--production",
            action="store_true",
            help="serve with gunicorn, several processes (settings only from the environment: "
            "AIGAQ_SECRET_KEY and AIGAQ_ALLOWED_HOSTS required; static files collected into "
            "AIGAQ_STATIC_ROOT, default the data folder's static/); no worker is started: run "
            "`aigaq worker` as services of their own",
        )
        parser.add_argument(
            "--bind",
            metavar="HOST:PORT",
            help="with --production: the address to listen on (default --host and --port); "
            "unix:/run/aigaq.sock for a socket",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="with --production: server processes (default twice the processors, at most 8)",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="start no background worker (a server that runs `aigaq worker` as its own "
            "service)",
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="serve the public site alone (no staff page, sign-in or admin answers; no "
            "worker): what a group puts on the open internet",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["production"] and not settings.PRODUCTION:
            raise CommandError(
                "--production needs the production settings: start it as `aigaq serve "
                "--production`, or set AIGAQ_PRODUCTION=1."
            )
        if not options["production"] and (options["bind"] or options["workers"]):
            raise CommandError("--bind and --workers go with --production.")
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        if options["public"] or options["production"]:
            options["no_worker"] = True
        if options["port"] is None:
            options["port"] = 8080 if options["public"] else 8000
        if options["threads"] is None:
            options["threads"] = 4 if options["production"] else 8

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
        if options["production"]:
            # Hashed names and compressed copies, written where WhiteNoise serves them from:
            # always the files of the code being started, so an upgrade needs no extra step.
            call_command("collectstatic", interactive=False, verbosity=0)
        connection.close()
        # `aigaq lock` finds this process by its pid file and stops it.
        keys.process_register("serve")
        # After collectstatic: WhiteNoise lists the collected files when the application is
        # made (in production mode it does not look again).
        from config.wsgi import application, public_application

        if options["public"]:
            application = public_application()
        if options["production"]:
            self._serve_production(application, options)
            return
        url = f"http://{options['host']}:{options['port']}/"
        worker = None
        try:
            # SIGTERM (a service manager, `kill`) stops the server as Ctrl+C does, so the
            # worker is stopped too; from here on either may come at any moment.
            signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
            if not options["no_worker"]:
                worker = self._start_worker()
            what = "The public site" if options["public"] else "Aigaq"
            self.stdout.write(self.style.SUCCESS(f"{what} is serving on {url} (Ctrl+C stops it)."))
            # At once, even when the output is a pipe (a service manager's log, a script
            # waiting for this line): Python keeps piped output in a buffer until it is full.
            self.stdout.flush()
            import waitress  # type: ignore[import-untyped]

            waitress.serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="aigaq",
                # waitress reads every body itself before a thread takes the request, so a
                # slow client holds a connection, never a thread; a connection silent for
                # AIGAQ_CHANNEL_TIMEOUT seconds (default 120) is closed.
                channel_timeout=channel_timeout(),
                cleanup_interval=max(1, min(30, channel_timeout() // 2)),
                **proxy_options(),
            )
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                self._stop_worker(worker)

    def _serve_production(self, application: Any, options: dict[str, Any]) -> None:
        from aigaq.core.production import default_workers, gunicorn_serve

        bind = options["bind"] or f"{options['host']}:{options['port']}"
        workers = options["workers"] or default_workers()
        what = "The public site" if options["public"] else "Aigaq"

        def ready() -> None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{what} is serving on {bind} in production mode with gunicorn "
                    f"({workers} processes of {options['threads']} threads; SIGTERM stops it)."
                )
            )
            self.stdout.flush()

        gunicorn_serve(
            application,
            bind=bind,
            workers=workers,
            threads=options["threads"],
            trusted_proxy=settings.AIGAQ_TRUSTED_PROXY,
            when_ready=ready,
        )

    def _start_worker(self) -> subprocess.Popen[bytes]:
        """One `aigaq worker` in a session of its own: Ctrl+C in the terminal reaches only the
        server, which then asks the worker to stop once (it finishes the job under way)."""
        worker = subprocess.Popen(
            [sys.executable, "-m", "aigaq.cli", "worker", "--no-reload"],
            start_new_session=True,
        )
        self.stdout.write(f"Background worker started (process {worker.pid}).")
        self.stdout.flush()
        return worker

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is not None:
            return
        worker.send_signal(signal.SIGTERM)  # the first signal: finish the job under way
        try:
            try:
                worker.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.stdout.write(
                    "The background worker is finishing a job; waiting (Ctrl+C again stops the "
                    "job now: what it was writing is undone and its page says so)."
                )
                worker.wait()
        except KeyboardInterrupt:
            worker.send_signal(signal.SIGTERM)  # the second signal: the job stops now
            worker.wait()


def _raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def channel_timeout() -> int:
    return int(os.environ.get("AIGAQ_CHANNEL_TIMEOUT", "120"))


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
