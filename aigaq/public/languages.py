"""The public site's languages: each in the URL (/kk/..., /ar/...), with its Django locale,
its own name and its direction."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class PublicLanguage:
    code: str  # as it appears in the URL
    django: str  # Django's language code (the locale/ folder is its locale name)
    name: str  # in the language itself: the switcher shows languages by their own names
    rtl: bool = False
    #: The script its readers read names in first (PersonName.script).
    script: str = "latin"


PUBLIC_LANGUAGES = (
    PublicLanguage("kk", "kk", "Қазақша", script="cyrillic"),
    PublicLanguage("ru", "ru", "Русский", script="cyrillic"),
    PublicLanguage("en", "en", "English"),
    PublicLanguage("zh", "zh-hans", "中文", script="han"),
    PublicLanguage("tr", "tr", "Türkçe"),
    PublicLanguage("ar", "ar", "العربية", rtl=True, script="arabic"),
    PublicLanguage("fr", "fr", "Français"),
    PublicLanguage("de", "de", "Deutsch"),
)
BY_CODE = {lang.code: lang for lang in PUBLIC_LANGUAGES}
DEFAULT = BY_CODE["en"]


class LanguageConverter:
    """A path converter that matches only the public languages' codes: /xx/ for any other
    two letters is simply not found."""

    regex = "|".join(lang.code for lang in PUBLIC_LANGUAGES)

    def to_python(self, value: str) -> PublicLanguage:
        return BY_CODE[value]

    def to_url(self, value: PublicLanguage | str) -> str:
        return value if isinstance(value, str) else value.code


def from_accept_language(header: str) -> PublicLanguage:
    """The first public language a browser's Accept-Language asks for, else English."""
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if not tag:
            continue
        if tag.startswith("zh"):
            return BY_CODE["zh"]
        base = tag.split("-")[0]
        if base in BY_CODE:
            return BY_CODE[base]
    return DEFAULT


def activate(lang: PublicLanguage) -> None:
    translation.activate(lang.django)
