"""The intake desk (visits, rooms) and field trips."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class FieldTrip(BaseModel):
    """A trip to a village or town to record testimonies, with its team."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_WAY = "under_way", _("Under way")
        RETURNED = "returned", _("Returned")
        MERGED = "merged", _("Merged back")

    name = models.CharField(_("name"), max_length=200)
    place = models.ForeignKey(
        "people.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place"),
    )
    place_label = models.CharField(_("where (as written)"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="field_trips", verbose_name=_("team")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("field trip")
        verbose_name_plural = _("field trips")

    def __str__(self) -> str:
        return self.name
