"""A batch of petitions: one form for every person a selection leaves ("WGEID cases for every
person from Tekes county detained in 2018 whose family consented"), as one ZIP of documents
plus a CSV index that says, for each person, the file written or why none was.

Whole or nothing: every document is rendered into a temporary ZIP beside the output first
(one at a time, so memory stays flat); only then, in one transaction, is a draft petition
recorded for each document written, with its audit entry, and the ZIP renamed into place. A
failure at any point leaves no ZIP, no petition and no audit entry."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from aigaq.core.csvcells import neutralise_cell
from aigaq.core.permissions import check
from aigaq.people.models import Person, Place, StatusEvent
from aigaq.petitions import render
from aigaq.petitions.facts import DETENTION_KINDS
from aigaq.petitions.registry import FormError, PetitionForm, load_form
from aigaq.petitions.services import clean_entries, petition_create, prepare, record_generated
from aigaq.search.filters import apply_filters, live_persons
from aigaq.search.places import search_places

#: The most persons one batch takes (a bigger selection is refused, saying so).
BATCH_LIMIT = 5000
INDEX_NAME = "index.csv"
INDEX_COLUMNS = ("entry", "name", "result", "file", "reason", "pages", "sha256")


class BatchRefused(Exception):
    """The batch cannot be made at all (nothing was written): the message says why."""


@dataclass
class BatchItem:
    entry_no: int
    name: str
    file: str = ""
    reason: str = ""
    pages: int | None = None
    sha256: str = ""
    size: int = 0
    name_forms: int = 0

    @property
    def written(self) -> bool:
        return bool(self.file)


@dataclass
class BatchResult:
    form: str
    fmt: str
    output: Path
    items: list[BatchItem] = field(default_factory=list)
    petitions: list[str] = field(default_factory=list)

    @property
    def written(self) -> list[BatchItem]:
        return [i for i in self.items if i.written]

    @property
    def skipped(self) -> list[BatchItem]:
        return [i for i in self.items if not i.written]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.output),
            "form": self.form,
            "format": self.fmt,
            "written": len(self.written),
            "skipped": len(self.skipped),
            "petitions": self.petitions,
            "items": [
                {
                    "entry": i.entry_no,
                    "result": "written" if i.written else "skipped",
                    "file": i.file,
                    "reason": i.reason,
                    "pages": i.pages,
                    "sha256": i.sha256,
                }
                for i in self.items
            ],
        }


def batch_persons(
    reader: Any,
    *,
    filters: Mapping[str, Any] | None = None,
    detained_year: int | None = None,
    numbers: Iterable[int] = (),
) -> QuerySet[Person]:
    """The persons a batch is for, in entry-number order: those the reader may see
    (search.filters.live_persons: disclosure), narrowed by the list filters (status, place and
    everything inside it, ethnicity, tag, grade, birth years), by a year of detention (a
    detention event dated in that year), and to the given entry numbers when there are any."""
    qs = apply_filters(live_persons(reader), filters or {})
    if detained_year is not None:
        qs = qs.filter(
            Exists(
                StatusEvent.objects.filter(
                    person=OuterRef("pk"),
                    kind__in=DETENTION_KINDS,
                    date_start__year=detained_year,
                )
            )
        )
    wanted = sorted(set(numbers))
    if wanted:
        qs = qs.filter(entry_no__in=wanted)
    return qs.order_by("entry_no")


def place_from_text(text: str) -> Place:
    """A place from a gazetteer code or a name in any script (Tekes, Текес, 特克斯); refused
    when no place, or several equally well, answer to it."""
    place = Place.objects.filter(code=text.strip()).first()
    if place is not None:
        return place
    hits = search_places(text, limit=5)
    if not hits:
        raise BatchRefused(_("No place of the gazetteer is called %(name)s.") % {"name": text})
    best = [h for h in hits if h.score >= hits[0].score - 1e-9]
    if len(best) > 1:
        raise BatchRefused(
            _("Several places answer to %(name)s: %(codes)s. Give one code.")
            % {"name": text, "codes": ", ".join(h.place.code for h in best)}
        )
    return hits[0].place


def _member(entry_no: int, form: PetitionForm, fmt: str) -> str:
    return f"{form.name}-{entry_no:06d}.{fmt}"


def _index_csv(items: list[BatchItem]) -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(INDEX_COLUMNS)
    for i in items:
        out.writerow(
            [
                i.entry_no,
                neutralise_cell(i.name),
                "written" if i.written else "skipped",
                i.file,
                neutralise_cell(i.reason),
                i.pages if i.pages is not None else "",
                i.sha256,
            ]
        )
    # A byte-order mark, so a spreadsheet reads the names in every script as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def petitions_batch(
    *,
    actor: Any,
    form: str,
    persons: Iterable[Person],
    fmt: str,
    output: Path | IO[bytes],
    entries: Mapping[str, Any] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """One petition of `form` for each person, as `fmt`, in the ZIP `output` with an index.
    A person whose petition cannot be generated (no consent for petitions, a required fact
    missing, a name no font prints) is skipped with the reason in the index; the others get a
    draft petition each, recorded and audited as generated. Raises BatchRefused when nothing
    can be made (an unusable form, no person, too many, no folder) and ValidationError for bad
    entries; either way nothing is written."""
    check(actor, "petition.manage")
    if fmt not in render.FORMATS:
        raise BatchRefused(
            _("Choose the format among %(formats)s.") % {"formats": ", ".join(render.FORMATS)}
        )
    try:
        form_obj = load_form(form)
    except FormError as exc:  # the coordinator's file, named with its line
        raise BatchRefused(str(exc)) from None
    people = list(persons)
    if not people:
        raise BatchRefused(_("No person is left by this selection: no petition was made."))
    if len(people) > BATCH_LIMIT:
        raise BatchRefused(
            _("The selection has %(n)s persons; a batch takes at most %(max)s. Narrow it.")
            % {"n": len(people), "max": BATCH_LIMIT}
        )
    common = clean_entries(form_obj, entries or {})
    if not isinstance(output, Path):
        # A stream the caller keeps or throws away whole (the staff page's download).
        result = BatchResult(form=form_obj.name, fmt=fmt, output=Path("-"))
        _render_zip(output, result, form_obj, people, fmt, common, progress)
        with transaction.atomic():
            _record(actor, result, people, form_obj, fmt, common)
        return result
    if output.is_dir() or not output.parent.is_dir():
        raise BatchRefused(_("Cannot write %(file)s: no such folder.") % {"file": output})
    result = BatchResult(form=form_obj.name, fmt=fmt, output=output)
    fd, tmp_name = tempfile.mkstemp(dir=output.parent, prefix=".petitions-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as raw:
            _render_zip(raw, result, form_obj, people, fmt, common, progress)
        with transaction.atomic():
            _record(actor, result, people, form_obj, fmt, common)
            os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


def _render_zip(
    raw: IO[bytes],
    result: BatchResult,
    form: PetitionForm,
    people: list[Person],
    fmt: str,
    entries: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> None:
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, person in enumerate(people, 1):
            result.items.append(_one(zf, form, person, fmt, entries))
            if progress:
                progress(n)
        zf.writestr(INDEX_NAME, _index_csv(result.items))


def _record(
    actor: Any,
    result: BatchResult,
    people: list[Person],
    form: PetitionForm,
    fmt: str,
    entries: dict[str, Any],
) -> None:
    """A draft petition, noted as generated and audited, for each document written."""
    for item, person in zip(result.items, people, strict=True):
        if not item.written:
            continue
        petition = petition_create(actor=actor, form=form.name, persons=[person], entries=entries)
        record_generated(
            actor=actor,
            petition=petition,
            fmt=fmt,
            sha256=item.sha256,
            size=item.size,
            name_forms=item.name_forms,
            persons=[item.entry_no],
        )
        result.petitions.append(str(petition.pk))


def _one(
    zf: zipfile.ZipFile, form: PetitionForm, person: Person, fmt: str, entries: dict[str, Any]
) -> BatchItem:
    prepared = prepare(form=form, persons=[person], entries=entries)
    facts = prepared.persons[0]
    item = BatchItem(entry_no=person.entry_no, name=facts.primary_name)
    if not prepared.report.ok:
        item.reason = prepared.report.summary()
        return item
    try:
        document = render.render_document(form, prepared.persons, prepared.entries, fmt)
    except render.RenderRefused as exc:
        item.reason = _("Its text has characters no installed font can print (%(chars)s).") % {
            "chars": exc
        }
        return item
    item.file = _member(person.entry_no, form, fmt)
    item.pages = document.pages
    item.sha256 = hashlib.sha256(document.content).hexdigest()
    item.size = len(document.content)
    item.name_forms = len(document.names)
    zf.writestr(item.file, document.content)
    return item


__all__ = [
    "BATCH_LIMIT",
    "BatchItem",
    "BatchRefused",
    "BatchResult",
    "batch_persons",
    "place_from_text",
    "petitions_batch",
]
