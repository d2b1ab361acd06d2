"""{% load web %}: ``{{ value|web_url }}`` is the address when it is an http(s) one and ""
otherwise, so a template never puts any other address (``javascript:``, ``data:``) in an href,
whatever was stored before validation refused it."""

from __future__ import annotations

from typing import Any

from django import template

from aigaq.core.validators import is_web_url

register = template.Library()


@register.filter
def web_url(value: Any) -> str:
    return value if is_web_url(value) else ""
