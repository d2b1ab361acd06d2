"""Template tags of the petition forms: dates said as precisely as they are known, in the
document's language (not the interface's), saying so when only a month or a year is known."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

register = template.Library()

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_RU_GEN = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
MONTHS_RU_PREP = [
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
]
MONTHS_RU_NOM = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
]
MONTHS_KK = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
]
MONTHS_KK_LOC = [
    "қаңтарда",
    "ақпанда",
    "наурызда",
    "сәуірде",
    "мамырда",
    "маусымда",
    "шілдеде",
    "тамызда",
    "қыркүйекте",
    "қазанда",
    "қарашада",
    "желтоқсанда",
]

MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
MONTHS_ES = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
]

UNKNOWN = {
    "en": "date not known",
    "ru": "дата неизвестна",
    "kk": "күні белгісіз",
    "fr": "date inconnue",
    "es": "fecha desconocida",
}
NOT_EXACT = {
    "en": "the exact date is not known",
    "ru": "точная дата неизвестна",
    "kk": "нақты күні белгісіз",
    "fr": "la date exacte n’est pas connue",
    "es": "se desconoce la fecha exacta",
}
NOT_EXACT_DAY = {
    "en": "the exact day is not known",
    "ru": "точный день неизвестен",
    "kk": "нақты күні белгісіз",
    "fr": "le jour exact n’est pas connu",
    "es": "se desconoce el día exacto",
}


def _day(d: dt.date, lang: str) -> str:
    if lang == "ru":
        return f"{d.day} {MONTHS_RU_GEN[d.month - 1]} {d.year} г."
    if lang == "kk":
        return f"{d.year} жылғы {d.day} {MONTHS_KK[d.month - 1]}"
    if lang == "fr":
        return f"{'1er' if d.day == 1 else d.day} {MONTHS_FR[d.month - 1]} {d.year}"
    if lang == "es":
        return f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def date_text(event: Any, lang: str, *, plain: bool = False) -> str:
    """How `event` (an EventFact) is dated in a sentence ("on 12 May 2018", "in 2018 (the
    exact date is not known)") or, `plain`, in a table cell ("12 May 2018")."""
    if event is None or getattr(event, "start", None) is None:
        return UNKNOWN.get(lang, UNKNOWN["en"])
    start: dt.date = event.start
    end: dt.date = event.end or start
    precision = event.precision
    note = NOT_EXACT.get(lang, NOT_EXACT["en"])
    if precision == "day" or start == end:
        if plain:
            return _day(start, lang)
        if lang == "kk":
            return f"{start.year} жылғы {start.day} {MONTHS_KK_LOC[start.month - 1]}"
        if lang == "ru":
            return _day(start, lang)
        if lang == "fr":
            return f"le {_day(start, lang)}"
        if lang == "es":
            return f"el {_day(start, lang)}"
        return f"on {_day(start, lang)}"
    if precision == "month":
        m = start.month - 1
        day_note = NOT_EXACT_DAY.get(lang, NOT_EXACT_DAY["en"])
        if plain:
            return {
                "en": f"{MONTHS_EN[m]} {start.year}",
                "ru": f"{MONTHS_RU_NOM[m]} {start.year} г.",
                "kk": f"{start.year} жылғы {MONTHS_KK[m]}",
                "fr": f"{MONTHS_FR[m]} {start.year}",
                "es": f"{MONTHS_ES[m]} de {start.year}",
            }.get(lang, "")
        return {
            "en": f"in {MONTHS_EN[m]} {start.year} ({day_note})",
            "ru": f"в {MONTHS_RU_PREP[m]} {start.year} г. ({day_note})",
            "kk": f"{start.year} жылғы {MONTHS_KK_LOC[m]} ({day_note})",
            "fr": f"en {MONTHS_FR[m]} {start.year} ({day_note})",
            "es": f"en {MONTHS_ES[m]} de {start.year} ({day_note})",
        }.get(lang, "")
    whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if (precision == "year" or whole_year) and start.year == end.year:
        if plain:
            return {
                "en": f"{start.year} ({note})",
                "ru": f"{start.year} г. ({note})",
                "kk": f"{start.year} жыл ({note})",
                "fr": f"{start.year} ({note})",
                "es": f"{start.year} ({note})",
            }.get(lang, "")
        return {
            "en": f"in {start.year} ({note})",
            "ru": f"в {start.year} г. ({note})",
            "kk": f"{start.year} жылы ({note})",
            "fr": f"en {start.year} ({note})",
            "es": f"en {start.year} ({note})",
        }.get(lang, "")
    a, b = _day(start, lang), _day(end, lang)
    if plain:
        return f"{a} – {b} ({note})"
    return {
        "en": f"between {a} and {b} ({note})",
        "ru": f"между {a} и {b} ({note})",
        "kk": f"{a} мен {b} аралығында ({note})",
        "fr": f"entre le {a} et le {b} ({note})",
        "es": f"entre el {a} y el {b} ({note})",
    }.get(lang, f"{a} – {b}")


@register.simple_tag
def date_phrase(event: Any, lang: str, plain: bool = False) -> str:
    return date_text(event, lang, plain=plain)


#: Words of the record (a status, a sex, an ethnic group, a script) in the languages of the
#: documents that are not interface languages, or whose wording must not wait for the
#: interface's translation (the UN forms in French and Spanish): `{{ code|word:"es" }}`.
WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "lost_contact": "contact perdu",
        "detained": "arrêté",
        "camp": "camp de « rééducation »",
        "prison": "prison",
        "released": "libéré",
        "house_arrest": "assignation à résidence",
        "forced_labour": "travail forcé",
        "exit_ban": "interdiction de sortie du territoire",
        "camp_work": "contraint au travail dans un camp",
        "returned": "retourné au Kazakhstan",
        "died": "décédé",
        "other": "autre",
        "female": "féminin",
        "male": "masculin",
        "unknown": "inconnu",
        "kazakh": "kazakh",
        "uyghur": "ouïghour",
        "kyrgyz": "kirghize",
        "hui": "hui (dounganes)",
        "uzbek": "ouzbek",
        "tatar": "tatar",
        "tajik": "tadjik",
        "mongol": "mongol",
        "han": "han",
        "latin": "alphabet latin",
        "cyrillic": "cyrillique",
        "arabic": "écriture arabe",
        "mixed": "écritures mêlées",
    },
    "es": {
        "lost_contact": "contacto perdido",
        "detained": "detenido",
        "camp": "campo de «reeducación»",
        "prison": "prisión",
        "released": "puesto en libertad",
        "house_arrest": "arresto domiciliario",
        "forced_labour": "trabajo forzoso",
        "exit_ban": "prohibición de salida del país",
        "camp_work": "obligado a trabajar en un campo",
        "returned": "regresó a Kazajstán",
        "died": "fallecido",
        "other": "otro",
        "female": "femenino",
        "male": "masculino",
        "unknown": "desconocido",
        "kazakh": "kazajo",
        "uyghur": "uigur",
        "kyrgyz": "kirguís",
        "hui": "hui (dunganos)",
        "uzbek": "uzbeko",
        "tatar": "tártaro",
        "tajik": "tayiko",
        "mongol": "mongol",
        "han": "han",
        "latin": "alfabeto latino",
        "cyrillic": "cirílico",
        "arabic": "escritura árabe",
        "mixed": "escrituras mixtas",
    },
}
WORDS["fr"]["han_script"] = "caractères chinois"
WORDS["es"]["han_script"] = "caracteres chinos"


@register.filter
def word(code: Any, lang: str) -> str:
    """The record's `code` said in `lang` (WORDS), else the code itself."""
    text = str(code or "")
    return WORDS.get(lang, {}).get(text, text.replace("_", " "))


@register.filter
def script_word(code: Any, lang: str) -> str:
    """A name's script said in `lang` (Chinese characters, not the Han people)."""
    text = str(code or "")
    if text == "han":
        text = "han_script"
    return word(text, lang)
