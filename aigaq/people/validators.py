from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from aigaq.core.validators import NAME_MAX, too_long_message

_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_CONTROL = re.compile(r"[\x00-\x1f]")
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def clean_chinese_id(value: str) -> str:
    """A PRC resident ID: 18 characters with a check digit (GB 11643-1999), or the old 15 digits."""
    v = re.sub(r"[\s-]", "", value or "").upper()
    if not v:
        return ""
    if _ID15.match(v):
        return v
    if not _ID18.match(v):
        raise ValidationError(
            _("A Chinese ID number has 18 characters: 17 digits and a last digit or X."),
            code="chinese_id_format",
        )
    total = sum(int(d) * w for d, w in zip(v[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != v[17]:
        raise ValidationError(
            _(
                "This Chinese ID number's last character does not match the others; check for a typing error."
            ),
            code="chinese_id_check",
        )
    return v


def chinese_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def clean_name(value: str) -> str:
    """Names in any script are kept exactly as typed, but for the spaces around them."""
    v = (value or "").strip()
    if not v:
        raise ValidationError(_("Enter the name."), code="required")
    if len(v) > NAME_MAX:
        raise ValidationError(too_long_message(NAME_MAX, len(v)), code="too_long")
    if _CONTROL.search(v):
        raise ValidationError(_("A name cannot contain control characters."), code="control")
    return v


def latest_birth_year() -> int:
    """This year in the office's time zone: nobody in the database is born later."""
    return timezone.localdate().year


def clean_birth_years(low: int | None, high: int | None) -> tuple[int | None, int | None]:
    latest = latest_birth_year()
    for year in (low, high):
        if year is not None and not 1900 <= year <= latest:
            raise ValidationError(
                _("A birth year must be between 1900 and %(year)s (this year).") % {"year": latest},
                code="birth_year",
            )
    if low is not None and high is not None and high < low:
        raise ValidationError(
            _("The latest birth year is before the earliest."), code="birth_range"
        )
    return low, high
