"""Testifiers (the relatives who speak), testimonies, who they concern, and consent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel, Visibility
from aigaq.core.sequences import sequence_allocate
from aigaq.core.validators import (
    NOTE_MAX,
    SUMMARY_MAX,
    TextLimit,
    validate_not_future,
    validate_web_urls,
)
from aigaq.media.models import MediaFile


class Relationship(models.TextChoices):
    SELF = "self", _("Self (the victim testifies)")
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    HUSBAND = "husband", _("Husband")
    WIFE = "wife", _("Wife")
    UNCLE = "uncle", _("Uncle")
    AUNT = "aunt", _("Aunt")
    NEPHEW = "nephew", _("Nephew")
    NIECE = "niece", _("Niece")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    IN_LAW = "in_law", _("In-law")
    COUSIN = "cousin", _("Cousin")
    NEIGHBOUR = "neighbour", _("Neighbour")
    OTHER = "other", _("Other")


class Testifier(BaseModel):
    """The person who speaks. Contact details are always restricted."""

    RESTRICTED_FIELDS = frozenset({"phone", "address", "email", "id_document"})

    full_name = models.CharField(_("full name"), max_length=300)
    other_names = models.CharField(_("other spellings"), max_length=500, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    citizenship = models.CharField(_("citizenship"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.TextField(_("address"), blank=True, validators=[TextLimit(NOTE_MAX)])
    id_document = models.CharField(_("ID document number"), max_length=60, blank=True)
    # When the victim testifies after release, the testifier is that person.
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="as_testifier",
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.RESTRICTED
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("testifier")
        verbose_name_plural = _("testifiers")
        indexes = [models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return self.full_name


NUMBER_SEQUENCE = "testimony.number"


class Testimony(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RECORDED = "recorded", _("Recorded")
        RETRACTED = "retracted", _("Retracted")

    class Location(models.TextChoices):
        OFFICE = "office", _("Office")
        FIELD = "field", _("Field trip")
        REMOTE = "remote", _("Remote")

    # A number a volunteer can say aloud or write on a label, never reused (like entry numbers):
    # allocated on first save from the "testimony.number" sequence (core.sequences).
    number = models.PositiveIntegerField(_("testimony number"), unique=True, editable=False)
    testifier = models.ForeignKey(
        Testifier, on_delete=models.PROTECT, related_name="testimonies", verbose_name=_("testifier")
    )
    recorded_on = models.DateField(_("recorded on"), validators=[validate_not_future])
    location = models.CharField(
        _("recorded at"), max_length=20, choices=Location.choices, default=Location.OFFICE
    )
    place = models.ForeignKey(
        "people.Place",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("place recorded"),
    )
    field_trip = models.ForeignKey(
        "intake.FieldTrip",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="testimonies",
        verbose_name=_("field trip"),
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interviews",
        verbose_name=_("interviewer"),
    )
    language = models.CharField(_("language"), max_length=20, default="kk")
    summary = models.TextField(_("summary"), blank=True, validators=[TextLimit(SUMMARY_MAX)])
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECORDED
    )
    retraction_reason = models.TextField(
        _("reason for retraction"), blank=True, validators=[TextLimit(NOTE_MAX)]
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    # Consent, per use. Withdrawal overrides all of them at once (see disclosure.policy).
    consent_public = models.BooleanField(_("may be published"), default=False)
    consent_press = models.BooleanField(_("may be shown to the press"), default=False)
    consent_petitions = models.BooleanField(_("may be used in petitions"), default=False)
    consent_anonymous = models.BooleanField(_("anonymous (initials only in public)"), default=True)
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn"), null=True, blank=True)
    consent_withdrawn_reason = models.TextField(
        _("reason given"), blank=True, validators=[TextLimit(NOTE_MAX)]
    )
    published_urls = models.JSONField(
        _("published at"), default=list, blank=True, validators=[validate_web_urls]
    )
    media: models.ManyToManyField[MediaFile, TestimonyMedia] = models.ManyToManyField(
        MediaFile,
        blank=True,
        through="TestimonyMedia",
        related_name="testimonies",
        verbose_name=_("media files"),
    )

    class Meta:
        ordering = ["-recorded_on", "-created_at"]
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")

    def __str__(self) -> str:
        return f"T{self.number} — {self.recorded_on:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """How the testimony is named aloud, on labels and in spreadsheets: "T12"."""
        return f"T{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.number is None:
            self.number = sequence_allocate(NUMBER_SEQUENCE)
        super().save(*args, **kwargs)


class TestimonyMedia(models.Model):
    """A file attached to a testimony, and what it is there (its use). The bytes are stored
    once per hash, so the same file can be a person's photo elsewhere and this testifier's ID
    card here: restriction follows the use as well as the bytes, and a file restricted in any
    of its uses is restricted everywhere (disclosure.policy.media_restricted)."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey(
        "media.MediaFile", on_delete=models.PROTECT, related_name="testimony_links"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MediaFile.Kind.choices, default=MediaFile.Kind.OTHER
    )
    restricted = models.BooleanField(_("restricted"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("testimony file")
        verbose_name_plural = _("testimony files")
        constraints = [
            models.UniqueConstraint(fields=["testimony", "media"], name="uniq_testimony_media")
        ]

    def __str__(self) -> str:
        return f"{self.testimony_id} → {self.media_id} ({self.kind})"

    @property
    def restricted_use(self) -> bool:
        return self.restricted or self.kind in MediaFile.RESTRICTED_KINDS


class TestimonyPerson(BaseModel):
    """A person a testimony concerns, and how the testifier is related to them."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="relations")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="testimony_links"
    )
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["testimony", "person"], name="uniq_testimony_person")
        ]

    def __str__(self) -> str:
        return f"{self.testimony_id} → {self.person_id} ({self.relationship})"
