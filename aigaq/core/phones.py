"""Phone numbers in one form: every path that stores a number (the desk, the testimony form,
spreadsheet and bundle imports) passes it through `normalize_phone`, so the same number typed
as "+7 700 111 2233", "8 (700) 111-22-33" or "7001112233" is stored, and recognised, as
"+77001112233" (E.164). Parsing and validation are the `phonenumbers` library's (Google's
libphonenumber data); numbers without a country code belong to settings.AIGAQ_PHONE_REGION."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_INPUT = 50


def normalize_phone(raw: str | None, *, region: str | None = None) -> str:
    """The number in E.164 form ("+77001112233"), or "" for an empty one. A text that is not
    a valid phone number raises ValidationError with a sentence a volunteer can act on (that
    never repeats the number: contacts are restricted)."""
    text = " ".join((raw or "").split())
    if not text:
        return ""
    if len(text) > MAX_INPUT:
        raise ValidationError(_("The phone number is too long."), code="phone_too_long")
    try:
        number = phonenumbers.parse(text, region or settings.AIGAQ_PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "This is not a valid phone number; write it with the country code, such as "
                "+7 701 234 56 78."
            ),
            code="phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
