"""aigaq dossier: a dossier (or, with --wall, the wall of sorrow) for a selection of persons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aigaq.people.models import Person
from aigaq.petitions.batch import BatchRefused, place_from_text
from aigaq.petitions.dossier import (
    DOSSIER_LANGUAGES,
    PAPERS,
    DossierRefused,
    dossier_make,
    dossier_selection,
    refusal_text,
)
from aigaq.search.filters import SYSTEM, filters_from


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
        parser.add_argument(
            "--place",
            help="persons from this place or inside it (a gazetteer code, or a name in any "
            "script: Tekes, Текес, 特克斯)",
        )
        parser.add_argument("--tag", help="persons with this tag (its key, e.g. detained-imams)")
        parser.add_argument("--status", help="persons of this current status (e.g. camp)")
        parser.add_argument(
            "--citizenship", default="", help="persons holding this citizenship (e.g. KZ)"
        )
        parser.add_argument(
            "--person",
            type=int,
            action="append",
            default=[],
            metavar="NUMBER",
            help="only these entry numbers (again for each)",
        )
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
        for number in opts["person"]:
            person = Person.objects.filter(entry_no=number).only("merged_into_id").first()
            if person is None:
                raise CommandError(_("There is no entry #%(n)s.") % {"n": number})
        filters: dict[str, Any] = {k: opts.get(k) for k in ("status", "tag")}
        selection = {k: v for k, v in filters.items() if v}
        try:
            if opts.get("place"):
                filters["place"] = place_from_text(opts["place"]).code
                selection["place"] = filters["place"]
            filters = filters_from(filters)
        except (BatchRefused, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if opts["citizenship"]:
            selection["citizenship"] = opts["citizenship"].upper()
        if opts["person"]:
            selection["entries"] = sorted(set(opts["person"]))
        paper = (opts["paper"] or "").upper()
        if paper not in PAPERS:
            raise CommandError(
                _("Choose the paper among %(papers)s.") % {"papers": ", ".join(PAPERS)}
            )
        persons = dossier_selection(
            SYSTEM, filters=filters, citizenship=opts["citizenship"], numbers=opts["person"]
        )
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
                selection=selection,
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
