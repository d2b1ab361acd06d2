"""The selection of persons a batch of petitions and a dossier are made for ("every person
from Tekes county detained in 2018", "detained imams", "citizens of Kazakhstan", entry
numbers): one definition of its parts for the staff pages (SelectionForm), the command line
(add_selection_arguments, selection_from_options) and the database (Selection.persons).

Each page and command offers the parts it names (BATCH_FIELDS, DOSSIER_FIELDS); the meaning,
the labels, the flags and the checks of a part are the same wherever it is offered. Who of the
persons selected may be seen is disclosure's (search.filters.live_persons); who may be named in
a dossier or get a petition is decided afterwards, by the dossier and the batch."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core.forms import LengthLimits
from aigaq.people.models import (
    Ethnicity,
    EvidenceGrade,
    Person,
    Place,
    StatusEvent,
    StatusKind,
    Tag,
)
from aigaq.petitions.facts import DETENTION_KINDS
from aigaq.search.filters import apply_filters, live_persons
from aigaq.search.places import search_places

#: Every part of a selection, in the order the pages show them.
FIELDS = (
    "place",
    "detained_year",
    "status",
    "ethnicity",
    "tag",
    "grade",
    "citizenship",
    "numbers",
)
#: The parts the batch of petitions offers (page: BATCH_PAGE_FIELDS; `aigaq petitions batch`),
#: each in the order its page or command has always shown them.
BATCH_FIELDS = ("numbers", "place", "detained_year", "status", "ethnicity", "tag", "grade")
BATCH_PAGE_FIELDS = ("place", "detained_year", "status", "numbers")
#: The parts a dossier offers (its page and `aigaq dossier`).
DOSSIER_FIELDS = ("place", "tag", "status", "citizenship", "numbers")

YEARS = (1900, 2100)


class SelectionRefused(Exception):
    """The selection cannot be read (an unknown place, a number that is no entry...): the
    message says why; nothing was made."""


@dataclass(frozen=True)
class Selection:
    """Whom for: every part optional, all of them together narrowing (AND)."""

    place: str = ""  # a gazetteer code: the place and everything inside it
    detained_year: int | None = None  # a detention event dated in that year
    status: str = ""  # the current status
    ethnicity: str = ""
    tag: str = ""  # a tag's key (slug)
    grade: str = ""  # the evidence grade
    citizenship: str = ""  # an ISO country code, upper case
    numbers: tuple[int, ...] = ()  # only these entry numbers

    def filters(self) -> dict[str, Any]:
        """The list filters of search.filters among the parts (empty ones left out)."""
        pairs = (
            ("status", self.status),
            ("place", self.place),
            ("ethnicity", self.ethnicity),
            ("tag", self.tag),
            ("grade", self.grade),
        )
        return {k: v for k, v in pairs if v}

    def persons(self, reader: Any) -> QuerySet[Person]:
        """The persons selected, in entry-number order: those the reader may see
        (search.filters.live_persons: disclosure; every live person for SYSTEM), narrowed by
        every part given."""
        qs = apply_filters(live_persons(reader), self.filters())
        if self.detained_year is not None:
            qs = qs.filter(
                Exists(
                    StatusEvent.objects.filter(
                        person=OuterRef("pk"),
                        kind__in=DETENTION_KINDS,
                        date_start__year=self.detained_year,
                    )
                )
            )
        if self.numbers:
            qs = qs.filter(entry_no__in=self.numbers)
        if self.citizenship:
            qs = qs.filter(pk__in=_with_citizenship(qs, self.citizenship))
        return qs.order_by("entry_no")

    def as_record(self) -> dict[str, Any]:
        """The parts given, as a dossier records them (its audit entry): the filters, the year,
        the citizenship, the entry numbers as "entries"."""
        out: dict[str, Any] = self.filters()
        if self.detained_year is not None:
            out["detained_year"] = self.detained_year
        if self.citizenship:
            out["citizenship"] = self.citizenship
        if self.numbers:
            out["entries"] = list(self.numbers)
        return out


def _with_citizenship(qs: QuerySet[Person], code: str) -> list[Any]:
    # JSON "contains" is PostgreSQL's only: the candidates' lists are read, a few columns each.
    rows = qs.values_list("pk", "citizenships").iterator(chunk_size=2000)
    return [pk for pk, codes in rows if code in (codes or [])]


def place_from_text(text: str) -> Place:
    """A place from a gazetteer code or a name in any script (Tekes, Текес, 特克斯); refused
    when no place, or several equally well, answer to it."""
    place = Place.objects.filter(code=text.strip()).first()
    if place is not None:
        return place
    hits = search_places(text, limit=5)
    if not hits:
        raise SelectionRefused(_("No place of the gazetteer is called %(name)s.") % {"name": text})
    best = [h for h in hits if h.score >= hits[0].score - 1e-9]
    if len(best) > 1:
        raise SelectionRefused(
            _("Several places answer to %(name)s: %(codes)s. Give one code.")
            % {"name": text, "codes": ", ".join(h.place.code for h in best)}
        )
    return hits[0].place


def parse_numbers(raw: str) -> list[int]:
    """Entry numbers as a person types them ("402, 417", "#402; 417")."""
    out: list[int] = []
    for part in raw.replace(";", ",").split(","):
        text = part.strip().lstrip("#")
        if not text:
            continue
        if not text.isdigit():
            raise ValidationError(_("Write entry numbers, such as 402, 417."), code="number")
        out.append(int(text))
    return out


def selection_from(
    *,
    place: str = "",
    detained_year: int | None = None,
    status: str = "",
    ethnicity: str = "",
    tag: str = "",
    grade: str = "",
    citizenship: str = "",
    numbers: Iterable[int] = (),
) -> Selection:
    """A Selection from what a person gave (a place by name or code, a year...), each part
    checked: raises SelectionRefused saying what is wrong."""
    if detained_year is not None and not YEARS[0] <= detained_year <= YEARS[1]:
        raise SelectionRefused(_("The year of detention must be a year, such as 2018."))
    code = (citizenship or "").strip().upper()
    if code and not re.fullmatch(r"[A-Z]{2}", code):
        raise SelectionRefused(_("Write a two-letter country code, such as KZ."))
    return Selection(
        place=place_from_text(place).code if (place or "").strip() else "",
        detained_year=detained_year,
        status=status or "",
        ethnicity=ethnicity or "",
        tag=tag or "",
        grade=grade or "",
        citizenship=code,
        numbers=tuple(sorted(set(numbers))),
    )


# --- The staff pages ---------------------------------------------------------------------------


class SelectionForm(LengthLimits, forms.Form):
    """The selection's fields; a page's form inherits it and names the parts it offers in
    `selection_fields` (the others are removed). `selection()` reads the place and the entry
    numbers, raising SelectionRefused or ValidationError for the page to say."""

    selection_fields: Sequence[str] = FIELDS

    place = forms.CharField(
        label=gettext_lazy("Place"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "A county or town in any script (Tekes, Текес, 特克斯), or its code."
        ),
    )
    detained_year = forms.IntegerField(
        label=gettext_lazy("Detained in the year"),
        required=False,
        min_value=YEARS[0],
        max_value=YEARS[1],
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Current status"),
        required=False,
        choices=[("", "—"), *StatusKind.choices],
    )
    ethnicity = forms.ChoiceField(
        label=gettext_lazy("Ethnicity"), required=False, choices=[("", "—"), *Ethnicity.choices]
    )
    tag = forms.ChoiceField(label=gettext_lazy("Topic (tag)"), required=False)
    grade = forms.ChoiceField(
        label=gettext_lazy("Evidence grade"),
        required=False,
        choices=[("", "—"), *EvidenceGrade.choices],
    )
    citizenship = forms.CharField(
        label=gettext_lazy("Citizenship"),
        required=False,
        max_length=2,
        help_text=gettext_lazy("A country code, e.g. KZ for citizens of Kazakhstan."),
    )
    numbers = forms.CharField(
        label=gettext_lazy("Only these entry numbers"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Optional: e.g. 402, 417."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in FIELDS:
            if name not in self.selection_fields:
                del self.fields[name]
        tag = self.fields.get("tag")
        if isinstance(tag, forms.ChoiceField):
            tag.choices = [("", "—"), *Tag.objects.order_by("label").values_list("slug", "label")]

    def clean_citizenship(self) -> str:
        code = str(self.cleaned_data.get("citizenship") or "").strip().upper()
        if code and not re.fullmatch(r"[A-Z]{2}", code):
            raise ValidationError(_("Write a two-letter country code, such as KZ."))
        return code

    def selection_bound_fields(self) -> list[forms.BoundField]:
        """The selection's fields of this form, in the page's order (the shared template)."""
        return [self[name] for name in self.selection_fields if name in self.fields]

    def selection(self) -> Selection:
        """The Selection of the valid form's data."""
        data = self.cleaned_data
        return selection_from(
            place=data.get("place") or "",
            detained_year=data.get("detained_year"),
            status=data.get("status") or "",
            ethnicity=data.get("ethnicity") or "",
            tag=data.get("tag") or "",
            grade=data.get("grade") or "",
            citizenship=data.get("citizenship") or "",
            numbers=parse_numbers(data.get("numbers") or ""),
        )


# --- The command line --------------------------------------------------------------------------

_FLAGS: dict[str, tuple[str, dict[str, Any]]] = {
    "numbers": (
        "--person",
        {
            "dest": "person",
            "type": int,
            "action": "append",
            "default": [],
            "metavar": "NUMBER",
            "help": "only these entry numbers (again for each)",
        },
    ),
    "place": (
        "--place",
        {
            "help": "persons from this place or inside it (a gazetteer code, or a name in any "
            "script: Tekes, Текес, 特克斯)"
        },
    ),
    "detained_year": (
        "--detained-year",
        {"type": int, "help": "persons detained in this year"},
    ),
    "status": ("--status", {"help": "persons of this current status (e.g. camp)"}),
    "ethnicity": ("--ethnicity", {"help": "persons of this ethnicity (e.g. kazakh)"}),
    "tag": ("--tag", {"help": "persons with this tag (its key, e.g. detained-imams)"}),
    "grade": ("--grade", {"help": "persons of this evidence grade"}),
    "citizenship": (
        "--citizenship",
        {"default": "", "help": "persons holding this citizenship (e.g. KZ)"},
    ),
}


def add_selection_arguments(parser: argparse.ArgumentParser, parts: Sequence[str]) -> None:
    """The flags of the selection's `parts`, in that order (--person, --place, --detained-year,
    --status, --ethnicity, --tag, --grade, --citizenship), the same in every command."""
    for part in parts:
        flag, options = _FLAGS[part]
        parser.add_argument(flag, **options)


def selection_from_options(opts: Mapping[str, Any], parts: Sequence[str]) -> Selection:
    """The Selection of a command's options (those of `parts`): every entry number given must
    name a live entry, a place must answer to one place of the gazetteer, a year must be a
    year. Raises SelectionRefused saying what is wrong."""
    numbers = list(opts.get("person") or []) if "numbers" in parts else []
    check_numbers(numbers)
    year = opts.get("detained_year") if "detained_year" in parts else None
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise SelectionRefused(_("--detained-year must be a year, such as 2018."))
    return selection_from(
        numbers=numbers,
        detained_year=year,
        **{
            p: opts.get(p) or ""
            for p in ("place", "status", "ethnicity", "tag", "grade", "citizenship")
            if p in parts
        },
    )


def check_numbers(numbers: Iterable[int]) -> None:
    """Every number must be a live entry (a merged one is refused, naming the entry kept)."""
    for number in numbers:
        person = Person.objects.filter(entry_no=number).select_related("merged_into").first()
        if person is None:
            raise SelectionRefused(_("There is no entry #%(n)s.") % {"n": number})
        if person.merged_into_id:
            raise SelectionRefused(
                _("Entry #%(n)s was merged into #%(m)s; use that number.")
                % {"n": number, "m": person.merged_into.entry_no}  # type: ignore[union-attr]
            )


__all__ = [
    "BATCH_FIELDS",
    "BATCH_PAGE_FIELDS",
    "DOSSIER_FIELDS",
    "FIELDS",
    "Selection",
    "SelectionForm",
    "SelectionRefused",
    "add_selection_arguments",
    "check_numbers",
    "parse_numbers",
    "place_from_text",
    "selection_from",
    "selection_from_options",
]
