"""Desk pages. Views parse input, call services and selectors, and render; nothing more."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aigaq.core import audit
from aigaq.core.permissions import require
from aigaq.intake import selectors, services
from aigaq.intake.forms import RecordTestimonyForm, RegisterForm
from aigaq.intake.models import Visit
from aigaq.testimonies.services import RelationInput

View = Callable[..., HttpResponseBase]


def desk_view(fn: View) -> View:
    """Signed in, and allowed to work at the desk."""

    @login_required
    @wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require(request.user, "intake.desk")
        return fn(request, *args, **kwargs)

    return wrapper


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _visit_or_404(request: HttpRequest, pk: Any) -> Visit:
    try:
        return selectors.visit_for(user=request.user, pk=pk)
    except Visit.DoesNotExist:
        raise Http404(_("No such visit.")) from None


# --- registering ---------------------------------------------------------------------------


@desk_view
def desk(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    chosen: list[Any] = []
    if request.method == "POST":
        form = RegisterForm(request.POST)
        chosen = selectors.persons_by_ids(user=request.user, ids=request.POST.getlist("relatives"))
        if form.is_valid():
            d = form.cleaned_data
            try:
                visit = services.visit_register(
                    actor=request.user,
                    visitor_name=d["visitor_name"],
                    phone=d["phone"],
                    reason=d["reason"],
                    relatives=chosen,
                    new_relatives=[d["new_relatives"]],
                    language=d["language"],
                    notes=d["notes"],
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(
                    request,
                    _("Ticket %(ticket)s: %(name)s is waiting.")
                    % {"ticket": visit.ticket, "name": visit.visitor_name},
                )
                request.session["intake_last_ticket"] = visit.ticket
                return redirect("intake:desk")
    else:
        form = RegisterForm()
    last_ticket = request.session.pop("intake_last_ticket", None)
    recent, waiting_count = selectors.desk_waiting()
    return render(
        request,
        "intake/desk.html",
        {
            "form": form,
            "errors": errors,
            "chosen": chosen,
            "last_ticket": last_ticket,
            "recent": recent,
            "waiting_count": waiting_count,
        },
        status=400 if errors or form.errors else 200,
    )


@desk_view
@require_GET
def relative_search(request: HttpRequest) -> HttpResponse:
    found = selectors.person_search(user=request.user, query=request.GET.get("q", ""))
    return render(
        request, "intake/_relative_results.html", {"found": found, "q": request.GET.get("q", "")}
    )


# --- the queue board -----------------------------------------------------------------------


def _board_context(request: HttpRequest) -> dict[str, Any]:
    rooms = selectors.rooms_active()
    return {
        "board": selectors.board_data(),
        "rooms": rooms,
        "room_keys": list(enumerate(rooms[:9], start=1)),
    }


@desk_view
def board(request: HttpRequest) -> HttpResponse:
    ctx = _board_context(request)
    ctx["interviewers"] = selectors.interviewers()
    return render(request, "intake/board.html", ctx)


@desk_view
@require_GET
def board_columns(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state and state == selectors.board_state():
        return HttpResponse(status=204)  # nothing new: htmx keeps the board as it is
    return render(request, "intake/_board_columns.html", _board_context(request))


def _after_action(request: HttpRequest, next_url: str = "") -> HttpResponse:
    if _is_htmx(request):
        return render(request, "intake/_board_columns.html", _board_context(request))
    return redirect(next_url or "intake:board")


def _safe_next(request: HttpRequest) -> str:
    nxt = request.POST.get("next", "")
    return nxt if nxt.startswith("/desk/") else ""


def _visit_action(request: HttpRequest, pk: Any, service: Any, **kwargs: Any) -> HttpResponse:
    """One POST action on a visit: call the service, then back to the board or the visit."""
    visit = _visit_or_404(request, pk)
    try:
        service(actor=request.user, visit=visit, **kwargs)
    except ValidationError as exc:
        return _action_error(request, exc)
    return _after_action(request, _safe_next(request))


@desk_view
@require_POST
def visit_assign(request: HttpRequest, pk: Any) -> HttpResponse:
    return _visit_action(
        request,
        pk,
        services.visit_assign,
        room=selectors.room_by_id(request.POST.get("room", "")),
        interviewer=selectors.interviewer_by_id(request.POST.get("interviewer", "")),
    )


@desk_view
@require_POST
def visit_start(request: HttpRequest, pk: Any) -> HttpResponse:
    return _visit_action(request, pk, services.visit_start)


@desk_view
@require_POST
def visit_finish(request: HttpRequest, pk: Any) -> HttpResponse:
    return _visit_action(request, pk, services.visit_finish)


@desk_view
@require_POST
def visit_left(request: HttpRequest, pk: Any) -> HttpResponse:
    return _visit_action(request, pk, services.visit_mark_left)


def _action_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    text = " ".join(_errors(exc))
    if _is_htmx(request):
        ctx = _board_context(request)
        ctx["error"] = text
        return render(request, "intake/_board_columns.html", ctx, status=400)
    messages.error(request, text)
    return redirect(_safe_next(request) or "intake:board")


# --- the waiting-area screen ---------------------------------------------------------------


#: The languages the waiting area is addressed in, besides the page's own: Kazakh and Russian,
#: which nearly every visitor reads.
SCREEN_LANGUAGES = ("kk", "ru")


def _screen_context() -> dict[str, Any]:
    """What the screen shows, and its languages: the interface language first, then Kazakh
    and Russian (each once)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    langs = [current] + [code for code in SCREEN_LANGUAGES if code != current]
    return {**selectors.screen_data(), "screen_languages": langs}


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/screen.html", _screen_context())


@login_required
@require_GET
def screen_rows(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/_screen_rows.html", _screen_context())


# --- one visit, and the testimony recorded from it -----------------------------------------


@desk_view
def visit_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    show_phone = selectors.may_read_phone(request.user)
    relatives = selectors.visit_relatives(user=request.user, visit=visit)
    errors: list[str] = []
    if request.method == "POST":
        form = RecordTestimonyForm(
            request.POST, visit=visit, relatives=relatives, show_phone=show_phone
        )
        if form.is_valid():
            d = form.cleaned_data
            relations = [RelationInput(p, d[f"rel_{p.pk}"]) for p in relatives]
            new = [
                services.NewRelative(d[f"new_{i}_name"], d[f"new_{i}_relationship"])
                for i in range(form.new_count)
                if d.get(f"new_{i}_name", "").strip()
            ]
            try:
                services.visit_record_testimony(
                    actor=request.user,
                    visit=visit,
                    testifier_name=d["testifier_name"],
                    # The phone field starts empty (the number is shown only on a recorded
                    # "Show"): empty keeps the number written at the desk.
                    phone=(d.get("phone", "") if show_phone else "") or visit.phone,
                    language=d["language"],
                    recorded_on=d["recorded_on"],
                    location=d["location"],
                    relations=relations,
                    new_relatives=new,
                    summary=d["summary"],
                    consent={
                        k: d[k]
                        for k in (
                            "consent_public",
                            "consent_press",
                            "consent_petitions",
                            "consent_anonymous",
                        )
                    },
                )
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(
                    request,
                    _("Testimony recorded; ticket %(ticket)s is done.") % {"ticket": visit.ticket},
                )
                return redirect("intake:visit", pk=visit.pk)
    else:
        form = RecordTestimonyForm(visit=visit, relatives=relatives, show_phone=show_phone)
    failed = bool(errors or (request.method == "POST" and not form.is_valid()))
    return _render_visit(request, visit, form=form, errors=errors, status=400 if failed else 200)


def _render_visit(
    request: HttpRequest,
    visit: Visit,
    *,
    form: RecordTestimonyForm | None = None,
    errors: list[str] | None = None,
    revealed: bool = False,
    status: int = 200,
) -> HttpResponse:
    show_phone = selectors.may_read_phone(request.user)
    relatives = selectors.visit_relatives(user=request.user, visit=visit)
    if form is None:
        form = RecordTestimonyForm(visit=visit, relatives=relatives, show_phone=show_phone)
    return render(
        request,
        "intake/visit.html",
        {
            "visit": visit,
            "form": form,
            "errors": errors or [],
            "closed": visit.status in (Visit.Status.DONE, Visit.Status.LEFT),
            "show_phone": show_phone,
            "revealed": revealed,
            "relatives": relatives,
            "history": selectors.visit_history(user=request.user, visit=visit),
            "rooms": selectors.rooms_active(),
        },
        status=status,
    )


@desk_view
def visit_contact(request: HttpRequest, pk: Any) -> HttpResponse:
    """The visitor's phone (restricted): shown on request, and every showing is audited; the
    same rule, permission and audit as the testimony page's testifier contact."""
    require(request.user, "restricted.read")
    visit = _visit_or_404(request, pk)
    if request.method != "POST":
        return redirect("intake:visit", pk=visit.pk)
    if visit.phone:
        audit.record_read(actor=request.user, obj=visit, fields=["phone"])
    if _is_htmx(request):
        return render(request, "staff/_restricted_value.html", {"value": visit.phone})
    return _render_visit(request, visit, revealed=True)


# --- the day report ------------------------------------------------------------------------


def _parse_day(text: str | None) -> dt.date | None:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@desk_view
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    day = _parse_day(request.GET.get("date"))
    if day is None:
        return HttpResponseBadRequest(_("Give the date as YYYY-MM-DD."))
    data = selectors.day_report(day=day)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="desk-{day:%Y-%m-%d}.csv"'
        writer = csv.writer(response)
        writer.writerows(data.csv_rows())
        return response
    return render(request, "intake/report.html", {"report": data, "day": day})


# --- rooms ---------------------------------------------------------------------------------


@desk_view
def rooms(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("toggle"):
                room = selectors.room_by_id(request.POST["toggle"])
                if room is None:
                    raise Http404(_("No such room."))
                services.room_set_active(actor=request.user, room=room, active=not room.active)
            else:
                services.room_create(actor=request.user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("intake:rooms")
    return render(
        request,
        "intake/rooms.html",
        {"rooms": selectors.rooms_all(), "errors": errors},
        status=400 if errors else 200,
    )
