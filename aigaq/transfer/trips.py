"""Field-trip pages (coordinators), at /desk/trips/: plan a trip, its page (testimonies and
visits recorded on it, bundles made for it and received from it), and the export of its
bundle for the trip laptop. The trip itself is the desk's record (aigaq.intake: model,
services, selectors); these pages sit in transfer because a trip's page makes and lists its
bundles. Views parse input, call services and selectors, and render; nothing more."""

from __future__ import annotations

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
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aigaq.core.locking import EditConflict
from aigaq.core.permissions import require
from aigaq.intake import selectors, services
from aigaq.intake.models import FieldTrip
from aigaq.transfer import selectors as transfer_selectors
from aigaq.transfer.bundle import BundleError
from aigaq.transfer.forms import TripExportForm, TripForm
from aigaq.transfer.services import field_bundle_export

View = Callable[..., HttpResponseBase]


def apply_error(form: Any, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form, on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


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
    return render(request, "transfer/trips_list.html", {"trips": selectors.trips_list()})


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
            return redirect("transfer:trip", pk=trip.pk)
    return render(
        request,
        "transfer/trips_form.html",
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
                return redirect("transfer:trip", pk=trip.pk)
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
        "transfer/trips_form.html",
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
        "transfer/trips_detail.html",
        {
            "trip": trip,
            "team": list(trip.team.all()),
            "testimonies": selectors.trip_testimonies(user=request.user, trip=trip),
            "visits": selectors.trip_visits(trip),
            "bundles": transfer_selectors.trip_bundles(trip),
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
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, _("Trip status changed."))
    return redirect("transfer:trip", pk=trip.pk)


@trip_view
@require_POST
def trip_export(request: HttpRequest, pk: Any) -> HttpResponseBase:
    """Write the encrypted bundle to a temporary file in the data folder and stream it back.
    The file is unlinked as soon as it is open, so nothing stays on disk once it is sent (or
    if the download is cut off)."""
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
