"""Odd-query benchmark: how long the person search takes on empty, one-letter, wildcard,
injection-like, 10,000-character and mixed-script queries.

    .venv/bin/python bench/odd_queries_bench.py
    BENCH_ODD_PEOPLE=5000 .venv/bin/python bench/odd_queries_bench.py

Builds a temporary SQLCipher database with BENCH_ODD_PEOPLE (default 2,000) synthetic persons
(`aigaq demo --no-testimonies`) plus the six persons of tests/search/test_person_search.py
(Гүлнар Серікқызы and her crowd), then runs each query of that test's odd-query cases as a
coordinator: prints the first run (caches cold) and the best of BENCH_ROUNDS (default 5) in
milliseconds, and the number of hits. The tests check what these queries find (no one, or
Gulnar alone); this prints how long they take. No assertions.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PEOPLE = int(os.environ.get("BENCH_ODD_PEOPLE", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

QUERIES = [
    "",
    "   ",
    "g",
    "古",
    "🌸🌸",
    "\u200d\u200f\u202e",
    "%",
    "_",
    "'; DROP TABLE search_namekey; --",
    '"gulnar" AND',
    "x" * 10_000,
    "Gulnar " * 2000,
    "Гүлнар 古丽娜尔 gulnar مۇھەممەت",
    "Gül\u200dnar\u200f Serik\u200bqyzy 🌸",
]
PERSONS = [
    ("Гүлнар Серікқызы", "Gulnar Serikkyzy", "古丽娜尔·赛力克"),
    ("Нұрлан Серікұлы", "Nurlan Serikuly"),
    ("Айгүл Бақытқызы", "Aigul Bakytkyzy"),
    ("Мемет Тұрсын", "Memet Tursun", "买买提·吐尔逊"),
    ("Гүлзат Қуанышқызы", "Gulzat Kuanyshkyzy"),
    ("Ержан Асқарұлы",),
]


def setup() -> None:
    tmp = tempfile.mkdtemp(prefix="aigaq-odd-queries-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    atexit.register(shutil.rmtree, tmp, True)
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def shown(query: str) -> str:
    text = repr(query)
    return text if len(text) <= 40 else text[:32] + f"…' ({len(query):,} chars)"


def main() -> None:
    setup()
    from django.core.management import call_command

    from aigaq.core.models import Role, User
    from aigaq.people.services import NameInput, person_create
    from aigaq.search.selectors import search_persons

    coordinator = User.objects.create_user(username="bench", role=Role.COORDINATOR)
    started = time.perf_counter()
    call_command("demo", "--people", str(PEOPLE), "--no-testimonies", "--seed", "7", verbosity=0)
    for names in PERSONS:
        person_create(actor=coordinator, names=[NameInput(n) for n in names])
    print(
        f"odd queries over {PEOPLE + len(PERSONS):,} persons "
        f"(built in {time.perf_counter() - started:.0f} s), "
        "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    for query in QUERIES:
        times = []
        hits: list[object] = []
        for _ in range(ROUNDS):
            begun = time.perf_counter()
            hits = search_persons(user=coordinator, query=query)
            times.append(time.perf_counter() - begun)
        print(
            f"   {shown(query):<44} first {times[0] * 1e3:8.2f} ms, "
            f"best {min(times) * 1e3:8.2f} ms, {len(hits)} hits"
        )


if __name__ == "__main__":
    main()
