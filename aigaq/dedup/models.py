"""Duplicate candidates, "not the same person" decisions, merges (with what moved, for undo).
Spreadsheet import runs are transfer's (aigaq.transfer.models.ImportRun)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class Candidate(BaseModel):
    """Two live entries that look like one person. Pairs are stored with a.pk < b.pk (as text),
    so a pair has one row whichever way round it was found."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        MERGED = "merged", _("Merged")
        NOT_SAME = "not_same", _("Not the same person")

    a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"), db_index=True)
    reasons: models.JSONField[Any, Any] = models.JSONField(_("reasons"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    source = models.CharField(_("found by"), max_length=20, default="scan")

    class Meta:
        ordering = ["-score", "created_at"]
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        constraints = [models.UniqueConstraint(fields=["a", "b"], name="uniq_candidate_pair")]

    def __str__(self) -> str:
        return f"{self.a_id} ~ {self.b_id} ({self.score:.2f})"


class NotSame(BaseModel):
    """A curator's decision that two entries are different people: never proposed again."""

    a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("not the same person")
        verbose_name_plural = _("not the same person")
        constraints = [models.UniqueConstraint(fields=["a", "b"], name="uniq_notsame_pair")]

    def __str__(self) -> str:
        return f"{self.a_id} ≠ {self.b_id}"


class Merge(BaseModel):
    """One merge: the retired entry folded into the survivor. `moved` holds the ids of every
    row that moved and the field values filled in, so the merge can be undone exactly."""

    survivor = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    retired = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved: models.JSONField[Any, Any] = models.JSONField(default=dict)
    survivor_version_after = models.PositiveIntegerField(default=0)
    retired_version_after = models.PositiveIntegerField(default=0)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.retired_id} → {self.survivor_id}"
