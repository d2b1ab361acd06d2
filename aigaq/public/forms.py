"""The public's correction and submission form: length limits like every form, a honeypot
field and a signed time stamp instead of a third-party captcha (a form sent less than
MIN_SECONDS after it was shown, or more than MAX_SECONDS after, is refused)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from aigaq.core.forms import LengthLimits
from aigaq.core.validators import LINE_MAX
from aigaq.corrections.models import MESSAGE_MAX
from aigaq.disclosure.public import public_persons

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
_SALT = "aigaq.public.correction"


def form_token(at: float | None = None) -> str:
    """The signed time the form was shown."""
    return signing.Signer(salt=_SALT).sign(str(int(at if at is not None else time.time())))


def token_age(token: str) -> float | None:
    """Seconds since the form with this token was shown; None for a forged token."""
    try:
        shown = int(signing.Signer(salt=_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return time.time() - shown


class CorrectionForm(LengthLimits, forms.Form):
    entry = forms.IntegerField(
        label=_("Entry number (if your message is about an entry)"),
        required=False,
        min_value=1,
        max_value=2_000_000_000,
    )
    message = forms.CharField(
        label=_("What is wrong, or what you know"),
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Write in any language. Please do not write anything that could put someone in "
            "danger if it were read by others."
        ),
    )
    contact = forms.CharField(
        label=_("How we can reach you (optional)"),
        max_length=LINE_MAX,
        required=False,
        help_text=_(
            "An e-mail address or a phone number. Only the team's curators can read it; it is "
            "never published."
        ),
    )
    # The honeypot: hidden from people (CSS, aria-hidden), filled in by robots.
    website = forms.CharField(required=False, max_length=200, label=_("Leave this field empty"))
    token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["message"].widget.attrs["required"] = True

    def clean_entry(self) -> int | None:
        value = self.cleaned_data.get("entry")
        if value is not None and not public_persons().filter(entry_no=value).exists():
            raise forms.ValidationError(_("No public entry has this number."))
        return value

    def clean_token(self) -> str:
        token = str(self.cleaned_data.get("token") or "")
        age = token_age(token)
        if age is None or age > MAX_SECONDS:
            raise forms.ValidationError(
                _("This form is too old: it is shown again, please send it once more.")
            )
        if age < MIN_SECONDS:
            raise forms.ValidationError(
                _("The form was sent too quickly. Please check it and send it again.")
            )
        return token

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
