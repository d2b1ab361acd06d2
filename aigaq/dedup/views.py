"""Duplicates pages (coordinators): candidate list, a pair side by side, merge, not the same
person, undo. Views parse input and call services/selectors. (The spreadsheet upload, which
feeds this queue, is transfer's page: aigaq/transfer/views.py.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aigaq.core import audit
from aigaq.core.locking import EditConflict
from aigaq.core.permissions import has_cap, require
from aigaq.dedup import selectors
from aigaq.dedup.models import Candidate, Merge
from aigaq.dedup.services import pair_mark_not_same, person_merge, person_unmerge
from aigaq.dedup.tasks import duplicates_scan_start
from aigaq.people.models import Person


def person_url(person: Person) -> str:
    try:
        return reverse("staff:person_detail", args=[person.entry_no])
    except NoReverseMatch:
        return ""


@login_required
def candidate_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "person.merge")
    try:
        min_score = max(0.0, min(1.0, float(request.GET.get("min", "0") or 0)))
    except ValueError:
        min_score = 0.0
    page = Paginator(
        selectors.open_candidates(user=request.user, min_score=min_score), 50
    ).get_page(request.GET.get("page"))
    rows = [(c, selectors.reason_texts(c.reasons)) for c in page.object_list]
    return render(
        request,
        "dedup/candidate_list.html",
        {
            "page": page,
            "rows": rows,
            "min_score": min_score,
            "merges": selectors.merges_recent(user=request.user, limit=10),
        },
    )


def _side(request: HttpRequest, pk: Any) -> dict[str, Any]:
    try:
        person = selectors.person_side(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    show_id = has_cap(request.user, "restricted.read") and bool(person.chinese_id)
    if show_id:
        audit.record_read(
            actor=request.user, obj=person, fields=["chinese_id"], person_id=person.pk
        )
    return {"p": person, "show_id": show_id, "url": person_url(person)}


@login_required
def candidate_review(request: HttpRequest, pk: Any) -> HttpResponse:
    require(request.user, "person.merge")
    cand = get_object_or_404(Candidate, pk=pk)
    sides = [_side(request, cand.a_id), _side(request, cand.b_id)]
    previews = selectors.merge_preview(sides[0]["p"], sides[1]["p"])
    first = selectors.keep_first(sides[0]["p"], sides[1]["p"], previews)
    for side, preview, keep in zip(sides, previews, (first, not first), strict=True):
        side.update(preview=preview, keep=keep)
    return render(
        request,
        "dedup/candidate_review.html",
        {"cand": cand, "reasons": selectors.reason_texts(cand.reasons), "sides": sides},
    )


def _version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def candidate_merge(request: HttpRequest, pk: Any) -> HttpResponse:
    require(request.user, "person.merge")
    cand = get_object_or_404(Candidate, pk=pk)
    keep = request.POST.get("survivor")
    if keep not in (str(cand.a_id), str(cand.b_id)):
        messages.error(request, _("Choose which entry stays."))
        return redirect("dedup:review", pk=cand.pk)
    a_first = keep == str(cand.a_id)
    survivor_pk, retired_pk = (cand.a_id, cand.b_id) if a_first else (cand.b_id, cand.a_id)
    versions = {
        str(cand.a_id): _version(request.POST.get("version_a")),
        str(cand.b_id): _version(request.POST.get("version_b")),
    }
    visible = selectors.persons_for(request.user)
    survivor = get_object_or_404(visible, pk=survivor_pk)
    retired = get_object_or_404(visible, pk=retired_pk)
    try:
        merge = person_merge(
            actor=request.user,
            survivor=survivor,
            retired=retired,
            survivor_version=versions[str(survivor_pk)],
            retired_version=versions[str(retired_pk)],
        )
    except EditConflict:
        messages.error(
            request,
            _(
                "One of the two entries was changed by someone else while you were reviewing. "
                "Nothing was merged; look at them again."
            ),
        )
        return redirect("dedup:review", pk=cand.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dedup:review", pk=cand.pk)
    messages.success(
        request,
        _("Entry #%(r)s was merged into #%(s)s.") % {"r": retired.entry_no, "s": survivor.entry_no},
    )
    return redirect("dedup:merge", pk=merge.pk)


@login_required
@require_POST
def scan_start(request: HttpRequest) -> HttpResponse:
    require(request.user, "person.merge")
    job = duplicates_scan_start(actor=request.user)
    return redirect("staff:job_detail", pk=job.pk)


@login_required
@require_POST
def candidate_not_same(request: HttpRequest, pk: Any) -> HttpResponse:
    require(request.user, "person.merge")
    cand = get_object_or_404(Candidate, pk=pk)
    pair_mark_not_same(
        actor=request.user, a=cand.a, b=cand.b, note=request.POST.get("note", "")[:1000]
    )
    messages.success(
        request, _("Marked as different people; this pair will not be proposed again.")
    )
    return redirect("dedup:list")


@login_required
def merge_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    require(request.user, "person.merge")
    merge = get_object_or_404(selectors.merges_for(request.user), pk=pk)
    return render(
        request,
        "dedup/merge_detail.html",
        {
            "merge": merge,
            "survivor_url": person_url(merge.survivor),
            "retired_url": person_url(merge.retired),
        },
    )


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: Any) -> HttpResponse:
    require(request.user, "person.merge")
    merge = get_object_or_404(Merge, pk=pk)
    try:
        person_unmerge(actor=request.user, merge=merge)
    except EditConflict:
        messages.error(
            request,
            _("An entry was changed after the merge; it cannot be undone automatically."),
        )
        return redirect("dedup:merge", pk=merge.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dedup:merge", pk=merge.pk)
    messages.success(request, _("The merge was undone; both entries stand again."))
    return redirect("dedup:merge", pk=merge.pk)
