"""The static edition's search in a browser: how long a visitor waits for an answer.

    BENCH_PEOPLE=100000 BENCH_DIR=/tmp/public-100k .venv/bin/python bench/public_build.py
    BENCH_DIR=/tmp/public-100k .venv/bin/python bench/static_search.py

Reads the edition that bench/public_build.py left in BENCH_DIR/edition (and its database, for
the names to look for); without BENCH_DIR (as `make bench` runs it) it first has
bench/public_build.py make one of BENCH_STATIC_PEOPLE (default 10,000) entries in a temporary
folder, removed at the end. It opens it from the folder (file://, as a visitor with a copy on a USB
stick does) in Debian's Chromium driven by Playwright, and searches BENCH_QUERIES (default 40)
names of public entries, as they were recorded (Cyrillic, Latin, Chinese characters, Arabic
script), each typed into `entries/index.html?q=...`. The time of one search is from the
navigation to the answer shown (the result count no longer "Searching…"): the page, the
tables, and the index shards and name files that query needs, loaded by
static/public/static_search.js. Two passes:

- cold: each search in a new browser context (nothing loaded before);
- warm: the searches one after the other in one tab (the browser keeps what it loaded).

Prints the median, p95 and max of each pass, and how many searches listed the entry whose name
was typed (in the first 50 results shown). No assertions.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import _common  # noqa: E402

SEARCHING = "Searching…"


def _names(count: int) -> list[tuple[str, int]]:
    """(name as recorded, entry number) of `count` public entries, drawn at random."""
    from aigaq.core.models import Visibility
    from aigaq.people.models import PersonName

    rows = list(
        PersonName.objects.filter(person__visibility=Visibility.PUBLIC)
        .order_by("?")
        .values_list("full_name", "person__entry_no")[:count]
    )
    return [(name, int(no)) for name, no in rows]


def _search(page: object, edition: Path, name: str, entry_no: int) -> tuple[float, bool]:
    """Seconds from the navigation to the answer shown; whether the entry is listed."""
    url = (edition / "en" / "entries" / "index.html").as_uri() + "?q=" + quote(name)
    t0 = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "(() => { const p = document.querySelector('.static-results p.count');"
        f" return p && p.textContent !== {SEARCHING!r}; }})()",
        timeout=60_000,
    )
    seconds = time.perf_counter() - t0
    hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
        ".static-results .card a", "links => links.map(a => a.getAttribute('href'))"
    )
    found = any(f"/{entry_no}/" in (h or "") for h in hrefs)
    return seconds, found


def _line(label: str, times: list[float], found: int) -> str:
    ms = [t * 1000 for t in times]
    return (
        f"{label}: {len(ms)} searches, median {statistics.median(ms):.0f} ms, "
        f"p95 {_common.percentile(ms, 95):.0f} ms, max {max(ms):.0f} ms; "
        f"the entry typed listed in {found} of {len(ms)}"
    )


def main() -> None:
    keep = os.environ.get("BENCH_DIR", "").strip()
    if keep:
        if not (Path(keep) / "edition" / ".aigaq-manifest.json").exists():
            raise SystemExit("BENCH_DIR must hold an edition built by bench/public_build.py")
        _measure(keep)
        return
    tmp = tempfile.mkdtemp(prefix="aigaq-static-search-")
    try:
        people = os.environ.get("BENCH_STATIC_PEOPLE", "10000")
        print(f"building an edition of {people} entries with bench/public_build.py", flush=True)
        env = {**os.environ, "BENCH_DIR": tmp, "BENCH_PEOPLE": people}
        for name in ("AIGAQ_DATA_DIR", "XDG_CONFIG_HOME", "AIGAQ_DB_KEY"):
            env.pop(name, None)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "public_build.py")],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        _measure(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _measure(keep: str) -> None:
    os.environ["AIGAQ_DATA_DIR"] = str(Path(keep) / "data")
    os.environ.setdefault("XDG_CONFIG_HOME", str(Path(keep) / "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ["AIGAQ_DB_KEY"] = "be" * 32
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    edition = Path(keep) / "edition"
    count = int(os.environ.get("BENCH_QUERIES", "40"))
    random.seed(20)
    queries = _names(count)
    from playwright.sync_api import sync_playwright

    print(f"edition: {edition}; {len(queries)} names of public entries; {_common.load_average()}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            cold: list[float] = []
            found = 0
            for name, no in queries:
                context = browser.new_context()
                page = context.new_page()
                seconds, ok = _search(page, edition, name, no)
                cold.append(seconds)
                found += ok
                context.close()
            print(_line("cold (a new browser context each)", cold, found))
            context = browser.new_context()
            page = context.new_page()
            warm: list[float] = []
            found = 0
            for name, no in queries:
                seconds, ok = _search(page, edition, name, no)
                warm.append(seconds)
                found += ok
            context.close()
            print(_line("warm (one tab, one search after the other)", warm, found))
        finally:
            browser.close()
    print(_common.load_average())


if __name__ == "__main__":
    main()
