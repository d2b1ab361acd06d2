"""The lock button for admins: a confirmation page (GET), the lock itself (POST only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from aigaq.core import keys
from aigaq.custody.lock import instance_lock, lock_check
from aigaq.custody.shares import CustodyError
from aigaq.staff.access import cap_required


@cap_required("instance.lock")
def lock_confirm(request: HttpRequest) -> HttpResponse:
    """GET: what the lock does and whether it may be done; POST: lock."""
    refusal = ""
    if request.method == "POST":
        have_key = request.POST.get("i_have_the_key") == "on"
        try:
            instance_lock(actor=request.user, i_have_the_key=have_key)
        except (CustodyError, keys.DatabaseKeyError) as exc:
            refusal = str(exc)
        else:
            from django.template.loader import render_to_string

            return HttpResponse(render_to_string("locked.html"), status=200)
    else:
        try:
            lock_check()
        except (CustodyError, keys.DatabaseKeyError) as exc:
            refusal = str(exc)
    return render(
        request,
        "staff/lock_confirm.html",
        {"refusal": refusal, "title": _("Lock this installation")},
        status=400 if refusal and request.method == "POST" else 200,
    )
