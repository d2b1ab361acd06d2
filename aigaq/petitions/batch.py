"""A batch of petitions: one form for every person a selection leaves ("WGEID cases for every
person from Tekes county detained in 2018 whose family consented": petitions.selection), as
one ZIP of documents plus a CSV index that says, for each person, the file written or why none
was.

Whole or nothing: every document is rendered into a temporary ZIP beside the output first
(one at a time, so memory stays flat); only then, in one transaction, is a draft petition
recorded for each document written, with its audit entry, and the ZIP renamed into place. A
failure at any point leaves no ZIP, no petition and no audit entry."""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connections, transaction
from django.utils.translation import gettext as _

from aigaq.core.csvcells import neutralise_cell
from aigaq.core.permissions import check
from aigaq.people.models import Person
from aigaq.petitions import render
from aigaq.petitions.registry import FormError, PetitionForm, load_form
from aigaq.petitions.services import clean_entries, petition_create, prepare, record_generated

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
    workers: int = 1,
) -> BatchResult:
    """One petition of `form` for each person, as `fmt`, in the ZIP `output` with an index.
    A person whose petition cannot be generated (no consent for petitions, a required fact
    missing, a name no font prints) is skipped with the reason in the index; the others get a
    draft petition each, recorded and audited as generated. Raises BatchRefused when nothing
    can be made (an unusable form, no person, too many, no folder) and ValidationError for bad
    entries; either way nothing is written. `workers` > 1 renders the documents in that many
    forked processes (the command line; never inside a transaction)."""
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
        _render_zip(output, result, form_obj, people, fmt, common, progress, workers)
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
            _render_zip(raw, result, form_obj, people, fmt, common, progress, workers)
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
    workers: int = 1,
) -> None:
    """Check every person (reading the database), then render the documents, in `workers`
    processes forked for it when more than one (they never touch the database), into the
    ZIP in entry order, one document at a time."""
    checked: list[tuple[BatchItem, tuple[Any, ...] | None]] = []
    for person in people:
        prepared = prepare(form=form, persons=[person], entries=entries)
        item = BatchItem(entry_no=person.entry_no, name=prepared.persons[0].primary_name)
        if prepared.report.ok:
            checked.append((item, (form, prepared.persons, prepared.entries, fmt)))
        else:
            item.reason = prepared.report.summary()
            checked.append((item, None))
    tasks = [task for _item, task in checked if task is not None]
    if workers > 1 and len(tasks) > 1 and not connections["default"].in_atomic_block:
        # Forked children must not share the parent's database connection.
        # The children inherit the checked tasks (some of what they hold does not pickle):
        # only indices go to them, only the documents' bytes come back.
        connections.close_all()
        _FORKED_TASKS[:] = tasks
        pool = multiprocessing.get_context("fork").Pool(min(workers, len(tasks)))
        _FORKED_TASKS.clear()
        rendered: Iterator[tuple[Any, ...]] = pool.imap(
            _render_forked, range(len(tasks)), chunksize=2
        )
    else:
        pool = None
        rendered = map(_render_task, tasks)
    try:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, (item, task) in enumerate(checked, 1):
                if task is not None:
                    _store(zf, item, form, fmt, next(rendered))
                result.items.append(item)
                if progress:
                    progress(n)
            zf.writestr(INDEX_NAME, _index_csv(result.items))
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


#: What a batch's forked workers render, set just before they are forked.
_FORKED_TASKS: list[tuple[Any, ...]] = []


def _render_forked(index: int) -> tuple[Any, ...]:
    return _render_task(_FORKED_TASKS[index])


def _render_task(task: tuple[Any, ...]) -> tuple[Any, ...]:
    """One document (in a worker process or this one): ("ok", bytes, pages, name forms) or
    ("refused", the characters no font prints)."""
    form, facts, entries, fmt = task
    try:
        document = render.render_document(form, facts, entries, fmt)
    except render.RenderRefused as exc:
        return ("refused", str(exc))
    return ("ok", document.content, document.pages, len(document.names))


def _store(
    zf: zipfile.ZipFile, item: BatchItem, form: PetitionForm, fmt: str, done: tuple[Any, ...]
) -> None:
    if done[0] == "refused":
        item.reason = _("Its text has characters no installed font can print (%(chars)s).") % {
            "chars": done[1]
        }
        return
    _ok, content, pages, name_forms = done
    item.file = _member(item.entry_no, form, fmt)
    item.pages = pages
    item.sha256 = hashlib.sha256(content).hexdigest()
    item.size = len(content)
    item.name_forms = name_forms
    zf.writestr(item.file, content)


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


__all__ = [
    "BATCH_LIMIT",
    "BatchItem",
    "BatchRefused",
    "BatchResult",
    "petitions_batch",
]
