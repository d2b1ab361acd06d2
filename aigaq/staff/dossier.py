"""The dossier page (/petitions/dossier/): a selection of persons (place, tag, status,
citizenship, entry numbers), a title, a language and a format; "Make the dossier" or "Make
the wall of sorrow" answers with the file to download, or the page again saying why not.
Everything is decided by `aigaq.petitions.dossier` (who may be named: disclosure)."""

from __future__ import annotations

import io
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aigaq.core.forms import LengthLimits
from aigaq.people.models import StatusKind, Tag
from aigaq.petitions.batch import BatchRefused, place_from_text
from aigaq.petitions.dossier import (
    CAP,
    DOSSIER_LANGUAGES,
    PAPERS,
    DossierRefused,
    dossier_make,
    dossier_selection,
)
from aigaq.staff.access import cap_required
from aigaq.staff.petitions import _numbers

#: The most persons a dossier made from the page takes (made while the page waits);
#: bigger ones are made with the command `aigaq dossier`.
WEB_DOSSIER_LIMIT = 100


class DossierForm(LengthLimits, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    place = forms.CharField(
        label=gettext_lazy("Place"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "A county or town in any script (Tekes, Текес, 特克斯), or its code."
        ),
    )
    tag = forms.ChoiceField(label=gettext_lazy("Topic (tag)"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Current status"),
        required=False,
        choices=[("", "—"), *StatusKind.choices],
    )
    citizenship = forms.CharField(
        label=gettext_lazy("Citizenship"),
        required=False,
        max_length=2,
        help_text=gettext_lazy("A country code, e.g. KZ for citizens of Kazakhstan."),
    )
    numbers = forms.CharField(
        label=gettext_lazy("Only these entry numbers"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Optional: e.g. 402, 417."),
    )
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag = self.fields["tag"]
        assert isinstance(tag, forms.ChoiceField)
        tag.choices = [
            ("", "—"),
            *Tag.objects.order_by("label").values_list("slug", "label"),
        ]

    def clean_citizenship(self) -> str:
        code = self.cleaned_data["citizenship"].strip().upper()
        if code and not re.fullmatch(r"[A-Z]{2}", code):
            raise ValidationError(_("Write a two-letter country code, such as KZ."))
        return code


@cap_required(CAP)
def dossier_page(request: HttpRequest) -> HttpResponse:
    form = DossierForm(data=request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wall = "wall" in request.POST
        try:
            filters: dict[str, Any] = {"status": data["status"], "tag": data["tag"]}
            selection = {k: v for k, v in filters.items() if v}
            if data["place"]:
                filters["place"] = selection["place"] = place_from_text(data["place"]).code
            numbers = _numbers(data["numbers"])
            if data["citizenship"]:
                selection["citizenship"] = data["citizenship"]
            if numbers:
                selection["entries"] = numbers
            persons = list(
                dossier_selection(
                    request.user,
                    filters=filters,
                    citizenship=data["citizenship"],
                    numbers=numbers,
                )[: WEB_DOSSIER_LIMIT + 1]
            )
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
                selection=selection,
            )
        except (BatchRefused, DossierRefused, ValidationError) as exc:
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
