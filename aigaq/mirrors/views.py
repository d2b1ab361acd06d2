"""Mirror pages: the review page (/mirrors/: videos to confirm, published but not in the
archive) and the add/remove forms of a testimony page's "Published at" section."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aigaq.core.permissions import require
from aigaq.disclosure.selectors import testimonies_for
from aigaq.mirrors import selectors
from aigaq.mirrors.models import Mirror
from aigaq.mirrors.services import mirror_add, mirror_confirm, mirror_remove
from aigaq.testimonies.models import Testimony
from aigaq.testimonies.selectors import parse_testimony_number


def _testimony(request: HttpRequest, number: int | None) -> Testimony:
    testimony = testimonies_for(request.user).filter(number=number).first() if number else None
    if testimony is None:
        raise Http404(_("No such testimony."))
    return testimony


def _errors(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    require(request.user, "testimony.edit")
    to_confirm = Paginator(selectors.mirrors_to_confirm(), 50).get_page(request.GET.get("page"))
    rows = [(m, selectors.candidate_choices(user=request.user, mirror=m)) for m in to_confirm]
    outside = Paginator(selectors.mirrors_not_in_archive(), 100).get_page(request.GET.get("more"))
    return render(
        request,
        "mirrors/review.html",
        {
            "to_confirm": to_confirm,
            "rows": rows,
            "outside": outside,
            "counts": selectors.mirror_counts(),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: str) -> HttpResponse:
    require(request.user, "testimony.edit")
    mirror = get_object_or_404(Mirror, pk=pk, testimony__isnull=True)
    choice = request.POST.get("testimony", "").strip()
    if choice == "none":
        mirror_confirm(actor=request.user, mirror=mirror, testimony=None)
        messages.success(request, _("Listed as published but not in the archive."))
        return redirect("mirrors:review")
    number = parse_testimony_number(choice)
    testimony = testimonies_for(request.user).filter(number=number).first() if number else None
    if testimony is None:
        messages.error(request, _("No testimony %(n)s that you may see.") % {"n": choice[:20]})
        return redirect("mirrors:review")
    mirror_confirm(actor=request.user, mirror=mirror, testimony=testimony)
    messages.success(request, _("Linked to testimony %(label)s.") % {"label": testimony.label})
    return redirect("mirrors:review")


@login_required
@require_POST
def add(request: HttpRequest, number: int) -> HttpResponse:
    require(request.user, "testimony.edit")
    testimony = _testimony(request, number)
    published_on = None
    raw_date = request.POST.get("published_on", "").strip()
    if raw_date:
        try:
            published_on = dt.date.fromisoformat(raw_date)
        except ValueError:
            messages.error(request, _("Give the date as YYYY-MM-DD."))
            return redirect("staff:testimony_detail", number=number)
    platform = request.POST.get("platform", "")
    if platform and platform not in Mirror.Platform.values:
        platform = ""
    try:
        mirror_add(
            actor=request.user,
            testimony=testimony,
            url=request.POST.get("url", "")[:1000],
            platform=platform,
            title=request.POST.get("title", "")[:500],
            published_on=published_on,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Address added."))
    return redirect("staff:testimony_detail", number=number)


@login_required
@require_POST
def remove(request: HttpRequest, pk: str) -> HttpResponse:
    require(request.user, "testimony.edit")
    mirror = get_object_or_404(Mirror, pk=pk)
    number = mirror.testimony.number if mirror.testimony else None
    if number is not None:
        _testimony(request, number)  # only from a testimony the reader may see
    mirror_remove(actor=request.user, mirror=mirror)
    messages.success(request, _("Address removed."))
    if number is not None:
        return redirect("staff:testimony_detail", number=number)
    return redirect("mirrors:review")
