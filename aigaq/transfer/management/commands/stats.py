"""`aigaq stats [--json]`: what this instance holds, to compare with another."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aigaq.transfer.stats import instance_stats


class Command(BaseCommand):
    help = (
        "Count every kind of record and digest the hashes of all media files. Two instances (a "
        "laptop and its server, an archive imported elsewhere) compare equal when they hold the "
        "same records and files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        stats = instance_stats()
        if opts["json"]:
            self.stdout.write(json.dumps(stats, indent=2, sort_keys=True))
            return
        width = max(len(k) for k in stats["records"])
        for label, count in stats["records"].items():
            self.stdout.write(f"{label:<{width}}  {count:>10}")
        media = stats["media"]
        self.stdout.write(f"\nmedia files {media['files']}, digest {media['sha256_digest']}")
