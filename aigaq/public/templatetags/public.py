"""Labels for public pages: a choice's label in the page's language, a place by its id."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django import template

from aigaq.people.models import Ethnicity, EvidenceGrade, Gender, Place, StatusKind
from aigaq.testimonies.models import Relationship, Testimony

register = template.Library()

_CHOICES: dict[str, Any] = {
    "status": StatusKind,
    "ethnicity": Ethnicity,
    "gender": Gender,
    "grade": EvidenceGrade,
    "relationship": Relationship,
    "channel": Testimony.Location,
}


@register.filter
def label(value: Any, kind: str) -> str:
    """{{ e.current_status|label:"status" }}: the choice's label in the page's language."""
    choices = _CHOICES[kind]
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


#: The gazetteer read once for a whole static build (aigaq.public.static_build sets it):
#: the places of 800,000 pages read one query each were a tenth of a build's time.
prebuilt_places: ContextVar[dict[Any, Place | None] | None] = ContextVar(
    "aigaq_public_places", default=None
)


@register.simple_tag(takes_context=True)
def place_name(context: Any, place_id: Any) -> str:
    """The place's name in the page's language: from the places the view read for its page
    (`places`, one query), else read once per page (the page's root render context: an
    included card has a render context of its own), or once per static build."""
    if place_id is None:
        return ""
    cache: dict[Any, Place | None] | None = prebuilt_places.get()
    if cache is None:
        cache = context.get("places")
    if cache is None:
        cache = context.render_context.dicts[0].setdefault("public_places", {})
    if place_id not in cache:
        cache[place_id] = Place.objects.filter(pk=place_id).first()
    place = cache[place_id]
    return str(place) if place is not None else ""


@register.filter
def born(entry: Any) -> str:
    low, high = entry.birth_year, entry.birth_year_max
    if low and high and high != low:
        return f"{low}–{high}"
    return str(low or high or "")


@register.filter
def num(value: Any) -> str:
    """A number as the page's language writes it, grouped (1 000 000, 1,000,000)."""
    from django.utils import formats

    try:
        return str(formats.number_format(int(value), use_l10n=True, force_grouping=True))
    except (TypeError, ValueError):
        return str(value)


@register.filter
def language_name(code: Any) -> str:
    """A language's name in the page's language ("kk": Kazakh, Қазақ), else its code."""
    from django.utils.translation import get_language_info

    try:
        return str(get_language_info(str(code))["name_translated"])
    except KeyError:
        return str(code or "")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or nothing (the subtitle tracks of a testimony, by its number)."""
    return mapping.get(key, ()) if mapping else ()
