"""Spreadsheet import benchmark: N synthetic rows through aigaq.transfer.spreadsheet.

    BENCH_ROWS=100000 .venv/bin/python bench/import_bench.py

Writes a CSV of N rows (default 100,000; env BENCH_ROWS) from aigaq.demo.namegen (two to four
name forms per row, gender, birth year, status, partial date, a testifier per ten rows, a
hometown from a small gazetteer) into a temporary SQLCipher database, then imports it once as
a dry run and once for real (BENCH_DRY=0: only for real), with the search keys computed on
BENCH_WORKERS processes (default 2, as `aigaq import` on a 2-core machine). Prints rows/s,
seconds and the load average for each (the machine may be shared). No assertions.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    n = int(os.environ.get("BENCH_ROWS", "100000"))
    tmp = tempfile.mkdtemp(prefix="aigaq-import-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from aigaq.demo.namegen import generate_person
    from aigaq.people.models import Place, PlaceName
    from aigaq.people.services import place_save
    from aigaq.transfer.spreadsheet import spreadsheet_import

    towns = ["Tekes", "Текес", "特克斯", "Ghulja", "Құлжа", "伊宁", "Altay", "Алтай", "阿勒泰"]
    for code, names in (("tekes", towns[:3]), ("ghulja", towns[3:6]), ("altay", towns[6:])):
        place = place_save(Place(code=code, kind="county", name=names[0]))
        for i, name in enumerate(names):
            PlaceName.objects.create(place=place, name=name, lang=str(i))
    rng = random.Random(3)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(
        [
            "name",
            "gender",
            "birth_year",
            "hometown",
            "status",
            "date_detained",
            "relation",
            "testifier",
            "phone",
            "notes",
            "ethnicity",
        ]
    )
    for i in range(n):
        p = generate_person(rng)
        forms = " | ".join(f.full_name for f in p.names[:4])
        w.writerow(
            [
                forms,
                "male" if p.gender == "m" else "female",
                rng.randint(1940, 2000),
                rng.choice(towns),
                rng.choice(["detained", "camp", "prison", ""]),
                rng.choice(["2018", "spring 2018", "2017-11", ""]),
                "son" if i % 10 == 0 else "",
                f"Testifier {i // 10}" if i % 10 == 0 else "",
                "",
                "",
                p.ethnicity if p.ethnicity != "hui" else "hui",
            ]
        )
    data = out.getvalue().encode()
    print(f"{n} rows, {len(data) / 1e6:.1f} MB")
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    runs = (False,) if os.environ.get("BENCH_DRY") == "0" else (True, False)
    for dry in runs:
        t0 = time.perf_counter()
        report = spreadsheet_import(
            actor=None, data=data, file_name="bench.csv", dry_run=dry, workers=workers
        )
        wall = time.perf_counter() - t0
        assert report.ok, report.errors[:3]
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"{'dry run' if dry else 'import '}: {wall:.1f} s, {n / wall:,.0f} rows/s, "
            f"{report.created} persons, {report.flagged} flagged (load average {load})"
        )


if __name__ == "__main__":
    main()
