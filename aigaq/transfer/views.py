"""Transfer pages: upload a field bundle (coordinators), list and resolve conflicts; upload a
spreadsheet of persons (dry run first), whose look-alikes go to the duplicates queue. The
field-trip pages are in trips.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from aigaq.core.audit import record_read
from aigaq.core.forms import LengthLimits
from aigaq.core.locking import EditConflict
from aigaq.core.permissions import has_cap, require
from aigaq.media.uploads import upload_limit
from aigaq.transfer import selectors, spreadsheet
from aigaq.transfer.bundle import BundleError
from aigaq.transfer.models import Conflict
from aigaq.transfer.services import conflict_resolve
from aigaq.transfer.spreadsheet import COLUMNS, SpreadsheetError, template_xlsx
from aigaq.transfer.tasks import bundle_import_start, spreadsheet_import_start


class ImportForm(LengthLimits, forms.Form):
    bundle = forms.FileField(label=_("Bundle file (.aigaq)"))
    passphrase = forms.CharField(
        label=_("Passphrase"), required=False, widget=forms.PasswordInput, strip=False
    )
    identity = forms.FileField(label=_("or age identity file"), required=False)
    dry_run = forms.BooleanField(label=_("Only check, change nothing"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("passphrase") and not data.get("identity"):
            raise forms.ValidationError(_("Give the passphrase or the identity file."))
        return data


def _too_large(request: HttpRequest, form: forms.Form, field: str, limit: int) -> bool:
    """The upload was stopped at its limit (aigaq.media.uploads): say so on the form."""
    if not getattr(request, "upload_too_large", False):
        return False
    form.is_valid()  # what was read of the form is beside the point: only this is said
    form.errors.clear()
    form.add_error(
        field,
        _("The file is larger than the limit of %(mb)s MB. Nothing was kept.")
        % {"mb": max(1, limit // (1024 * 1024))},
    )
    return True


@login_required
def field_import(request: HttpRequest) -> HttpResponse:
    require(request.user, "import.run")
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    limit = int(settings.AIGAQ_MAX_UPLOAD_BYTES)
    if request.method == "POST" and _too_large(request, form, "bundle", limit):
        return render(request, "transfer/field_import.html", {"form": form}, status=413)
    if request.method == "POST" and form.is_valid():
        identity = form.cleaned_data.get("identity")
        job = bundle_import_start(
            actor=request.user,
            fileobj=form.cleaned_data["bundle"],
            passphrase=form.cleaned_data.get("passphrase") or None,
            identity_text=identity.read().decode("utf-8", "replace") if identity else None,
            dry_run=bool(form.cleaned_data.get("dry_run")),
        )
        return redirect("staff:job_detail", pk=job.pk)
    return render(request, "transfer/field_import.html", {"form": form})


@login_required
def conflicts(request: HttpRequest) -> HttpResponse:
    require(request.user, "import.run")
    items = []
    may_read = has_cap(request.user, "restricted.read")
    for conflict in selectors.open_conflicts()[:200]:
        rows, restricted = selectors.conflict_rows(conflict)
        if restricted:
            if may_read:
                record_read(actor=request.user, obj=conflict, fields=restricted)
            else:
                for r in rows:
                    if r["restricted"]:
                        r["office"] = r["field_value"] = "•••"
        items.append({"conflict": conflict, "rows": rows})
    return render(request, "transfer/conflicts.html", {"items": items})


@login_required
@require_POST
def conflict_resolve_view(request: HttpRequest, pk: str) -> HttpResponse:
    require(request.user, "import.run")
    conflict = get_object_or_404(Conflict, pk=pk)
    choice = request.POST.get("choice", "")
    if choice not in ("office", "field"):
        messages.error(request, _("Choose which version to keep."))
        return redirect("transfer:conflicts")
    try:
        conflict_resolve(actor=request.user, conflict=conflict, choice=choice)
    except (EditConflict, BundleError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Conflict resolved."))
    return redirect("transfer:conflicts")


# --- spreadsheet import ----------------------------------------------------------------------


class SpreadsheetForm(LengthLimits, forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.csv or .xlsx)"))
    dry_run = forms.BooleanField(
        label=_("Only check: show what would happen, write nothing"),
        required=False,
        initial=True,
    )


@upload_limit(lambda: spreadsheet.MAX_BYTES)
@login_required
def spreadsheet_upload(request: HttpRequest) -> HttpResponse:
    """The upload starts a background job (transfer.tasks) and leads to its page, which
    follows the import and shows its report."""
    require(request.user, "import.run")
    posted = request.method == "POST"
    form = SpreadsheetForm(request.POST if posted else None, request.FILES if posted else None)
    status = 200
    if request.method == "POST" and _too_large(request, form, "file", spreadsheet.MAX_BYTES):
        status = 413
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = spreadsheet_import_start(
                actor=request.user,
                fileobj=upload,
                file_name=upload.name,
                dry_run=form.cleaned_data["dry_run"],
            )
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("staff:job_detail", pk=job.pk)
    return render(
        request,
        "transfer/import_upload.html",
        {"form": form, "columns": COLUMNS.items()},
        status=status,
    )


@login_required
def spreadsheet_template(request: HttpRequest) -> HttpResponse:
    require(request.user, "import.run")
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="aigaq-import-template.xlsx"'
    return response
