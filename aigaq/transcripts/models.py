"""Transcripts of testimonies and their translations, segment by segment.

A testimony has at most one transcript per language: the original (what was said, in the
language it was said in) and translations of it. A translation keeps the transcript's segments:
each of its segments points at the segment of the original it translates and carries the hash
of that segment's text and timing when it was translated, so a change to the original marks the
translation's segment *stale* instead of leaving it silently wrong.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel
from aigaq.core.validators import LINE_MAX, NOTE_MAX, TEXT_MAX, TextLimit


class Status(models.TextChoices):
    """How far a transcript, a translation or one segment of either has come."""

    TODO = "todo", _("To do")
    MACHINE_DRAFT = "machine_draft", _("Machine draft")
    HUMAN_DRAFT = "human_draft", _("Human draft")
    REVIEWED = "reviewed", _("Reviewed")


class Speaker(models.TextChoices):
    INTERVIEWER = "interviewer", _("Interviewer")
    TESTIFIER = "testifier", _("Testifier")
    OTHER = "other", _("Other")


class Transcript(BaseModel):
    """The transcript of a testimony in one language (kind original), or a translation of it.

    `version` counts changes of its content (segments added, removed, split or joined, its
    status); claiming it or raising its priority does not move it, so an open editor is not
    refused because a coordinator raised the priority meanwhile."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Transcript")
        TRANSLATION = "translation", _("Translation")

    testimony = models.ForeignKey(
        "testimonies.Testimony",
        on_delete=models.PROTECT,
        related_name="transcripts",
        verbose_name=_("testimony"),
    )
    language = models.CharField(_("language"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORIGINAL)
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        verbose_name=_("translated from"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TODO
    )
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("translator"),
    )
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    #: Higher first in the translators' queue; a coordinator raises it (a petition deadline,
    #: a press request).
    priority = models.IntegerField(_("priority"), default=0)
    #: The title and the description a publication in this language carries.
    title = models.CharField(
        _("title"), max_length=LINE_MAX, blank=True, validators=[TextLimit(LINE_MAX)]
    )
    description = models.TextField(_("description"), blank=True, validators=[TextLimit(NOTE_MAX)])

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        ordering = ["testimony", "kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["testimony", "language"], name="transcripts_one_per_language"
            ),
            models.UniqueConstraint(
                fields=["testimony"],
                condition=Q(kind="original"),
                name="transcripts_one_original",
            ),
            models.CheckConstraint(
                condition=(Q(kind="original") & Q(source__isnull=True))
                | (Q(kind="translation") & Q(source__isnull=False)),
                name="transcripts_translation_has_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["language", "status", "-priority", "created_at"],
                name="transcripts_queue",
            ),
            # The translators' queue in its order, work not yet submitted only: the first page
            # is read from it without sorting every waiting transcript.
            models.Index(
                fields=["language", "-priority", "created_at"],
                condition=models.Q(submitted_at__isnull=True),
                name="transcripts_queue_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"T{self.testimony.number} {self.language} ({self.get_kind_display()})"

    @property
    def is_translation(self) -> bool:
        return self.kind == self.Kind.TRANSLATION


def source_hash(start_ms: int, end_ms: int, text: str) -> str:
    """The fingerprint of a segment of the original: a translation made from it records this,
    and is stale when the segment no longer has it."""
    return hashlib.sha256(f"{start_ms}\x1f{end_ms}\x1f{text}".encode()).hexdigest()


class Segment(models.Model):
    """One timed piece of a transcript or translation.

    An integer key (the full-text index, an FTS5 table on SQLite, refers to rows by it): a
    segment is a part of its transcript and crosses instances with it (transcript UUID and
    position), like the search app's derived rows. `version` is the segment's own, for
    optimistic locking of one segment's edit."""

    id = models.BigAutoField(primary_key=True)
    transcript = models.ForeignKey(
        Transcript, on_delete=models.CASCADE, related_name="segments", verbose_name=_("transcript")
    )
    position = models.PositiveIntegerField(_("position"))
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"))
    speaker = models.CharField(
        _("speaker"), max_length=20, choices=Speaker.choices, default=Speaker.TESTIFIER
    )
    text = models.TextField(_("text"), blank=True, validators=[TextLimit(TEXT_MAX)])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TODO
    )
    #: For a translation's segment: the segment of the original it translates, and the
    #: fingerprint (`source_hash`) that segment had when it was translated.
    source = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translated_as",
        verbose_name=_("translates"),
    )
    source_hash = models.CharField(max_length=64, blank=True)
    stale = models.BooleanField(_("original changed since"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("segment")
        verbose_name_plural = _("segments")
        ordering = ["transcript", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_ms__gt=models.F("start_ms")), name="transcripts_segment_end_after"
            ),
        ]
        indexes = [
            models.Index(fields=["transcript", "position"], name="transcripts_segment_order"),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {fmt_ms(self.start_ms)}–{fmt_ms(self.end_ms)}"

    @property
    def fingerprint(self) -> str:
        return source_hash(self.start_ms, self.end_ms, self.text)


def fmt_ms(ms: int) -> str:
    """00:01:02.345"""
    s, milli = divmod(int(ms), 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{h:02d}:{m:02d}:{s:02d}.{milli:03d}"


class GlossaryTerm(BaseModel):
    """A word that recurs, and how it is translated between two languages (re-education camp,
    qandas, county names from the gazetteer), shown beside the segment being translated."""

    source_language = models.CharField(_("from"), max_length=20)
    target_language = models.CharField(_("into"), max_length=20)
    term = models.CharField(_("term"), max_length=LINE_MAX, validators=[TextLimit(LINE_MAX)])
    translation = models.CharField(
        _("translation"), max_length=LINE_MAX, validators=[TextLimit(LINE_MAX)]
    )
    note = models.CharField(
        _("note"), max_length=NOTE_MAX, blank=True, validators=[TextLimit(NOTE_MAX)]
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["source_language", "target_language", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_language", "target_language", "term"],
                name="transcripts_glossary_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.translation}"


class Mention(BaseModel):
    """A name or a place said in a segment, linked to the person's or the place's record, so a
    curator sees every testimony that mentions a person. `start`/`end` are character offsets
    into the segment's text; `text` is what they covered when the mention was made."""

    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("segment")
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transcript_mentions",
        verbose_name=_("person"),
    )
    place = models.ForeignKey(
        "people.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transcript_mentions",
        verbose_name=_("place"),
    )
    start = models.PositiveIntegerField(_("from character"))
    end = models.PositiveIntegerField(_("to character"))
    text = models.CharField(_("words"), max_length=LINE_MAX)

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(place__isnull=True))
                | (Q(person__isnull=True) & Q(place__isnull=False)),
                name="transcripts_mention_one_target",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="transcripts_mention_span"
            ),
        ]

    def __str__(self) -> str:
        return self.text
