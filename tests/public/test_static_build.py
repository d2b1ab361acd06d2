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

from aigaq.public.languages import PUBLIC_LANGUAGES
from aigaq.public.static_build import MANIFEST, build, rewrite
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
    assert 'href="../../en/entries/page/2/index.html"' in out
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


def test_the_list_pages_follow_the_live_lists_keyset_links(
    tmp_path: Path, coordinator: Any, monkeypatch: Any
) -> None:
    """The live list moves by entry number (?before=N, ?after=N); in the static edition each
    of those links is the numbered file holding the same entries."""
    from aigaq.public import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    n = [published(f"Тест Бет {i}", actor=coordinator).entry_no for i in range(5)][::-1]
    out = tmp_path / "site"
    with override_settings(ROOT_URLCONF=settings.PUBLIC_URLCONF):
        build(out, base_url="https://example.org")
    second = (out / "en/entries/page/2/index.html").read_text()
    third = (out / "en/entries/page/3/index.html").read_text()
    first = (out / "en/entries/index.html").read_text()
    assert f"/{n[2]}/index.html" in second and f"/{n[3]}/index.html" in second
    assert f"/{n[1]}/index.html" not in second and f"/{n[4]}/index.html" not in second
    assert f"/{n[4]}/index.html" in third
    assert 'rel="next" href="../../../../en/entries/page/3/index.html"' in second
    assert 'rel="prev" href="../../../../en/entries/index.html"' in second
    assert 'rel="next" href="../../en/entries/page/2/index.html"' in first
    assert 'rel="prev" href="../../../../en/entries/page/2/index.html"' in third
    # the correction form is the live site's: linked there, not written here
    entry = (out / f"en/entries/{n[0]}/index.html").read_text()
    assert f'href="https://example.org/en/correction/?entry={n[0]}"' in entry
    assert not (out / "en/correction").exists()
