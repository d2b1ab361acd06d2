"""The staff interface's own state: resumable uploads in progress (aigaq/staff/uploads.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class Upload(BaseModel):
    """A resumable (tus) upload not finished yet. Its bytes are sealed part files under
    MEDIA_ROOT/uploads/<id>/, one per PATCH received; the row and the parts go once the file is
    in the archive, when the upload is ended, or when it expires unfinished."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    testimony = models.ForeignKey(
        "testimonies.Testimony", on_delete=models.CASCADE, related_name="+"
    )
    length = models.BigIntegerField(_("size in bytes"))
    offset = models.BigIntegerField(_("bytes received"), default=0)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=20, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("upload in progress")
        verbose_name_plural = _("uploads in progress")
        indexes = [models.Index(fields=["expires_at"], name="staff_upload_expires")]
