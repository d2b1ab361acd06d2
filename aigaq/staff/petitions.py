"""Petition pages: the person page's Petitions panel (loaded by htmx after the page, so the
person page makes no more queries; a page of its own without JavaScript), a person's petition
for one form (what it still needs, the applicant and the entries, the substance to edit), its
PDF and DOCX (audited), and its follow-up (sent with a registration number, answered, next
action, closed); the coordinator's page of what is overdue, unsigned or answered this week,
and a batch of one form for a selection of persons."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core.forms import LengthLimits
from aigaq.core.locking import EditConflict
from aigaq.disclosure.policy import MediaUse, media_visible_to, person_visible_to
from aigaq.people.models import Person, StatusKind
from aigaq.petitions.batch import BatchRefused, petitions_batch
from aigaq.petitions.checks import CheckReport
from aigaq.petitions.family_summary import LANGUAGES as SUMMARY_LANGUAGES
from aigaq.petitions.family_summary import (
    SummaryRefused,
    family_summary_body,
    family_summary_build,
    family_summary_pdf,
)
from aigaq.petitions.models import Petition
from aigaq.petitions.registry import FormError, PetitionForm, all_forms, load_form
from aigaq.petitions.selection import BATCH_PAGE_FIELDS, SelectionForm, SelectionRefused
from aigaq.petitions.selectors import (
    ANSWERED_DAYS,
    LIST_LIMIT,
    coordinator_lists,
    petitions_seen_by,
    readiness_for,
)
from aigaq.petitions.services import (
    PetitionRefused,
    Prepared,
    petition_advance,
    petition_answer_attach,
    petition_create,
    petition_entries,
    petition_generate,
    petition_persons,
    petition_save,
    petition_set_next_action,
    prepare,
)
from aigaq.staff import selectors as page_selectors
from aigaq.staff.access import cap_required
from aigaq.staff.media import media_response

CAP = "petition.manage"
EDITABLE = (Petition.State.DRAFT, Petition.State.SIGNED)


def entries_form(form: PetitionForm, data: Any = None, initial: Any = None) -> forms.Form:
    """A Django form for `form`'s entries, built from its form.toml."""
    fields: dict[str, forms.Field] = {}
    for entry in form.entries:
        label = entry.label_in()
        help_text = entry.help_in()
        field: forms.Field
        if entry.kind in ("bool", "consent"):
            field = forms.BooleanField(label=label, required=False, help_text=help_text)
        elif entry.kind in ("textarea", "substance"):
            rows = 10 if entry.kind == "substance" else 3
            field = forms.CharField(
                label=label,
                required=False,
                max_length=20_000,
                help_text=help_text,
                widget=forms.Textarea(attrs={"rows": rows, "dir": "auto"}),
            )
        else:
            attrs = {"dir": "auto"}
            if entry.kind == "iin":
                attrs = {"inputmode": "numeric", "maxlength": "12", "autocomplete": "off"}
            field = forms.CharField(
                label=label,
                required=False,
                max_length=300,
                help_text=help_text,
                widget=forms.TextInput(attrs=attrs),
            )
        fields[entry.key] = field
    if form.several_persons:
        fields["also_for"] = forms.CharField(
            label=_("Also for these relatives (entry numbers)"),
            required=False,
            max_length=200,
            help_text=_("One applicant may appeal for several relatives: e.g. 402, 417."),
        )
    cls = type("EntriesForm", (LengthLimits, forms.Form), fields)
    return cls(data=data, initial=initial)


class StateForm(LengthLimits, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    state = forms.ChoiceField(choices=Petition.State.choices, widget=forms.HiddenInput)
    on = forms.DateField(
        label=gettext_lazy("Date (today if left empty)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        required=False,
        choices=[("", "—"), *Petition.Channel.choices],
    )
    registration_no = forms.CharField(
        label=gettext_lazy("Registration number"), required=False, max_length=100
    )
    answer = forms.CharField(
        label=gettext_lazy("What the answer says"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # What the answer says of the person's situation: a dated status event, its source the
    # petition (petitions.services.petition_status_event).
    status_kind = forms.ChoiceField(
        label=gettext_lazy("The answer reports (a status event)"),
        required=False,
        choices=[("", gettext_lazy("— nothing new —")), *StatusKind.choices],
    )
    status_date = forms.CharField(
        label=gettext_lazy("Since when (the answer's day if left empty)"),
        required=False,
        max_length=60,
    )
    sentence = forms.CharField(label=gettext_lazy("Sentence"), required=False, max_length=200)


class NextActionForm(LengthLimits, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    next_action = forms.CharField(label=gettext_lazy("Next action"), required=False, max_length=300)
    due = forms.DateField(
        label=gettext_lazy("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _person(request: HttpRequest, entry_no: int) -> Person:
    person, survivor = page_selectors.person_by_entry_no(user=request.user, entry_no=entry_no)
    if person is None or survivor is not None:
        raise Http404(_("No such entry."))
    return person


def _petition(request: HttpRequest, pk: Any) -> Petition:
    petition = Petition.objects.select_related("person", "answer_scan").filter(pk=pk).first()
    if petition is None or not all(
        person_visible_to(request.user, p) for p in petition_persons(petition)
    ):
        raise Http404(_("No such petition."))
    return petition


def _others(form: PetitionForm, raw: str, person: Person, user: Any) -> list[Person]:
    """The relatives named by entry number in `raw` (only entries the user may see)."""
    out: list[Person] = []
    for part in raw.replace(";", ",").split(","):
        text = part.strip().lstrip("#")
        if not text:
            continue
        if not text.isdigit():
            raise ValidationError(_("Write entry numbers, such as 402, 417."), code="number")
        found, survivor = page_selectors.person_by_entry_no(user=user, entry_no=int(text))
        if found is None or survivor is not None:
            raise ValidationError(
                _("There is no entry #%(n)s you may see.") % {"n": text}, code="missing"
            )
        if found.pk != person.pk and found not in out:
            out.append(found)
    return out


def _entries_from(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cleaned.items() if k != "also_for"}


def _render(
    request: HttpRequest,
    *,
    form: PetitionForm,
    person: Person,
    prepared: Prepared | None,
    entries_form_obj: forms.Form,
    petition: Petition | None = None,
    status: int = 200,
    form_error: str = "",
) -> HttpResponse:
    report: CheckReport | None = prepared.report if prepared else None
    context: dict[str, Any] = {
        "form_def": form,
        "person": person,
        "petition": petition,
        "report": report,
        "entries_form": entries_form_obj,
        "form_error": form_error,
        "editable": petition is None or petition.state in EDITABLE,
        "today": timezone.localdate().isoformat(),
    }
    if petition is not None:
        context["persons"] = petition_persons(petition)
        context["state_form"] = StateForm(initial={"version": petition.version})
        context["next_form"] = NextActionForm(
            initial={
                "version": petition.version,
                "next_action": petition.next_action,
                "due": petition.next_action_due,
            }
        )
        context["states"] = Petition.State
        scan = petition.answer_scan
        context["answer_scan"] = scan
        context["answer_scan_readable"] = scan is not None and media_visible_to(
            request.user, scan, use=MediaUse.PETITION, record=context["persons"]
        )
    return render(request, "staff/petitions/petition.html", context, status=status)


@cap_required(CAP)
def petition_panel(request: HttpRequest, entry_no: int) -> HttpResponse:
    """What each form still needs from the person's record, and their petitions: the panel's
    fragment for htmx, a page of its own otherwise."""
    person = _person(request, entry_no)
    ready, errors = readiness_for(person)
    context = {
        "person": person,
        "ready": ready,
        "form_errors": errors,
        "petitions": list(petitions_seen_by(request.user, person)),
    }
    template = "staff/petitions/panel_page.html"
    if getattr(request, "htmx", False):
        template = "staff/petitions/_panel_body.html"
    return render(request, template, context)


@cap_required(CAP)
def petition_new(request: HttpRequest, entry_no: int) -> HttpResponse:
    """GET: the form for one person and one petition form, filled from the record; POST:
    recorded as a draft petition (the page of that petition follows)."""
    person = _person(request, entry_no)
    try:
        form = load_form(request.GET.get("form") or request.POST.get("form") or "")
    except FormError as exc:
        messages.error(request, str(exc))
        return redirect("staff:person_detail", entry_no=person.entry_no)
    if request.method == "POST":
        bound = entries_form(form, data=request.POST)
        if bound.is_valid():
            try:
                others = _others(form, bound.cleaned_data.get("also_for", ""), person, request.user)
                petition = petition_create(
                    actor=request.user,
                    form=form.name,
                    persons=[person, *others],
                    entries=_entries_from(bound.cleaned_data),
                )
            except (ValidationError, FormError) as exc:
                message = " ".join(getattr(exc, "messages", [str(exc)]))
                prepared = prepare(form=form, persons=[person], entries={})
                return _render(
                    request,
                    form=form,
                    person=person,
                    prepared=prepared,
                    entries_form_obj=bound,
                    status=400,
                    form_error=message,
                )
            messages.success(request, _("The petition was saved as a draft."))
            return redirect("staff:petition_detail", pk=petition.pk)
        prepared = prepare(form=form, persons=[person], entries={})
        return _render(
            request,
            form=form,
            person=person,
            prepared=prepared,
            entries_form_obj=bound,
            status=400,
        )
    prepared = prepare(form=form, persons=[person], entries={})
    initial = {k: v for k, v in prepared.entries.items() if v not in ("", False)}
    return _render(
        request,
        form=form,
        person=person,
        prepared=prepared,
        entries_form_obj=entries_form(form, initial=initial),
    )


@cap_required(CAP)
def petition_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    """A petition: what it still needs, its entries (editable while a draft), its documents
    and its follow-up. POST saves the entries."""
    petition = _petition(request, pk)
    try:
        form = load_form(petition.form)
    except FormError as exc:
        return render(
            request,
            "staff/petitions/form_broken.html",
            {"petition": petition, "error": str(exc)},
            status=500 if request.method == "GET" else 400,
        )
    person = petition.person
    persons = petition_persons(petition)
    also = ", ".join(str(p.entry_no) for p in persons[1:])
    if request.method == "POST":
        if petition.state not in EDITABLE:
            messages.error(request, _("A petition that has been sent is no longer edited."))
            return redirect("staff:petition_detail", pk=petition.pk)
        bound = entries_form(form, data=request.POST)
        if bound.is_valid():
            try:
                others = _others(form, bound.cleaned_data.get("also_for", ""), person, request.user)
                petition = petition_save(
                    actor=request.user,
                    petition=petition,
                    entries=_entries_from(bound.cleaned_data),
                    expected_version=_int(request.POST.get("version")),
                    persons=[person, *others],
                )
            except EditConflict:
                messages.error(
                    request, _("Someone else changed this petition meanwhile; look again.")
                )
                return redirect("staff:petition_detail", pk=petition.pk)
            except ValidationError as exc:
                return _render(
                    request,
                    form=form,
                    person=person,
                    prepared=prepare(
                        form=form, persons=persons, entries=petition_entries(petition)
                    ),
                    entries_form_obj=bound,
                    petition=petition,
                    status=400,
                    form_error=" ".join(exc.messages),
                )
            messages.success(request, _("Saved."))
            return redirect("staff:petition_detail", pk=petition.pk)
        return _render(
            request,
            form=form,
            person=person,
            prepared=prepare(form=form, persons=persons, entries=petition_entries(petition)),
            entries_form_obj=bound,
            petition=petition,
            status=400,
        )
    prepared = prepare(form=form, persons=persons, entries=petition_entries(petition))
    initial = {k: v for k, v in prepared.entries.items() if v not in ("", False)}
    initial["also_for"] = also
    return _render(
        request,
        form=form,
        person=person,
        prepared=prepared,
        entries_form_obj=entries_form(form, initial=initial),
        petition=petition,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@cap_required(CAP)
def petition_document(request: HttpRequest, pk: Any, fmt: str) -> HttpResponse:
    """POST: the petition's PDF or DOCX, generated now (audited), or back to its page with
    every reason it cannot be."""
    petition = _petition(request, pk)
    if request.method != "POST":
        return redirect("staff:petition_detail", pk=petition.pk)
    try:
        document = petition_generate(actor=request.user, petition=petition, fmt=fmt)
    except (PetitionRefused, FormError) as exc:
        messages.error(request, str(exc))
        return redirect("staff:petition_detail", pk=petition.pk)
    response = HttpResponse(document.content, content_type=document.content_type)
    filename = f"petition-{petition.form}-{petition.person.entry_no}.{document.fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@cap_required(CAP)
def petition_state(request: HttpRequest, pk: Any) -> HttpResponse:
    """POST: the petition moved on (signed, sent, registered, answered, follow-up, closed)."""
    petition = _petition(request, pk)
    if request.method != "POST":
        return redirect("staff:petition_detail", pk=petition.pk)
    # First: a body refused as too large has no fields either (not "this field is required").
    scan = _scan_upload(request)
    if scan == "too_large":
        messages.error(request, _("The scanned answer is too large. Nothing was saved."))
        return redirect("staff:petition_detail", pk=petition.pk)
    bound = StateForm(request.POST)
    if not bound.is_valid():
        messages.error(request, " ".join(str(e) for errs in bound.errors.values() for e in errs))
        return redirect("staff:petition_detail", pk=petition.pk)
    data = bound.cleaned_data
    state = data["state"]
    if state == Petition.State.SENT and data.get("registration_no"):
        state = Petition.State.REGISTERED
    try:
        petition_advance(
            actor=request.user,
            petition=petition,
            state=state,
            expected_version=data["version"],
            on=data.get("on"),
            channel=data.get("channel") or "",
            registration_no=data.get("registration_no") or "",
            answer=data.get("answer") or "",
            status={
                "kind": data.get("status_kind") or "",
                "date_text": data.get("status_date") or "",
                "sentence": data.get("sentence") or "",
            },
            answer_scan=(scan, scan.name or "answer") if scan is not None else None,
        )
    except EditConflict:
        messages.error(request, _("Someone else changed this petition meanwhile; look again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The petition is now: %(state)s.") % {"state": Petition.State(state).label},
        )
    return redirect("staff:petition_detail", pk=petition.pk)


def _scan_upload(request: HttpRequest) -> Any:
    """The scanned answer sent with a form (None when none was chosen), or "too_large"."""
    upload = request.FILES.get("answer_scan")  # reads the body: sets upload_too_large
    if getattr(request, "upload_too_large", False):
        return "too_large"
    return upload if upload is not None and upload.name else None


@cap_required(CAP)
def petition_answer_scan(request: HttpRequest, pk: Any) -> Any:
    """GET: the scanned answer, decrypted, to whoever may see every person the petition
    concerns and read restricted files (the sending is audited; 404 for anyone else, as if
    there were none). POST: attach a scanned answer (a PDF or an image) to an answered
    petition; a file that is not a document is refused and nothing is kept."""
    petition = _petition(request, pk)
    if request.method == "POST":
        scan = _scan_upload(request)
        if scan is None or scan == "too_large":
            messages.error(
                request,
                _("The scanned answer is too large. Nothing was saved.")
                if scan == "too_large"
                else _("Choose the scanned answer: a PDF or an image."),
            )
            return redirect("staff:petition_detail", pk=petition.pk)
        try:
            petition_answer_attach(
                actor=request.user,
                petition=petition,
                fileobj=scan,
                name=scan.name or "answer",
                expected_version=_int(request.POST.get("version")),
            )
        except EditConflict:
            messages.error(request, _("Someone else changed this petition meanwhile; look again."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The scanned answer is kept in the archive."))
        return redirect("staff:petition_detail", pk=petition.pk)
    if petition.answer_scan is None:
        raise Http404(_("No such file."))
    response = media_response(
        request,
        petition.answer_scan,
        use=MediaUse.PETITION,
        record=petition_persons(petition),
        person_id=petition.person_id,
    )
    if response.status_code in (200, 206):
        ext = SCAN_EXTENSIONS.get(petition.answer_scan.content_type, "")
        name = f"answer-{petition.form}-{petition.person.entry_no}{ext}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


SCAN_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/tiff": ".tif",
}


@cap_required(CAP)
def petition_next(request: HttpRequest, pk: Any) -> HttpResponse:
    """POST: the next action about the petition and its due date (never a past day)."""
    petition = _petition(request, pk)
    if request.method != "POST":
        return redirect("staff:petition_detail", pk=petition.pk)
    bound = NextActionForm(request.POST)
    if not bound.is_valid():
        messages.error(request, " ".join(str(e) for errs in bound.errors.values() for e in errs))
        return redirect("staff:petition_detail", pk=petition.pk)
    try:
        petition_set_next_action(
            actor=request.user,
            petition=petition,
            next_action=bound.cleaned_data.get("next_action") or "",
            due=bound.cleaned_data.get("due"),
            expected_version=bound.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(request, _("Someone else changed this petition meanwhile; look again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("staff:petition_detail", pk=petition.pk)


# --- the coordinator's page and the batch ------------------------------------------------

#: The most persons a batch made from the page takes (it is made while the page waits, in
#: memory); bigger batches are made with `aigaq petitions batch`.
WEB_BATCH_LIMIT = 50


@cap_required(CAP)
def petitions_home(request: HttpRequest) -> HttpResponse:
    """The coordinator's lists: overdue next actions, documents waiting for a signature, the
    answers of this week (only petitions about persons the reader may see)."""
    lists = coordinator_lists(request.user, timezone.localdate())
    forms_ok, _errors = all_forms()
    return render(
        request,
        "staff/petitions/home.html",
        {"lists": lists, "forms": forms_ok, "limit": LIST_LIMIT, "days": ANSWERED_DAYS},
    )


class BatchSelectionForm(SelectionForm):
    """Whom the batch is for (the selection's place, year of detention, status and entry
    numbers) and the documents' format."""

    selection_fields = BATCH_PAGE_FIELDS
    field_order = ("fmt",)

    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[("pdf", "PDF"), ("docx", "DOCX")], initial="pdf"
    )


def _batch_entries_form(form: PetitionForm, data: Any = None) -> forms.Form:
    """The form's entries that are the same for every person of a batch (the substance is
    written from each record, so it is left out)."""
    bound = entries_form(form, data=data)
    for entry in form.entries:
        if entry.kind == "substance" and entry.key in bound.fields:
            del bound.fields[entry.key]
    bound.fields.pop("also_for", None)
    return bound


@cap_required(CAP)
def petitions_batch_page(request: HttpRequest) -> HttpResponse:
    """One form for every person a selection leaves, downloaded as a ZIP with index.csv (who
    was written, who was skipped and why). GET shows the selection and the form's common
    entries; POST makes the batch (at most WEB_BATCH_LIMIT persons) or says why not."""
    try:
        form = load_form(request.GET.get("form") or request.POST.get("form") or "")
    except FormError as exc:
        messages.error(request, str(exc))
        return redirect("staff:petitions_home")
    selection = BatchSelectionForm(data=request.POST or None)
    entries = _batch_entries_form(form, data=request.POST or None)
    error = ""
    if request.method == "POST" and selection.is_valid() and entries.is_valid():
        data = selection.cleaned_data
        try:
            persons = list(selection.selection().persons(request.user)[: WEB_BATCH_LIMIT + 1])
            if len(persons) > WEB_BATCH_LIMIT:
                raise BatchRefused(
                    _(
                        "The selection has more than %(max)s persons. Narrow it, or make the "
                        "batch with the command aigaq petitions batch."
                    )
                    % {"max": WEB_BATCH_LIMIT}
                )
            buffer = io.BytesIO()
            result = petitions_batch(
                actor=request.user,
                form=form.name,
                persons=persons,
                fmt=data["fmt"],
                output=buffer,
                entries=_entries_from(entries.cleaned_data),
            )
        except (BatchRefused, SelectionRefused, ValidationError) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            name = f"{form.name}-{timezone.localdate().isoformat()}-{len(result.written)}.zip"
            response = HttpResponse(buffer.getvalue(), content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            return response
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "staff/petitions/batch.html",
        {
            "form_def": form,
            "selection": selection,
            "entries_form": entries,
            "error": error,
            "limit": WEB_BATCH_LIMIT,
        },
        status=status,
    )


# --- the one-page summary for the family -------------------------------------------------


@cap_required(CAP)
def family_summary_page(request: HttpRequest, entry_no: int) -> HttpResponse:
    """GET: the one-page summary for the person's family, in the language chosen (?lang=;
    the page's own when it is one of the summary's, else Kazakh), as it will print. POST:
    the same as a one-page PDF (audited as an export of the person)."""
    person = _person(request, entry_no)
    codes = [lang.code for lang in SUMMARY_LANGUAGES]
    asked = request.POST.get("lang") or request.GET.get("lang") or ""
    if not asked:
        current = (translation.get_language() or "kk").replace("-", "_").lower()
        asked = next((c for c in codes if c.lower() == current), "kk")
    try:
        summary = family_summary_build(actor=request.user, person=person, language=asked)
        if request.method == "POST":
            document = family_summary_pdf(actor=request.user, summary=summary)
            response = HttpResponse(document.content, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
            response["Cache-Control"] = "no-store"
            return response
        body = family_summary_body(summary)
        error = ""
    except SummaryRefused as exc:
        body, error, summary = "", str(exc), None
    return render(
        request,
        "staff/petitions/family_summary.html",
        {
            "person": person,
            "summary": summary,
            "body": mark_safe(body),  # noqa: S308 - rendered by an autoescaping template
            "error": error,
            "languages": SUMMARY_LANGUAGES,
            "lang": summary.language.code if summary else asked,
        },
        status=400 if error else 200,
    )
