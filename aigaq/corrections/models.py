"""What visitors of the public site send: a correction to an entry, or what they know of a
person not in the database. Stored for curators to review (`/corrections/`), never
published. The contact a visitor gives is restricted data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel
from aigaq.core.validators import LINE_MAX, NOTE_MAX, TextLimit

#: What a visitor may write: a few paragraphs.
MESSAGE_MAX = 5000


class Submission(BaseModel):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        REVIEWED = "reviewed", _("Reviewed")
        REJECTED = "rejected", _("Rejected")

    #: Shown only to readers with restricted.read (disclosure.policy), masked in the audit log.
    RESTRICTED_FIELDS = frozenset({"contact"})

    entry_no = models.PositiveIntegerField(_("entry number"), null=True, blank=True)
    message = models.TextField(
        _("what is wrong, or what you know"), validators=[TextLimit(MESSAGE_MAX)]
    )
    contact = models.CharField(
        _("contact"), max_length=LINE_MAX, blank=True, validators=[TextLimit(LINE_MAX)]
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(
        _("curator's note"), max_length=NOTE_MAX, blank=True, validators=[TextLimit(NOTE_MAX)]
    )
    #: A keyed hash of the sender's address (never the address): how many a client sent in
    #: the last hour (the rate limit).
    client_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(fields=["client_key", "created_at"], name="corrections_client_recent"),
            models.Index(fields=["status", "created_at"], name="corrections_status"),
        ]

    def __str__(self) -> str:
        if self.entry_no:
            return str(_("Submission about entry #%(n)s") % {"n": self.entry_no})
        return str(_("Submission of %(d)s") % {"d": self.created_at.date().isoformat()})
