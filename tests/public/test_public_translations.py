"""The public site speaks its eight languages: every string its pages can show is translated in
each, keeps its placeholders, and reaches the page. The staff interface ships only in kk, ru, en
(tests/core/test_translations.py); the other five catalogues hold the staff strings untranslated,
and only what the public site shows must be translated there.

A string belongs to the public site when a `#:` reference of its catalogue entry points into one
of PUBLIC_SOURCES, so a string added to a public template or module tomorrow is checked with no
change here; the choice labels the pages show come from other apps' models and are listed from
the code (the `label` filter's choices and settings.LANGUAGES)."""

from __future__ import annotations

import ast
import os
import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from aigaq.core.models import Visibility
from aigaq.public.languages import PUBLIC_LANGUAGES
from aigaq.public.templatetags.public import _CHOICES
from tests import factories
from tests.core.test_translations import LOCALE, Entry, catalogue, placeholders_lost

#: Where the public site's strings live (aigaq/corrections/: the public correction form).
PUBLIC_SOURCES = ("templates/public/", "aigaq/public/", "aigaq/corrections/")
#: locale/ folder of each public language ("zh" in the URL is Django's zh-hans, locale zh_Hans).
LOCALES = {lang.code: translation.to_locale(lang.django) for lang in PUBLIC_LANGUAGES}


def _string(block: str, keyword: str) -> str | None:
    """The (possibly wrapped) string after `keyword` in one catalogue entry, or None."""
    out: str | None = None
    reading = False
    for line in block.splitlines():
        if line.startswith(keyword + " "):
            out, reading = ast.literal_eval(line[len(keyword) + 1 :]), True
        elif reading and line.startswith('"'):
            out = (out or "") + ast.literal_eval(line)
        else:
            reading = False
    return out


def public_keys(locale: str) -> set[tuple[str | None, str]]:
    """(msgctxt, msgid) of every entry that a public source refers to."""
    text = (LOCALE / locale / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    keys = set()
    for block in text.split("\n\n"):
        refs = [
            ref.rsplit(":", 1)[0]
            for line in block.splitlines()
            if line.startswith("#:")
            for ref in line[2:].split()
        ]
        msgid = _string(block, "msgid")
        if msgid and any(ref.startswith(PUBLIC_SOURCES) for ref in refs):
            keys.add((_string(block, "msgctxt"), msgid))
    return keys


def choice_labels() -> set[str]:
    """The English source of every choice label the public pages show, and of the language
    names (settings.LANGUAGES)."""
    with translation.override(None):
        labels = {str(label) for choices in _CHOICES.values() for _, label in choices.choices}
        labels |= {str(name) for _, name in settings.LANGUAGES}
    return labels


def nplurals(header: Entry) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header.msgstr[0])
    assert match, "the catalogue says how many plural forms it has"
    return int(match.group(1))


def untranslated(locale: str, entries: list[Entry], forms: int) -> list[str]:
    """The msgids among `entries` not translated as the public site needs. English shows the
    source: its msgstr stay empty (or equal the msgid), but plural messages give both forms, as
    in locale/en today."""
    wrong = []
    for e in entries:
        if "fuzzy" in e.flags:
            wrong.append(e.msgid)
        elif e.msgid_plural:
            if sorted(e.msgstr) != list(range(forms)) or not all(
                s.strip() for s in e.msgstr.values()
            ):
                wrong.append(e.msgid)
        elif locale == "en":
            if e.msgstr.get(0, "") not in ("", e.msgid):
                wrong.append(e.msgid)
        elif not e.msgstr.get(0, "").strip():
            wrong.append(e.msgid)
    return wrong


@pytest.mark.parametrize("locale", LOCALES.values())
def test_every_public_string_is_translated_and_keeps_its_placeholders(locale: str) -> None:
    header, entries = catalogue(locale)
    keys = public_keys(locale)
    assert (None, "Victims database") in keys, "public strings are found by their references"
    assert keys == public_keys("kk"), f"locale/{locale} is out of step: run `make messages`"
    public = [e for e in entries if e.key in keys]
    assert len(public) == len(keys)
    missing = untranslated(locale, public, nplurals(header))
    assert missing == [], f"{locale}: public strings untranslated or fuzzy; docs/translation.md"
    assert placeholders_lost(header, public) == []


@pytest.mark.parametrize("locale", LOCALES.values())
def test_the_choice_labels_the_public_pages_show_are_translated(locale: str) -> None:
    header, entries = catalogue(locale)
    labels = choice_labels()
    assert {"Re-education camp", "Uyghur", "Mother", "Corroborated", "Arabic"} <= labels
    shown = [e for e in entries if e.msgid in labels and not e.msgid_plural]
    assert {e.msgid for e in shown} == labels, "every label is in the catalogue"
    assert untranslated(locale, shown, nplurals(header)) == []
    assert placeholders_lost(header, shown) == []


# Each language's words for a few things a page shows: its home page's title, the count of
# entries (a plural that always shows the number), the status "re-education camp" and the
# testifier's relationship "mother". None of them is the English word, so a page that falls back
# to English fails.
EXPECTED = {
    "kk": ("Құрбандар дерекқоры", "1 жазба", "Қайта тәрбиелеу лагері", "Анасы"),
    "ru": ("База данных жертв", "1 запись", "Лагерь «перевоспитания»", "Мать"),
    "en": ("Victims database", "1 entry", "Re-education camp", "Mother"),
    "zh": ("受害者数据库", "1 个条目", "再教育营", "母亲"),
    "tr": ("Mağdurlar veri tabanı", "1 kayıt", "Yeniden eğitim kampı", "Annesi"),
    "ar": ("قاعدة بيانات الضحايا", "1 سجل", "معسكر إعادة التثقيف", "الأم"),
    "fr": ("Base de données des victimes", "1 fiche", "Camp de rééducation", "Mère"),
    "de": ("Opferdatenbank", "1 Eintrag", "Umerziehungslager", "Mutter"),
}
#: "Kazakh" as a people (msgctxt "ethnicity") and as a language: two words where the language
#: has two.
KAZAKH = {
    "kk": ("Қазақ", "Қазақша"),
    "ru": ("Казах", "Казахский"),
    "zh": ("哈萨克族", "哈萨克语"),
    "tr": ("Kazak", "Kazakça"),
    "ar": ("كازاخي", "الكازاخية"),
}


def test_every_public_language_has_its_expectations() -> None:
    assert set(EXPECTED) == set(LOCALES)
    english = EXPECTED["en"]
    for lang, words in EXPECTED.items():
        assert lang == "en" or all(w != e for w, e in zip(words, english, strict=True)), lang


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LOCALES)
def test_pages_render_in_the_language_of_their_url(
    public_client: Any, coordinator: Any, lang: str
) -> None:
    title, count, camp, mother = EXPECTED[lang]
    person = factories.person(
        "Серік Оспанов", actor=coordinator, status="camp", visibility=Visibility.PUBLIC
    )
    factories.testimony(
        person,
        actor=coordinator,
        relationship="mother",
        visibility=Visibility.PUBLIC,
        consent_public=True,
        status="recorded",
    )
    home = public_client.get(f"/{lang}/").content.decode()
    assert title in home
    listing = public_client.get(f"/{lang}/entries/").content.decode()
    assert count in listing and camp in listing
    page = public_client.get(f"/{lang}/entries/{person.entry_no}/").content.decode()
    assert camp in page and mother in page
    if lang != "en":
        # No English left in what the pages show: every public string was translated.
        _, entries = catalogue(LOCALES[lang])
        keys = public_keys(LOCALES[lang])
        english = {
            e.msgid
            for e in entries
            if e.key in keys
            and not e.msgid_plural
            and "%" not in e.msgid
            and len(e.msgid) >= 8
            and e.msgstr.get(0) != e.msgid
        }
        assert english, "the check has strings to look for"
        for shown in (home, listing, page):
            assert [m for m in english if m in shown] == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_the_arabic_pages_read_right_to_left_in_a_browser(
    browser: Any, live_server: Any, coordinator: Any, width: int
) -> None:
    """The staff server's preview of the public site (/public/...) in Chromium: the page runs
    right to left, the site's name starts at the right edge, and nothing is wider than the
    window. Set AIGAQ_SCREENSHOTS to a folder to keep the screenshots."""
    person = factories.person(
        "Серік Оспанов",
        "Serik Ospanov",
        "سېرىك ئوسپانوۋ",
        actor=coordinator,
        status="camp",
        visibility=Visibility.PUBLIC,
        gender="male",
        ethnicity="kazakh",
        birth_year=1975,
        occupation="Мұғалім",
    )
    factories.testimony(
        person,
        actor=coordinator,
        relationship="mother",
        visibility=Visibility.PUBLIC,
        consent_public=True,
        consent_anonymous=False,
        status="recorded",
        summary="Ұлым 2018 жылы ұсталды, содан бері хабар жоқ.",
    )
    context = browser.new_context(locale="ar", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    shots = os.environ.get("AIGAQ_SCREENSHOTS")
    try:
        for name, path in (
            ("home", "/public/ar/"),
            ("entries", "/public/ar/entries/"),
            ("entry", f"/public/ar/entries/{person.entry_no}/"),
        ):
            page.goto(live_server.url + path)
            assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
            assert "قاعدة بيانات الضحايا" in page.inner_text("header.site")
            brand = page.locator("header.site .brand").bounding_box()
            assert brand is not None and brand["x"] + brand["width"] > width * 0.6, brand
            scroll = int(page.evaluate("document.documentElement.scrollWidth"))
            assert scroll <= width, (path, scroll)
            if shots:
                page.screenshot(path=f"{shots}/ar-{name}-{width}.png", full_page=True)
        assert "معسكر إعادة التثقيف" in page.inner_text("main")
    finally:
        context.close()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", KAZAKH)
def test_the_people_and_the_language_have_their_own_words(
    public_client: Any, coordinator: Any, lang: str
) -> None:
    people, language = KAZAKH[lang]
    person = factories.person(
        "Серік Оспанов", actor=coordinator, ethnicity="kazakh", visibility=Visibility.PUBLIC
    )
    factories.testimony(
        person,
        actor=coordinator,
        language="kk",
        visibility=Visibility.PUBLIC,
        consent_public=True,
        status="recorded",
    )
    page = public_client.get(f"/{lang}/entries/{person.entry_no}/").content.decode()
    facts = re.findall(r"<dd[^>]*>(.*?)</dd>", page, re.S)
    assert people in [re.sub(r"<[^>]+>", "", f).strip() for f in facts]
    assert language in page


@pytest.mark.django_db
def test_names_dates_and_free_text_are_isolated_on_an_arabic_page(
    public_client: Any, coordinator: Any
) -> None:
    """In a right-to-left page a Cyrillic name, initials or a date keep their own order
    (<bdi>), and text the staff typed takes its own direction (dir="auto"); see the
    screenshots in the browser test."""
    person = factories.person(
        "Серік Оспанов",
        actor=coordinator,
        status="camp",
        date="2019-03-01",
        visibility=Visibility.PUBLIC,
        biography="Құлжада туған.",
        occupation="Мұғалім.",
    )
    factories.testimony(
        person,
        actor=coordinator,
        visibility=Visibility.PUBLIC,
        consent_public=True,
        consent_anonymous=False,
        status="recorded",
        summary="Ұлым 2018 жылы ұсталды.",
    )
    page = public_client.get(f"/ar/entries/{person.entry_no}/").content.decode()
    assert re.search(r"<h1><bdi>[^<]+</bdi></h1>", page), "the name, in whichever script"
    assert '<bdi class="date">2019-03-01</bdi>' in page  # the chronology
    assert "<bdi>2019-03-01</bdi>" in page  # the day the testimony was recorded
    assert '<p class="bio" dir="auto">Құлжада туған.</p>' in page
    assert '<dd><bdi dir="auto">Мұғалім.</bdi></dd>' in page
    assert '<p dir="auto">Ұлым 2018 жылы ұсталды.</p>' in page
    assert re.search(r"<dd><bdi>[^<]+</bdi> · ", page), "the testifier's name or initials"
    listing = public_client.get("/ar/entries/").content.decode()
    assert re.search(r'<bdi class="name">[^<]+</bdi>', listing)
