"""Transcripts and translations at scale (issue #18), on SQLCipher, or on PostgreSQL when
DATABASE_URL names one:

1. BENCH_TESTIMONIES testimonies (default 10,000), each with a Kazakh transcript of
   BENCH_SEGMENTS segments (default 20) and two translations (English, Russian) aligned to it,
   written in bulk; then the translators' queue (`transcripts.selectors.translation_queue`, first
   page of 50) and a full-text search over every transcript and translation
   (`search_segments`) for words of several kinds (a common Kazakh word, a rare English word,
   a Russian word, two words), each 30 times: median and 95th percentile, as a coordinator.
2. The subtitle export of a two-hour testimony (2,400 segments of 3 s) in eight languages, SRT
   and WebVTT (`transcripts.subtitles.render`): the time printed.

    BENCH_TESTIMONIES=10000 .venv/bin/python bench/transcripts_bench.py

BENCH_DIR=DIR keeps the SQLCipher database (and its key) in DIR between runs, and a database
(either engine) that already holds the testimonies is not written again: a second run measures
the queries alone. BENCH_PARTS=search skips the subtitle export.

No assertions: the figures are printed.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KK = [
    "лагерь",
    "тәрбиелеу",
    "ағам",
    "әкем",
    "апам",
    "қамалды",
    "полиция",
    "түрме",
    "хабар",
    "жоқ",
    "Құлжа",
    "ауылы",
    "жұмыс",
]
EN = [
    "camp",
    "education",
    "brother",
    "father",
    "sister",
    "detained",
    "police",
    "prison",
    "news",
    "none",
    "village",
    "work",
]
RU = [
    "лагерь",
    "воспитание",
    "брат",
    "отец",
    "сестра",
    "задержан",
    "полиция",
    "тюрьма",
    "вестей",
    "нет",
    "село",
    "работа",
]


def pct(times: list[float], p: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def main() -> None:
    n = int(os.environ.get("BENCH_TESTIMONIES", "10000"))
    per = int(os.environ.get("BENCH_SEGMENTS", "20"))
    keep = os.environ.get("BENCH_DIR")
    if keep:
        tmp = os.path.abspath(keep)
        os.makedirs(tmp, exist_ok=True)
        key_file = Path(tmp) / "bench-db-key"
        if not key_file.exists():
            key_file.write_text(uuid.uuid4().hex + uuid.uuid4().hex)
        os.environ.setdefault("AIGAQ_DB_KEY", key_file.read_text().strip())
    else:
        tmp = tempfile.mkdtemp(prefix="aigaq-transcripts-bench-")
        os.environ.setdefault("AIGAQ_DB_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ["AIGAQ_DATA_DIR"] = tmp
    os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(tmp, "cfg"))
    os.environ.setdefault("AIGAQ_SECRET_KEY", "bench-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from aigaq.core.db.bulk import bulk_insert
    from aigaq.testimonies.models import Testifier, Testimony
    from aigaq.transcripts import subtitles
    from aigaq.transcripts.models import Segment, Status, Transcript, source_hash
    from aigaq.transcripts.selectors import search_segments, translation_queue

    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    user = users.filter(username="bench-admin").first() or users.create_superuser(
        "bench-admin", password=None
    )
    rng = random.Random(18)
    now = timezone.now()
    rare = "mountaineer"

    t0 = time.perf_counter()
    seg_id = 0
    chunk = 500
    seeded = Testimony.objects.filter(number__lte=n).count() >= n
    if seeded:
        seg_id = Segment.objects.count()
    for start in range(0, 0 if seeded else n, chunk):
        testifiers, testimonies, transcripts, segments = [], [], [], []
        for i in range(start, min(n, start + chunk)):
            tf = uuid.UUID(int=rng.getrandbits(128), version=4)
            tm = uuid.UUID(int=rng.getrandbits(128), version=4)
            testifiers.append(
                {
                    "id": tf,
                    "full_name": f"Bench Testifier {i}",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            testimonies.append(
                {
                    "id": tm,
                    "number": i + 1,
                    "testifier_id": tf,
                    "recorded_on": dt.date(2018 + i % 6, 1 + i % 12, 1),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            original = uuid.UUID(int=rng.getrandbits(128), version=4)
            transcripts.append(
                {
                    "id": original,
                    "testimony_id": tm,
                    "language": "kk",
                    "kind": "original",
                    "status": Status.REVIEWED,
                    "priority": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            originals = []
            for pos in range(per):
                seg_id += 1
                words = rng.sample(KK, 6)
                text = " ".join(words)
                originals.append((seg_id, pos, text))
                segments.append(
                    {
                        "id": seg_id,
                        "transcript_id": original,
                        "position": pos,
                        "start_ms": pos * 3000,
                        "end_ms": pos * 3000 + 2900,
                        "speaker": "testifier",
                        "text": text,
                        "status": Status.REVIEWED,
                        "source_hash": "",
                        "stale": False,
                        "version": 1,
                        "updated_at": now,
                    }
                )
            for lang, vocab in (("en", EN), ("ru", RU)):
                tid = uuid.UUID(int=rng.getrandbits(128), version=4)
                transcripts.append(
                    {
                        "id": tid,
                        "testimony_id": tm,
                        "language": lang,
                        "kind": "translation",
                        "source_id": original,
                        "status": rng.choice([Status.TODO, Status.HUMAN_DRAFT, Status.REVIEWED]),
                        "priority": rng.randrange(3),
                        "created_at": now - dt.timedelta(minutes=rng.randrange(100000)),
                        "updated_at": now,
                    }
                )
                for src_id, pos, src_text in originals:
                    seg_id += 1
                    words = rng.sample(vocab, 6)
                    if lang == "en" and rng.random() < 0.001:
                        words.append(rare)
                    segments.append(
                        {
                            "id": seg_id,
                            "transcript_id": tid,
                            "position": pos,
                            "start_ms": pos * 3000,
                            "end_ms": pos * 3000 + 2900,
                            "speaker": "testifier",
                            "text": " ".join(words),
                            "status": Status.HUMAN_DRAFT,
                            "source_id": src_id,
                            "source_hash": source_hash(pos * 3000, pos * 3000 + 2900, src_text),
                            "stale": False,
                            "version": 1,
                            "updated_at": now,
                        }
                    )
        with transaction.atomic():
            bulk_insert(Testifier, testifiers)
            bulk_insert(Testimony, testimonies)
            bulk_insert(Transcript, transcripts)
            bulk_insert(Segment, segments)
    if connection.vendor == "postgresql" and not seeded:
        # What autovacuum does after a bulk load: the planner needs the statistics to choose
        # between the trigram index and the primary key read backwards.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{n:,} testimonies, {3 * n:,} transcripts, {seg_id:,} segments "
        f"{'already there' if seeded else 'written'} on "
        f"{connection.vendor}: {time.perf_counter() - t0:.1f} s"
    )

    def measure(label: str, fn) -> None:  # type: ignore[no-untyped-def]
        times, found = [], 0
        for _ in range(30):
            t = time.perf_counter()
            found = fn()
            times.append(time.perf_counter() - t)
        print(
            f"{label}: median {statistics.median(times) * 1000:.1f} ms, "
            f"p95 {pct(times, 0.95):.1f} ms ({found} rows)"
        )

    for lang in ("en", "ru"):
        measure(
            f"translators' queue ({lang}, first 50)",
            lambda lang=lang: len(list(translation_queue(reader=user, language=lang)[:50])),
        )
    for query in ("тәрбиелеу", rare, "тюрьма", "police prison", "ағам"):
        measure(
            f"search {query!r}",
            lambda query=query: len(search_segments(reader=user, query=query)),
        )

    if os.environ.get("BENCH_PARTS") == "search":
        print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        return

    # 2. A two-hour testimony in eight languages ------------------------------------------------
    languages = ["kk", "zh_Hans", "en", "ru", "tr", "ar", "fr", "de"]
    testifier = Testifier.objects.create(full_name="Two hours")
    long_one = Testimony.objects.create(
        testifier=testifier,
        recorded_on=dt.date(2020, 1, 1),
        number=max(n, Testimony.objects.order_by("-number").values_list("number", flat=True)[0])
        + 1,
    )
    segs = 2400
    original = Transcript.objects.create(testimony=long_one, language="kk", kind="original")
    Segment.objects.bulk_create(
        Segment(
            transcript=original,
            position=p,
            start_ms=p * 3000,
            end_ms=p * 3000 + 2900,
            text=" ".join(rng.sample(KK, 8)),
        )
        for p in range(segs)
    )
    sources = list(original.segments.order_by("position"))
    for lang in languages[1:]:
        tr = Transcript.objects.create(
            testimony=long_one, language=lang, kind="translation", source=original
        )
        Segment.objects.bulk_create(
            Segment(
                transcript=tr,
                position=s.position,
                start_ms=s.start_ms,
                end_ms=s.end_ms,
                text=" ".join(rng.sample(EN, 8)),
                source=s,
            )
            for s in sources
        )
    t0 = time.perf_counter()
    size = 0
    for tr in Transcript.objects.filter(testimony=long_one):
        for fmt in ("srt", "vtt"):
            size += len(subtitles.render(tr, fmt))
    print(
        f"subtitles of a two-hour testimony ({segs:,} segments) in {len(languages)} languages, "
        f"SRT and WebVTT: {time.perf_counter() - t0:.2f} s ({size / 2**20:.1f} MiB)"
    )
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
