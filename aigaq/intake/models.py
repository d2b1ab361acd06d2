"""The intake desk (visits, rooms) and field trips."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aigaq.core.models import BaseModel
from aigaq.core.validators import NOTE_MAX, TextLimit


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
    notes = models.TextField(_("notes"), blank=True, validators=[TextLimit(NOTE_MAX)])

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("field trip")
        verbose_name_plural = _("field trips")

    def __str__(self) -> str:
        return self.name


#: The languages a visitor may speak, as the desk offers them (code, name).
VISIT_LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ug", _("Uyghur")),
    ("ky", _("Kyrgyz")),
    ("ru", _("Russian")),
    ("zh", _("Chinese")),
    ("uz", _("Uzbek")),
    ("tr", _("Turkish")),
    ("en", _("English")),
    ("other", _("Other")),
]


class Room(BaseModel):
    """A room where testimonies are recorded. The position is the key pressed on the board."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("key on the board"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class Visit(BaseModel):
    """One person who came to the desk (or to a field trip's table): who, why, where they were
    sent, and what came of it."""

    RESTRICTED_FIELDS = frozenset({"phone"})

    class Reason(models.TextChoices):
        # The first letters differ, so a volunteer can pick one with a single key.
        TESTIMONY = "testimony", _("Testimony about relatives")
        PETITION = "petition", _("Petition help")
        FOLLOW_UP = "follow_up", _("Follow-up")
        MEDIA = "press", _("Media / press interview")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        IN_ROOM = "in_room", _("In a room")
        DONE = "done", _("Done")
        LEFT = "left", _("Left without being seen")

    day = models.DateField(_("day"), db_index=True)
    ticket = models.PositiveIntegerField(_("ticket number"))
    visitor_name = models.CharField(_("visitor's name"), max_length=300)
    name_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    phone = models.CharField(_("phone"), max_length=50, blank=True, db_index=True)
    reason = models.CharField(
        _("reason for coming"), max_length=20, choices=Reason.choices, default=Reason.TESTIMONY
    )
    relatives = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="intake_visits",
        verbose_name=_("relatives concerned (already recorded)"),
    )
    new_relatives = models.JSONField(
        _("relatives concerned (not yet recorded)"), default=list, blank=True
    )
    language = models.CharField(_("language spoken"), max_length=20, default="kk")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("room"),
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_visits",
        verbose_name=_("interviewer"),
    )
    arrived_at = models.DateTimeField(_("arrived"))
    called_at = models.DateTimeField(_("sent to a room"), null=True, blank=True)
    started_at = models.DateTimeField(_("interview started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    testifier = models.ForeignKey(
        "testimonies.Testifier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("testifier"),
    )
    testimony = models.ForeignKey(
        "testimonies.Testimony",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("testimony recorded"),
    )
    field_trip = models.ForeignKey(
        FieldTrip,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("field trip (empty: the office)"),
    )
    notes = models.TextField(_("notes"), blank=True, validators=[TextLimit(NOTE_MAX)])

    class Meta:
        ordering = ["-day", "ticket"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "ticket"],
                condition=models.Q(field_trip__isnull=True),
                name="uniq_office_ticket_per_day",
            ),
            models.UniqueConstraint(
                fields=["field_trip", "day", "ticket"], name="uniq_trip_ticket_per_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "status"])]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} #{self.ticket}"

    @property
    def language_label(self) -> str:
        """The language spoken, named in the page's language (a code the desk does not offer,
        from an old record or a bundle, is shown as it was stored)."""
        return str(dict(VISIT_LANGUAGES).get(self.language, self.language))


class VisitorKey(models.Model):
    """Derived data, never edited by hand: one whole-name match key (aigaq.names.match_keys:
    exact, sound, skeleton, joined) of a visit's visitor or of a testifier on record, so that a
    returning visitor is recognised by name in any spelling, script or order (Aisulu Erbolqyzy
    = Айсұлу Ерболқызы = Ерболқызы Айсұлу). Filled lazily by ``intake.recognition``: a record
    without rows for its current version (and the current KEYS_VERSION) is keyed on the next
    lookup, whichever way it was written (the desk, the testimony form, an import, a bundle).
    A record whose name gives no key gets one empty key, so it is not keyed again."""

    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    testifier = models.ForeignKey(
        "testimonies.Testifier", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=80, db_index=True)
    record_version = models.PositiveIntegerField()
    keys_version = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visit__isnull=True) ^ models.Q(testifier__isnull=True),
                name="intake_visitorkey_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.key
