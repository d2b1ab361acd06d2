"""{% petitions_panel person %}: the person page's Petitions panel (each form's readiness
from the record, and the person's petitions with their state), for staff who may prepare
petitions; nothing for others."""

from __future__ import annotations

from typing import Any

from django import template

from aigaq.core.permissions import has_cap
from aigaq.petitions.selectors import petitions_of, readiness_for

register = template.Library()


@register.inclusion_tag("staff/petitions/_panel_body.html", takes_context=True)
def petitions_panel(context: Any, person: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if person is None or not has_cap(user, "petition.manage"):
        return {"shown": False}
    ready, errors = readiness_for(person)
    return {
        "shown": True,
        "person": person,
        "ready": ready,
        "form_errors": errors,
        "petitions": list(petitions_of(person)),
    }
