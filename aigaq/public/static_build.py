"""The static edition: the whole public site as files (`aigaq public build OUT/`) that any
static host, a USB stick or a mirror can serve, or a visitor open from a folder.

The HTML pages are the live pages: each is rendered by the public site's own views through
Django's test client under the public URL configuration, then its site links are rewritten to
relative file paths (``/en/entries/12/`` -> ``../../../en/entries/12/index.html``) and the
static search script is added. The open-data files are those of opendata.py. What goes in is
what disclosure.public returns, nothing else.

Incremental: OUT/.aigaq-manifest.json records each file's content hash and, for an entry's
pages and files, a digest of what they were made from (the PublicEntry and the site's
templates, code, catalogues and gazetteer). A rebuild renders again only the entries whose
digest changed, writes only files whose content changed and removes every file of the last
build that no longer belongs (an entry whose consent was withdrawn disappears).
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
from django.test import Client, override_settings
from django.urls import URLPattern, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from aigaq.disclosure.public import public_entries, public_persons
from aigaq.people.models import Place, Tag
from aigaq.public import opendata, static_search
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
    dangling: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
            self.summary.written += 1
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
        self.summary.written += 1
        self.new[path] = {"sha256": h.hexdigest(), "source": source}

    def finish(self) -> None:
        for path in sorted(set(self.old) - set(self.new)):
            target = self.out / path
            if target.is_file():
                target.unlink()
                self.summary.removed += 1
            parent = target.parent
            while parent != self.out and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        manifest = {"version": MANIFEST_VERSION, "files": self.new}
        (self.out / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
        self.summary.files = len(self.new)
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


def list_page_file(lang: str, page: int) -> str:
    return f"{lang}/entries/index.html" if page <= 1 else f"{lang}/entries/page/{page}/index.html"


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

    def get(self, path: str) -> bytes:
        response = self.client.get(path, secure=self.scheme == "https")
        if response.status_code != 200:
            raise PageError(f"{path}: {response.status_code}")
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
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
    list_keys: dict[tuple[str, int], int] | None = None,
    live: Callable[[str], str | None] | None = None,
) -> str:
    """Site links of one rendered page as relative file paths; the static search added.
    `list_keys`: the list's keyset links (("before", entry number) or ("after", ...)) and the
    page number each leads to in this build. `live`: for a page only the live site can serve
    (the correction form), its address there, or None where it has none."""
    up = "../" * page_file.count("/")
    list_paths = {entries_path(lang.code): lang.code for lang in PUBLIC_LANGUAGES}

    def repl(m: re.Match[str]) -> str:
        raw = html.unescape(m.group(2))
        if raw.startswith("?"):
            raw = page_url + raw
        if raw.startswith("#") or not raw.startswith("/") or raw.startswith("//"):
            return m.group(0)
        parts = urlsplit(raw)
        if live is not None and parts.path in LIVE_ONLY_PATHS():
            there = live(raw)
            return f'{m.group(1)}="{html.escape(there)}"' if there else m.group(0)
        media_file = media_file_for(parts.path)
        if media_file is not None:
            targets.add(media_file)
            return f'{m.group(1)}="{html.escape(up + media_file)}"'
        query = {k: v for k, v in parse_qsl(parts.query) if v.strip()}
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        suffix = ""
        if parts.path in list_paths and set(query) <= {"page", "before", "after"}:
            number = 1
            for key in ("before", "after"):
                if query.get(key, "").isdigit():
                    number = (list_keys or {}).get((key, int(query[key])), 1)
            if query.get("page", "").isdigit():
                number = int(query["page"])
            target = list_page_file(list_paths[parts.path], number)
        else:
            target = file_for(parts.path)
            if "q" in query and parts.path in list_paths:
                suffix = "?q=" + html.escape(query["q"])  # the static search reads it
        targets.add(target)
        return f'{m.group(1)}="{html.escape(up + target)}{suffix}{fragment}"'

    out = _LINK.sub(repl, page)
    return out.replace("</head>", script_tag.replace("{up}", up) + "\n</head>", 1)


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
) -> BuildSummary:
    """Write the public site into `out` (made if missing); see the module's docstring."""
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
            _build(output, Site(base_url), say)
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
    from aigaq.public import views

    token = views.prebuilt_entries.set(known)
    try:
        yield
    finally:
        views.prebuilt_entries.reset(token)


def _build(output: Output, site: Site, say: Callable[[str], None]) -> None:
    summary = output.summary
    site_hash = site_digest()
    tags = {lang.code: script_tag(lang) for lang in PUBLIC_LANGUAGES}
    targets: set[str] = set()
    entry_views = _entry_views()
    list_keys: dict[tuple[str, int], int] = {}

    def page(url: str, file: str, lang: PublicLanguage, source: str = "") -> None:
        if source and output.fresh(file, source, targets):
            return
        try:
            body = site.get(url).decode()
        except PageError as exc:  # a page that does not answer is left out and named
            summary.failed.append(str(exc))
            return
        summary.rendered += 1
        named: set[str] = set()
        text = rewrite(body, url.split("?")[0], file, tags[lang.code], named, list_keys, site.live)
        targets.update(named)
        # The page's files are kept in the manifest: a page kept as it is by a later build
        # still names them, so they are kept (or fetched again) too.
        output.write(file, text.encode(), source, [t for t in named if t.startswith("files/")])

    # One pass over the public entries, newest first (the list's order): their pages, their
    # documents, the CSV and JSON rows, the search index.
    say("entries")
    places = opendata.Places()
    csv_buffer = io.StringIO()
    writer = csv.writer(csv_buffer)
    writer.writerow(opendata.csv_header())
    documents: list[tuple[int, str]] = []
    digests: list[str] = []
    postings: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, dict[str, str]] = defaultdict(dict)
    han = static_search.HanTable()
    known: dict[int, Any] = {}
    numbers: list[int] = []
    for e in public_entries(public_persons().order_by("-entry_no")):
        known[e.entry_no] = e
        numbers.append(e.entry_no)
        summary.entries += 1
        # The subtitle tracks are the transcripts app's (a translation reviewed later changes
        # the page, not the PublicEntry).
        digest = _digest(site_hash, repr(e), repr(subtitle_tracks(e, "")))
        digests.append(digest)
        doc = opendata.entry_document(e, places, site.absolute)
        text = json.dumps(doc, ensure_ascii=False)
        documents.append((e.entry_no, text))
        writer.writerow(opendata.csv_row(doc))
        doc_file = file_for(reverse("public:data_entry", args=[e.entry_no]))
        if not output.fresh(doc_file, digest):
            output.write(doc_file, json.dumps(doc, ensure_ascii=False, indent=1).encode(), digest)
        public_names = [e.name, *(n.full_name for n in e.names)]
        for key in static_search.entry_keys(public_names):
            postings[static_search.shard_of(key)][static_search.name_keys.key_body(key)].append(
                e.entry_no
            )
        for name in public_names:
            han.add(name)
        names[e.entry_no // static_search.NAMES_PER_FILE][str(e.entry_no)] = e.name
        with _entries_known(known):
            for lang in PUBLIC_LANGUAGES:
                for view in entry_views:
                    url = reverse(view, args=[lang.code, e.entry_no])
                    page(url, file_for(url), lang, _digest(digest, lang.code, view))
        known.clear()
        if summary.entries % 1000 == 0:
            say(f"entries: {summary.entries}")

    # The entries list, page by page (the list's own size), each rendered again only when
    # an entry on it changed.
    say("lists")
    from aigaq.public.views import PER_PAGE

    count = len(digests)
    pages = max(1, -(-count // PER_PAGE))
    # The live list moves by entry number (?before=N older, ?after=N newer): page n starts
    # after the last entry of page n - 1, so each keyset link is one numbered file here.
    for number in range(2, pages + 1):
        list_keys[("before", numbers[(number - 1) * PER_PAGE - 1])] = number
        list_keys[("after", numbers[(number - 1) * PER_PAGE])] = number - 1
    for lang in PUBLIC_LANGUAGES:
        base = entries_path(lang.code)
        for number in range(1, pages + 1):
            chunk = digests[(number - 1) * PER_PAGE : number * PER_PAGE]
            source = _digest(site_hash, lang.code, str(count), str(number), *chunk)
            url = base if number == 1 else f"{base}?before={numbers[(number - 1) * PER_PAGE - 1]}"
            page(url, list_page_file(lang.code, number), lang, source)

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
    for shard, keys in postings.items():
        data = {key: sorted(set(numbers)) for key, numbers in keys.items()}
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
    links = "\n".join(
        f'<li class="card"><a href="{lang.code}/index.html" lang="{lang.code}">'
        f"{html.escape(lang.name)}</a></li>"
        for lang in PUBLIC_LANGUAGES
    )
    output.write("index.html", ROOT_PAGE.format(links=links).encode())

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
