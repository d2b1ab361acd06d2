"""The curators' review of what visitors sent through the public site's correction form
(aigaq.corrections): a list, and each submission's page where it is marked reviewed or
rejected (audited). The contact a visitor gave is restricted: shown only to readers with
restricted.read (disclosure.policy), and each showing is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aigaq.core import audit
from aigaq.corrections.models import Submission
from aigaq.corrections.selectors import submissions_for_review
from aigaq.corrections.services import submission_review
from aigaq.disclosure.policy import can_read_restricted_fields
from aigaq.disclosure.selectors import persons_for
from aigaq.staff.access import cap_required


@cap_required("corrections.review")
def correction_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Submission.Status.NEW)
    if status not in Submission.Status.values and status != "all":
        status = Submission.Status.NEW
    rows = submissions_for_review("" if status == "all" else status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/correction_list.html",
        {"page": page, "status": status, "statuses": Submission.Status.choices},
    )


@cap_required("corrections.review")
@require_http_methods(["GET", "HEAD", "POST"])
def correction_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    submission = Submission.objects.filter(pk=pk).select_related("reviewer").first()
    if submission is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            submission_review(
                actor=request.user,
                submission=submission,
                status=str(request.POST.get("status", "")),
                note=str(request.POST.get("note", "")),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("staff:correction_list")
    show_contact = bool(submission.contact) and can_read_restricted_fields(request.user)
    if show_contact:
        audit.record_read(actor=request.user, obj=submission, fields=["contact"])
    person = None
    if submission.entry_no:
        person = persons_for(request.user).filter(entry_no=submission.entry_no).first()
    return render(
        request,
        "staff/correction_detail.html",
        {
            "s": submission,
            "show_contact": show_contact,
            "person": person,
            "error": error,
            "statuses": Submission.Status.choices,
        },
    )
