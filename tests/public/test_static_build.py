"""The static edition: `aigaq public build OUT/` writes the live pages as files with relative
links, the open data and the search index; a rebuild writes only what changed and removes an
entry whose consent was withdrawn."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from aigaq.core.models import Visibility
from aigaq.people.models import Person
from aigaq.public import static_build
from aigaq.public.languages import PUBLIC_LANGUAGES
from aigaq.public.static_build import (
    MANIFEST,
    ListPages,
    Site,
    block_file,
    build,
    iter_files,
    rewrite,
)
from tests import factories

pytestmark = pytest.mark.django_db


published = factories.public_person


def test_links_become_relative_files() -> None:
    targets: set[str] = set()
    page = (
        '<head></head><a href="/en/entries/12/">x</a><a href="/static/public/public.css">'
        '<a href="?q=&amp;page=2">n</a><form action="/en/entries/"><a href="https://e.org/a">'
        '<a href="/en/entries/?q=%D0%A1">q</a>'
    )
    with override_settings(ROOT_URLCONF=settings.PUBLIC_URLCONF):
        out = rewrite(page, "/en/entries/", "en/entries/index.html", "<script {up}>", targets)
    assert 'href="../../en/entries/12/index.html"' in out
    assert 'href="../../static/public/public.css"' in out
    # a search's numbered pages need the server: the link leads to the list's first page
    assert 'href="../../en/entries/index.html"' in out and "page/2" not in out
    assert 'action="../../en/entries/index.html"' in out
    assert 'href="https://e.org/a"' in out
    assert 'href="../../en/entries/index.html?q=С"' in out
    assert "<script ../../>" in out


def test_build_then_rebuild_after_a_withdrawal(tmp_path: Path, coordinator: Any) -> None:
    kept = published("Serik Ospanov", "Серік Оспанов", actor=coordinator)
    gone = published("Асхат Қайтарылған", actor=coordinator)
    out = tmp_path / "site"
    first = build(out)
    assert first.full and first.entries == 2 and first.dangling == [] and first.failed == []
    for lang in PUBLIC_LANGUAGES:
        page = (out / lang.code / "entries" / str(kept.entry_no) / "index.html").read_text()
        assert "Serik Ospanov" in page
        assert 'href="/' not in page and 'src="/' not in page
        assert f'<html lang="{lang.code}"' in page
        assert (out / lang.code / "index.html").is_file()
        assert (out / lang.code / "feed.atom").is_file()
        assert (out / lang.code / "data" / "index.html").is_file()
    assert (out / "static/public/static_search.js").is_file()
    assert (out / "static/public/public.css").is_file()
    assert (out / f"data/entries/{gone.entry_no}.json").is_file()
    assert (out / "data/entries.csv").read_text().count("\n") == 3
    assert (out / "sitemap.xml").is_file() and (out / "search/tables.js").is_file()

    again = build(out)
    assert not again.full and again.written == 0 and again.removed == 0
    assert again.rendered < first.rendered

    t = gone.testimony_links.get().testimony
    t.consent_withdrawn_at = timezone.now()
    t.save()
    third = build(out)
    assert third.entries == 1 and third.removed >= 9
    assert not (out / "en" / "entries" / str(gone.entry_no)).exists()
    assert not (out / f"data/entries/{gone.entry_no}.json").exists()
    everything = "".join(p.read_text(errors="ignore") for p in out.rglob("*") if p.is_file())
    assert "Қайтарылған" not in everything
    manifest = json.loads((out / MANIFEST).read_text())
    assert f"data/entries/{kept.entry_no}.json" in manifest["files"]


def test_the_command_prints_a_summary_and_refuses_a_foreign_folder(
    tmp_path: Path, coordinator: Any
) -> None:
    published("Serik Ospanov", actor=coordinator)
    out = StringIO()
    call_command("public", "build", str(tmp_path / "site"), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["entries"] == 1 and summary["full"] is True
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match="other files"):
        call_command("public", "build", str(other))
    assert (other / "notes.txt").read_text() == "mine"


def test_keyset_links_lead_to_the_block_holding_the_same_entries() -> None:
    lists = ListPages([3, 7, 30, 31, 60])
    assert static_build.BLOCK == 25
    assert lists.target("before", 30) == 0  # older than 30: 7, in numbers 0-24
    assert lists.target("before", 60) == 1 and lists.target("before", 61) == 2
    assert lists.target("after", 7) == 1 and lists.target("after", 31) == 2
    assert lists.target("before", 3) is None and lists.target("after", 60) is None
    assert lists.file("kk", {"before": "31"}) == "kk/entries/numbers/25-49/index.html"
    assert lists.file("kk", {"after": "60"}) == "kk/entries/index.html"
    assert lists.file("kk", {"page": "3"}) == "kk/entries/index.html"


def test_pages_rendered_directly_are_the_pages_the_live_site_sends(coordinator: Any) -> None:
    """The build calls the public views directly (no middleware, no test client): every kind
    of page it renders that way is byte for byte what the live public site sends."""
    shown = published("Serik Ospanov", "Серік Оспанов", actor=coordinator, birth_year=1975)
    hidden = published("Айгүл Жасырын", actor=coordinator, anonymous=True)
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF,
        MIDDLEWARE=settings.PUBLIC_MIDDLEWARE,
        ALLOWED_HOSTS=["example.org"],
    ):
        site = Site("https://example.org")
        for lang in PUBLIC_LANGUAGES:
            urls = [
                f"/{lang.code}/entries/{shown.entry_no}/",
                f"/{lang.code}/entries/{hidden.entry_no}/",
                f"/{lang.code}/",
                f"/{lang.code}/entries/",
                f"/{lang.code}/entries/?before={shown.entry_no}",
                f"/{lang.code}/data/",
                f"/{lang.code}/statistics/",
                f"/{lang.code}/map/",
            ]
            for url in urls:
                fast = site.render(url)
                assert fast == site.get(url), url
                assert f'lang="{lang.code}"'.encode() in fast
        assert b"Serik Ospanov" in site.render(f"/en/entries/{shown.entry_no}/")
        assert b"Serik Ospanov" in site.render("/en/entries/")


def test_the_list_pages_hold_fixed_blocks_of_entry_numbers(
    tmp_path: Path, coordinator: Any, monkeypatch: Any
) -> None:
    """The static list's page k holds the public entries numbered k * BLOCK to k * BLOCK +
    BLOCK - 1; the live list's keyset links (?before=N, ?after=N) lead to the block holding
    the entries they show, and the first page is the live one."""
    from aigaq.public import views

    monkeypatch.setattr(static_build, "BLOCK", 2)
    monkeypatch.setattr(views, "PER_PAGE", 2)
    n = sorted(published(f"Тест Бет {i}", actor=coordinator).entry_no for i in range(5))[::-1]
    out = tmp_path / "site"
    with override_settings(ROOT_URLCONF=settings.PUBLIC_URLCONF):
        summary = build(out, base_url="https://example.org")
    assert not summary.dangling and not summary.failed
    blocks = sorted({x // 2 for x in n}, reverse=True)
    assert summary.list_pages == len(PUBLIC_LANGUAGES) * (len(blocks) + 1)
    for i, block in enumerate(blocks):
        file = block_file("en", block)
        text = (out / file).read_text()
        for x in n:
            assert (f"/{x}/index.html" in text) == (x // 2 == block), (file, x)
        assert f"Entries numbered {max(1, block * 2)} to {block * 2 + 1}<" in text
        assert 'class="facets"' not in text  # nothing there depends on other entries
        up = "../" * file.count("/")
        if i + 1 < len(blocks):
            assert f'rel="next" href="{up}{block_file("en", blocks[i + 1])}"' in text
        else:
            assert 'rel="next"' not in text
        if i > 0:
            assert f'rel="prev" href="{up}{block_file("en", blocks[i - 1])}"' in text
        else:
            assert 'rel="prev"' not in text
        assert f'href="{up}en/entries/index.html">' in text  # "newest": the first page
        # the language switcher leads to the same block in Kazakh
        assert 'hreflang="kk"' in text and f'href="{up}{block_file("kk", block)}"' in text
    first = (out / "en/entries/index.html").read_text()
    assert f"/{n[0]}/index.html" in first and f"/{n[1]}/index.html" in first
    assert f"/{n[2]}/index.html" not in first
    older = block_file("en", n[2] // 2)  # the live "older" link: the block of the third newest
    assert f'rel="next" href="../../{older}"' in first
    # the correction form is the live site's: linked there, not written here
    entry = (out / f"en/entries/{n[0]}/index.html").read_text()
    assert f'href="https://example.org/en/correction/?entry={n[0]}"' in entry
    assert not (out / "en/correction").exists()


def test_a_days_changes_rewrite_only_the_list_pages_they_touch(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """One entry withdrawn (made internal) and one edited: the rebuild writes and removes
    the pages of those two entries' blocks (and the first page), not every list page after
    them as a list paged by position would, and the withdrawn entry is in no file."""
    monkeypatch.setattr(static_build, "BLOCK", 2)
    persons = [
        factories.person(f"Тест Күн {i}", visibility=Visibility.PUBLIC, birth_year=1970 + i)
        for i in range(16)
    ]
    numbers = sorted(p.entry_no for p in persons)
    out = tmp_path / "site"
    first = build(out)
    langs = len(PUBLIC_LANGUAGES)
    blocks = {x // 2 for x in numbers}
    assert first.list_pages == langs * (len(blocks) + 1) and not first.dangling

    gone = next(p for p in persons if p.entry_no == numbers[2])  # an old entry: the
    edited = next(p for p in persons if p.entry_no == numbers[-3])  # positional list moved
    Person.objects.filter(pk=gone.pk).update(visibility=Visibility.INTERNAL)
    Person.objects.filter(pk=edited.pk).update(birth_year=1931, updated_at=timezone.now())
    again = build(out)
    assert again.entries == 15 and not again.dangling and not again.failed

    touched = {gone.entry_no // 2, edited.entry_no // 2}
    if not any(x // 2 == gone.entry_no // 2 for x in numbers if x != gone.entry_no):
        touched |= {gone.entry_no // 2 - 1, gone.entry_no // 2 + 1}  # its block went: links
    lists_changed = [
        p for p in again.written_files + again.removed_files if "/entries/numbers/" in p
    ]
    assert lists_changed and all(
        int(p.split("/numbers/")[1].split("-")[0]) // 2 in touched for p in lists_changed
    ), lists_changed
    assert again.list_written + again.list_removed <= langs * (len(touched) + 1)
    assert again.list_written + again.list_removed < first.list_pages / 2
    # the entry pages written are the edited entry's, in each language
    entry_pages = {
        p
        for p in again.written_files
        if p.endswith("/index.html") and p.split("/")[1] == "entries" and p.split("/")[2].isdigit()
    }
    assert entry_pages == {
        f"{lang.code}/entries/{edited.entry_no}/index.html" for lang in PUBLIC_LANGUAGES
    }
    assert f"data/entries/{gone.entry_no}.json" in again.removed_files
    assert "1931" in (out / f"en/entries/{edited.entry_no}/index.html").read_text()
    name = "Тест Күн " + str(persons.index(gone))
    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="ignore")
            assert name not in text, path
            assert f"entries/{gone.entry_no}/" not in text, path


@pytest.mark.django_db(transaction=True)  # the workers are processes: they read what is saved
def test_workers_build_the_same_edition(tmp_path: Path, monkeypatch: Any) -> None:
    """`--workers 2` shares the entries among two processes: the same files, byte for byte,
    as one process; a rebuild by either writes nothing."""
    monkeypatch.setattr(static_build, "BLOCK", 2)
    for i in range(9):
        factories.person(f"Тест Жұмыс {i}", visibility=Visibility.PUBLIC, birth_year=1960 + i)
    factories.person("买买提·吐尔逊", visibility=Visibility.PUBLIC)
    one, two = tmp_path / "one", tmp_path / "two"
    alone = build(one)
    shared = build(two, workers=2)
    assert shared.entries == alone.entries == 10 and not shared.dangling and not shared.failed
    assert (shared.written, shared.rendered, shared.list_pages) == (
        alone.written,
        alone.rendered,
        alone.list_pages,
    )

    def edition(out: Path) -> dict[Path, bytes]:
        return {p.relative_to(out): p.read_bytes() for p in iter_files(out)}

    assert edition(one) == edition(two) and len(edition(one)) > 100
    assert json.loads((one / MANIFEST).read_text()) == json.loads((two / MANIFEST).read_text())
    again = build(two, workers=2)
    assert again.written == 0 and again.removed == 0 and again.skipped_renders > 80
    assert build(one, workers=2).written == 0
