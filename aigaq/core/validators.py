"""Validators shared by every app's models, so that forms, imports and bundles (which all call
``full_clean``) refuse the same values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
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
