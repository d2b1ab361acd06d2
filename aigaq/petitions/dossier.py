"""Dossiers for conferences and the press, and the "wall of sorrow" (issue #19).

A dossier is made for a selection of persons (a county, a tag such as "detained imams", a
status, a citizenship, entry numbers): a cover page (title, the group's name from
settings.AIGAQ_GROUP_NAME, the date, the counts), a table of the persons (photo, the name in
the script of the dossier's language first, status, key dates), then one page per person
(every name form, photo, timeline, a short summary), in one of eight languages (Arabic right
to left), as PDF (WeasyPrint) or DOCX (python-docx). The wall of sorrow is a printable sheet
of the same persons' photos with their names and hometowns, A4 or A3.

What may be printed is asked of `aigaq.disclosure.policy` only: a person is named where
`persons_in_dossier` lets them be (consent to publication, `Use.DOSSIER`), their photo where
`dossier_photo` allows, their timeline events where `events_for_dossier` does. Restricted
fields (Chinese ID number, testifiers and their contacts, notes, free-text sources) are never
read into a `DossierPerson`, so no template can print them.

Nothing is written unless the whole document is: the file is rendered in memory, written to a
temporary file beside the output and renamed into place in the transaction that audits it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.permissions import check
from aigaq.disclosure.policy import (
    DossierRefusal,
    dossier_photo,
    events_for_dossier,
    person_dossier_refusal,
    persons_in_dossier,
)
from aigaq.people.models import DETENTION_KINDS, Person, PersonName, StatusEvent, StatusKind
from aigaq.people.services import current_status_of
from aigaq.petitions import fonts, render

logger = logging.getLogger(__name__)

CAP = "dossier.make"
FORMATS = ("pdf", "docx")
PAPERS = ("A4", "A3")
#: The most persons one dossier or wall takes (a bigger selection is refused, saying so).
DOSSIER_LIMIT = 1000
#: The longest summary printed on a person's page (the biography, cut at a word).
SUMMARY_CHARS = 900
#: The side of a photo as embedded in the document, in pixels (enough for print at 5 cm).
PHOTO_PIXELS = 480

STYLE = Path(__file__).resolve().parent / "dossier.css"
CONTENT_TYPES = dict(render.CONTENT_TYPES)


@dataclass(frozen=True)
class DossierLanguage:
    code: str  # as given on the command line and in the form
    django: str  # Django's language code
    name: str  # in the language itself
    rtl: bool = False
    script: str = "latin"  # the script its readers read names in first


DOSSIER_LANGUAGES = (
    DossierLanguage("kk", "kk", "Қазақша", script="cyrillic"),
    DossierLanguage("ru", "ru", "Русский", script="cyrillic"),
    DossierLanguage("en", "en", "English"),
    DossierLanguage("zh_Hans", "zh-hans", "中文", script="han"),
    DossierLanguage("tr", "tr", "Türkçe"),
    DossierLanguage("ar", "ar", "العربية", rtl=True, script="arabic"),
    DossierLanguage("fr", "fr", "Français"),
    DossierLanguage("de", "de", "Deutsch"),
)
_BY_CODE = {lang.code.lower(): lang for lang in DOSSIER_LANGUAGES}
_BY_CODE.update({"zh-hans": _BY_CODE["zh_hans"], "zh": _BY_CODE["zh_hans"]})


class DossierRefused(Exception):
    """The dossier cannot be made (nothing was written): the message says why."""


def language_from(code: str) -> DossierLanguage:
    lang = _BY_CODE.get((code or "").strip().lower())
    if lang is None:
        raise DossierRefused(
            _("Unknown language %(code)s: choose one of %(codes)s.")
            % {"code": code, "codes": ", ".join(x.code for x in DOSSIER_LANGUAGES)}
        )
    return lang


def refusal_text(reason: str) -> str:
    """The sentence for a DossierRefusal value (for the operator; never printed)."""
    texts = {
        DossierRefusal.MERGED: _("the entry was merged into another"),
        DossierRefusal.RESTRICTED: _("the entry is restricted"),
        DossierRefusal.NO_CONSENT: _("no testimony about them is consented for publication"),
        DossierRefusal.ANONYMOUS: _("every testimony consented for publication asked anonymity"),
        DossierRefusal.NOT_PUBLIC: _("no testimony concerns them and the entry is not public"),
    }
    return str(texts.get(reason, reason))


# --- What is printed ---------------------------------------------------------------------------


@dataclass
class DossierName:
    full_name: str
    script: str
    script_label: str


@dataclass
class DossierEvent:
    date: str
    label: str
    place: str
    facility: str
    sentence: str
    report: str  # empty for the family's reports; "Official denial" and the like otherwise


@dataclass
class DossierPerson:
    entry_no: int
    name: str  # in the dossier language's script where one is recorded
    names: list[DossierName]
    gender: str
    birth: str
    ethnicity: str
    citizenships: str
    hometown: str
    occupation: str
    status: str
    status_key: str
    since: str  # when the person disappeared or was first held
    last_report: str  # the date of the latest dated event
    events: list[DossierEvent] = field(default_factory=list)
    summary: str = ""
    photo: bytes = b""  # a JPEG thumbnail, only where disclosure allows the photo

    @property
    def photo_uri(self) -> str:
        if not self.photo:
            return ""
        return "data:image/jpeg;base64," + base64.b64encode(self.photo).decode("ascii")

    @property
    def name_forms(self) -> list[str]:
        return [n.full_name for n in self.names]


@dataclass
class Dossier:
    title: str
    group: str
    date: str
    language: DossierLanguage
    persons: list[DossierPerson]
    left_out: list[tuple[int, str]]  # (entry number, DossierRefusal value)
    status_counts: list[tuple[str, int]]

    @property
    def with_photo(self) -> int:
        return sum(1 for p in self.persons if p.photo)


def _ordered_names(names: list[PersonName], script: str) -> list[PersonName]:
    first = [n for n in names if n.script == script]
    return first + [n for n in names if n.script != script]


def _summary(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= SUMMARY_CHARS:
        return text
    cut = text[:SUMMARY_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _thumbnail(person: Person) -> bytes:
    """The person's photo as a small JPEG, when disclosure allows it; b"" otherwise or when
    the file cannot be read (the page then shows no photo, never a broken one)."""
    photo = dossier_photo(person)
    if photo is None:
        return b""
    from PIL import Image, ImageOps

    from aigaq.media import storage

    try:
        with storage.open_original(photo.sha256) as reader:
            data = reader.read()
        with Image.open(io.BytesIO(data)) as opened:
            img = ImageOps.exif_transpose(opened).convert("RGB")
        img.thumbnail((PHOTO_PIXELS, PHOTO_PIXELS))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=82)
        return out.getvalue()
    except Exception:  # a missing or unreadable file: no photo, said in the log only
        logger.warning("photo %s of entry %s cannot be read for a dossier", photo.pk, person.pk)
        return b""


def _person(person: Person, lang: DossierLanguage, photos: bool) -> DossierPerson:
    names = _ordered_names(
        list(PersonName.objects.filter(person=person).order_by("position", "id")), lang.script
    )
    every = list(
        StatusEvent.objects.filter(person=person)
        .select_related("place", "testimony")
        .order_by("date_start", "created_at")
    )
    events = events_for_dossier(every)
    printed = [
        DossierEvent(
            date=e.date_text or _("date unknown"),
            label=str(e.get_kind_display()),
            place=e.place.name_in(lang.django) if e.place_id and e.place else "",
            facility=e.facility,
            sentence=e.sentence,
            report=""
            if e.report in (StatusEvent.Report.REPORTED, StatusEvent.Report.CONFIRMED)
            else str(e.get_report_display()),
        )
        for e in events
    ]
    held = [
        e
        for e in events
        if (e.kind in DETENTION_KINDS or e.kind == StatusKind.LOST_CONTACT) and e.date_text
    ]
    dated = [e for e in events if e.date_start is not None]
    birth = ""
    if person.birth_year:
        birth = str(person.birth_year)
        if person.birth_year_max and person.birth_year_max != person.birth_year:
            birth = f"{person.birth_year}–{person.birth_year_max}"
    # The status is derived again from the events printed: a status only a withheld event
    # reports would tell what that testimony may not.
    status_key = person.current_status or ""
    if len(events) != len(every):
        status_key = current_status_of(
            [(e.kind, e.report, e.date_start, e.date_end, e.created_at) for e in events]
        )
    status = str(StatusKind(status_key).label) if status_key in StatusKind.values else ""
    return DossierPerson(
        entry_no=person.entry_no,
        name=names[0].full_name if names else person.primary_name,
        names=[
            DossierName(n.full_name, n.script, str(n.get_script_display()) if n.script else "")
            for n in names
        ],
        gender=str(person.get_gender_display()) if person.gender not in ("", "unknown") else "",
        birth=birth,
        ethnicity=str(person.get_ethnicity_display()) if person.ethnicity != "unknown" else "",
        citizenships=", ".join(person.citizenships or []),
        hometown=person.hometown.name_in(lang.django) if person.hometown else "",
        occupation=person.occupation,
        status=status,
        status_key=status_key,
        since=held[0].date_text if held else "",
        last_report=dated[-1].date_text if dated else "",
        events=printed,
        summary=_summary(person.biography),
        photo=_thumbnail(person) if photos else b"",
    )


def dossier_build(
    *, persons: Iterable[Person], title: str, language: str | DossierLanguage, photos: bool = True
) -> Dossier:
    """What the dossier prints about `persons`: those disclosure lets be named, the others
    left out with the reason. Raises DossierRefused when nobody is left, when there are more
    than DOSSIER_LIMIT, or when a name or the title has a character no font prints."""
    lang = language if isinstance(language, DossierLanguage) else language_from(language)
    title = " ".join((title or "").split())
    if not title:
        raise DossierRefused(_("Give the dossier a title."))
    asked = list(persons)
    if not asked:
        raise DossierRefused(_("Nobody is selected: no dossier was made."))
    if len(asked) > DOSSIER_LIMIT:
        raise DossierRefused(
            _("The selection has %(n)s persons; a dossier takes at most %(max)s. Narrow it.")
            % {"n": len(asked), "max": DOSSIER_LIMIT}
        )
    allowed = set(
        persons_in_dossier(Person.objects.filter(pk__in=[p.pk for p in asked])).values_list(
            "pk", flat=True
        )
    )
    left_out = [
        (p.entry_no, person_dossier_refusal(p) or DossierRefusal.NO_CONSENT)
        for p in asked
        if p.pk not in allowed
    ]
    chosen = [p for p in asked if p.pk in allowed]
    if not chosen:
        raise DossierRefused(
            _(
                "None of the %(n)s persons selected may be named in a dossier (consent to "
                "publication is needed): no dossier was made."
            )
            % {"n": len(asked)}
        )
    missing = fonts.missing_characters(title)
    if missing:
        raise DossierRefused(
            _("The title has characters no installed font can print (%(chars)s).")
            % {"chars": fonts.describe(missing)}
        )
    unprintable: tuple[int, Any] | None = None
    with translation.override(lang.django):
        printed = []
        for p in chosen:
            entry = _person(p, lang, photos)
            missing = fonts.missing_characters(" ".join(entry.name_forms))
            if missing:
                unprintable = (p.entry_no, missing)
                break
            printed.append(entry)
    if unprintable is not None:
        # Said in the reader's language, not the dossier's.
        raise DossierRefused(
            _(
                "A name of entry #%(n)s has characters no installed font can print "
                "(%(chars)s): no dossier was made."
            )
            % {"n": unprintable[0], "chars": fonts.describe(unprintable[1])}
        )
    with translation.override(lang.django):
        counts = Counter(p.status for p in printed if p.status)
        return Dossier(
            title=title,
            group=settings.AIGAQ_GROUP_NAME,
            date=timezone.localdate().isoformat(),
            language=lang,
            persons=printed,
            left_out=left_out,
            status_counts=counts.most_common(),
        )


# --- Documents ---------------------------------------------------------------------------------


def dossier_html(dossier: Dossier, *, wall: bool = False, paper: str = "A4") -> str:
    template = "petitions/wall.html" if wall else "petitions/dossier.html"
    with translation.override(dossier.language.django):
        return render_to_string(template, {"dossier": dossier, "paper": paper.lower()})


def _check_printable(html: str) -> None:
    missing = fonts.missing_characters(render.visible_text(html))
    if missing:  # names and the title were checked; this guards the rest of the page
        raise DossierRefused(
            _("The dossier has characters no installed font can print (%(chars)s).")
            % {"chars": fonts.describe(missing)}
        )


@dataclass
class DossierDocument:
    content: bytes
    fmt: str
    pages: int | None
    dossier: Dossier
    wall: bool = False

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    @property
    def names(self) -> list[str]:
        return [n for p in self.dossier.persons for n in p.name_forms]


def dossier_render(
    dossier: Dossier, *, fmt: str, wall: bool = False, paper: str = "A4"
) -> DossierDocument:
    """The dossier (or the wall of sorrow) as `fmt`, in memory."""
    if fmt not in FORMATS or (wall and fmt != "pdf"):
        raise DossierRefused(
            _("Choose the format among %(formats)s.")
            % {"formats": "pdf" if wall else ", ".join(FORMATS)}
        )
    if paper not in PAPERS:
        raise DossierRefused(
            _("Choose the paper among %(papers)s.") % {"papers": ", ".join(PAPERS)}
        )
    html = dossier_html(dossier, wall=wall, paper=paper)
    _check_printable(html)
    if fmt == "pdf":
        content, pages = render.pdf_from_html(html, STYLE, f"@page {{ size: {paper}; }}")
        return DossierDocument(content, "pdf", pages, dossier, wall)
    from aigaq.petitions.dossier_docx import dossier_docx

    with translation.override(dossier.language.django):
        return DossierDocument(dossier_docx(dossier), "docx", None, dossier)


# --- The service -------------------------------------------------------------------------------


@dataclass
class DossierResult:
    output: str
    document: DossierDocument
    sha256: str

    def as_json(self) -> dict[str, Any]:
        d = self.document.dossier
        return {
            "file": self.output,
            "kind": "wall" if self.document.wall else "dossier",
            "format": self.document.fmt,
            "language": d.language.code,
            "title": d.title,
            "pages": self.document.pages,
            "bytes": len(self.document.content),
            "sha256": self.sha256,
            "persons": [p.entry_no for p in d.persons],
            "with_photo": d.with_photo,
            "names": self.document.names,
            "left_out": [
                {"entry": n, "reason": reason, "why": refusal_text(reason)}
                for n, reason in d.left_out
            ],
        }


def dossier_make(
    *,
    actor: Any,
    title: str,
    persons: Iterable[Person],
    language: str,
    fmt: str,
    output: Path | IO[bytes],
    wall: bool = False,
    paper: str = "A4",
    selection: Mapping[str, Any] | None = None,
) -> DossierResult:
    """Make a dossier (or, with `wall`, the wall of sorrow) and write it to `output`, a path
    (written whole or not at all) or a stream; audited as an export (what was asked, the
    entries printed and left out, the file's SHA-256; never a restricted value). Raises
    DossierRefused with the reason, having written nothing."""
    check(actor, CAP)
    if isinstance(output, Path) and (output.is_dir() or not output.parent.is_dir()):
        raise DossierRefused(_("Cannot write %(file)s: no such folder.") % {"file": output})
    lang = language_from(language)
    dossier = dossier_build(persons=persons, title=title, language=lang)
    document = dossier_render(dossier, fmt=fmt, wall=wall, paper=paper)
    sha256 = hashlib.sha256(document.content).hexdigest()
    name = str(output) if isinstance(output, Path) else "-"
    result = DossierResult(output=name, document=document, sha256=sha256)

    def _audit() -> None:
        audit.record_export(
            actor=actor,
            model=Person,
            label=("wall of sorrow: " if wall else "dossier: ") + dossier.title,
            changes={
                "kind": "wall" if wall else "dossier",
                "format": fmt,
                "paper": paper if wall else "",
                "language": lang.code,
                "selection": dict(selection or {}),
                "persons": [p.entry_no for p in dossier.persons],
                "left_out": [n for n, _reason in dossier.left_out],
                "sha256": sha256,
                "bytes": len(document.content),
            },
        )

    if not isinstance(output, Path):
        with transaction.atomic():
            _audit()
            output.write(document.content)
        return result
    fd, tmp_name = tempfile.mkstemp(dir=output.parent, prefix=".dossier-", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(document.content)
        with transaction.atomic():
            _audit()
            os.replace(tmp, output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result


__all__ = [
    "CAP",
    "DOSSIER_LANGUAGES",
    "DOSSIER_LIMIT",
    "Dossier",
    "DossierRefused",
    "DossierResult",
    "dossier_build",
    "dossier_make",
    "dossier_render",
    "language_from",
]
