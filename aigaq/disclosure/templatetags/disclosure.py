"""Template tags that ask disclosure.policy before a page names anyone.

    {% load disclosure %}
    {% person_link person %}   #12 Name, linked to the person page; or "an entry you may not see"
    {% person_label person %}  the same, without the link
    {% testimony_link testimony %}  its number (T12), the testifier's name as the reader may
                               read it and the date, linked to the testimony page; or "a testimony you may not see"
    {% testifier_is relationship testifier person %}  "mother of #401", beside the testifier
    {% person_is relationship testifier person %}     "her son", beside the person

Every template that names a person uses these (never ``{{ person }}`` or
``{{ person.primary_name }}`` for a person it did not get from a filtered selector), so the
person page's rule decides everywhere."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from aigaq.core.permissions import has_cap
from aigaq.disclosure import policy
from aigaq.testimonies import kinship

register = template.Library()


def _user(context: Any) -> Any:
    request = context.get("request")
    return getattr(request, "user", None)


def _hidden() -> SafeString:
    return format_html('<span class="muted">{}</span>', _("an entry you may not see"))


@register.simple_tag(takes_context=True)
def person_label(context: Any, person: Any) -> SafeString:
    if person is None or not policy.person_visible_to(_user(context), person):
        return _hidden()
    return format_html('<span dir="auto">{}</span>', str(person))


@register.simple_tag(takes_context=True)
def person_link(context: Any, person: Any) -> SafeString:
    if person is None or not policy.person_visible_to(_user(context), person):
        return _hidden()
    return format_html(
        '<a href="{}"><span dir="auto">{}</span></a>',
        reverse("staff:person_detail", args=[person.entry_no]),
        str(person),
    )


@register.simple_tag(takes_context=True)
def testifier_name(context: Any, testimony: Any) -> str:
    """The name of the testimony's testifier as the reader may read it (full, initials, or
    "anonymous testifier"); plain text, escaped by the template."""
    return policy.testifier_name_for(_user(context), testimony)


@register.simple_tag(takes_context=True)
def testifier_named(context: Any, testimony: Any) -> bool:
    """{% testifier_named testimony as named %}: may the reader read the full name (and what
    else identifies the testifier)?"""
    return policy.testifier_named_for(_user(context), testimony)


@register.simple_tag(takes_context=True)
def testimony_link(context: Any, testimony: Any) -> SafeString:
    """A testimony named and linked for a reader who may open it (the testimony page's rule:
    testimony.view and policy.testimony_visible_to); otherwise "a testimony you may not see"."""
    user = _user(context)
    if (
        testimony is None
        or not has_cap(user, "testimony.view")
        or not policy.testimony_visible_to(user, testimony)
    ):
        return format_html('<span class="muted">{}</span>', _("a testimony you may not see"))
    date = testimony.recorded_on.isoformat() if testimony.recorded_on else ""
    return format_html(
        '<a href="{}">{} · <span dir="auto">{}</span> — {}</a>',
        reverse("staff:testimony_detail", args=[testimony.number]),
        testimony.label,
        policy.testifier_name_for(user, testimony),
        date,
    )


def _shown_person(context: Any, person: Any) -> Any:
    """`person` if the reader may see it, else None (its number and sex stay unsaid)."""
    if person is None or not policy.person_visible_to(_user(context), person):
        return None
    return person


@register.simple_tag(takes_context=True)
def testifier_is(context: Any, relationship: str, testifier: Any, person: Any) -> str:
    """Beside a testifier's name: what they are to the person, "mother of #401"
    (aigaq.testimonies.kinship)."""
    shown = _shown_person(context, person)
    label = f"#{shown.entry_no}" if shown is not None else _("this person")
    return kinship.testifier_is(
        relationship, person=label, testifier_gender=getattr(testifier, "gender", "")
    )


@register.simple_tag(takes_context=True)
def person_is(context: Any, relationship: str, testifier: Any, person: Any) -> str:
    """Beside a person's name: what they are to the testifier, "her son"."""
    shown = _shown_person(context, person)
    return kinship.person_is(
        relationship,
        person_gender=getattr(shown, "gender", "") if shown is not None else "",
        testifier_gender=getattr(testifier, "gender", ""),
    )
