"""Keeping families informed and the press desk: who to call about a case and how (a
testifier's consent to be contacted, the messenger and the number: restricted), every contact
made, reporters' requests and the introductions made for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel
from aigaq.core.validators import NOTE_MAX, TEXT_MAX, TextLimit


class CaseContact(BaseModel):
    """A testifier to keep informed about a person's case, with their consent and how."""

    # The number or handle reaches the family: restricted, masked in the audit log.
    RESTRICTED_FIELDS = frozenset({"handle"})

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TELEGRAM = "telegram", _("Telegram")
        VISIT = "visit", _("Visit")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="case_contacts"
    )
    testifier = models.ForeignKey(
        "testimonies.Testifier",
        on_delete=models.PROTECT,
        related_name="case_contacts",
        verbose_name=_("testifier"),
    )
    consent = models.BooleanField(_("agreed to be contacted"), default=False)
    consent_on = models.DateField(_("agreed on"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=20, choices=Method.choices, default=Method.PHONE)
    handle = models.CharField(_("number or handle"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[TextLimit(NOTE_MAX)])
    next_contact_due = models.DateField(_("next contact due"), null=True, blank=True)

    class Meta:
        ordering = ["next_contact_due", "created_at"]
        verbose_name = _("family contact")
        verbose_name_plural = _("family contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "testifier"], name="casework_one_contact_per_case"
            )
        ]
        indexes = [
            # "Families to call this week" (selectors.families_to_call): read in this order,
            # only the contacts that have a next contact due.
            models.Index(
                fields=["next_contact_due", "created_at", "id"],
                name="casework_contact_due_order",
                condition=Q(next_contact_due__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} #{self.person.entry_no if self.person_id else '?'}"


class ContactLog(BaseModel):
    """One contact with a family: a call, a message, a visit; what was said."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MESSAGE = "message", _("Message")
        VISIT = "visit", _("Visit")

    contact = models.ForeignKey(CaseContact, on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    said = models.TextField(_("what was said"), validators=[TextLimit(TEXT_MAX)])
    next_contact_due = models.DateField(_("next contact due"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class PressRequest(BaseModel):
    """A reporter's request for a case to write about."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    reporter = models.CharField(_("reporter"), max_length=200)
    outlet = models.CharField(_("outlet"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    language = models.CharField(_("language"), max_length=60, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    wanted = models.TextField(
        _("kind of case wanted"), blank=True, validators=[TextLimit(NOTE_MAX)]
    )
    # The search filters that find matching cases (place code, status, ethnicity, tag).
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "-created_at"]
        verbose_name = _("press request")
        verbose_name_plural = _("press requests")

    def __str__(self) -> str:
        return f"{self.reporter} ({self.outlet})"


class Introduction(BaseModel):
    """A reporter introduced to a testifier: when, by whom, and with whose agreement."""

    request = models.ForeignKey(
        PressRequest, on_delete=models.PROTECT, related_name="introductions"
    )
    testifier = models.ForeignKey(
        "testimonies.Testifier", on_delete=models.PROTECT, related_name="+"
    )
    # The testimony whose press consent allowed the introduction.
    testimony = models.ForeignKey(
        "testimonies.Testimony", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    agreement = models.TextField(_("with whose agreement"), validators=[TextLimit(NOTE_MAX)])

    class Meta:
        ordering = ["-at"]
        verbose_name = _("introduction")
        verbose_name_plural = _("introductions")
        constraints = [
            models.UniqueConstraint(
                fields=["request", "testifier"], name="casework_one_introduction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.testifier_id}"
