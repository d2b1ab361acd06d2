"""aigaq public build OUT/: the public site as static files, for any static host, a USB stick
or a mirror (docs/public-site.md, "The static edition and mirroring")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.public.static_build import MANIFEST, PageError, build


class Command(BaseCommand):
    help = (
        "The public site as static files: `build OUT/` writes every public page in the eight "
        "languages, the open data, the search index and the static files into OUT (again: "
        "only what changed, and what no longer belongs is removed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        b = sub.add_parser("build", help="write the static edition into a folder")
        b.add_argument("out", help="the folder (made if missing; empty, or an earlier build)")
        b.add_argument(
            "--base-url",
            default="http://localhost",
            help="where the edition will be served: the address the feed and sitemap name",
        )
        b.add_argument("--json", action="store_true", help="print the summary as JSON")
        b.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes that render the entries' pages (default 1; up to the cores)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["out"])
        if out.exists() and not out.is_dir():
            raise CommandError(_("%(p)s is a file, not a folder.") % {"p": out})
        if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
            raise CommandError(
                _("%(p)s holds other files: give an empty folder or an earlier build.") % {"p": out}
            )
        base = opts["base_url"]
        if not base.startswith(("http://", "https://")):
            raise CommandError(_("--base-url must begin with http:// or https://."))
        if opts["workers"] < 1:
            raise CommandError(_("--workers must be at least 1."))
        verbose = opts["verbosity"] > 1
        try:
            summary = build(
                out,
                base_url=base,
                progress=self.stderr.write if verbose else None,
                workers=opts["workers"],
            )
        except PageError as exc:
            raise CommandError(str(exc)) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(
            _(
                "%(kind)s build of %(entries)d entries in %(s).1f s: %(files)d files "
                "(%(pages)d pages), %(written)d written, %(unchanged)d unchanged, "
                "%(removed)d removed."
            )
            % {
                "kind": _("Full") if summary.full else _("Incremental"),
                "entries": summary.entries,
                "s": summary.seconds,
                "files": summary.files,
                "pages": summary.pages,
                "written": summary.written,
                "unchanged": summary.unchanged,
                "removed": summary.removed,
            }
        )
        if summary.failed:
            self.stdout.write(
                _("Pages that did not answer, left out: %(l)s")
                % {"l": ", ".join(summary.failed[:10])}
            )
        if summary.dangling:
            self.stdout.write(
                _("Links to pages the edition does not hold: %(l)s")
                % {"l": ", ".join(summary.dangling[:10])}
            )
