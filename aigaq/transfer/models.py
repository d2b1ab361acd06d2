"""Field bundles: which bundles this instance made and received, and edits made on both sides
that wait for a person to choose (look-alike persons a bundle brings go to the duplicates
queue, dedup.Candidate); spreadsheet import runs."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class Instance(models.Model):
    """This installation's identity (one row). Bundles name the instance that made them and,
    for a return bundle, the instance it must go back to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return str(self.id)


class Bundle(BaseModel):
    """A field bundle this instance wrote (SENT) or merged (RECEIVED). `bundle_id` comes from
    the bundle's manifest, the same on both sides, so a bundle imported twice is recognised."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Exported")
        RECEIVED = "received", _("Imported")

    class Kind(models.TextChoices):
        TRIP = "trip", _("For a field trip")
        RETURN = "return", _("Back from a field trip")

    bundle_id = models.UUIDField(_("bundle"), db_index=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    trip_id = models.UUIDField(_("field trip"), db_index=True)
    trip_name = models.CharField(_("field trip"), max_length=200, blank=True)
    source_instance = models.UUIDField(_("made by instance"))
    bundle_created_at = models.DateTimeField(_("bundle made"))
    # For a received trip bundle: the version of each record as it arrived (the base a return
    # bundle is compared against) and references to records that were left at the office.
    base_versions: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    held_refs: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    counts: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    summary: models.JSONField[Any, Any] = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("field bundle")
        constraints = [
            models.UniqueConstraint(fields=["bundle_id", "direction"], name="uniq_bundle_direction")
        ]
        verbose_name_plural = _("field bundles")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.trip_name} ({timezone.localtime(self.bundle_created_at):%Y-%m-%d})"


class Conflict(BaseModel):
    """The same record changed at the office and on the trip since the trip bundle was made.
    Neither side is overwritten until someone chooses."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT_OFFICE = "kept_office", _("Office version kept")
        TOOK_FIELD = "took_field", _("Field version taken")

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="conflicts")
    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.UUIDField(_("record"), db_index=True)
    record_label = models.CharField(max_length=300, blank=True)
    office_version = models.PositiveIntegerField()
    office_snapshot: models.JSONField[Any, Any] = models.JSONField(default=dict)
    field_snapshot: models.JSONField[Any, Any] = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} ({self.status})"


class ImportRun(BaseModel):
    """One spreadsheet import (or dry run): who, which file, what came of it."""

    file_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(max_length=64, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    rows = models.PositiveIntegerField(default=0)
    created_persons = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(_("flagged as possible duplicates"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return self.file_name
