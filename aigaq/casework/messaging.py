"""Messages to families: one TOML file per message under the messages folder, which a
coordinator edits without touching code (docs/petitions.md, "Messages to families").

    family_messages/<name>.toml
        title.kk, title.ru, title.en   what the message is about
        needs = ["petition", ...]      what the case must give before the text is shown
        [text] kk, ru                  the message, in the Django template language

The placeholders are filled from the case (PLACEHOLDERS); the volunteer copies the text into
the messenger the family uses: nothing is ever sent from here. The files are read on every
use, so an edit takes effect at once; a file that cannot be read (bad TOML, a template syntax
error, an unknown placeholder in `needs`) raises `MessageError` with a sentence that names the
file, and no text is shown from it.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

#: Where the messages live; AIGAQ_FAMILY_MESSAGES points elsewhere (a copy a group keeps).
PACKAGE_MESSAGES = Path(__file__).resolve().parent / "family_messages"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
#: The languages a family message is written in.
LANGUAGES = ("kk", "ru")
#: What a message may say, filled from the case.
PLACEHOLDERS: dict[str, Any] = {
    "person": gettext_lazy("the person's name"),
    "testifier": gettext_lazy("the testifier's name"),
    "volunteer": gettext_lazy("your name"),
    "petition": gettext_lazy("the petition"),
    "form": gettext_lazy("the petition's form"),
    "registration_no": gettext_lazy("the registration number"),
    "sent_on": gettext_lazy("the day the petition was sent"),
    "answered_on": gettext_lazy("the day the answer came"),
    "hearing_on": gettext_lazy("the hearing date"),
    "place": gettext_lazy("the place"),
}

_ENGINE = Engine(autoescape=False)


class MessageError(Exception):
    """A message file cannot be used; the text names the file and what is wrong."""


class MessageIncomplete(Exception):
    """The case does not give what the message needs; the text says what to choose."""


def messages_dir() -> Path:
    return Path(os.environ.get("AIGAQ_FAMILY_MESSAGES") or PACKAGE_MESSAGES)


@dataclass(frozen=True)
class FamilyMessage:
    name: str
    path: Path
    title: dict[str, str]
    needs: tuple[str, ...]
    texts: dict[str, Template]

    def title_in(self, language: str | None = None) -> str:
        lang = (language or get_language() or "en").split("-")[0]
        return self.title.get(lang) or self.title.get("en") or self.name

    def render(self, language: str, context: Mapping[str, Any]) -> str:
        """The filled text in `language`; MessageIncomplete when something it needs is not
        in `context` (a message is never shown with a blank where a fact should be)."""
        if language not in self.texts:
            raise MessageIncomplete(
                _("This message is written in %(langs)s.") % {"langs": ", ".join(self.texts)}
            )
        missing = [str(PLACEHOLDERS[n]) for n in self.needs if not context.get(n)]
        if missing:
            raise MessageIncomplete(
                _("Give %(what)s: the message needs it.") % {"what": ", ".join(missing)}
            )
        text = self.texts[language].render(Context(dict(context), autoescape=False))
        return "\n".join(line.rstrip() for line in text.strip().splitlines())


def message_names() -> list[str]:
    folder = messages_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.toml") if NAME_RE.match(p.stem))


def all_messages() -> tuple[list[FamilyMessage], list[str]]:
    """Every message that can be read, and one sentence for each that cannot."""
    ok: list[FamilyMessage] = []
    errors: list[str] = []
    for name in message_names():
        try:
            ok.append(load_message(name))
        except MessageError as exc:
            errors.append(str(exc))
    return ok, errors


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(messages_dir().parent))
    except ValueError:
        return str(path)


def load_message(name: str) -> FamilyMessage:
    if not NAME_RE.match(name or "") or name not in message_names():
        raise MessageError(
            _("There is no family message %(name)s; the messages are: %(names)s.")
            % {"name": name, "names": ", ".join(message_names()) or "—"}
        )
    path = messages_dir() / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MessageError(
            _("The message file %(file)s cannot be read: %(error)s. No text is shown from it.")
            % {"file": _shown(path), "error": exc}
        ) from None
    try:
        title = data["title"]
        texts = data["text"]
        if not isinstance(title, dict) or not isinstance(texts, dict):
            raise ValueError("title and text must be tables by language")
        needs = tuple(str(n) for n in data.get("needs", ()))
        for need in needs:
            if need not in PLACEHOLDERS:
                raise ValueError(f"needs: unknown {need!r} (known: {', '.join(PLACEHOLDERS)})")
        for lang in LANGUAGES:
            if not isinstance(texts.get(lang), str) or not texts[lang].strip():
                raise ValueError(f"text.{lang} is missing: every message is in {LANGUAGES}")
    except (KeyError, ValueError) as exc:
        raise MessageError(
            _("The message file %(file)s is not valid: %(error)s. No text is shown from it.")
            % {"file": _shown(path), "error": exc}
        ) from None
    compiled: dict[str, Template] = {}
    for lang, text in texts.items():
        try:
            compiled[str(lang)] = _ENGINE.from_string(str(text))
        except TemplateSyntaxError as exc:
            raise MessageError(
                _(
                    "The message file %(file)s has an error in its %(lang)s text: %(error)s. "
                    "No text is shown from it; correct the file (or ask whoever edited it last)."
                )
                % {"file": _shown(path), "lang": lang, "error": exc}
            ) from None
    return FamilyMessage(
        name=name,
        path=path,
        title={str(k): str(v) for k, v in title.items()},
        needs=needs,
        texts=compiled,
    )
