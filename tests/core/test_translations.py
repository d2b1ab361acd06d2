"""Every interface language's catalogue (Kazakh, Russian, Chinese, Turkish, Arabic, French,
German; English is the source) covers every UI string, staff and public, matches the code, and
is used. (The public site's pages in each language: tests/public/test_public_translations.py.)"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests import factories

LOCALE = Path(settings.BASE_DIR) / "locale"
# Complete for the staff interface and the public site alike (settings.STAFF_LANGUAGES).
TRANSLATED = ["kk", "ru", "zh_Hans", "tr", "ar", "fr", "de"]
NPLURALS = {"kk": 2, "ru": 3, "en": 2, "zh_Hans": 1, "tr": 2, "ar": 6, "fr": 2, "de": 2}
# What `make messages` leaves out of extraction; keep in step with the Makefile.
IGNORED = ["migrations/*", ".venv/*", "bench/*", "tests/*", "var/*", "build/*", "dist/*"]
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*[0-9.]*[sdfr]|%[sd]|\{\w*\}|</?[a-z]+[^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files `makemessages` writes (no obsolete entries)."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal current, target
        if target is not None:
            entries.append(current)
        current, target = Entry(), None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if target is not None and target[0] == "msgstr":
                finish()
            current.flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            continue
        elif line.startswith("#"):
            if target is not None and target[0] == "msgstr":
                finish()
        elif line.startswith('"'):
            assert target is not None, f"{path}: a string outside an entry: {raw}"
            _append(current, target, ast.literal_eval(line))
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                target = ("msgstr", int(match.group(1)))
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                target = (keyword, 0)
            else:
                raise AssertionError(f"{path}: cannot read line: {raw}")
            if keyword == "msgctxt":
                current.msgctxt = ""
            _append(current, target, ast.literal_eval(rest))
    finish()
    return entries


def _append(entry: Entry, target: tuple[str, int], text: str) -> None:
    name, index = target
    if name == "msgstr":
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
    elif name == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    else:
        setattr(entry, name, getattr(entry, name) + text)


def forms_for_one_number(header: Entry) -> set[int]:
    """The plural forms that serve a single number (kk and en: 1; Arabic: 0, 1 and 2), read from
    the catalogue's Plural-Forms."""
    match = re.search(r"\bplural=([^;]+)", header.msgstr[0])
    assert match, "the catalogue says its plural rule"
    rule = gettext.c2py(match.group(1))
    numbers: dict[int, list[int]] = {}
    for n in range(1000):
        numbers.setdefault(rule(n), []).append(n)
    return {form for form, ns in numbers.items() if len(ns) == 1}


def placeholders_lost(header: Entry, entries: Iterable[Entry]) -> list[tuple[str, str]]:
    """(msgid, msgstr) of each translation whose placeholders and tags differ from its source's.
    A plural form keeps those of the plural source; a form that serves one number only (the
    "One entry" of "%(count)s entries") may leave the number out. Empty msgstr are skipped."""
    single = forms_for_one_number(header)
    wrong = []
    for e in entries:
        expected = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        for form, text in e.msgstr.items():
            found = sorted(PLACEHOLDER.findall(text))
            if not text or found == expected:
                continue
            if e.msgid_plural and form in single and set(found) <= set(expected):
                continue
            wrong.append((e.msgid, text))
    return wrong


def catalogue(lang: str) -> tuple[Entry, list[Entry]]:
    """The header entry and the messages of locale/<lang>/LC_MESSAGES/django.po."""
    entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    header = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header) == 1
    return header[0], [e for e in entries if e is not header[0]]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str) -> None:
    header, entries = catalogue(lang)
    assert "fuzzy" not in header.flags
    assert len(entries) > 500
    missing = [
        e.msgid
        for e in entries
        if "fuzzy" in e.flags or not e.msgstr or not all(s.strip() for s in e.msgstr.values())
    ]
    assert missing == [], f"{lang}: untranslated or fuzzy; see docs/translation.md"


@pytest.mark.parametrize("lang", [*TRANSLATED, "en"])
def test_plural_messages_have_every_form_the_language_needs(lang: str) -> None:
    header, entries = catalogue(lang)
    nplurals = NPLURALS[lang]
    assert f"nplurals={nplurals};" in header.msgstr[0].replace(" ", "")
    plurals = [e for e in entries if e.msgid_plural]
    assert plurals, "the interface has plural messages"
    for e in plurals:
        assert sorted(e.msgstr) == list(range(nplurals)), e.msgid
        assert all(e.msgstr.values()), e.msgid


@pytest.mark.parametrize("lang", [*TRANSLATED, "en"])
def test_translations_keep_every_placeholder_and_tag(lang: str) -> None:
    header, entries = catalogue(lang)
    assert placeholders_lost(header, entries) == []


@pytest.mark.parametrize("lang", [*TRANSLATED, "en"])
def test_compiled_catalogues_match_their_sources(lang: str) -> None:
    """The .mo files are committed; forgetting `make messages` after editing a .po fails here."""
    _, entries = catalogue(lang)
    with open(LOCALE / lang / "LC_MESSAGES" / "django.mo", "rb") as fh:
        compiled: dict[Any, str] = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    for e in entries:
        if "fuzzy" in e.flags:
            continue  # msgfmt leaves fuzzy entries out; the test above refuses them
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural:
            for n, text in e.msgstr.items():
                if text:
                    assert compiled.get((key, n)) == text, e.msgid
        elif e.msgstr.get(0):
            assert compiled.get(key) == e.msgstr[0], e.msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogues_hold_exactly_the_strings_in_the_code(tmp_path: Path, monkeypatch: Any) -> None:
    """Extract afresh from a copy of the tree (makemessages writes beside the templates it
    reads, so never in the working tree) and compare with the committed catalogues."""
    base = Path(settings.BASE_DIR)
    tree = tmp_path / "tree"
    for part in ("aigaq", "config", "templates", "static"):
        if (base / part).exists():
            shutil.copytree(
                base / part,
                tree / part,
                ignore=shutil.ignore_patterns("migrations", "__pycache__", "*.pyc"),
            )
    out = tmp_path / "locale"
    out.mkdir()
    monkeypatch.chdir(tree)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [str(out)])
    args = [a for pattern in IGNORED for a in ("-i", pattern)]
    call_command("makemessages", "-l", "kk", "--no-obsolete", *args, verbosity=0)
    fresh = {e.key for e in parse_po(out / "kk" / "LC_MESSAGES" / "django.po") if e.msgid}
    for lang in [*TRANSLATED, "en"]:
        committed = {e.key for e in catalogue(lang)[1]}
        new = sorted(m for _, m in fresh - committed)
        gone = sorted(m for _, m in committed - fresh)
        assert (new, gone) == ([], []), (
            f"locale/{lang} is out of date with the code: run `make messages`, translate the "
            "new strings, and commit locale/ (docs/translation.md)"
        )


def _translation_of(lang: str, msgid: str) -> str:
    _, entries = catalogue(lang)
    return next(e.msgstr[0] for e in entries if e.msgid == msgid and e.msgctxt is None)


DASHBOARD = {
    lang: _translation_of(lang, "Dashboard") for lang in ("zh_Hans", "tr", "ar", "fr", "de")
}


@pytest.fixture
def signed_in_coordinator(client: Any, coordinator: Any) -> Any:
    client.force_login(coordinator)
    return client


def in_language(client: Any, lang: str) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "dashboard", "persons"),
    [
        ("kk", "Басқару тақтасы", "Аты-жөні немесе жазба нөмірі"),
        ("ru", "Обзор", "Имя или номер записи"),
        ("en", "Dashboard", "Name or entry number"),
        ("zh-hans", DASHBOARD["zh_Hans"], None),
        ("tr", DASHBOARD["tr"], None),
        ("ar", DASHBOARD["ar"], None),
        ("fr", DASHBOARD["fr"], None),
        ("de", DASHBOARD["de"], None),
    ],
)
def test_pages_render_in_the_language_chosen_by_cookie(
    signed_in_coordinator: Any, coordinator: Any, lang: str, dashboard: str, persons: str
) -> None:
    factories.person("Ақан Сәрсенұлы", actor=coordinator)
    client = in_language(signed_in_coordinator, lang)
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert f'<html lang="{lang}"' in page
    assert dashboard in page
    assert ('dir="rtl"' in page) == (lang == "ar")
    listing = client.get("/persons/")
    assert listing.status_code == 200
    if persons:
        assert persons in listing.content.decode()
    # The language menu offers every interface language.
    for code in ("kk", "ru", "en", "zh-hans", "tr", "ar", "fr", "de"):
        assert f'<option value="{code}"' in page


@pytest.mark.django_db
def test_the_browser_language_is_used_when_no_language_was_chosen(
    signed_in_coordinator: Any,
) -> None:
    page = signed_in_coordinator.get("/", HTTP_ACCEPT_LANGUAGE="kk,ru;q=0.8").content.decode()
    assert '<html lang="kk"' in page
    assert "Басқару тақтасы" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("ru", "«2018-13»: месяца 13 нет; месяцы нумеруются от 1 до 12."),
        ("kk", "«2018-13»: 13 деген ай жоқ; айлар 1-ден 12-ге дейін."),
    ],
)
def test_a_form_error_is_shown_in_the_chosen_language(
    signed_in_coordinator: Any, coordinator: Any, lang: str, sentence: str
) -> None:
    person = factories.person("Ақан", actor=coordinator)
    response = in_language(signed_in_coordinator, lang).post(
        f"/persons/{person.entry_no}/status/",
        {"kind": "camp", "date_text": "2018-13", "report": "reported"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert sentence in page
    assert "there is no month" not in page


@pytest.mark.django_db
def test_a_plural_message_takes_the_russian_form_for_the_number(
    signed_in_coordinator: Any,
) -> None:
    from django.utils import translation
    from django.utils.translation import ngettext

    with translation.override("ru"):
        forms = [
            ngettext("%(n)s person waiting.", "%(n)s people waiting.", n) % {"n": n}
            for n in (1, 3, 5, 21)
        ]
    assert forms == [
        "1 человек ждёт.",
        "3 человека ждут.",
        "5 человек ждут.",
        "21 человек ждёт.",
    ]
