"""Validators shared by every app's models, so that forms, imports and bundles (which all call
``full_clean``) refuse the same values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: The only kinds of address Aigaq stores or shows as a link: a `javascript:` or `data:`
#: address in a source link would run in the reader's browser.
WEB_SCHEMES = ("http", "https")

_web = URLValidator(schemes=list(WEB_SCHEMES))


def is_web_url(value: Any) -> bool:
    """Is `value` an http(s) address (and nothing else that a browser would run or open)?"""
    if not isinstance(value, str) or value != value.strip():
        return False
    try:
        _web(value)
    except ValidationError:
        return False
    return True


def validate_web_url(value: Any) -> None:
    """A model field validator: an http:// or https:// address, or nothing."""
    if value in (None, ""):
        return
    if not is_web_url(value):
        raise ValidationError(
            _("“%(url)s” is not a web address."),
            code="not_web_url",
            params={"url": str(value)[:100]},
        )


def validate_web_urls(value: Any) -> None:
    """A model field validator for a JSON list of http(s) addresses."""
    if value in (None, ""):
        return
    if not isinstance(value, list):
        raise ValidationError(_("Give a list of web addresses."), code="not_url_list")
    for url in value:
        validate_web_url(url)


# --- Lengths -----------------------------------------------------------------------------------
#
# Every text a person types has a limit, the same in the form, the model and the imports, and
# the message says it: "at most 300 characters (it has 10,000)".

#: A person's, a visitor's or a testifier's name (the models' max_length).
NAME_MAX = 300
#: A one-line note, a place written out, a facility.
LINE_MAX = 300
#: A note or a reason written in a few sentences.
NOTE_MAX = 2000
#: A biography, a description of a source.
TEXT_MAX = 10_000
#: A testimony's summary: what a testifier said, which can be long.
SUMMARY_MAX = 50_000


def _grouped(n: int) -> str:
    from django.utils import formats

    return formats.number_format(n, use_l10n=True, force_grouping=True)


def too_long_message(limit: int, length: int) -> str:
    """The one sentence a text over its limit is refused with, numbers as the page writes
    them."""
    from django.utils.translation import gettext

    return gettext("At most %(limit)s characters (it has %(length)s).") % {
        "limit": _grouped(limit),
        "length": _grouped(length),
    }


@deconstructible
class TextLimit(MaxLengthValidator):
    """A model or form field validator: at most `limit_value` characters, refused with
    `too_long_message`."""

    def __call__(self, value: Any) -> None:
        if value is None:
            return
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(
                too_long_message(self.limit_value, length),
                code="max_length",
                params={"limit_value": self.limit_value, "show_value": length},
            )


def check_length(field: str, value: Any, limit: int) -> None:
    """For services that take text outside a form: refuse it with the field named."""
    if isinstance(value, str) and len(value) > limit:
        raise ValidationError({field: too_long_message(limit, len(value))})


def validate_not_future(value: Any) -> None:
    """A model field validator for a day something happened (a testimony recorded): not after
    today in the office's time zone (settings.TIME_ZONE)."""
    if not isinstance(value, dt.date):
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            _("%(date)s is in the future: today is %(today)s."),
            code="future",
            params={"date": value.isoformat(), "today": today.isoformat()},
        )
