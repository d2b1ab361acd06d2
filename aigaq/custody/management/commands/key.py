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
        "any two of three rebuild it). "
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

    def handle(self, *args: Any, **options: Any) -> None:
        self._shares(options)

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
