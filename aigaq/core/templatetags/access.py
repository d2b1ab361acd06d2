"""Template filters about roles and what they may do."""

from __future__ import annotations

from django import template

from aigaq.core.permissions import refusal

register = template.Library()


@register.filter
def refusal_sentence(capability: str) -> str:
    """`{{ exception|refusal_sentence }}` on the 403 page: the PermissionDenied message is the
    capability (core.permissions.require), said here as a sentence in the page's language."""
    return refusal(str(capability or ""))
