"""Family contacts benchmark: "families to call this week" at 100,000 contacts.

    .venv/bin/python bench/casework_bench.py          # BENCH_CONTACTS=100000 by default

Builds, in a fresh SQLCipher database in a temporary folder (setup, not timed), N/2 persons
(internal), N/2 testifiers and N contacts (two per person), their next contact spread over
60 days back to 300 days ahead (about a fifth due this week or overdue), then times
casework.selectors.families_to_call for a coordinator (the list the page shows: the 200 most
overdue of those the reader may see) and prints the first (cold) run, then the median and worst
of 19 more and the query plan. bench/petitions_bench.py times it too, beside the
coordinator's lists, on SQLCipher or PostgreSQL, for two kinds of reader. No assertions (the
goal is under 100 ms).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    n = int(os.environ.get("BENCH_CONTACTS", "100000"))
    tmp = tempfile.mkdtemp(prefix="aigaq-casework-bench-")
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("AIGAQ_DB_KEY", "be" * 32)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from aigaq.casework.models import CaseContact
    from aigaq.casework.selectors import families_to_call
    from aigaq.core.models import Role, User
    from aigaq.people.models import Person
    from aigaq.testimonies.models import Testifier

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    today = timezone.localdate()
    persons = n // 2
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(id=uuid.uuid4(), entry_no=i + 1, visibility="internal")
                for i in range(persons)
            ],
            batch_size=5000,
        )
        Testifier.objects.bulk_create(
            [Testifier(id=uuid.uuid4(), full_name=f"Testifier {i}") for i in range(persons)],
            batch_size=5000,
        )
        person_ids = list(Person.objects.values_list("id", flat=True))
        testifier_ids = list(Testifier.objects.values_list("id", flat=True))
        rows = []
        for i in range(n):
            rows.append(
                CaseContact(
                    id=uuid.uuid4(),
                    person_id=person_ids[i % persons],
                    testifier_id=testifier_ids[(i // persons + i) % persons],
                    consent=True,
                    method="phone",
                    next_contact_due=today + dt.timedelta(days=(i * 7919) % 360 - 60),
                )
            )
        CaseContact.objects.bulk_create(rows, batch_size=5000)
    print(f"setup: {n:,} contacts, {persons:,} persons in {time.perf_counter() - started:.1f} s")
    reader = User.objects.create_user(username="bench-coordinator", role=Role.COORDINATOR)
    due = CaseContact.objects.filter(next_contact_due__lte=today + dt.timedelta(days=7)).count()
    print(f"contacts due within the week or overdue: {due:,}")
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        shown = families_to_call(reader, today)
        times.append((time.perf_counter() - t0) * 1000)
    warm = times[1:]
    print(
        f"families_to_call ({len(shown)} shown): first (cold) {times[0]:.1f} ms; then median "
        f"{statistics.median(warm):.1f} ms, worst {max(warm):.1f} ms over {len(warm)} runs"
    )
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        families_to_call(reader, today)
    for q in ctx.captured_queries:  # one query (decision 0042)
        with connection.cursor() as cur:
            cur.execute("EXPLAIN QUERY PLAN " + q["sql"])
            for row in cur.fetchall():
                print("  plan:", row[-1])


if __name__ == "__main__":
    main()
