"""`aigaq migrate-to postgres://…`: this embedded instance moved to PostgreSQL, media included,
then compared on both sides (aigaq/transfer/migrate_to.py; docs/deploy.md, section 8)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from aigaq.transfer.migrate_to import BATCH, MigrateError, migrate_to


class Command(BaseCommand):
    help = (
        "Move this instance (its SQLCipher database and media) to an empty PostgreSQL "
        "database, then compare record counts, table hashes and the media digest on both "
        "sides. Interrupted, run it again: it goes on where it stopped. Stop `aigaq serve` and "
        "the workers first. Exits non-zero on any difference."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "url", help="the target, postgres://USER:PASSWORD@HOST:5432/NAME (an empty database)"
        )
        parser.add_argument(
            "--media-to",
            type=Path,
            help="the server's media folder (its AIGAQ_DATA_DIR/media), when it is not this "
            "instance's: the sealed files are copied there as they are",
        )
        parser.add_argument(
            "--media-key-file",
            type=Path,
            help="the key file the server will use (its AIGAQ_DB_KEY_FILE): written with this "
            "instance's media key material, or checked when it exists. Without it the server "
            "must use the same database key as this instance",
        )
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"rows per batch (default {BATCH})"
        )
        parser.add_argument("--json", action="store_true", help="print the comparison as JSON")

    def handle(self, *args: Any, **opts: Any) -> None:
        quiet = opts["json"] or not sys.stderr.isatty()

        def log(line: str) -> None:
            if not opts["json"]:
                self.stderr.write(line)

        def bar(label: str, total: int) -> Any:
            unit = "B" if label == "media" else " rows"
            return tqdm(
                total=total,
                desc=label,
                unit=unit,
                unit_scale=label == "media",
                disable=quiet,
                leave=False,
                file=sys.stderr,
            )

        try:
            outcome = migrate_to(
                opts["url"],
                media_to=opts["media_to"],
                media_key_file=opts["media_key_file"],
                batch=opts["batch"],
                log=log,
                bar=bar,
            )
        except MigrateError as exc:
            raise CommandError(str(exc)) from None
        data = outcome.as_dict()
        if opts["json"]:
            self.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))
        else:
            self._print(data)
        if not outcome.comparison.ok:
            raise CommandError(
                _("The target differs from this instance: %(what)s.")
                % {"what": ", ".join(outcome.comparison.differences)}
            )

    def _print(self, data: dict[str, Any]) -> None:
        width = max(len(t["model"]) for t in data["tables"])
        self.stdout.write(f"{'model':<{width}}  {'rows here':>10}  {'rows there':>10}  hashes")
        for t in data["tables"]:
            same = "equal" if t["equal"] else "DIFFERENT"
            self.stdout.write(
                f"{t['model']:<{width}}  {t['source']['rows']:>10}  {t['target']['rows']:>10}  "
                f"{same} {t['target']['sha256'][:12]}"
            )
        media = data["media"]
        self.stdout.write(
            f"\nmedia: {media['source']['files']} files here, {media['target']['files']} there; "
            f"digest {'equal' if media['equal'] else 'DIFFERENT'} "
            f"({media['target']['sha256_digest'][:12]}); {media['files_checked']} files checked "
            f"in {media['folder']}: {len(media['missing'])} missing, "
            f"{len(media['wrong_key'])} under another key"
        )
        self.stdout.write(
            f"media key: {data['media_key']}; files copied {data['media_copied']}, "
            f"already there {data['media_kept']}"
        )
        for line in data["counters_raised"]:
            self.stdout.write(f"counter raised to the highest number copied: {line}")
        verdict = "EQUAL" if data["ok"] else "DIFFERENT"
        self.stdout.write(
            f"\n{verdict}: {sum(t['target']['rows'] for t in data['tables'])} rows in "
            f"{len(data['tables'])} tables, {data['seconds']} s"
            + (" (continued from an earlier run)" if data["resumed"] else "")
        )
