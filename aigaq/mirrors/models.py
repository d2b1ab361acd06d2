"""Mirrors: the places a testimony or a media file is published (YouTube, Odysee, Telegram...).

The archive is the master copy; a platform is a mirror that may be blocked or taken over. A
mirror names its testimony and/or its file; an imported video with neither is "published but
not in the archive", and one with `candidates` waits for a person to confirm the match."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel
from aigaq.core.validators import validate_web_url


class Mirror(BaseModel):
    class Platform(models.TextChoices):
        YOUTUBE = "youtube", _("YouTube")
        ODYSEE = "odysee", _("Odysee")
        TELEGRAM = "telegram", _("Telegram")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("not checked")
        ANSWERING = "answering", _("answering")
        GONE = "gone", _("gone")

    testimony = models.ForeignKey(
        "testimonies.Testimony",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mirrors",
        verbose_name=_("testimony"),
    )
    media = models.ForeignKey(
        "media.MediaFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mirrors",
        verbose_name=_("media file"),
    )
    platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, default=Platform.OTHER
    )
    url = models.CharField(_("web address"), max_length=1000, validators=[validate_web_url])
    title = models.CharField(_("title"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    external_id = models.CharField(_("platform's id"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=300, blank=True)
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_status = models.CharField(
        _("last status"), max_length=20, choices=Status.choices, default=Status.UNKNOWN
    )
    # For an imported video not linked yet: the testimonies it may be, for a person to confirm
    # ([{"number": 12, "score": 0.55, "reasons": ["number", "date"]}, ...]); empty once linked.
    candidates = models.JSONField(_("candidates"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-created_at"]
        verbose_name = _("mirror")
        verbose_name_plural = _("mirrors")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"],
                condition=~models.Q(external_id=""),
                name="mirror_unique_platform_id",
            ),
        ]
        indexes = [models.Index(fields=["url"], name="mirror_url")]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def in_archive(self) -> bool:
        return self.testimony_id is not None or self.media_id is not None
