"""aigaq petitions forms | check | generate | batch: petitions from the command line."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aigaq.people.models import Person
from aigaq.petitions.batch import BatchRefused, petitions_batch
from aigaq.petitions.registry import FormError, all_forms
from aigaq.petitions.selection import (
    BATCH_FIELDS,
    SelectionRefused,
    add_selection_arguments,
    selection_from_options,
)
from aigaq.petitions.services import PetitionRefused, petition_create, petition_generate, prepare
from aigaq.search.filters import SYSTEM

#: The entries of the shipped forms, each its own option (--applicant-iin → applicant_iin);
#: a form a coordinator adds may ask for others, given as --entry KEY=VALUE.
ENTRY_OPTIONS = (
    ("applicant_name", "the applicant's full name, as in their identity document (kz-mfa)"),
    ("applicant_iin", "the applicant's IIN, 12 digits (kz-mfa)"),
    ("applicant_address", "the applicant's postal address (kz-mfa)"),
    ("applicant_phone", "the applicant's telephone (kz-mfa)"),
    ("addressee", "whom the appeal is addressed to (kz-mfa; the form has a default)"),
    ("request", "what the applicant asks for (kz-mfa; the form has a default)"),
    ("substance", "the substance, instead of the one written from the record"),
    ("forces", "forces believed responsible (wgeid)"),
    ("steps", "steps taken by the family and their results (wgeid)"),
    ("authority", "authority that arrested and holds the person (wgad)"),
    ("grounds", "stated legal grounds or charges (wgad)"),
    ("category", "category of arbitrariness argued: I, II, III, IV, V (wgad)"),
    ("argument", "why the detention is arbitrary under that category (wgad)"),
    ("remedies", "domestic remedies tried and their results (wgad)"),
    ("source_name", "the source: person or organisation submitting (wgeid, wgad)"),
    ("source_address", "the source's postal address, telephone or e-mail (wgeid, wgad)"),
    ("source_relationship", "the source's relationship to the person (wgeid, wgad)"),
)
FLAG_OPTIONS = (
    ("confidential", "keep the source's identity confidential (wgeid, wgad)"),
    ("family_consent", "the family consents to the submission (wgeid, wgad)"),
)


class Command(BaseCommand):
    help = (
        "Petitions: `forms` lists the petition forms; `check` says what a person's petition "
        "still needs (exits 1 when it cannot be generated, saying why); `generate` writes it "
        "as PDF or DOCX and records it; `batch` writes one for every person a selection "
        "leaves, as one ZIP with a CSV index. The applicant's details and the other entries come "
        "from the options (--applicant-name, --applicant-iin, --forces, ... or --entry "
        "KEY=VALUE); on the staff pages, from the person's Petitions form."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("forms", help="list the petition forms (their names and titles)")
        for name, text in (
            ("check", "what is missing or weak for a person's petition"),
            ("generate", "write a person's petition as PDF or DOCX (and record it)"),
            (
                "batch",
                "one petition for every person the selection leaves, as one ZIP of files "
                "plus index.csv (each person written or skipped, and why)",
            ),
        ):
            cmd = sub.add_parser(name, help=text)
            if name == "batch":
                # --person, --place, --detained-year, --status, --ethnicity, --tag, --grade
                add_selection_arguments(cmd, BATCH_FIELDS)
                cmd.add_argument(
                    "--workers",
                    type=int,
                    default=min(4, os.cpu_count() or 1),
                    help="processes rendering the documents (default: the cores, at most 4)",
                )
            else:
                cmd.add_argument(
                    "--person",
                    type=int,
                    action="append",
                    required=True,
                    metavar="NUMBER",
                    help="the person's entry number (again for each relative, where the form "
                    "takes several)",
                )
            cmd.add_argument("--form", required=True, help="the form's name (see `forms`)")
            cmd.add_argument("--json", action="store_true", help="print one JSON object")
            if name in ("generate", "batch"):
                cmd.add_argument("--format", choices=("pdf", "docx"), required=True)
                cmd.add_argument(
                    "-o", "--output", required=True, metavar="ZIP" if name == "batch" else "FILE"
                )
            for key, help_text in ENTRY_OPTIONS:
                cmd.add_argument("--" + key.replace("_", "-"), dest=key, help=help_text)
            for key, help_text in FLAG_OPTIONS:
                cmd.add_argument(
                    "--" + key.replace("_", "-"), dest=key, action="store_true", help=help_text
                )
            cmd.add_argument(
                "--entry",
                action="append",
                default=[],
                metavar="KEY=VALUE",
                help="any other entry of the form",
            )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "forms":
            self._forms()
        elif opts["action"] == "check":
            self._check(opts)
        elif opts["action"] == "batch":
            self._batch(opts)
        else:
            self._generate(opts)

    def _forms(self) -> None:
        forms, errors = all_forms()
        for form in forms:
            self.stdout.write(f"{form.name}\t{form.title_in(get_language())}")
        for error in errors:
            self.stderr.write(error)
        if errors:
            raise CommandError(_("Some petition forms cannot be used (above)."))

    def _persons(self, numbers: list[int]) -> list[Person]:
        persons: list[Person] = []
        for number in numbers:
            person = Person.objects.filter(entry_no=number).first()
            if person is None:
                raise CommandError(_("There is no entry #%(n)s.") % {"n": number})
            if person.merged_into_id:
                raise CommandError(
                    _("Entry #%(n)s was merged into #%(m)s; use that number.")
                    % {"n": number, "m": person.merged_into.entry_no}  # type: ignore[union-attr]
                )
            persons.append(person)
        return persons

    def _entries(self, opts: dict[str, Any]) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        for key, _help in ENTRY_OPTIONS:
            if opts.get(key):
                entries[key] = opts[key]
        for key, _help in FLAG_OPTIONS:
            if opts.get(key):
                entries[key] = True
        for item in opts["entry"]:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise CommandError(_("Write --entry as KEY=VALUE: %(item)s") % {"item": item})
            entries[key.strip()] = value
        return entries

    def _inputs(self, opts: dict[str, Any]) -> tuple[list[Person], dict[str, Any]]:
        return self._persons(opts["person"]), self._entries(opts)

    def _check(self, opts: dict[str, Any]) -> None:
        persons, entries = self._inputs(opts)
        try:
            prepared = prepare(form=opts["form"], persons=persons, entries=entries)
        except FormError as exc:
            raise CommandError(str(exc)) from None
        report = prepared.report
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            labels = {
                "refused": _("refused"),
                "missing": _("missing"),
                "weak": _("weak"),
            }
            for f in report.findings:
                self.stdout.write(f"{labels[f.level]}: {f.message}")
            if report.ok:
                self.stdout.write(_("The petition can be generated."))
        if not report.ok:
            raise CommandError(
                _("The petition cannot be generated: %(why)s") % {"why": report.summary()}
            )

    def _generate(self, opts: dict[str, Any]) -> None:
        persons, entries = self._inputs(opts)
        output = Path(opts["output"])
        if output.is_dir() or not output.parent.is_dir():
            raise CommandError(_("Cannot write %(file)s: no such folder.") % {"file": output})
        try:
            with transaction.atomic():
                petition = petition_create(
                    actor=None, form=opts["form"], persons=persons, entries=entries
                )
                document = petition_generate(actor=None, petition=petition, fmt=opts["format"])
                _write_whole(output, document.content)
        except (FormError, PetitionRefused) as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": exc.strerror}
            ) from None
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "file": str(output),
                        "format": document.fmt,
                        "bytes": len(document.content),
                        "pages": document.pages,
                        "petition": str(petition.pk),
                        "form": petition.form,
                        "persons": [p.entry_no for p in persons],
                        "names": document.names,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stdout.write(
                _("Wrote %(file)s (%(form)s, %(n)s name forms).")
                % {"file": output, "form": petition.form, "n": len(document.names)}
            )

    def _batch(self, opts: dict[str, Any]) -> None:
        try:
            persons = selection_from_options(opts, BATCH_FIELDS).persons(SYSTEM)
        except SelectionRefused as exc:
            raise CommandError(str(exc)) from None
        try:
            result = petitions_batch(
                actor=None,
                form=opts["form"],
                persons=persons,
                fmt=opts["format"],
                output=Path(opts["output"]),
                entries=self._entries(opts),
                workers=max(1, opts["workers"]),
            )
        except BatchRefused as exc:
            raise CommandError(str(exc)) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s")
                % {"file": opts["output"], "error": exc.strerror}
            ) from None
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        for item in result.skipped:
            self.stdout.write(
                _("Skipped #%(n)s: %(why)s") % {"n": item.entry_no, "why": item.reason}
            )
        self.stdout.write(
            _(
                "Wrote %(file)s. Petitions written: %(written)s; persons skipped: %(skipped)s "
                "(index.csv says why)."
            )
            % {
                "file": result.output,
                "written": len(result.written),
                "skipped": len(result.skipped),
            }
        )


def _write_whole(path: Path, content: bytes) -> None:
    """Write `content` to `path` whole or not at all (a temporary file renamed into place)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".petition-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
