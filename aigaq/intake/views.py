"""Desk pages. Views parse input, call services and selectors, and render; nothing more."""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aigaq.core import audit
from aigaq.core.locking import EditConflict
from aigaq.core.permissions import require
from aigaq.intake import selectors, services
from aigaq.intake.forms import RecordTestimonyForm, RegisterForm, TripExportForm, TripForm
from aigaq.intake.models import FieldTrip, Visit
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


def apply_error(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form, on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/screen.html", selectors.screen_data())


@login_required
@require_GET
def screen_rows(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/_screen_rows.html", selectors.screen_data())


# --- one visit, and the testimony recorded from it -----------------------------------------


@desk_view
def visit_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    visit = _visit_or_404(request, pk)
    show_phone = selectors.may_read_phone(request.user)
    relatives = selectors.visit_relatives(user=request.user, visit=visit)
    errors: list[str] = []
    closed = visit.status in (Visit.Status.DONE, Visit.Status.LEFT)
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
                    phone=d.get("phone", "") if show_phone else visit.phone,
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
    if show_phone and visit.phone:
        audit.record_read(actor=request.user, obj=visit, fields=["phone"])
    history = selectors.visit_history(user=request.user, visit=visit)
    return render(
        request,
        "intake/visit.html",
        {
            "visit": visit,
            "form": form,
            "errors": errors,
            "closed": closed,
            "show_phone": show_phone,
            "relatives": relatives,
            "history": history,
            "rooms": selectors.rooms_active(),
        },
        status=400 if (errors or (request.method == "POST" and not form.is_valid())) else 200,
    )


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


# --- field trips ---------------------------------------------------------------------------


def trip_view(fn: View) -> View:
    """Signed in, and allowed to plan field trips (coordinators)."""

    @login_required
    @wraps(fn)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require(request.user, "fieldtrip.manage")
        return fn(request, *args, **kwargs)

    return wrapper


def _trip_or_404(pk: Any) -> FieldTrip:
    try:
        return selectors.trip_get(pk)
    except FieldTrip.DoesNotExist:
        raise Http404(_("No such field trip.")) from None


def _trip_form(request: HttpRequest, **kwargs: Any) -> TripForm:
    return TripForm(
        request.POST if request.method == "POST" else None,
        team_queryset=selectors.team_choices(),
        **kwargs,
    )


def _trip_values(form: TripForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        k: d[k] for k in ("name", "place", "place_label", "starts_on", "ends_on", "team", "notes")
    }


@trip_view
@require_GET
def trips(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/trips_list.html", {"trips": selectors.trips_list()})


@trip_view
def trip_new(request: HttpRequest) -> HttpResponse:
    form = _trip_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            trip = services.field_trip_create(actor=request.user, **_trip_values(form))
        except ValidationError as exc:
            apply_error(form, exc)
        else:
            messages.success(request, _("Field trip “%(name)s” planned.") % {"name": trip.name})
            return redirect("intake:trip", pk=trip.pk)
    return render(
        request,
        "intake/trips_form.html",
        {"form": form, "trip": None},
        status=400 if form.errors else 200,
    )


@trip_view
def trip_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    trip = _trip_or_404(pk)
    conflict = None
    if request.method == "POST":
        form = _trip_form(request)
        if form.is_valid():
            try:
                services.field_trip_update(
                    actor=request.user,
                    trip=trip,
                    expected_version=form.cleaned_data.get("version"),
                    **_trip_values(form),
                )
            except EditConflict as exc:
                conflict = exc.current
                form.add_error(
                    None,
                    _(
                        "Someone else saved this trip while you were editing it (now version "
                        "%(now)s). Your changes are not saved; open the trip again."
                    )
                    % {"now": exc.current.version},
                )
            except ValidationError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Field trip saved."))
                return redirect("intake:trip", pk=trip.pk)
    else:
        form = TripForm(
            initial={
                "version": trip.version,
                "name": trip.name,
                "place": trip.place_id,
                "place_label": trip.place_label,
                "starts_on": trip.starts_on,
                "ends_on": trip.ends_on,
                "team": [u.pk for u in trip.team.all()],
                "notes": trip.notes,
            },
            team_queryset=selectors.team_choices(),
        )
    return render(
        request,
        "intake/trips_form.html",
        {"form": form, "trip": trip, "conflict": conflict},
        status=409 if conflict else (400 if form.errors else 200),
    )


def _trip_detail(
    request: HttpRequest, trip: FieldTrip, export_form: TripExportForm | None = None
) -> HttpResponse:
    moves = [
        (status, FieldTrip.Status(status).label)
        for status in FieldTrip.Status.values
        if status in services.TRIP_MOVES.get(trip.status, frozenset())
    ]
    form = export_form or TripExportForm(initial={"persons_at_place": bool(trip.place_id)})
    if not trip.place_id:
        form.fields["persons_at_place"].disabled = True
    return render(
        request,
        "intake/trips_detail.html",
        {
            "trip": trip,
            "team": list(trip.team.all()),
            "testimonies": selectors.trip_testimonies(user=request.user, trip=trip),
            "visits": selectors.trip_visits(trip),
            "bundles": selectors.trip_bundles(trip),
            "moves": moves,
            "export_form": form,
        },
        status=400 if export_form is not None and export_form.errors else 200,
    )


@trip_view
@require_GET
def trip_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    return _trip_detail(request, _trip_or_404(pk))


@trip_view
@require_POST
def trip_status(request: HttpRequest, pk: Any) -> HttpResponse:
    trip = _trip_or_404(pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.field_trip_set_status(
            actor=request.user,
            trip=trip,
            status=request.POST.get("status", ""),
            expected_version=version,
        )
    except EditConflict:
        messages.error(request, _("Someone else changed this trip meanwhile; look again."))
    except ValidationError as exc:
        messages.error(request, " ".join(_errors(exc)))
    else:
        messages.success(request, _("Trip status changed."))
    return redirect("intake:trip", pk=trip.pk)


@trip_view
@require_POST
def trip_export(request: HttpRequest, pk: Any) -> HttpResponseBase:
    """Write the encrypted bundle to a temporary file in the data folder and stream it back.
    The file is unlinked as soon as it is open, so nothing stays on disk once it is sent (or
    if the download is cut off)."""
    from aigaq.transfer.bundle import BundleError
    from aigaq.transfer.services import field_bundle_export

    trip = _trip_or_404(pk)
    form = TripExportForm(request.POST)
    if not trip.place_id:
        form.fields["persons_at_place"].disabled = True
    if not form.is_valid():
        return _trip_detail(request, trip, form)
    d = form.cleaned_data
    persons_at = trip.place.code if trip.place is not None and d["persons_at_place"] else None
    folder = Path(settings.DATA_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix="export-", suffix=".aigaq", dir=folder)
    fh = os.fdopen(fd, "w+b")
    try:
        field_bundle_export(
            actor=request.user,
            trip=trip,
            out=fh,
            passphrase=d["passphrase"] or None,
            recipient=d["recipient"] or None,
            persons_at=persons_at,
        )
        fh.flush()
        fh.seek(0)
    except BundleError as exc:
        fh.close()
        form.add_error(None, str(exc))
        return _trip_detail(request, trip, form)
    except BaseException:
        fh.close()
        raise
    finally:
        os.unlink(name)  # the open handle keeps the bytes until FileResponse closes it
    stem = slugify(trip.name, allow_unicode=True) or "trip"
    return FileResponse(
        fh,
        as_attachment=True,
        filename=f"{stem}-{timezone.localdate():%Y%m%d}.aigaq",
        content_type="application/octet-stream",
    )
