"""Which testimony a published video is: scored clues, never a silent guess.

Clues, each worth a share of the score (0 to 1):
- the testimony's number written in the title or description ("T12", Cyrillic "Т12");
- an entry number ("#345", "№345") of a person the testimony concerns;
- the testifier's name, or the name of a person the testimony concerns (two words or more);
- the upload date on or after the recording (a video published before it was recorded is
  not that recording: a penalty);
- the video's duration against the testimony's media files (when the archive knows one).

A video is linked only when its best testimony scores at least LINK_SCORE and clearly ahead of
the next (LINK_MARGIN); otherwise every testimony scoring CANDIDATE_SCORE or more is offered to
a person to confirm, and a video with none is "published but not in the archive"."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aigaq.mirrors.ytdlp import PublishedVideo

LINK_SCORE = 0.6
LINK_MARGIN = 0.2
CANDIDATE_SCORE = 0.25
MAX_CANDIDATES = 5
WEIGHTS = {
    "number": 0.6,
    "entry": 0.3,
    "testifier": 0.35,
    "person": 0.25,
    "date": 0.1,
    "date_before": -0.4,
    "duration": 0.3,
    "duration_differs": -0.2,
}
DATE_WINDOW_DAYS = 120
MAX_NAME_WORDS = 6

_NUMBER = re.compile(r"(?<![\w])[TТtт]\s?-?\s?(\d{1,7})(?!\d)")
_ENTRY = re.compile(r"(?:№|#|\bNo\.?)\s?(\d{1,9})(?!\d)", re.IGNORECASE)


def words(text: str) -> tuple[str, ...]:
    """Casefolded words, accents kept, punctuation dropped: how names are compared."""
    text = unicodedata.normalize("NFC", text or "").casefold()
    return tuple(re.findall(r"\w+", text))


def duration_agrees(a: float, b: float) -> bool:
    return abs(a - b) <= max(2.0, 0.01 * max(a, b))


@dataclass
class TestimonyFacts:
    pk: Any
    number: int
    recorded_on: dt.date | None
    durations: list[float] = field(default_factory=list)
    media_by_duration: list[tuple[float, Any]] = field(default_factory=list)


@dataclass
class Archive:
    """What matching needs of the archive, read once per import."""

    testimonies: dict[int, TestimonyFacts] = field(default_factory=dict)
    by_entry: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_testifier_name: dict[tuple[str, ...], set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )
    by_person_name: dict[tuple[str, ...], set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )

    def add_name(self, index: dict[tuple[str, ...], set[int]], name: str, number: int) -> None:
        key = words(name)
        if 2 <= len(key) <= MAX_NAME_WORDS:
            index[key].add(number)


@dataclass(frozen=True)
class Candidate:
    number: int
    score: float
    reasons: tuple[str, ...]
    media_pk: Any = None

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "score": round(self.score, 2), "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Verdict:
    linked: Candidate | None
    candidates: tuple[Candidate, ...]


def _ngrams(tokens: tuple[str, ...]) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for n in range(2, MAX_NAME_WORDS + 1):
        for i in range(len(tokens) - n + 1):
            out.add(tokens[i : i + n])
    return out


def _score(video: PublishedVideo, facts: TestimonyFacts, reasons: set[str]) -> Candidate:
    reasons = set(reasons)
    media_pk = None
    if video.published_on and facts.recorded_on:
        delta = (video.published_on - facts.recorded_on).days
        if delta < 0:
            reasons.add("date_before")
        elif delta <= DATE_WINDOW_DAYS:
            reasons.add("date")
    if video.duration and facts.durations:
        agreeing = [pk for d, pk in facts.media_by_duration if duration_agrees(d, video.duration)]
        if agreeing:
            reasons.add("duration")
            media_pk = agreeing[0] if len(agreeing) == 1 else None
        else:
            reasons.add("duration_differs")
    score = max(0.0, min(1.0, sum(WEIGHTS[r] for r in reasons)))
    return Candidate(facts.number, score, tuple(sorted(reasons)), media_pk)


def match(video: PublishedVideo, archive: Archive) -> Verdict:
    text = f"{video.title}\n{video.description}"
    clues: dict[int, set[str]] = defaultdict(set)
    for m in _NUMBER.finditer(text):
        number = int(m.group(1))
        if number in archive.testimonies:
            clues[number].add("number")
    for m in _ENTRY.finditer(text):
        for number in archive.by_entry.get(int(m.group(1)), ()):
            clues[number].add("entry")
    grams = _ngrams(words(text))
    for gram in grams:
        for number in archive.by_testifier_name.get(gram, ()):
            clues[number].add("testifier")
        for number in archive.by_person_name.get(gram, ()):
            clues[number].add("person")
    if not clues and video.duration:
        # No word names a testimony: the duration alone may offer some, never link them
        # (it scores below LINK_SCORE even with the date).
        for number, facts in archive.testimonies.items():
            if any(duration_agrees(d, video.duration) for d in facts.durations):
                clues[number] = set()
    scored = sorted(
        (_score(video, archive.testimonies[n], r) for n, r in clues.items()),
        key=lambda c: (-c.score, c.number),
    )
    shortlist = tuple(c for c in scored if c.score >= CANDIDATE_SCORE)[:MAX_CANDIDATES]
    if shortlist and shortlist[0].score >= LINK_SCORE:
        best = shortlist[0]
        runner = shortlist[1].score if len(shortlist) > 1 else 0.0
        if best.score - runner >= LINK_MARGIN:
            return Verdict(best, ())
    return Verdict(None, shortlist)
