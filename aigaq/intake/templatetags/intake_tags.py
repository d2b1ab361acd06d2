"""Small display helpers for the desk."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration_minutes(value: dt.timedelta | None) -> str:
    """A waiting time as volunteers say it: "4 min", "1 h 05"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("%(m)s min") % {"m": minutes}
    return _("%(h)s h %(m)02d") % {"h": minutes // 60, "m": minutes % 60}
