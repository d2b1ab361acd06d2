"""The one-page summary for a family: what was sent on their relative's behalf, to whom, when,
with which registration number, and what answers came; printable (a page, a PDF) in the
family's language: Kazakh, Russian, or any language of the pages (docs/petitions.md, "The
summary for the family").

It names only the relative: never the applicant's details (restricted), the other persons a
joint appeal named, testifiers or their contacts, notes or next actions. Its sentences are in
`family_summary/texts.toml`, its layout in `family_summary/template.html` and `style.css`,
which a coordinator may edit; both are read again at every use.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from aigaq.core import audit
from aigaq.core.models import AuditEntry
from aigaq.core.permissions import check
from aigaq.people.models import Person, PersonName
from aigaq.petitions import fonts, render
from aigaq.petitions.dossier import (
    DOSSIER_LANGUAGES,
    DossierLanguage,
    DossierRefused,
    language_from,
)
from aigaq.petitions.models import Petition
from aigaq.petitions.registry import FormError, load_form
from aigaq.petitions.selectors import petitions_of, petitions_seen_by

PACKAGE_FOLDER = Path(__file__).resolve().parent / "family_summary"
#: Every sentence the summary needs, in each language.
KEYS = (
    "title",
    "about",
    "intro",
    "to",
    "sent",
    "how",
    "number",
    "answer",
    "no_answer",
    "none",
    "more",
    "prepared",
    "footer",
    *Petition.Channel.values,
)
#: The languages the summary is written in (the pages' eight).
LANGUAGES = DOSSIER_LANGUAGES
#: How much of an answer's text is printed (the page must stay one page).
ANSWER_CHARS = 300
#: How many other name forms of the relative are printed under the first.
OTHER_NAMES = 3

_ENGINE = Engine(autoescape=True)


class SummaryRefused(Exception):
    """The summary cannot be made; the message says why. Nothing was written or recorded."""


def folder() -> Path:
    return Path(os.environ.get("AIGAQ_FAMILY_SUMMARY") or PACKAGE_FOLDER)


def load_texts(code: str) -> dict[str, str]:
    """The summary's sentences in the language `code` (kk, ru, zh_Hans...)."""
    path = folder() / "texts.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SummaryRefused(
            _("The file %(file)s cannot be used: %(error)s") % {"file": path, "error": exc}
        ) from None
    texts = data.get(code)
    missing = [k for k in KEYS if not isinstance((texts or {}).get(k), str)]
    if missing:
        raise SummaryRefused(
            _("The file %(file)s has no [%(lang)s] text for: %(keys)s.")
            % {"file": path, "lang": code, "keys": ", ".join(missing)}
        )
    return {k: str(texts[k]) for k in KEYS}  # type: ignore[index]


def _template() -> Template:
    path = folder() / "template.html"
    try:
        return _ENGINE.from_string(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TemplateSyntaxError) as exc:
        raise SummaryRefused(
            _("The file %(file)s cannot be used: %(error)s") % {"file": path, "error": exc}
        ) from None


@dataclass
class SummaryPetition:
    to: str
    sent_on: str
    channel: str
    registration_no: str
    answered_on: str
    answer: str


@dataclass
class FamilySummary:
    person: Person
    language: DossierLanguage
    texts: dict[str, str]
    name: str
    other_names: list[str]
    petitions: list[SummaryPetition]
    petition_ids: list[str]
    hidden: int = 0
    group: str = ""
    prepared: str = ""
    name_forms: list[str] = field(default_factory=list)

    @property
    def more(self) -> str:
        return self.texts["more"].replace("{n}", str(self.hidden)) if self.hidden else ""


def _day(day: Any, lang: DossierLanguage) -> str:
    if day is None:
        return ""
    with translation.override(lang.django):
        return str(formats.date_format(day, "DATE_FORMAT"))


def _cut(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) <= ANSWER_CHARS:
        return text
    return text[:ANSWER_CHARS].rsplit(" ", 1)[0] + " …"


def _addressee(petition: Petition, lang: DossierLanguage) -> str:
    try:
        form = load_form(petition.form)
    except FormError:
        return petition.form
    return form.title_in(lang.code.split("_")[0]) or form.short


def family_summary_build(*, actor: Any, person: Person, language: str) -> FamilySummary:
    """What the summary says of `person` in `language`: every petition about them that was
    sent and that `actor` may open (none naming a person hidden from them), the latest
    first."""
    check(actor, "petition.manage")
    try:
        lang = language_from(language)
    except DossierRefused as exc:
        raise SummaryRefused(str(exc)) from None
    texts = load_texts(lang.code)
    names = list(PersonName.objects.filter(person=person).order_by("position", "id"))
    ordered = [n for n in names if n.script == lang.script] + [
        n for n in names if n.script != lang.script
    ]
    forms = [n.full_name for n in ordered] or [person.primary_name]
    # Only petitions whose every person the reader may see (as each petition's own page):
    # one that also names someone hidden from them is not listed (the system lists all).
    petitions = petitions_of(person) if actor is None else petitions_seen_by(actor, person)
    sent = sorted(
        (p for p in petitions if p.sent_on is not None),
        key=lambda p: (p.sent_on, p.created_at),
        reverse=True,
    )
    items = [
        SummaryPetition(
            to=_addressee(p, lang),
            sent_on=_day(p.sent_on, lang),
            channel=texts.get(p.channel, "") if p.channel else "",
            registration_no=p.registration_no,
            answered_on=_day(p.answered_on, lang),
            answer=_cut(p.answer),
        )
        for p in sent
    ]
    return FamilySummary(
        person=person,
        language=lang,
        texts=texts,
        name=forms[0],
        other_names=forms[1 : 1 + OTHER_NAMES],
        petitions=items,
        petition_ids=[str(p.pk) for p in sent],
        group=str(getattr(settings, "AIGAQ_GROUP_NAME", "") or ""),
        prepared=texts["prepared"].replace("{date}", _day(timezone.localdate(), lang)),
        name_forms=forms[: 1 + OTHER_NAMES],
    )


def family_summary_body(summary: FamilySummary) -> str:
    """The summary's HTML (the section the page shows and the PDF prints)."""
    with translation.override(summary.language.django):
        return _template().render(Context({"s": summary, "t": summary.texts}))


def family_summary_html(summary: FamilySummary) -> str:
    lang = summary.language
    direction = "rtl" if lang.rtl else "ltr"
    return (
        f'<!doctype html><html lang="{lang.django}" dir="{direction}"><head>'
        f'<meta charset="utf-8"><title>{summary.person.entry_no}</title></head>'
        f"<body>{family_summary_body(summary)}</body></html>"
    )


@dataclass
class SummaryDocument:
    content: bytes
    pages: int
    summary: FamilySummary

    @property
    def filename(self) -> str:
        return f"family-summary-{self.summary.person.entry_no}-{self.summary.language.code}.pdf"


def family_summary_pdf(*, actor: Any, summary: FamilySummary) -> SummaryDocument:
    """The summary as a one-page PDF (the oldest petitions left out, and said so, when they
    would not fit), audited as an export of the person (language, petitions, SHA-256)."""
    check(actor, "petition.manage")
    html = family_summary_html(summary)
    missing = fonts.missing_characters(render.visible_text(html))
    if missing:
        raise SummaryRefused(
            _("The summary has characters no installed font can print (%(chars)s).")
            % {"chars": fonts.describe(missing)}
        )
    style = folder() / "style.css"
    content, pages = render.pdf_from_html(html, style)
    while pages > 1 and summary.petitions:
        summary.petitions.pop()
        summary.hidden += 1
        content, pages = render.pdf_from_html(family_summary_html(summary), style)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.EXPORT,
            obj=summary.person,
            changes={
                "kind": "family_summary",
                "format": "pdf",
                "language": summary.language.code,
                "petitions": summary.petition_ids,
                "sha256": hashlib.sha256(content).hexdigest(),
            },
            person_id=summary.person.pk,
            note="one-page summary for the family",
        )
    return SummaryDocument(content=content, pages=pages, summary=summary)
