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

UNKNOWN = {"en": "date not known", "ru": "дата неизвестна", "kk": "күні белгісіз"}
NOT_EXACT = {
    "en": "the exact date is not known",
    "ru": "точная дата неизвестна",
    "kk": "нақты күні белгісіз",
}


def _day(d: dt.date, lang: str) -> str:
    if lang == "ru":
        return f"{d.day} {MONTHS_RU_GEN[d.month - 1]} {d.year} г."
    if lang == "kk":
        return f"{d.year} жылғы {d.day} {MONTHS_KK[d.month - 1]}"
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
        return f"on {_day(start, lang)}"
    if precision == "month":
        m = start.month - 1
        if plain:
            return {
                "en": f"{MONTHS_EN[m]} {start.year}",
                "ru": f"{MONTHS_RU_NOM[m]} {start.year} г.",
                "kk": f"{start.year} жылғы {MONTHS_KK[m]}",
            }.get(lang, "")
        return {
            "en": f"in {MONTHS_EN[m]} {start.year} (the exact day is not known)",
            "ru": f"в {MONTHS_RU_PREP[m]} {start.year} г. (точный день неизвестен)",
            "kk": f"{start.year} жылғы {MONTHS_KK_LOC[m]} (нақты күні белгісіз)",
        }.get(lang, "")
    whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
    if (precision == "year" or whole_year) and start.year == end.year:
        if plain:
            return {
                "en": f"{start.year} ({note})",
                "ru": f"{start.year} г. ({note})",
                "kk": f"{start.year} жыл ({note})",
            }.get(lang, "")
        return {
            "en": f"in {start.year} ({note})",
            "ru": f"в {start.year} г. ({note})",
            "kk": f"{start.year} жылы ({note})",
        }.get(lang, "")
    a, b = _day(start, lang), _day(end, lang)
    if plain:
        return f"{a} – {b} ({note})"
    return {
        "en": f"between {a} and {b} ({note})",
        "ru": f"между {a} и {b} ({note})",
        "kk": f"{a} мен {b} аралығында ({note})",
    }.get(lang, f"{a} – {b}")


@register.simple_tag
def date_phrase(event: Any, lang: str, plain: bool = False) -> str:
    return date_text(event, lang, plain=plain)
