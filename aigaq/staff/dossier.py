"""The dossier page (/petitions/dossier/): a selection of persons (petitions.selection: place,
tag, status, citizenship, entry numbers), a title, a language and a format; "Make the
dossier" or "Make the wall of sorrow" answers with the file to download, or the page again
saying why not.
Everything is decided by `aigaq.petitions.dossier` (who may be named: disclosure)."""

from __future__ import annotations

import io

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.petitions.dossier import (
    CAP,
    DOSSIER_LANGUAGES,
    PAPERS,
    DossierRefused,
    dossier_make,
)
from aigaq.petitions.selection import DOSSIER_FIELDS, SelectionForm, SelectionRefused
from aigaq.staff.access import cap_required

#: The most persons a dossier made from the page takes (made while the page waits);
#: bigger ones are made with the command `aigaq dossier`.
WEB_DOSSIER_LIMIT = 100


class DossierForm(SelectionForm):
    """Whom the dossier is for (the selection's place, tag, status, citizenship and entry
    numbers), its title, language, format and, for the wall, the paper."""

    selection_fields = DOSSIER_FIELDS

    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the dossier"),
        choices=[(lang.code, lang.name) for lang in DOSSIER_LANGUAGES],
        initial="en",
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[("pdf", "PDF"), ("docx", gettext_lazy("DOCX (the dossier only)"))],
        initial="pdf",
    )
    paper = forms.ChoiceField(
        label=gettext_lazy("Paper of the wall of sorrow"),
        choices=[(p, p) for p in PAPERS],
        initial="A4",
    )


@cap_required(CAP)
def dossier_page(request: HttpRequest) -> HttpResponse:
    form = DossierForm(data=request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wall = "wall" in request.POST
        try:
            selection = form.selection()
            persons = list(selection.persons(request.user)[: WEB_DOSSIER_LIMIT + 1])
            if len(persons) > WEB_DOSSIER_LIMIT:
                raise DossierRefused(
                    _(
                        "The selection has more than %(max)s persons. Narrow it, or make the "
                        "dossier with the command aigaq dossier."
                    )
                    % {"max": WEB_DOSSIER_LIMIT}
                )
            buffer = io.BytesIO()
            result = dossier_make(
                actor=request.user,
                title=data["title"],
                persons=persons,
                language=data["language"],
                fmt="pdf" if wall else data["fmt"],
                output=buffer,
                wall=wall,
                paper=data["paper"],
                selection=selection.as_record(),
            )
        except (SelectionRefused, DossierRefused, ValidationError) as exc:
            error = " ".join(getattr(exc, "messages", [str(exc)]))
        else:
            doc = result.document
            kind = "wall" if wall else "dossier"
            name = f"{kind}-{timezone.localdate().isoformat()}-{len(doc.dossier.persons)}.{doc.fmt}"
            response = HttpResponse(buffer.getvalue(), content_type=doc.content_type)
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            response["Cache-Control"] = "no-store"
            response["X-Left-Out"] = str(len(doc.dossier.left_out))
            return response
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "staff/petitions/dossier.html",
        {
            "form": form,
            "error": error,
            "limit": WEB_DOSSIER_LIMIT,
        },
        status=status,
    )
