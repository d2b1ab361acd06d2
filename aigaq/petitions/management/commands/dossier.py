"""aigaq dossier: a dossier (or, with --wall, the wall of sorrow) for a selection of persons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.petitions.dossier import (
    DOSSIER_LANGUAGES,
    PAPERS,
    DossierRefused,
    dossier_make,
    refusal_text,
)
from aigaq.petitions.selection import (
    DOSSIER_FIELDS,
    SelectionRefused,
    add_selection_arguments,
    selection_from_options,
)
from aigaq.search.filters import SYSTEM


class Command(BaseCommand):
    help = (
        "Make a dossier for a conference or the press (a cover, a table of the persons, one "
        "page per person) or, with --wall, the wall of sorrow (a sheet of photos with names "
        "and hometowns), for the persons a selection leaves (place, tag, status, citizenship, "
        "entry numbers). Only persons whose families consented to publication are named; the "
        "others are listed as left out, with the reason. Written whole or not at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--title", required=True, help="the title on the cover")
        # --place, --tag, --status, --citizenship, --person
        add_selection_arguments(parser, DOSSIER_FIELDS)
        parser.add_argument(
            "--language",
            required=True,
            help="the dossier's language: " + ", ".join(lang.code for lang in DOSSIER_LANGUAGES),
        )
        parser.add_argument("--format", default="pdf", help="pdf or docx (the wall: pdf)")
        parser.add_argument("--wall", action="store_true", help="the wall of sorrow instead")
        parser.add_argument("--paper", default="A4", help="the wall's paper: A4 or A3")
        parser.add_argument("-o", "--output", required=True, metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            selection = selection_from_options(opts, DOSSIER_FIELDS)
        except SelectionRefused as exc:
            raise CommandError(str(exc)) from None
        paper = (opts["paper"] or "").upper()
        if paper not in PAPERS:
            raise CommandError(
                _("Choose the paper among %(papers)s.") % {"papers": ", ".join(PAPERS)}
            )
        persons = selection.persons(SYSTEM)
        try:
            result = dossier_make(
                actor=None,
                title=opts["title"],
                persons=persons,
                language=opts["language"],
                fmt=(opts["format"] or "").lower(),
                output=Path(opts["output"]),
                wall=opts["wall"],
                paper=paper,
                selection=selection.as_record(),
            )
        except DossierRefused as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s")
                % {"file": opts["output"], "error": exc.strerror}
            ) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        built = result.document.dossier
        for number, reason in built.left_out:
            self.stdout.write(
                _("Left out #%(n)s: %(why)s") % {"n": number, "why": refusal_text(reason)}
            )
        self.stdout.write(
            _("Wrote %(file)s: %(n)s persons, %(photos)s with a photo, %(pages)s pages.")
            % {
                "file": result.output,
                "n": len(built.persons),
                "photos": built.with_photo,
                "pages": result.document.pages or "?",
            }
        )
