from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aigaq.core import keys
from aigaq.custody.shares import CustodyError, shares_make


class Command(BaseCommand):
    help = (
        "Make key shares of the database key for paper (`key shares --split 3 --threshold 2`: "
        "any two of three rebuild it), or give the database a new key (`key rotate`). "
        "Shares are SLIP-39 word lists (docs/security.md, Keys); hand each to a different "
        "person, never keep two together, never beside the laptop."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        shares = sub.add_parser(
            "shares",
            help="print the database key as shares, any THRESHOLD of which rebuild it",
        )
        shares.add_argument("--split", type=int, default=3, help="how many shares (default 3)")
        shares.add_argument(
            "--threshold", type=int, default=2, help="how many rebuild the key (default 2)"
        )
        shares.add_argument("--json", action="store_true", help='print {"shares": [...]} only')
        shares.add_argument(
            "--qr", metavar="DIR", help="also write one QR code per share (SVG) into DIR"
        )
        rotate = sub.add_parser(
            "rotate",
            help="give the database and the media a new key (stop `aigaq serve` first); make "
            "new shares afterwards",
        )
        rotate.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "shares":
            self._shares(options)
        else:
            from aigaq.custody.rotation import RotationError, rotate

            if not options["yes"] and not _confirm(self):
                raise CommandError("Nothing was changed.")
            try:
                rotate(progress=lambda line: self.stdout.write(line))
            except (CustodyError, RotationError, keys.DatabaseKeyError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(
                self.style.SUCCESS(
                    "The database and the media now have a new key. The old shares no longer "
                    "rebuild it: make new ones now (`aigaq key shares`) and destroy the old "
                    "papers."
                )
            )

    def _shares(self, options: dict[str, Any]) -> None:
        key = keys.load_key(keys.key_source(), keys.data_dir())
        qr_dir = Path(options["qr"]) if options["qr"] else None
        if qr_dir is not None and qr_dir.exists() and not qr_dir.is_dir():
            raise CommandError(f"{qr_dir} is not a folder.")
        try:
            shares = shares_make(key=key, threshold=options["threshold"], count=options["split"])
        except CustodyError as exc:
            raise CommandError(str(exc)) from None
        written: list[Path] = []
        if qr_dir is not None:
            import segno

            qr_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            for number, share in enumerate(shares, start=1):
                path = qr_dir / f"share-{number}-of-{len(shares)}.svg"
                segno.make(share, error="m").save(str(path), scale=4, border=4)
                written.append(path)
        if options["json"]:
            self.stdout.write(json.dumps({"shares": shares}))
            return
        self.stdout.write(
            f"{len(shares)} shares; any {options['threshold']} of them rebuild the database "
            "key, fewer reveal nothing of it. Give each to a different trusted person, on "
            "paper, away from this laptop."
        )
        for number, share in enumerate(shares, start=1):
            self.stdout.write(f"\nShare {number} of {len(shares)}:\n{share}")
        for path in written:
            self.stdout.write(f"QR code: {path}")


def _confirm(command: BaseCommand) -> bool:
    command.stdout.write(
        "This gives the database and every media file a new key; the old key and its shares "
        "stop working. Stop `aigaq serve` first. Type yes to go on: ",
        ending="",
    )
    command.stdout.flush()
    try:
        return input().strip().lower() == "yes"
    except EOFError:
        return False
