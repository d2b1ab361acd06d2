"""What a person search starts from and what narrows it: the persons the reader may see
(aigaq.disclosure), and the list filters (status, place, ethnicity, tag, grade, birth years)
as a queryset, as read from a query string, and as the index needs them (the birth-year
range, the place's ids)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from aigaq.disclosure.selectors import persons_for
from aigaq.people.models import Person, Place
from aigaq.people.selectors import place_and_inside_ids


class _System:
    """The operator's command line: sees every live person, never restricted fields."""

    is_authenticated = False

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def live_persons(user: Any) -> QuerySet[Person]:
    """The persons a search of ``user`` starts from: those disclosure lets the user see (every
    live person for SYSTEM)."""
    if user is SYSTEM:
        return Person.objects.filter(merged_into__isnull=True)
    return persons_for(user)


def _place_of(value: Any) -> Place | None:
    if value in (None, ""):
        return None
    if isinstance(value, Place):
        return value
    text = str(value)
    found = Place.objects.filter(code=text).first()
    if found is None:
        try:
            found = Place.objects.filter(pk=text).first()
        except Exception:  # not a UUID
            found = None
    return found


def year(value: Any) -> int | None:
    """A year from a filter value; None when absent or not a plausible year."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= 9999 else None


def home_ids(filters: Mapping[str, Any] | None) -> list[Any] | None:
    """Ids of the place filter's place and of every place inside it ([] for a place not in
    the gazetteer); None when there is no place filter."""
    value = (filters or {}).get("place")
    if value in (None, ""):
        return None
    place = _place_of(value)
    return place_and_inside_ids(place) if place else []


def apply_filters(
    qs: QuerySet[Person],
    filters: Mapping[str, Any] | None,
    *,
    hometowns: list[Any] | None = None,
) -> QuerySet[Person]:
    """Narrow persons by the list filters. Keys (all optional): status, ethnicity,
    place (a Place, its id or code: the place and everything inside it), tag (a Tag slug),
    grade or evidence_grade, born_from and born_to (years; a person born "1970-1975"
    matches any range that overlaps). ``hometowns``: the place filter already resolved
    (:func:`home_ids`)."""
    f = filters or {}
    if f.get("status"):
        qs = qs.filter(current_status=f["status"])
    if f.get("ethnicity"):
        qs = qs.filter(ethnicity=f["ethnicity"])
    grade = f.get("grade") or f.get("evidence_grade")
    if grade:
        qs = qs.filter(evidence_grade=grade)
    if f.get("place") not in (None, ""):
        homes = hometowns if hometowns is not None else home_ids(f)
        qs = qs.filter(hometown_id__in=homes) if homes else qs.none()
    if f.get("tag"):
        qs = qs.filter(tags__slug=f["tag"])
    born_from, born_to = year(f.get("born_from")), year(f.get("born_to"))
    if born_from is not None:
        qs = qs.filter(
            Q(birth_year_max__gte=born_from)
            | Q(birth_year_max__isnull=True, birth_year__gte=born_from)
        )
    if born_to is not None:
        qs = qs.filter(birth_year__lte=born_to)
    return qs


#: The filters a person search takes, as the command line and the JSON endpoint name them.
FILTER_KEYS = ("status", "place", "ethnicity", "tag", "grade", "born_from", "born_to")


def filters_from(params: Mapping[str, Any]) -> dict[str, Any]:
    """The search filters among ``params`` (a query string, command-line options), empty ones
    left out. Raises ValueError, with a sentence for the user, for a birth year that is not
    a year or a range that ends before it starts (apply_filters would ignore them)."""
    filters = {k: params[k] for k in FILTER_KEYS if params.get(k) not in (None, "")}
    for key in ("born_from", "born_to"):
        if key in filters and year(filters[key]) is None:
            raise ValueError(_("%(field)s must be a year, such as 1975.") % {"field": key})
    low, high = year(filters.get("born_from")), year(filters.get("born_to"))
    if low is not None and high is not None and low > high:
        raise ValueError(_("born_to is before born_from."))
    return filters


#: A birth-year range asked of the index: (born_from, born_to), either may be None.
Years = tuple[int | None, int | None]


def years_filter(filters: Mapping[str, Any] | None) -> Years | None:
    """The birth-year range of the filters, for the index (None when there is none)."""
    f = filters or {}
    years = (year(f.get("born_from")), year(f.get("born_to")))
    return years if years != (None, None) else None


def narrows_beyond_years(filters: Mapping[str, Any] | None) -> bool:
    """Whether the filters hold anything but a birth-year range (which the index decides)."""
    f = filters or {}
    keys = ("status", "ethnicity", "grade", "evidence_grade", "tag")
    return any(f.get(k) for k in keys) or f.get("place") not in (None, "")
