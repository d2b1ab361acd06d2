"""The static edition: the whole public site as files (`aigaq public build OUT/`) that any
static host, a USB stick or a mirror can serve, or a visitor open from a folder.

The HTML pages are the live pages: each is rendered by the public site's own view, called
directly with a request made as the live site receives it (resolved under the public URL
configuration; the public middleware adds only headers, so the HTML is what the live site
sends, which tests/public/test_static_build.py checks page by page), then its site links are
rewritten to relative file paths (``/en/entries/12/`` -> ``../../../en/entries/12/index.html``)
and the static search script is added. The open-data files are those of opendata.py. What
goes in is what disclosure.public returns, nothing else.

The entries list. The live list moves by entry number (`?before=N` older, `?after=N` newer,
views._keyset_page), PER_PAGE entries a page from wherever the visitor is. A static list
paged by position (page n = the n-th PER_PAGE entries) would move every entry on every page
after an entry added or withdrawn, so a day's changes would rewrite nearly every list page
(32,000 at 100,000 entries). Here the list's pages hold fixed blocks of entry numbers: page
``en/entries/numbers/1200-1224/`` holds the public entries numbered 1200 to 1224 (BLOCK
numbers), newest first, and says so, with no total and no filters (nothing that depends on
the rest of the database); a block with no public entry has no page, and the "newer" and
"older" links lead to the nearest block that has one. An entry number never changes, so an
edit touches only its block's page, a withdrawal its block's page (or, when the block is
left empty, the page goes and its two neighbours' links change), a new entry the newest
block. The list's first page (``en/entries/``) is the live one (the newest PER_PAGE entries,
the total, the filters), made on every build. Each live keyset link maps onto a block
(ListPages): `?before=N` to the block of the newest public entry below N, `?after=N` to that
of the oldest above N, so the first page's "older entries" and the language switcher lead to
the page that holds the entries the live site would show next.

Incremental: OUT/.aigaq-manifest.json records each file's content hash and, for an entry's
pages and files and for each block's list page, a digest of what they were made from (the
PublicEntry, its block's entries and neighbours, and the site's templates, code, catalogues
and gazetteer). A rebuild renders again only what a changed digest names, writes only files
whose content changed and removes every file of the last build that no longer belongs (an
entry whose consent was withdrawn disappears).

Workers (`--workers N`): the entries are cut into ranges of whole blocks and shared among N
processes forked from the build, each reading its entries from disclosure.public and writing
their files itself; their manifest entries, counts, documents and search keys come back to
the build, which writes the rest. The same files, byte for byte, as one process.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import shutil
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pysubs2
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, get_script_prefix, get_urlconf, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aigaq.disclosure.public import public_entries, public_persons
from aigaq.people.models import Place, Tag
from aigaq.public import opendata, static_search, views
from aigaq.public.languages import PUBLIC_LANGUAGES, PublicLanguage
from aigaq.public.media import subtitle_tracks
from aigaq.public.templatetags import public as public_tags

MANIFEST = ".aigaq-manifest.json"
MANIFEST_VERSION = 1
SCRIPT = "public/static_search.js"
BASE = Path(settings.BASE_DIR)
#: What the pages are made from besides the entries: any change here renders every page again.
SITE_SOURCES = (
    BASE / "templates" / "public",
    BASE / "static" / "public",
    BASE / "aigaq" / "public",
    BASE / "aigaq" / "disclosure",
    BASE / "locale",
)
_LINK = re.compile(r'(\s(?:href|src|action))="([^"]*)"')


@dataclass
class BuildSummary:
    out: str
    full: bool
    entries: int = 0
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    rendered: int = 0
    skipped_renders: int = 0
    bytes: int = 0
    seconds: float = 0.0
    #: The entries list's pages (every language), and how many of them this build wrote
    #: (new or changed) and removed.
    list_pages: int = 0
    list_written: int = 0
    list_removed: int = 0
    #: The files this build wrote and removed (the first LISTED of each, by path).
    written_files: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    dangling: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


#: How many paths of written and removed files a summary names.
LISTED = 200


class PageError(Exception):
    """A page of the site did not answer 200."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Output:
    """The output folder and its manifest: writes a file only when its content changed,
    removes at the end what the last build wrote and this one did not."""

    def __init__(self, out: Path, summary: BuildSummary) -> None:
        self.out = out
        self.summary = summary
        self.old: dict[str, dict[str, Any]] = {}
        manifest = out / MANIFEST
        if manifest.exists():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                if data.get("version") == MANIFEST_VERSION:
                    self.old = data["files"]
            except (ValueError, KeyError, TypeError):
                self.old = {}
        summary.full = not self.old
        self.new: dict[str, dict[str, Any]] = {}

    def fresh(self, path: str, source: str, files: set[str] | None = None) -> bool:
        """Is the file of the last build, made from the same source, still there? Then it is
        kept as it is (not rendered again), and the files it names (a page's videos, photos
        and subtitles, recorded when it was written) are added to `files`."""
        old = self.old.get(path)
        if old is None or not source or old.get("source") != source:
            return False
        if not (self.out / path).is_file():
            return False
        if files is not None and "files" not in old:
            return False  # a page of a build that did not record its files: made again
        self.new[path] = old
        if files is not None:
            files.update(old.get("files", ()))
        self.summary.unchanged += 1
        self.summary.skipped_renders += 1
        return True

    def write(
        self, path: str, data: bytes, source: str = "", files: Iterable[str] | None = None
    ) -> None:
        digest = _sha(data)
        target = self.out / path
        old = self.old.get(path)
        if old is not None and old.get("sha256") == digest and target.is_file():
            self.summary.unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
            self._written(path)
        self.new[path] = {"sha256": digest, "source": source}
        if files is not None:  # a page: the files it names
            self.new[path]["files"] = sorted(files)

    def write_stream(self, path: str, chunks: Iterable[bytes], source: str = "") -> None:
        """`write` for a file too large to hold in memory (a video): streamed to a temporary
        file beside its place, hashed on the way."""
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        h = hashlib.sha256()
        with open(tmp, "wb") as fh:
            for chunk in chunks:
                h.update(chunk)
                fh.write(chunk)
        os.replace(tmp, target)
        self._written(path)
        self.new[path] = {"sha256": h.hexdigest(), "source": source}

    def _written(self, path: str) -> None:
        self.summary.written += 1
        self.summary.list_written += is_list_page(path)
        if len(self.summary.written_files) < LISTED:
            self.summary.written_files.append(path)

    def finish(self) -> None:
        for path in sorted(set(self.old) - set(self.new)):
            target = self.out / path
            if target.is_file():
                target.unlink()
                self.summary.removed += 1
                self.summary.list_removed += is_list_page(path)
                if len(self.summary.removed_files) < LISTED:
                    self.summary.removed_files.append(path)
            parent = target.parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        manifest = {"version": MANIFEST_VERSION, "files": self.new}
        (self.out / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        self.summary.files = len(self.new)
        self.summary.list_pages = sum(1 for p in self.new if is_list_page(p))
        self.summary.bytes = sum((self.out / p).stat().st_size for p in self.new)


def site_digest() -> str:
    """What every page is made from besides its entries: the public site's templates, static
    files, code and catalogues, the gazetteer and the tags."""
    h = hashlib.sha256()
    for folder in SITE_SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".py", ".mo", ".svg"}:
                h.update(str(path.relative_to(BASE)).encode())
                h.update(path.read_bytes())
    for row in Place.objects.order_by("pk").values_list("pk", "code", "name", "local_names"):
        h.update(repr(row).encode())
    for tag in Tag.objects.order_by("pk").values_list("pk", "slug", "label"):
        h.update(repr(tag).encode())
    return h.hexdigest()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def file_for(url_path: str) -> str:
    """The file of a site path: ``/en/entries/12/`` -> ``en/entries/12/index.html``."""
    path = url_path.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path


#: The public site's file addresses (aigaq/public/media.py): a redacted publication copy, an
#: entry's photo. In the static edition each is one file, fetched through the same views (so
#: disclosure decides exactly as on the live site), named so a browser opening the folder
#: knows what it is.
_MEDIA_PATH = re.compile(
    r"^/files/(video/[0-9a-f-]{36}|photo/\d+/[0-9a-f-]{36}|subtitles/\d+/[A-Za-z_]{2,20})/$"
)
_MEDIA_FILE = re.compile(
    r"^files/(video/[0-9a-f-]{36})\.mp4$|^files/(photo/\d+/[0-9a-f-]{36})\.jpg$"
    r"|^files/(subtitles/\d+/[A-Za-z_]{2,20})\.vtt$"
)
_SUFFIX = {"video": "mp4", "photo": "jpg", "subtitles": "vtt"}


def media_file_for(url_path: str) -> str | None:
    found = _MEDIA_PATH.match(url_path)
    if found is None:
        return None
    part = found.group(1)
    return f"files/{part}.{_SUFFIX[part.split('/')[0]]}"


def media_url_for(file: str) -> str | None:
    found = _MEDIA_FILE.match(file)
    if found is None:
        return None
    return "/files/" + (found.group(1) or found.group(2) or found.group(3)) + "/"


def immutable_file(file: str) -> bool:
    """A video or a photo never changes under its address (a rendition, a stored photo): one
    made by an earlier build is kept. Subtitles change with their transcript: fetched again."""
    return not file.startswith("files/subtitles/")


def vtt_cues(vtt: bytes) -> list[tuple[float, float, str]]:
    """A WebVTT file's cues as (start, end in seconds, text)."""
    subs = pysubs2.SSAFile.from_string(vtt.decode("utf-8"), format_="vtt")
    return [(e.start / 1000, e.end / 1000, e.plaintext) for e in subs.events]


#: The static list's pages hold fixed blocks of entry numbers: block k is the public entries
#: numbered k * BLOCK to k * BLOCK + BLOCK - 1 (the live list's page size, so a page holds
#: at most as many entries as the live one, fewer where numbers are not public).
BLOCK = 25


def block_of(number: int) -> int:
    return number // BLOCK


def list_index_file(lang: str) -> str:
    return f"{lang}/entries/index.html"


def block_file(lang: str, block: int) -> str:
    """``en/entries/numbers/1200-1224/index.html``: the block's page, named by its range."""
    first = block * BLOCK
    return f"{lang}/entries/numbers/{first}-{first + BLOCK - 1}/index.html"


_LIST_PAGE = re.compile(r"^[a-z]{2}/entries/(?:index\.html$|numbers/)")


def is_list_page(path: str) -> bool:
    return _LIST_PAGE.match(path) is not None


class ListPages:
    """Where each of the live list's keyset links leads in the static edition: `?before=N`
    (the entries older than N) to the block of the newest public entry below N, `?after=N`
    (newer than N) to the block of the oldest one above N; a link past either end, or any
    other state of the list (a search's `?page=`), to the list's first page."""

    def __init__(self, numbers: Iterable[int]) -> None:
        self.numbers = sorted(numbers)

    def target(self, key: str, number: int) -> int | None:
        """The block a keyset link leads to; None for the list's first page."""
        if key == "before":
            at = bisect_left(self.numbers, number) - 1
            return block_of(self.numbers[at]) if at >= 0 else None
        if key == "after":
            at = bisect_right(self.numbers, number)
            return block_of(self.numbers[at]) if at < len(self.numbers) else None
        return None

    def file(self, lang: str, query: dict[str, str]) -> str:
        for key in ("before", "after"):
            if query.get(key, "").isdigit():
                block = self.target(key, int(query[key]))
                return list_index_file(lang) if block is None else block_file(lang, block)
        return list_index_file(lang)


class Site:
    """Pages rendered through the public views, exactly as the live site sends them."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.scheme = parts.scheme or "http"
        self.host = parts.netloc or "localhost"
        self.base = f"{self.scheme}://{self.host}"
        self.has_base = bool(parts.netloc)
        defaults: dict[str, Any] = {
            "SERVER_NAME": self.host.split(":")[0],
            "SERVER_PORT": str(parts.port or (443 if self.scheme == "https" else 80)),
            "HTTP_HOST": self.host,
        }
        self.client = Client(**defaults)
        self.factory = RequestFactory(**defaults)

    def get(self, path: str) -> bytes:
        response = self.client.get(path, secure=self.scheme == "https")
        if response.status_code != 200:
            raise PageError(f"{path}: {response.status_code}")
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return bytes(response.content)

    def request(self, path: str) -> HttpRequest:
        """A GET request of `path` as the public site's views receive it: resolved under the
        public URL configuration, with the same host and scheme as `get`'s."""
        request = self.factory.get(path, secure=self.scheme == "https")
        request.resolver_match = resolve(urlsplit(path).path)
        return request

    def render(self, path: str) -> bytes:
        """A page of the site, from the view its address resolves to, called directly: what
        `get` answers without the middleware and the test client around it (a few
        milliseconds a page, a third of a build). The middleware of the public site adds
        headers only (PUBLIC_MIDDLEWARE; no page rendered here uses a CSRF token), so the
        HTML is the same: tests/public/test_static_build.py holds the two to it."""
        request = self.request(path)
        match = request.resolver_match
        assert match is not None
        return self.body(path, match.func(request, *match.args, **match.kwargs))

    def body(self, path: str, response: Any) -> bytes:
        if response.status_code != 200:
            raise PageError(f"{path}: {response.status_code}")
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)
        return bytes(response.content)

    def stream(self, path: str) -> Iterable[bytes]:
        """A file of the site (a video, a photo) as it is sent, piece by piece."""
        response = self.client.get(path, secure=self.scheme == "https")
        if response.status_code != 200:
            raise PageError(f"{path}: {response.status_code}")
        if getattr(response, "streaming", False):
            return response.streaming_content  # type: ignore[attr-defined,no-any-return]
        return [bytes(response.content)]

    def absolute(self, path: str) -> str:
        return self.base + path

    def live(self, path: str) -> str | None:
        """The live site's address of a page the static edition leaves out; None when the
        build was given no address of its own (then the link stays as it is)."""
        return self.absolute(path) if self.has_base else None


def entries_path(lang: str) -> str:
    return reverse("public:entries", args=[lang])


def rewrite(
    page: str,
    page_url: str,
    page_file: str,
    script_tag: str,
    targets: set[str],
    lists: ListPages | None = None,
    live: Callable[[str], str | None] | None = None,
    cache: dict[tuple[str, str, str], tuple[str, str | None]] | None = None,
) -> str:
    """Site links of one rendered page as relative file paths; the static search added.
    `lists`: where the list's keyset links (``?before=N``, ``?after=N``) lead in this build
    (without it, to the list's first page). `live`: for a page only the live site can serve
    (the correction form), its address there, or None where it has none. `cache`: links
    already rewritten by this build (the same link on the same level of folders is the same
    file), kept by the caller; it must not outlive `lists` and `live`."""
    up = "../" * page_file.count("/")
    list_paths = _list_paths(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    live_only = LIVE_ONLY_PATHS()

    def link(value: str) -> tuple[str, str | None]:
        """The attribute's new value, and the file it names (None: not a file here)."""
        raw = html.unescape(value)
        if raw.startswith("?"):
            raw = page_url + raw
        if raw.startswith("#") or not raw.startswith("/") or raw.startswith("//"):
            return value, None
        parts = urlsplit(raw)
        if live is not None and parts.path in live_only:
            there = live(raw)
            return (html.escape(there) if there else value), None
        media_file = media_file_for(parts.path)
        if media_file is not None:
            return html.escape(up + media_file), media_file
        query = {k: v for k, v in parse_qsl(parts.query) if v.strip()}
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        suffix = ""
        if parts.path in list_paths and set(query) <= {"page", "before", "after"}:
            lang = list_paths[parts.path]
            target = lists.file(lang, query) if lists is not None else list_index_file(lang)
        else:
            target = file_for(parts.path)
            if "q" in query and parts.path in list_paths:
                suffix = "?q=" + html.escape(query["q"])  # the static search reads it
        return f"{html.escape(up + target)}{suffix}{fragment}", target

    def repl(m: re.Match[str]) -> str:
        value = m.group(2)
        key = (value, page_url if value.startswith("?") else "", up)
        found = cache.get(key) if cache is not None else None
        if found is None:
            found = link(value)
            if cache is not None:
                if len(cache) > LINK_CACHE:  # a build of a million pages: kept bounded
                    cache.clear()
                cache[key] = found
        new, target = found
        if target is not None:
            targets.add(target)
        return f'{m.group(1)}="{new}"'

    out = _LINK.sub(repl, page)
    return out.replace("</head>", script_tag.replace("{up}", up) + "\n</head>", 1)


#: How many rewritten links a build keeps (`rewrite`'s cache).
LINK_CACHE = 50_000


@lru_cache(maxsize=8)
def _list_paths(urlconf: Any, prefix: str) -> dict[str, str]:
    """The list's address in each language (made once per URL configuration)."""
    return {
        reverse("public:entries", args=[lang.code], urlconf=urlconf): lang.code
        for lang in PUBLIC_LANGUAGES
    }


#: Pages that only the live site can serve (a form that posts): left out of the static
#: edition, and linked to the live site's address (--base-url) from its pages.
LIVE_ONLY = ("public:correction", "public:correction_thanks")


def LIVE_ONLY_PATHS() -> frozenset[str]:  # noqa: N802 - a constant made on first use
    """Their addresses under the URL configuration in use (made once per configuration:
    asked for every link of every page, 16 reversals each were half a build's time)."""
    return _live_only_paths(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@lru_cache(maxsize=8)
def _live_only_paths(urlconf: Any, prefix: str) -> frozenset[str]:
    return frozenset(
        reverse(name, args=[lang.code], urlconf=urlconf)
        for name in LIVE_ONLY
        for lang in PUBLIC_LANGUAGES
    )


def script_tag(lang: PublicLanguage) -> str:
    """The static search's script, with its messages in the page's language."""
    with translation.override(lang.django):
        messages = {
            "searching": _("Searching…"),
            "found": _("Entries found: %s"),
            "close": _("No entry matches every word; closest matches: %s"),
            "none": _("No entry matches."),
        }
    attrs = "".join(f' data-{k}="{html.escape(v)}"' for k, v in messages.items())
    return (
        f'<script src="{{up}}static/{SCRIPT}" defer data-root="{{up}}" '
        f'data-lang="{lang.code}"{attrs}></script>'
    )


def _entry_views() -> list[str]:
    """Public views of one entry in one language (the entry page and any other of its kind)."""
    from aigaq.public import urls

    names = []
    for pattern in urls.urlpatterns:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        route = str(pattern.pattern)
        one_entry = route.count("<") == 2 and "<lang:lang>" in route and "<int:number>" in route
        if one_entry and route.endswith("/"):
            names.append(f"public:{pattern.name}")
    return names


ROOT_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Victims database</title>
<link rel="stylesheet" href="static/public/public.css"></head>
<body><main class="wrap"><ul class="cards">
{links}
</ul></main></body></html>
"""


def build(
    out: Path,
    *,
    base_url: str = "http://localhost",
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
) -> BuildSummary:
    """Write the public site into `out` (made if missing); see the module's docstring."""
    from aigaq.core import keys

    if keys.is_locked():  # the live site answers only "locked": so would every page here
        raise PageError("the instance is locked")
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary(out=str(out), full=True)
    output = Output(out, summary)
    say = progress or (lambda _msg: None)
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF,
        MIDDLEWARE=settings.PUBLIC_MIDDLEWARE,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, urlsplit(base_url).hostname or "localhost"],
    ):
        gazetteer: dict[Any, Place | None] = {p.pk: p for p in Place.objects.all()}
        places = public_tags.prebuilt_places.set(gazetteer)
        try:
            _build(output, Site(base_url), say, workers)
        finally:
            public_tags.prebuilt_places.reset(places)
    output.finish()
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


@contextmanager
def _entries_known(known: dict[int, Any]) -> Iterator[None]:
    """While one entry's pages are rendered in the eight languages, the entry page's view is
    given the PublicEntry this build has just read from disclosure.public, instead of
    reading it again for each language: the same function's answer for the same entry, so
    the page is the same; anything else the view asks is asked as on the live site."""
    token = views.prebuilt_entries.set(known)
    try:
        yield
    finally:
        views.prebuilt_entries.reset(token)


@dataclass
class Part:
    """What the pass over some of the entries gives the rest of the build: each entry's
    document (its JSON and its CSV row), its search keys and names."""

    rows: list[tuple[int, str, list[str]]] = field(default_factory=list)
    postings: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    names: dict[int, dict[str, str]] = field(default_factory=dict)
    han: static_search.HanTable = field(default_factory=static_search.HanTable)

    def merge(self, other: Part) -> None:
        self.rows.extend(other.rows)
        for shard, keys in other.postings.items():
            mine = self.postings.setdefault(shard, {})
            for key, numbers in keys.items():
                mine.setdefault(key, []).extend(numbers)
        for file_no, rows in other.names.items():
            self.names.setdefault(file_no, {}).update(rows)
        self.han.merge(other.han)


class Maker:
    """The build's pages: how one is made, rewritten and written; the entries' pages and
    files, and the list's pages, over a range of entry numbers (a worker's share)."""

    def __init__(self, output: Output, site: Site, say: Callable[[str], None]) -> None:
        self.output = output
        self.site = site
        self.say = say
        self.site_hash = site_digest()
        #: Per language, made once: the static search's tag (its messages translated).
        self.tags = {lang.code: script_tag(lang) for lang in PUBLIC_LANGUAGES}
        self.targets: set[str] = set()
        self.entry_views = _entry_views()
        # Where the list's keyset links lead: the public entries' numbers, asked of
        # disclosure (the same set the pass reads, in one query of numbers).
        self.lists = ListPages(public_persons().values_list("entry_no", flat=True))
        self.links: dict[tuple[str, str, str], tuple[str, str | None]] = {}

    def page(
        self,
        url: str,
        file: str,
        lang: PublicLanguage,
        source: str = "",
        make: Callable[[], bytes] | None = None,
    ) -> None:
        output = self.output
        if source and output.fresh(file, source, self.targets):
            return
        try:
            body = (make() if make is not None else self.site.render(url)).decode()
        except PageError as exc:  # a page that does not answer is left out and named
            output.summary.failed.append(str(exc))
            return
        output.summary.rendered += 1
        named: set[str] = set()
        text = rewrite(
            body,
            url.split("?")[0],
            file,
            self.tags[lang.code],
            named,
            self.lists,
            self.site.live,
            self.links,
        )
        self.targets.update(named)
        # The page's files are kept in the manifest: a page kept as it is by a later build
        # still names them, so they are kept (or fetched again) too.
        output.write(file, text.encode(), source, [t for t in named if t.startswith("files/")])

    def block_pages(self, shown: list[Any], digests: list[str]) -> None:
        """The list's page of one block of entry numbers in every language: made again only
        when an entry of the block changed, or a neighbouring block (its "newer" and "older"
        links) came or went."""
        block = block_of(shown[0].entry_no)
        newest, oldest = shown[0].entry_no, shown[-1].entry_no
        newer, older = self.lists.target("after", newest), self.lists.target("before", oldest)
        pages = views.Pages(
            previous_url=f"?after={newest}" if newer is not None else "",
            next_url=f"?before={oldest}" if older is not None else "",
            first_url="?",
        )
        for lang in PUBLIC_LANGUAGES:
            # The address the live list shows these entries from (its language switcher
            # keeps it): the newest of the block and those below it.
            url = f"{entries_path(lang.code)}?before={newest + 1}"

            def make(url: str = url, lang: PublicLanguage = lang) -> bytes:
                response = views.entries_block(
                    self.site.request(url),
                    lang,
                    shown=shown,
                    pages=pages,
                    numbered=(max(1, block * BLOCK), block * BLOCK + BLOCK - 1),
                )
                return self.site.body(url, response)

            source = _digest(
                self.site_hash, lang.code, str(block), str(newer), str(older), *digests
            )
            self.page(url, block_file(lang.code, block), lang, source, make)

    def entries(self, low: int, high: int) -> Part:
        """One pass over the public entries numbered `low` to `high`, newest first (the
        list's order): their pages, their documents, their search keys, and the list's
        pages of their blocks (a block's entries come together: each block is made as soon
        as its entries are read)."""
        output, summary, part = self.output, self.output.summary, Part()
        places = opendata.Places()
        postings: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        names: dict[int, dict[str, str]] = defaultdict(dict)
        known: dict[int, Any] = {}
        block: list[Any] = []
        digests: list[str] = []
        persons = public_persons().filter(entry_no__gte=low, entry_no__lte=high)
        for e in public_entries(persons.order_by("-entry_no")):
            if block and block_of(e.entry_no) != block_of(block[0].entry_no):
                self.block_pages(block, digests)
                block, digests = [], []
            known[e.entry_no] = e
            summary.entries += 1
            # The subtitle tracks are the transcripts app's (a translation reviewed later
            # changes the page, not the PublicEntry).
            digest = _digest(self.site_hash, repr(e), repr(subtitle_tracks(e, "")))
            block.append(e)
            digests.append(digest)
            doc = opendata.entry_document(e, places, self.site.absolute)
            part.rows.append(
                (e.entry_no, json.dumps(doc, ensure_ascii=False), opendata.csv_row(doc))
            )
            doc_file = file_for(reverse("public:data_entry", args=[e.entry_no]))
            if not output.fresh(doc_file, digest):
                data = json.dumps(doc, ensure_ascii=False, indent=1).encode()
                output.write(doc_file, data, digest)
            public_names = [e.name, *(n.full_name for n in e.names)]
            for key in static_search.entry_keys(public_names):
                body = static_search.name_keys.key_body(key)
                postings[static_search.shard_of(key)][body].append(e.entry_no)
            for name in public_names:
                part.han.add(name)
            names[e.entry_no // static_search.NAMES_PER_FILE][str(e.entry_no)] = e.name
            with _entries_known(known):
                for lang in PUBLIC_LANGUAGES:
                    for view in self.entry_views:
                        url = reverse(view, args=[lang.code, e.entry_no])
                        self.page(url, file_for(url), lang, _digest(digest, lang.code, view))
            known.clear()
            if summary.entries % 1000 == 0:
                self.say(f"entries: {summary.entries}")
        if block:
            self.block_pages(block, digests)
        part.postings = {shard: dict(keys) for shard, keys in postings.items()}
        part.names = dict(names)
        return part

    def shares(self, workers: int) -> list[tuple[int, int]]:
        """The entry numbers cut into ranges of whole blocks, about the same number of
        entries each, several a worker (so one that ends early takes another)."""
        numbers = self.lists.numbers
        if not numbers:
            return []
        size = max(BLOCK, -(-len(numbers) // (workers * 4)))
        cuts: list[tuple[int, int]] = []
        low = 0
        for at in range(size, len(numbers), size):
            end = block_of(numbers[at]) * BLOCK - 1  # the block of numbers[at] goes next
            if end >= low and end < numbers[-1]:
                cuts.append((low, end))
                low = end + 1
        cuts.append((low, EVERY[1]))
        return sorted(cuts, reverse=True)

    def share(self, bounds: tuple[int, int]) -> tuple[Part, BuildSummary, dict[str, Any], set[str]]:
        """A worker's share (in a process of its own, forked from the build's): the pass
        over `bounds`, with what it wrote and named."""
        full = self.output.summary.full
        self.output.summary = BuildSummary(out=self.output.summary.out, full=full)
        self.output.new = {}
        self.targets = set()
        part = self.entries(*bounds)
        return part, self.output.summary, self.output.new, self.targets

    def merge(self, summary: BuildSummary, files: dict[str, Any], targets: set[str]) -> None:
        mine = self.output.summary
        for name, value in asdict(summary).items():
            if isinstance(value, int) and not isinstance(value, bool):
                setattr(mine, name, getattr(mine, name) + value)
        mine.failed.extend(summary.failed)
        mine.written_files = (mine.written_files + summary.written_files)[:LISTED]
        self.output.new.update(files)
        self.targets |= targets


#: Every entry number.
EVERY = (0, 2**62)

#: The build's pages while worker processes fork from it (`_share` reads it there).
_FORKED: Maker | None = None


def _share(bounds: tuple[int, int]) -> tuple[Part, BuildSummary, dict[str, Any], set[str]]:
    assert _FORKED is not None
    return _FORKED.share(bounds)


def _entries_pass(pages: Maker, workers: int) -> Part:
    """Every public entry's pages and files: in this process, or shared among `workers`
    processes forked from it (each reads its entries itself and writes its files; their
    manifest entries, counts and documents come back here). The processes open their own
    connections, so they read only what is committed: the build's connection is closed
    first, which ends any transaction it was in."""
    global _FORKED
    if workers <= 1:
        return pages.entries(*EVERY)
    import multiprocessing

    from django.db import connections

    shares = pages.shares(workers)
    parts: dict[tuple[int, int], Part] = {}
    connections.close_all()  # each process opens its own connection
    _FORKED = pages
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for bounds, (share, summary, files, targets) in zip(
                shares, pool.imap(_share, shares), strict=True
            ):
                parts[bounds] = share
                pages.merge(summary, files, targets)
                pages.say(f"entries: {pages.output.summary.entries}")
    finally:
        _FORKED = None
    part = Part()
    for bounds in sorted(parts, reverse=True):  # newest first, as one process reads them
        part.merge(parts[bounds])
    return part


def _build(output: Output, site: Site, say: Callable[[str], None], workers: int = 1) -> None:
    summary = output.summary
    pages = Maker(output, site, say)
    page, targets = pages.page, pages.targets

    # One pass over the public entries (the list's order): their pages, their documents,
    # the CSV and JSON rows, the search index, the list's pages of fixed blocks.
    say("entries")
    part = _entries_pass(pages, workers)
    targets = pages.targets
    part.rows.sort(key=lambda row: -row[0])  # the CSV: newest first
    csv_buffer = io.StringIO()
    writer = csv.writer(csv_buffer)
    writer.writerow(opendata.csv_header())
    writer.writerows(row for _n, _doc, row in part.rows)
    documents = [(number, text) for number, text, _row in part.rows]
    postings, names, han = part.postings, part.names, part.han

    # The list's first page in each language: the live one (the newest entries, the total,
    # the filters), made every time; its "older entries" leads to a block's page.
    say("lists")
    for lang in PUBLIC_LANGUAGES:
        page(entries_path(lang.code), list_index_file(lang.code), lang)

    # Every other page in every language (home, open data, statistics...): rendered each time.
    say("pages")
    for name in opendata.language_pages():
        if name == "public:entries" or name in LIVE_ONLY:
            continue
        for lang in PUBLIC_LANGUAGES:
            url = reverse(name, args=[lang.code])
            page(url, file_for(url), lang)

    # The open-data files, the feeds, the sitemaps.
    say("data")
    for lang in PUBLIC_LANGUAGES:
        for name in ("public:feed", "public:data_dictionary"):
            url = reverse(name, args=[lang.code])
            output.write(file_for(url), site.get(url))
    csv_bytes = ("\ufeff" + csv_buffer.getvalue()).encode()
    output.write(file_for(reverse("public:data_csv")), csv_bytes)
    documents.sort()
    array = "".join(opendata.json_array(json.loads(text) for _n, text in documents))
    output.write(file_for(reverse("public:data_json")), array.encode())
    output.write(file_for(reverse("public:sitemap")), site.get(reverse("public:sitemap")))
    output.write(
        file_for(reverse("public:sitemap_pages")), site.get(reverse("public:sitemap_pages"))
    )
    for chunk_no in opendata.sitemap_chunks():
        url = reverse("public:sitemap_entries", args=[chunk_no])
        output.write(file_for(url), site.get(url))

    # The search index.
    say("search")
    for shard, keys in sorted(postings.items()):
        data = {key: sorted(set(numbers)) for key, numbers in sorted(keys.items())}
        output.write(f"search/{shard}.js", static_search.script_file("aigaqData", shard, data))
    for file_no, rows in names.items():
        shard = f"e/{file_no}"
        output.write(f"search/{shard}.js", static_search.script_file("aigaqData", shard, rows))
    for shard, words in han.pinyin.items():
        output.write(f"search/{shard}.js", static_search.script_file("aigaqData", shard, words))
    tables = {
        **static_search.tables(),
        "shards": sorted(postings),
        "pinyinShards": sorted(han.pinyin),
    }
    output.write("search/tables.js", static_search.script_file("aigaqData", "tables", tables))
    output.write("search/han.js", static_search.script_file("aigaqData", "han", han.as_json()))

    # The root: the languages, by their own names.
    languages = "\n".join(
        f'<li class="card"><a href="{lang.code}/index.html" lang="{lang.code}">'
        f"{html.escape(lang.name)}</a></li>"
        for lang in PUBLIC_LANGUAGES
    )
    output.write("index.html", ROOT_PAGE.format(links=languages).encode())

    # Static files the pages name, and the static search.
    say("static")
    wanted = {t for t in targets if t.startswith("static/")} | {f"static/{SCRIPT}"}
    for target in sorted(wanted):
        found = finders.find(target.removeprefix("static/"))
        if found:
            output.write(target, Path(str(found)).read_bytes())
    # The files the pages show (redacted videos, photos), through the live views: each is
    # immutable under its address (a rendition, a stored photo), so one made before is kept.
    say("media")
    for target in sorted(t for t in targets if t.startswith("files/")):
        media_url = media_url_for(target)
        if media_url is None or (immutable_file(target) and output.fresh(target, media_url)):
            continue
        try:
            if target.startswith("files/subtitles/"):
                vtt = site.get(media_url)
                output.write(target, vtt, media_url)
                # Its cues as a script too, for a page opened from a folder, which may not
                # load the WebVTT file (static_search.js makes them the video's tracks).
                name = target.removeprefix("files/").removesuffix(".vtt")
                cues = static_search.script_file("aigaqData", name, vtt_cues(vtt))
                output.write(target.removesuffix(".vtt") + ".js", cues, media_url)
            else:
                output.write_stream(target, site.stream(media_url), media_url)
        except PageError as exc:
            summary.failed.append(str(exc))
    summary.pages = sum(1 for p in output.new if p.endswith(".html"))
    summary.dangling = sorted(t for t in targets if t not in output.new)[:50]


def iter_files(out: Path) -> Iterator[Path]:
    """Every file of a built edition (the manifest aside)."""
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.name != MANIFEST:
            yield path


def remove_edition(out: Path) -> None:
    """Remove a built edition (only a folder with a manifest)."""
    if (out / MANIFEST).exists():
        shutil.rmtree(out)
