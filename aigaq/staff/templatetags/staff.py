from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import ValidationError

from aigaq.people.models import StatusKind

register = template.Library()

_STATUS = dict(StatusKind.choices)


@register.filter
def status_label(value: str) -> Any:
    return _STATUS.get(value, value) if value else "—"


@register.simple_tag
def picker_label(bound_field: Any) -> str:
    """The text shown in a picker box for the record its hidden field holds."""
    value = bound_field.value()
    if value in (None, ""):
        return ""
    if hasattr(value, "pk"):
        return str(value)
    try:
        obj = bound_field.field.queryset.filter(pk=value).first()
    except (ValueError, ValidationError):
        return ""
    return str(obj) if obj is not None else ""
