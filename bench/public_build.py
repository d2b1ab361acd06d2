"""Static edition benchmark: a full and an incremental `aigaq public build` at N entries.

    BENCH_PEOPLE=10000 .venv/bin/python bench/public_build.py
    BENCH_PEOPLE=100000 BENCH_DIR=/tmp/public-100k .venv/bin/python bench/public_build.py

Creates N synthetic persons with the demo generator (aigaq.demo.records.generate_demo, with
their status timelines, no testimonies) in a temporary SQLCipher database and makes every one
public (an entry with no testimony is public when marked so), then times:

1. a full build into an empty folder (every page in eight languages, the open data, the
   search index);
2. a rebuild with nothing changed;
3. a rebuild after "a day's changes": BENCH_CHANGED (default 1%) of the entries edited, and
   BENCH_WITHDRAWN (default 0.1%) made internal, which must disappear from the output.

Prints the times, files written and removed (list pages among them), pages, the edition's
size, and the load average (shared machine). No assertions. BENCH_DIR keeps the database and
the edition for a rerun; BENCH_WORKERS (default 1) is the build's --workers.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup() -> Path:
    keep = os.environ.get("BENCH_DIR", "").strip()
    tmp = Path(keep or tempfile.mkdtemp(prefix="aigaq-public-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "data").mkdir(exist_ok=True)
    os.environ["AIGAQ_DATA_DIR"] = str(tmp / "data")
    os.environ.setdefault("XDG_CONFIG_HOME", str(tmp / "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ["AIGAQ_DB_KEY"] = "be" * 32 if keep else uuid.uuid4().hex + uuid.uuid4().hex
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    people = int(os.environ.get("BENCH_PEOPLE", "100000"))
    changed_share = float(os.environ.get("BENCH_CHANGED", "0.01"))
    withdrawn_share = float(os.environ.get("BENCH_WITHDRAWN", "0.001"))
    workers = int(os.environ.get("BENCH_WORKERS", "1"))
    tmp = _setup()
    from django.core.management import call_command
    from django.utils import timezone

    from aigaq.core.models import Visibility
    from aigaq.demo.records import generate_demo
    from aigaq.people.models import Person, Place
    from aigaq.public.static_build import build

    if not Place.objects.exists():
        call_command("gazetteer", "load", verbosity=0)
    if Person.objects.count() < people:
        started = time.perf_counter()
        generate_demo(people=people - Person.objects.count(), with_testimonies=False)
        print(f"generated {people} persons in {time.perf_counter() - started:.1f} s")
    Person.objects.update(visibility=Visibility.PUBLIC)
    out = tmp / "edition"
    print(
        f"entries: {people}, workers {workers}, load average {os.getloadavg()[0]:.2f}, "
        f"cores {os.cpu_count()}"
    )

    def run(label: str) -> None:
        before = os.times()
        s = build(out, workers=workers)
        after = os.times()
        cpu = sum(after[:4]) - sum(before[:4])  # this process and its workers, user + system
        print(
            f"{label}: {s.seconds:.1f} s ({'full' if s.full else 'incremental'}; "
            f"processor {cpu:.1f} s), "
            f"{s.entries} entries, {s.pages} pages, {s.files} files, rendered {s.rendered}, "
            f"kept without rendering {s.skipped_renders}, written {s.written}, "
            f"removed {s.removed}, list pages {s.list_pages} (written {s.list_written}, "
            f"removed {s.list_removed}), {_size(out) / 1e6:.0f} MB, "
            f"load average {os.getloadavg()[0]:.2f}",
            flush=True,  # each step's line as it ends, even into a file
        )

    if not (out / ".aigaq-manifest.json").exists():
        run("full build")
    run("rebuild, nothing changed")
    numbers = list(
        Person.objects.order_by("?").values_list("pk", flat=True)[: int(people * changed_share)]
    )
    Person.objects.filter(pk__in=numbers).update(
        occupation="teacher (edited)", updated_at=timezone.now()
    )
    gone = list(
        Person.objects.order_by("?").values_list("pk", flat=True)[: int(people * withdrawn_share)]
    )
    Person.objects.filter(pk__in=gone).update(visibility=Visibility.INTERNAL)
    print(f"a day's changes: {len(numbers)} entries edited, {len(gone)} made internal")
    run("rebuild after a day's changes")
    if not os.environ.get("BENCH_DIR"):
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
