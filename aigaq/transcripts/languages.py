"""The languages transcripts and translations are written in, and the scripts each is written in.

Which languages a testimony may be transcribed or translated into is configuration
(``settings.TRANSCRIPT_LANGUAGES``, from ``AIGAQ_TRANSCRIPT_LANGUAGES``); this module knows the
name and the scripts of more languages than the default eight, so Korean, Japanese or Uyghur
need only be added there.
"""

from __future__ import annotations

from typing import Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aigaq.names.scripts import ARABIC, CYRILLIC, HAN, LATIN, OTHER, char_script

HANGUL: Final = "hangul"
KANA: Final = "kana"

#: The name of each language this module knows, in the interface's language.
NAMES: Final = {
    "kk": _("Kazakh"),
    "zh_Hans": _("Chinese"),
    "en": _("English"),
    "ru": _("Russian"),
    "tr": _("Turkish"),
    "ar": _("Arabic"),
    "fr": _("French"),
    "de": _("German"),
    "ko": _("Korean"),
    "ja": _("Japanese"),
    "ug": _("Uyghur"),
    "ky": _("Kyrgyz"),
    "uz": _("Uzbek"),
}

#: The scripts a text in each language may be written in. Kazakh is written in Cyrillic in
#: Kazakhstan, in the Arabic script by Kazakhs in Xinjiang, and in Latin letters more and more.
SCRIPTS: Final[dict[str, frozenset[str]]] = {
    "kk": frozenset({CYRILLIC, ARABIC, LATIN}),
    "zh_Hans": frozenset({HAN}),
    "en": frozenset({LATIN}),
    "ru": frozenset({CYRILLIC}),
    "tr": frozenset({LATIN}),
    "ar": frozenset({ARABIC}),
    "fr": frozenset({LATIN}),
    "de": frozenset({LATIN}),
    "ko": frozenset({HANGUL, HAN}),
    "ja": frozenset({KANA, HAN}),
    "ug": frozenset({ARABIC, LATIN, CYRILLIC}),
    "ky": frozenset({CYRILLIC, ARABIC}),
    "uz": frozenset({LATIN, CYRILLIC}),
}

RIGHT_TO_LEFT: Final = frozenset({"ar", "ug"})

#: A text passes when at least this share of its letters are in its language's scripts (names
#: and places in another script are normal: 石河子 in an English sentence).
SCRIPT_SHARE: Final = 0.5

#: Spellings people type for the codes: zh-Hans, zh_hans, ZH → zh_Hans.
_ALIASES: Final = {"zh": "zh_Hans", "zh-hans": "zh_Hans", "zh_hans": "zh_Hans", "zh-cn": "zh_Hans"}


def languages() -> list[str]:
    """The configured transcript languages, in their configured order."""
    return list(settings.TRANSCRIPT_LANGUAGES)


def name_of(code: str) -> str:
    return str(NAMES.get(code, code))


def choices() -> list[tuple[str, str]]:
    return [(code, name_of(code)) for code in languages()]


def is_rtl(code: str) -> bool:
    return code in RIGHT_TO_LEFT


def normalise(code: str) -> str:
    """A language code as configured (``zh-Hans`` → ``zh_Hans``); ValidationError with the
    configured codes listed when it is not one of them."""
    text = (code or "").strip()
    known = {c.lower(): c for c in languages()}
    found = known.get(text.lower()) or known.get(_ALIASES.get(text.lower(), "").lower())
    if found is None:
        raise ValidationError(
            _("“%(code)s” is not a transcript language here; use one of: %(codes)s."),
            code="unknown_language",
            params={"code": text[:20], "codes": ", ".join(languages())},
        )
    return found


def _script(ch: str) -> str:
    script = char_script(ch)
    if script != OTHER:
        return script
    cp = ord(ch)
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return HANGUL
    if 0x3040 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF:
        return KANA
    return OTHER


def script_problem(text: str, language: str) -> str | None:
    """Why `text` cannot be in `language` (most of its letters are in a script the language
    is not written in), or None. Languages whose scripts are not known pass."""
    expected = SCRIPTS.get(language)
    if not expected:
        return None
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            script = _script(ch)
            counts[script] = counts.get(script, 0) + 1
    total = sum(counts.values())
    if not total:
        return None
    inside = sum(n for script, n in counts.items() if script in expected)
    if inside / total >= SCRIPT_SHARE:
        return None
    found = max(counts, key=lambda s: counts[s])
    return str(
        _(
            "This text is written mostly in %(found)s letters, which %(language)s does not use "
            "(it is written in %(expected)s). Is it in the right language?"
        )
        % {
            "found": script_label(found),
            "language": name_of(language),
            "expected": ", ".join(script_label(s) for s in sorted(expected)),
        }
    )


def script_label(script: str) -> str:
    labels = {
        LATIN: _("Latin"),
        CYRILLIC: _("Cyrillic"),
        ARABIC: _("Arabic-script"),
        HAN: _("Chinese"),
        HANGUL: _("Hangul"),
        KANA: _("Japanese kana"),
    }
    return str(labels.get(script, _("other")))
