"""aigaq media encrypt-existing: seal the originals an older Aigaq stored in clear."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.core.keys import DatabaseKeyError
from aigaq.media.encrypt_existing import EncryptExistingError, encrypt_existing


class Command(BaseCommand):
    help = (
        "The media archive. `media encrypt-existing` encrypts in place every original that an "
        "older Aigaq stored in clear: each is sealed, read back and re-hashed before its clear "
        "copy is removed. Safe to interrupt and run again: it resumes and loses no file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "encrypt-existing",
            help="encrypt the originals still stored in clear (resumable)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            report = encrypt_existing(progress=_("Encrypting") if opts["verbosity"] else None)
        except (EncryptExistingError, DatabaseKeyError) as exc:
            raise CommandError(str(exc)) from None
        if opts["verbosity"]:
            self.stdout.write(
                _(
                    "Originals encrypted: %(sealed)s (%(bytes)s bytes); finished after an "
                    "interrupted run: %(finished)s."
                )
                % {"sealed": report.sealed, "bytes": report.bytes, "finished": report.finished}
            )
        for path in report.altered:
            self.stderr.write(
                _("Left in clear, its bytes no longer match its name: %(p)s") % {"p": path}
            )
        if report.altered:
            raise CommandError(
                _(
                    "%(n)s originals no longer match their SHA-256 and were left unencrypted: "
                    "restore them from a copy, then run this again."
                )
                % {"n": len(report.altered)}
            )
