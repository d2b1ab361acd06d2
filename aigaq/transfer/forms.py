"""Forms of the field-trip pages: a trip's plan, and how its bundle is locked. They parse and
check input; the services (aigaq.intake.services for the trip, aigaq.transfer.services for
its bundle) decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from aigaq.core.forms import LengthLimits
from aigaq.core.validators import NOTE_MAX
from aigaq.people.models import Place


class TripForm(LengthLimits, forms.Form):
    """A field trip's name, place, dates and team. The service checks the rules."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Say where and when, e.g. “Tekes, May 2026”."),
    )
    place: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Place (from the gazetteer)"),
        queryset=None,
        required=False,
        widget=forms.HiddenInput,
    )
    place_label = forms.CharField(
        label=_("Where (as written)"),
        max_length=200,
        required=False,
        help_text=_("A village or address not in the gazetteer."),
    )
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    team: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Team"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, team_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place_field: Any = self.fields["place"]
        place_field.queryset = Place.objects.all()
        team_field: Any = self.fields["team"]
        team_field.queryset = team_queryset


class TripExportForm(LengthLimits, forms.Form):
    """How to lock the bundle: a passphrase typed twice, or the laptop's age public key."""

    MIN_WORDS = 5

    passphrase = forms.CharField(
        label=_("Passphrase"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least five words. Write it on paper that travels apart from the laptop."),
    )
    passphrase_again = forms.CharField(
        label=_("Passphrase again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    recipient = forms.CharField(
        label=_("or the laptop's age public key"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "age1…", "autocomplete": "off"}),
    )
    persons_at_place = forms.BooleanField(
        label=_("Include the persons whose hometown is the trip's place or inside it"),
        required=False,
        initial=True,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        passphrase = data.get("passphrase") or ""
        recipient = (data.get("recipient") or "").strip()
        data["recipient"] = recipient
        if bool(passphrase) == bool(recipient):
            raise forms.ValidationError(
                _("Give either a passphrase (twice) or the laptop's public key, not both.")
            )
        if passphrase:
            if passphrase != data.get("passphrase_again"):
                self.add_error("passphrase_again", _("The two passphrases differ."))
            elif len(passphrase.split()) < self.MIN_WORDS:
                self.add_error("passphrase", _("Choose a passphrase of at least five words."))
        return data
