"""A petition: one form filled for one person (or, where the form allows, several relatives),
and what happened to it after it left the office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel


class Petition(BaseModel):
    # The applicant's IIN, address and telephone are contacts: masked in the audit log.
    RESTRICTED_FIELDS = frozenset({"applicant"})

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNED = "signed", _("Signed")
        SENT = "sent", _("Sent")
        REGISTERED = "registered", _("Registered")
        ANSWERED = "answered", _("Answered")
        FOLLOW_UP = "follow_up", _("Follow-up due")
        CLOSED = "closed", _("Closed")

    class Channel(models.TextChoices):
        POST = "post", _("Post")
        PORTAL = "portal", _("E-government portal")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("In person")

    form = models.CharField(_("form"), max_length=60)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("person"),
    )
    # Every person the petition is about, the first one included (an appeal for relatives).
    persons = models.ManyToManyField(
        "people.Person", related_name="+", verbose_name=_("persons concerned")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # The applicant's own details as they go into the document (kz-mfa forms).
    applicant = models.JSONField(_("applicant"), default=dict, blank=True)
    # The other entries of the form (the substance as edited, the request, forces...).
    entries = models.JSONField(_("entries"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    registration_no = models.CharField(_("registration number"), max_length=100, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    # The answer's letter as scanned (PDF or image), kept in the encrypted media archive,
    # restricted (it is addressed to the applicant): services.petition_answer_attach.
    answer_scan = models.ForeignKey(
        "media.MediaFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scanned answer"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    next_action = models.CharField(_("next action"), max_length=300, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    generated_at = models.DateTimeField(_("last generated"), null=True, blank=True)
    generated_format = models.CharField(_("last generated as"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [
            # The coordinator's lists (selectors.coordinator_lists), each partial (only the
            # rows the list can hold) and in the list's whole order, so a list's first page is
            # the first entries of its index: overdue next actions, documents generated but
            # not signed, answers (read backwards, the latest first).
            models.Index(
                fields=["next_action_due", "created_at", "id"],
                name="petition_overdue",
                condition=Q(next_action_due__isnull=False) & ~Q(state="closed"),
            ),
            models.Index(
                fields=["generated_at", "id"],
                name="petition_unsigned_at",
                condition=Q(state="draft", generated_at__isnull=False),
            ),
            models.Index(
                fields=["answered_on", "id"],
                name="petition_answered_on",
                condition=Q(answered_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form} #{self.person.entry_no if self.person_id else '?'} ({self.state})"
