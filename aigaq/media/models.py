from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length, Replace
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel
from aigaq.media.storage import SHA256_PATTERN

_HEX_DIGITS = "0123456789abcdef"


def _without_hex_digits(field: str) -> Any:
    """The field's text with every lowercase hexadecimal digit removed: an expression that
    SQLite and PostgreSQL both evaluate alike (no regular expression function needed)."""
    expr: Any = models.F(field)
    for digit in _HEX_DIGITS:
        expr = Replace(expr, models.Value(digit), models.Value(""))
    return expr


class MediaFile(BaseModel):
    """An original file, referenced by its SHA-256. The bytes are immutable once ingested;
    derived files (proxies, thumbnails, redacted copies) are renditions made later."""

    class Kind(models.TextChoices):
        VIDEO = "video", _("Video")
        AUDIO = "audio", _("Audio")
        PHOTO = "photo", _("Photo")
        ID_CARD = "id_card", _("ID card image")
        DOCUMENT = "document", _("Document")
        OTHER = "other", _("Other")

    #: Kinds restricted whatever record they belong to (disclosure.policy.media_restricted).
    RESTRICTED_KINDS = frozenset({Kind.ID_CARD})

    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        unique=True,
        validators=[
            RegexValidator(SHA256_PATTERN, _("A SHA-256 is 64 lowercase hexadecimal characters."))
        ],
    )
    size = models.BigIntegerField(_("size in bytes"))
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # Restricted in any of its uses (ID-card images and the like, whatever record they belong
    # to): the bytes are stored once, so a file restricted in one use is restricted in all.
    # Set by media services, never cleared; disclosure.policy.media_restricted also reads the
    # uses themselves (TestimonyMedia).
    restricted = models.BooleanField(_("restricted"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What ffprobe (video, audio) or Pillow (images) found at ingest (aigaq.media.probe).
    # Text fields have a database default: rows written without them (older code, a
    # migration's historical model) stay valid.
    duration = models.FloatField(_("duration in seconds"), null=True, blank=True)
    video_codec = models.CharField(
        _("video codec"), max_length=40, blank=True, default="", db_default=""
    )
    audio_codec = models.CharField(
        _("audio codec"), max_length=40, blank=True, default="", db_default=""
    )
    width = models.PositiveIntegerField(_("width in pixels"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height in pixels"), null=True, blank=True)
    # The recording time the file itself states (its container's creation time), if any.
    recorded_at = models.DateTimeField(_("recorded at (from the file)"), null=True, blank=True)
    container = models.CharField(
        _("file format"), max_length=60, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        constraints = [
            # 64 characters, all of them 0-9 or a-f: a hash that can never become a path
            # outside the store (storage.path_for refuses anything else, too).
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64)
                & Exact(_without_hex_digits("sha256"), models.Value("")),
                name="media_sha256_is_hex64",
                violation_error_message=_("A SHA-256 is 64 lowercase hexadecimal characters."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.original_name or self.kind} ({self.sha256[:12]})"

    @property
    def relative_path(self) -> str:
        return f"{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"


class Rendition(BaseModel):
    """A file derived from an original: a web proxy, a thumbnail strip, a redacted copy...
    Sealed like the originals (aigaq.media.renditions); the original is never modified. The
    public site, exports and publication packages use a redacted rendition, never the
    original, when one exists."""

    class Kind(models.TextChoices):
        PROXY = "proxy", _("Web playback copy")
        THUMBNAILS = "thumbnails", _("Thumbnail strip")
        POSTER = "poster", _("Poster image")
        REDACTED = "redacted", _("Redacted copy")
        AUDIO_ONLY = "audio_only", _("Audio-only copy")
        ANONYMISED = "anonymised", _("Anonymised copy (faces blurred, voice changed)")

    media = models.ForeignKey(
        MediaFile, on_delete=models.CASCADE, related_name="renditions", verbose_name=_("original")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # SHA-256 of the rendition's plaintext (its fixity), and its size in bytes.
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        validators=[
            RegexValidator(SHA256_PATTERN, _("A SHA-256 is 64 lowercase hexadecimal characters."))
        ],
    )
    size = models.BigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    # How it was made (for a redacted copy: the regions and the filter), to make it again.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        ordering = ["media", "kind", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(Length("sha256"), 64)
                & Exact(_without_hex_digits("sha256"), models.Value("")),
                name="rendition_sha256_is_hex64",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.media}"


class RedactionPlan(BaseModel):
    """What to hide in one video before it is published (aigaq.media.redaction): rectangles
    over time ranges, each blurred or blacked out. `regions` are what a person drew or
    accepted; `suggestions` are what the detectors found (faces, card-like text) and wait for
    a person to accept or reject them: never applied by themselves. One plan per original;
    the rendered copy is a REDACTED rendition made from it, the original never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RENDERING = "rendering", _("Rendering")
        RENDERED = "rendered", _("Rendered")
        FAILED = "failed", _("Rendering failed")

    media = models.OneToOneField(
        MediaFile,
        on_delete=models.CASCADE,
        related_name="redaction_plan",
        verbose_name=_("original"),
    )
    # [{"x", "y", "w", "h": fractions of the frame, "start", "end": seconds, "effect":
    # "blur" | "black"}], checked by redaction.regions_clean before they are saved.
    regions = models.JSONField(_("regions"), default=list, blank=True)
    # The same shape plus "source" (face | text) and "label"; a person accepts or rejects each.
    suggestions = models.JSONField(_("suggestions"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    rendition = models.ForeignKey(
        Rendition,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("redacted copy"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("redaction plan")
        verbose_name_plural = _("redaction plans")

    def __str__(self) -> str:
        return f"Redaction plan of {self.media}"
