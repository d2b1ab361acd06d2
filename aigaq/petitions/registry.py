"""The petition forms: one folder each under the forms folder, which a coordinator may edit
without touching code (docs/petitions.md).

    forms/<name>/form.toml      what the form needs: record facts, the volunteer's entries,
                                the language, and where the body published its requirements
    forms/<name>/template.html  the document (Django template language)
    forms/<name>/substance.txt  the substance written from the record (editable before use)
    forms/style.css             the printed petitions' stylesheet, shared by every form

The files are read again on every use, so an edit takes effect at once; a file that cannot
be read (bad TOML, a template syntax error, an unknown key) raises `FormError` with one
sentence that names the file, and nothing is generated from it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

#: Where the forms live; AIGAQ_PETITION_FORMS points elsewhere (a copy a group keeps).
PACKAGE_FORMS = Path(__file__).resolve().parent / "forms"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
#: The languages a form's document may be written in (fr and es: the UN forms; Spanish is
#: not an interface language, so only the document is in it).
LANGUAGES = ("kk", "ru", "en", "fr", "es")

#: The volunteer's entries a form may ask for, by kind (checks.py checks each kind).
ENTRY_KINDS = ("text", "textarea", "substance", "iin", "phone", "choice", "bool", "consent")
#: The facts a person's record must hold, by name (checks.py knows each one).
RECORD_FACTS = (
    "consent",
    "names",
    "birth",
    "disappearance_date",
    "disappearance_place",
    "arrest_date",
    "detention_place",
)

_ENGINE = Engine(
    libraries={"petitions_text": "aigaq.petitions.templatetags.petitions_text"},
    autoescape=True,
)
_TEXT_ENGINE = Engine(
    libraries={"petitions_text": "aigaq.petitions.templatetags.petitions_text"},
    autoescape=False,
)


class FormError(Exception):
    """A form's files cannot be used; the message names the file and what is wrong."""


class UnknownForm(FormError):
    pass


def forms_dir() -> Path:
    return Path(os.environ.get("AIGAQ_PETITION_FORMS") or PACKAGE_FORMS)


@dataclass(frozen=True)
class Entry:
    """One thing the volunteer fills in for a petition."""

    key: str
    kind: str
    required: bool
    label: dict[str, str]
    help: dict[str, str]
    requirement: str
    default: str = ""
    choices: tuple[str, ...] = ()

    def label_in(self, language: str | None = None) -> str:
        return _in(self.label, language) or self.key

    def help_in(self, language: str | None = None) -> str:
        return _in(self.help, language)


@dataclass(frozen=True)
class PetitionForm:
    name: str
    language: str
    short: str
    several_persons: bool
    title: dict[str, str]
    record_facts: tuple[str, ...]
    requirements: dict[str, Any]
    entries: tuple[Entry, ...]
    folder: Path
    template: Template = field(repr=False, compare=False)
    substance: Template = field(repr=False, compare=False)

    def title_in(self, language: str | None = None) -> str:
        return _in(self.title, language) or self.name

    def entry(self, key: str) -> Entry | None:
        return next((e for e in self.entries if e.key == key), None)

    @property
    def sources(self) -> list[dict[str, str]]:
        return list(self.requirements.get("source", []))

    def render(self, context: dict[str, Any]) -> str:
        return self.template.render(Context(context, autoescape=True))

    def render_substance(self, context: dict[str, Any]) -> str:
        text = self.substance.render(Context(context, autoescape=False))
        return "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()


def _in(texts: dict[str, str], language: str | None) -> str:
    lang = (language or get_language() or "en").split("-")[0]
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


def form_names() -> list[str]:
    root = forms_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "form.toml").is_file())


def all_forms() -> tuple[list[PetitionForm], list[str]]:
    """Every form that loads, and one sentence for each that does not."""
    forms: list[PetitionForm] = []
    errors: list[str] = []
    for name in form_names():
        try:
            forms.append(load_form(name))
        except FormError as exc:
            errors.append(str(exc))
    return forms, errors


def load_form(name: str) -> PetitionForm:
    if not NAME_RE.match(name or "") or name not in form_names():
        raise UnknownForm(
            _("There is no petition form %(name)s; the forms are: %(names)s.")
            % {"name": name, "names": ", ".join(form_names()) or "—"}
        )
    folder = forms_dir() / name
    toml_path = folder / "form.toml"
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise FormError(
            _("The petition form file %(file)s cannot be read: %(error)s")
            % {"file": _shown(toml_path), "error": exc}
        ) from None
    try:
        return _build(name, folder, data)
    except (KeyError, TypeError, ValueError) as exc:
        raise FormError(
            _("The petition form file %(file)s is not valid: %(error)s")
            % {"file": _shown(toml_path), "error": exc}
        ) from None


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(forms_dir().parent))
    except ValueError:
        return str(path)


def _texts(value: Any, what: str) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ValueError(f"{what} must be a text or a table of texts by language")
    return dict(value)


def _build(name: str, folder: Path, data: dict[str, Any]) -> PetitionForm:
    if data.get("name") != name:
        raise ValueError(f"name = {data.get('name')!r} must be the folder's name, {name!r}")
    language = data["language"]
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    facts = tuple(data.get("record_facts", ()))
    for fact in facts:
        if fact not in RECORD_FACTS:
            raise ValueError(f"unknown record fact {fact!r} (known: {', '.join(RECORD_FACTS)})")
    if "consent" not in facts:
        raise ValueError('record_facts must include "consent": no petition without consent')
    entries: list[Entry] = []
    for raw in data.get("entry", []):
        kind = raw["kind"]
        if kind not in ENTRY_KINDS:
            raise ValueError(f"entry {raw.get('key')!r}: unknown kind {kind!r}")
        key = raw["key"]
        if not re.match(r"^[a-z][a-z0-9_]{0,40}$", key) or any(e.key == key for e in entries):
            raise ValueError(f"entry key {key!r} is not a new lower-case word")
        choices = tuple(str(c) for c in raw.get("choices", ()))
        if kind == "choice" and not choices:
            raise ValueError(f"entry {key!r}: a choice needs choices = [...]")
        entries.append(
            Entry(
                key=key,
                kind=kind,
                required=bool(raw.get("required", False)),
                label=_texts(raw["label"], f"entry {key!r} label"),
                help=_texts(raw.get("help", {}), f"entry {key!r} help"),
                requirement=str(raw.get("requirement", "")),
                default=str(raw.get("default", "")),
                choices=choices,
            )
        )
    requirements = data.get("requirements", {})
    if not requirements.get("source"):
        raise ValueError("[[requirements.source]] must cite where the body published them")
    return PetitionForm(
        name=name,
        language=language,
        short=str(data.get("short") or name),
        several_persons=bool(data.get("several_persons", False)),
        title=_texts(data["title"], "title"),
        record_facts=facts,
        requirements=requirements,
        entries=tuple(entries),
        folder=folder,
        template=_compile(folder / "template.html", _ENGINE),
        substance=_compile(folder / "substance.txt", _TEXT_ENGINE),
    )


def _compile(path: Path, engine: Engine) -> Template:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(
            _("The petition form file %(file)s cannot be read: %(error)s")
            % {"file": _shown(path), "error": exc}
        ) from None
    try:
        return engine.from_string(text)
    except TemplateSyntaxError as exc:
        line = _error_line(exc, text)
        raise FormError(
            _(
                "The petition template %(file)s has an error%(line)s: %(error)s. Nothing was "
                "generated; correct the file (or ask whoever edited it last)."
            )
            % {
                "file": _shown(path),
                "line": (_(" on line %(n)s") % {"n": line}) if line else "",
                "error": exc,
            }
        ) from None


def _error_line(exc: TemplateSyntaxError, text: str) -> int | None:
    info = getattr(exc, "template_debug", None)
    if info and info.get("line"):
        return int(info["line"])
    token = getattr(exc, "token", None)
    if token is not None and getattr(token, "lineno", None):
        return int(token.lineno)
    return None


def style_path() -> Path:
    return forms_dir() / "style.css"
