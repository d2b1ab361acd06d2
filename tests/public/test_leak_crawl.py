"""The leak crawl: unique sentinel strings in every restricted field and every testimony the
public may not read, then every public page (all links followed from the home page in every
language, the list with filters), every open-data file, the feed, the sitemap and the static
edition's output are read, and no sentinel may appear. No page may name another site (but the
published sources an entry cites) or a staff address."""

from __future__ import annotations

import base64
import datetime as dt
import re
import tempfile
from collections import deque
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from aigaq.people.validators import chinese_id_check_char
from aigaq.public.languages import PUBLIC_LANGUAGES
from aigaq.public.static_build import build
from tests import factories

pytestmark = pytest.mark.django_db

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
ID_FIRST17 = "65010219800101737"
SENTINELS = {
    "chinese_id": ID_FIRST17 + chinese_id_check_char(ID_FIRST17),
    "phone": "7017734901",
    "email": "sntl-mail-q7@example.org",
    "address": "Sntl-address-k2 street",
    "id_document": "SNTLDOC55231",
    "event_source_text": "sntl-source-text-m4",
    "event_note": "sntl-event-note-r8",
    "anonymous_biography": "sntl-anon-bio-z3",
    "anonymous_name": "Sentanonymbek",
    "anonymous_testifier": "Sentanontestifer",
    "internal_name": "Sentinternalbek",
    "internal_biography": "sntl-internal-bio-j6",
    "restricted_name": "Sentrestrictbek",
    "unconsented_name": "Sentunconsentbek",
    "unconsented_summary": "sntl-unconsented-summary-a1",
    "unconsented_testifier": "Sentunconsentifer",
    "withdrawn_summary": "sntl-withdrawn-summary-b2",
    "withdrawn_testifier": "Sentwithdrawnifer",
    "withdrawn_reason": "sntl-withdrawn-reason-b3",
    "draft_summary": "sntl-draft-summary-c4",
    "draft_testifier": "Sentdraftifer",
    "retracted_summary": "sntl-retracted-summary-d5",
    "retracted_testifier": "Sentretractifer",
    "internal_testimony_summary": "sntl-internal-summary-e6",
    "idcard_file": "sntl-idcard-f7.png",
    "interview_source": "sntl-own-interview-g8",
    # Reviewed transcripts of testimonies with a redacted video whose subtitles the public
    # may not read: consent withdrawn, never consented, anonymity asked.
    "withdrawn_subtitle": "sntl-withdrawn-subtitle-h1",
    "unconsented_subtitle": "sntl-unconsented-subtitle-h2",
    "anonymous_subtitle": "sntl-anonymous-subtitle-h3",
}
#: What the published testimony's subtitles say: shown (the crawl reads the subtitles).
SUBTITLE_CANARY = "subtitle canary said aloud"
SOURCE_URL = "https://news.example.org/sntl-public-article"
STAFF_PATHS = ("/persons/", "/login/", "/admin/", "/desk/", "/testimonies/", "/media/", "/jobs/")
STAFF_PATHS += ("/duplicates/", "/accounts/", "/public/", "/search/", "/uploads/", "/mirrors/")


def seed(copy: int) -> dict[str, Any]:
    """One set of records with the sentinels (suffixed by `copy` where a name allows)."""
    from aigaq.media.services import media_ingest
    from aigaq.people.models import Source
    from aigaq.people.services import status_event_add
    from aigaq.testimonies.services import consent_withdraw, testimony_attach_media
    from tests.public.published_video import original, redacted_copy, video_of

    s = SENTINELS
    work = Path(tempfile.mkdtemp(prefix="aigaq-leak-"))

    def subtitled(testimony: Any, name: str, text: str) -> None:
        """A redacted video and a reviewed transcript saying `text`."""
        redacted_copy(video_of(testimony, tag=b"%s-%d" % (name.encode(), copy)), work)
        original(testimony, "kk", [f"{text} {copy}", text])

    shown = factories.person(
        f"Serik Ospanov{'uly' if copy else ''}",
        "Серік Оспанов",
        visibility="public",
        chinese_id=s["chinese_id"] if copy == 0 else "",
        biography="A teacher from Tekes.",
    )
    status_event_add(
        actor=None,
        person=shown,
        kind="detained",
        date_text="2018",
        source_text=s["event_source_text"],
        note=s["event_note"],
    )
    article = Source.objects.create(kind="article", title="Public article", url=SOURCE_URL)
    article.persons.add(shown)
    interview = Source.objects.create(kind="interview", title=s["interview_source"])
    interview.persons.add(shown)
    named = factories.testifier(
        "Aigul Sarsenqyzy",
        visibility="public",
        phone="+7" + s["phone"] if copy == 0 else "",
        email=s["email"] if copy == 0 else "",
        address=s["address"],
        id_document=s["id_document"],
    )
    published = factories.testimony(
        shown,
        testifier_obj=named,
        visibility="public",
        consent_public=True,
        consent_anonymous=False,
        status="recorded",
        summary="She told of his arrest.",
    )
    card = media_ingest(
        actor=None,
        fileobj=SimpleUploadedFile(s["idcard_file"], PNG + b"sntlbytes%d" % copy),
        original_name=s["idcard_file"],
        kind="id_card",
    )
    testimony_attach_media(actor=None, testimony=published, media=card, kind="id_card")
    subtitled(published, "published", SUBTITLE_CANARY)
    for status, summary, testifier, extra in (
        ("draft", s["draft_summary"], s["draft_testifier"], {}),
        ("retracted", s["retracted_summary"], s["retracted_testifier"], {}),
        (
            "recorded",
            s["unconsented_summary"],
            s["unconsented_testifier"],
            {"consent_public": False},
        ),
    ):
        made = factories.testimony(
            shown,
            testifier_obj=factories.testifier(f"{testifier} Qalievna", visibility="public"),
            visibility="public",
            consent_public=extra.get("consent_public", True),
            consent_anonymous=False,
            status=status,
            summary=summary,
        )
        if status == "recorded":
            subtitled(made, "unconsented", s["unconsented_subtitle"])
    factories.testimony(
        shown,
        visibility="internal",
        consent_public=True,
        status="recorded",
        summary=s["internal_testimony_summary"],
    )
    withdrawn = factories.testimony(
        shown,
        testifier_obj=factories.testifier(
            f"{s['withdrawn_testifier']} Bekova", visibility="public"
        ),
        visibility="public",
        consent_public=True,
        consent_anonymous=False,
        status="recorded",
        summary=s["withdrawn_summary"],
    )
    subtitled(withdrawn, "withdrawn", s["withdrawn_subtitle"])
    consent_withdraw(actor=None, testimony=withdrawn, reason=s["withdrawn_reason"])

    anonymous = factories.person(
        f"{s['anonymous_name']} Nurlanov", visibility="public", biography=s["anonymous_biography"]
    )
    asked_anonymity = factories.testimony(
        anonymous,
        testifier_obj=factories.testifier(
            f"{s['anonymous_testifier']} Asanova", visibility="public"
        ),
        visibility="public",
        consent_public=True,
        consent_anonymous=True,
        status="recorded",
    )
    subtitled(asked_anonymity, "anonymous", s["anonymous_subtitle"])
    factories.person(
        f"{s['internal_name']} Tursynov", visibility="internal", biography=s["internal_biography"]
    )
    factories.person(f"{s['restricted_name']} Omarov", visibility="restricted")
    unconsented = factories.person(f"{s['unconsented_name']} Aliev", visibility="public")
    factories.testimony(unconsented, visibility="public", consent_public=False, status="recorded")
    return {"shown": shown, "anonymous": anonymous, "card": card}


LINK = re.compile(r'(?:href|src|action)="([^"]*)"')


def links_of(text: str) -> list[str]:
    return [unescape(m) for m in LINK.findall(text)]


def check_text(where: str, text: str, extra: list[str]) -> list[str]:
    low = text.lower()
    return [f"{where}: {name}" for name, value in SENTINELS.items() if value.lower() in low] + [
        f"{where}: {value}" for value in extra if value.lower() in low
    ]


def check_links(where: str, text: str, allowed: set[str]) -> list[str]:
    problems = []
    for link in links_of(text):
        parts = urlsplit(link)
        elsewhere = parts.netloc not in ("testserver", "localhost")
        if parts.scheme in ("http", "https") and elsewhere and link not in allowed:
            problems.append(f"{where}: third-party {link}")
        if parts.scheme in ("javascript", "data") and not link.startswith("data:image"):
            problems.append(f"{where}: {link}")
        path = parts.path if not parts.scheme else ""
        if path.startswith(STAFF_PATHS) or any(
            f"/{p.strip('/')}/" in path for p in ("login", "admin")
        ):
            problems.append(f"{where}: staff address {link}")
    return problems


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_no_sentinel_reaches_any_public_page_file_or_the_static_edition(tmp_path: Path) -> None:
    worlds = [seed(0), seed(1)]
    extra = [w["card"].sha256 for w in worlds]
    allowed = {SOURCE_URL}
    problems: list[str] = []
    with override_settings(
        ROOT_URLCONF=settings.PUBLIC_URLCONF, MIDDLEWARE=settings.PUBLIC_MIDDLEWARE
    ):
        client = Client()
        start = [f"/{lang.code}/" for lang in PUBLIC_LANGUAGES]
        start += [
            "/sitemap.xml",
            "/data/entries.csv",
            "/data/entries.json",
            "/en/entries/?status=detained",
            "/en/entries/?gender=male&ethnicity=kazakh",
            "/ru/entries/?q=Сентинтерналбек",  # the internal entry's name in another script
            "/kk/entries/?q=Сентанонимбек",
            "/en/entries/?page=2",
        ]
        start += [f"/{lang.code}/feed.atom" for lang in PUBLIC_LANGUAGES]
        seen: set[str] = set()
        queue = deque(start)
        pages = 0
        canaries = 0  # what may be shown is shown: the check reads the right text
        subtitles = 0  # the published testimony's subtitles were read
        while queue and pages < 2000:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            r = client.get(url)
            pages += 1
            if r.status_code in (301, 302):
                queue.append(r["Location"])
                continue
            assert r.status_code == 200, (url, r.status_code)
            text = body(r)
            canaries += "she told of his arrest" in text.lower()
            subtitles += SUBTITLE_CANARY in text and "/files/subtitles/" in url
            problems += check_text(url, text, extra)
            kind = r.get("Content-Type", "")
            if "html" in kind:
                problems += check_links(url, text, allowed)
            if "html" in kind or "xml" in kind:
                for link in links_of(text) + re.findall(r"<loc>([^<]+)</loc>", text):
                    absolute = urlsplit(urljoin("http://testserver" + url, link))
                    if absolute.netloc == "testserver":
                        target = absolute.path + (f"?{absolute.query}" if absolute.query else "")
                        if target not in seen:
                            queue.append(target)
        crawled = {u.split("?")[0] for u in seen}
        for w in worlds:  # the crawl reached the entries, their documents, the static search
            number = w["shown"].entry_no
            for lang in PUBLIC_LANGUAGES:
                assert f"/{lang.code}/entries/{number}/" in crawled
            assert f"/data/entries/{number}.json" in crawled or "/data/entries.json" in crawled
        assert pages > 40 and canaries > 8 and subtitles == 2

    out = tmp_path / "static"
    summary = build(out)
    assert summary.entries == 4
    files = 0
    for path in out.rglob("*"):
        if not path.is_file():
            continue
        files += 1
        text = path.read_bytes().decode("utf-8", "replace")
        canaries += "she told of his arrest" in text.lower()
        subtitles += SUBTITLE_CANARY in text and path.suffix in (".vtt", ".js")
        problems += check_text(str(path.relative_to(out)), text, extra)
        if path.suffix == ".html":
            problems += check_links(str(path.relative_to(out)), text, allowed)
    assert files > 50 and canaries > 16 and subtitles == 2 + 4  # .vtt and .js of each
    assert not problems, "\n".join(sorted(set(problems))[:40])


def test_the_sentinel_seed_itself_is_readable_to_staff() -> None:
    """The crawl proves something only if the sentinels are really stored."""
    from aigaq.people.models import Person, StatusEvent
    from aigaq.testimonies.models import Testifier, Testimony

    seed(0)
    s = SENTINELS
    assert Person.objects.filter(chinese_id=s["chinese_id"]).exists()
    assert StatusEvent.objects.filter(
        note=s["event_note"], source_text=s["event_source_text"]
    ).exists()
    assert Testifier.objects.filter(id_document=s["id_document"], email=s["email"]).exists()
    assert (
        Testimony.objects.filter(summary=s["withdrawn_summary"])
        .exclude(consent_withdrawn_at=None)
        .exists()
    )
    assert Testimony.objects.filter(summary=s["draft_summary"], status="draft").exists()
    from aigaq.transcripts.models import Segment, Status

    for key in ("withdrawn_subtitle", "unconsented_subtitle", "anonymous_subtitle"):
        assert Segment.objects.filter(text=s[key], transcript__status=Status.REVIEWED).exists(), key
    assert timezone.now() > timezone.make_aware(dt.datetime(2020, 1, 1))
