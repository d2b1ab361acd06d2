"""Where backups go: each destination is a restic repository (docs/backup.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class BackupDestination(BaseModel):
    """A restic repository the backups are sent to, configured once by name: a folder or a
    USB disk, `sftp:user@host:/path`, `rest:http://...`, `s3:...` (restic's own forms). The
    repository's password is not stored: it is derived from the database key (docs/backup.md).
    """

    name = models.SlugField(_("name"), max_length=50, unique=True)
    url = models.CharField(_("repository"), max_length=500)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_ok_at = models.DateTimeField(_("last good backup"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_snapshot = models.CharField(_("last snapshot"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("backup destination")
        verbose_name_plural = _("backup destinations")

    def __str__(self) -> str:
        return self.name
