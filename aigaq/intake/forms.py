"""Forms of the desk: they parse and check input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aigaq.core.forms import LengthLimits
from aigaq.core.phones import normalize_phone
from aigaq.core.validators import SUMMARY_MAX, validate_not_future
from aigaq.intake.models import VISIT_LANGUAGES, Visit
from aigaq.testimonies.models import Relationship, Testimony

LANGUAGES = VISIT_LANGUAGES

RELATIONSHIP_CHOICES = [("", "—"), *Relationship.choices]


class RegisterForm(LengthLimits, forms.Form):
    visitor_name = forms.CharField(
        label=_("Name"),
        max_length=300,
        required=False,  # the service says what is wrong, in one place
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=Visit.Reason.choices,
        initial=Visit.Reason.TESTIMONY,
        widget=forms.Select(attrs={"accesskey": "r"}),
    )
    new_relatives = forms.CharField(
        label=_("Relatives not yet on record"),
        required=False,
        help_text=_("Names separated by ; or commas."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    language = forms.ChoiceField(label=_("Language spoken"), choices=LANGUAGES, initial="kk")
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone"))


class RecordTestimonyForm(LengthLimits, forms.Form):
    """Filled from what the desk typed; one relationship select per relative."""

    testifier_name = forms.CharField(label=_("Testifier's name"), max_length=300, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=50,
        required=False,
        help_text=_("Empty: the number written at the desk is kept."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    recorded_on = forms.DateField(
        label=_("Recorded on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    location = forms.ChoiceField(label=_("Recorded at"), choices=Testimony.Location.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=SUMMARY_MAX, widget=forms.Textarea
    )
    consent_public = forms.BooleanField(label=_("May be published"), required=False)
    consent_press = forms.BooleanField(label=_("May be shown to the press"), required=False)
    consent_petitions = forms.BooleanField(label=_("May be used in petitions"), required=False)
    consent_anonymous = forms.BooleanField(
        label=_("Anonymous (initials only in public)"), required=False, initial=True
    )

    EXTRA_NEW = 2

    def __init__(
        self, *args: Any, visit: Visit, relatives: list[Any], show_phone: bool, **kwargs: Any
    ) -> None:
        initial = {
            "testifier_name": visit.testifier.full_name if visit.testifier else visit.visitor_name,
            "language": visit.language if visit.language in dict(LANGUAGES) else "other",
            "recorded_on": timezone.localdate(),
            "location": Testimony.Location.FIELD
            if visit.field_trip_id
            else Testimony.Location.OFFICE,
            "consent_anonymous": True,
        }
        for i, name in enumerate(visit.new_relatives or []):
            initial[f"new_{i}_name"] = name
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        if not show_phone:
            del self.fields["phone"]
        self.relatives = relatives
        for person in relatives:
            self.fields[f"rel_{person.pk}"] = forms.ChoiceField(
                label=f"#{person.entry_no} {person.primary_name}",
                choices=RELATIONSHIP_CHOICES,
                required=False,
            )
        self.new_count = len(visit.new_relatives or []) + self.EXTRA_NEW
        for i in range(self.new_count):
            self.fields[f"new_{i}_name"] = forms.CharField(
                label=_("Name"), max_length=300, required=False
            )
            self.fields[f"new_{i}_relationship"] = forms.ChoiceField(
                label=_("The testifier is the person’s…"),
                choices=RELATIONSHIP_CHOICES,
                required=False,
            )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_recorded_on(self) -> Any:
        day = self.cleaned_data.get("recorded_on")
        validate_not_future(day)
        return day

    def relative_fields(self) -> list[Any]:
        return [self[f"rel_{p.pk}"] for p in self.relatives]

    def new_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"new_{i}_name"], self[f"new_{i}_relationship"]) for i in range(self.new_count)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for person in self.relatives:
            if not data.get(f"rel_{person.pk}"):
                self.add_error(
                    f"rel_{person.pk}", _("Choose how the testifier is related to this person.")
                )
        for i in range(self.new_count):
            if data.get(f"new_{i}_name", "").strip() and not data.get(f"new_{i}_relationship"):
                self.add_error(
                    f"new_{i}_relationship",
                    _("Choose how the testifier is related to this person."),
                )
        return data
