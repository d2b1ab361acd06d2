"""Each form generated as PDF and DOCX: every name form is found again, exactly, in every
script, in the text extracted from the document (pdftotext, python-docx); generating is
audited; a refused petition writes nothing."""

from __future__ import annotations

import io
import subprocess
import unicodedata
from typing import Any

import pytest
from docx import Document as DocxDocument

from aigaq.core.models import AuditEntry
from aigaq.petitions.registry import form_names
from aigaq.petitions.services import PetitionRefused, petition_create, petition_generate
from tests import factories
from tests.petitions.conftest import ENTRIES, NAMES

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return unicodedata.normalize("NFC", out.stdout.decode("utf-8"))


def docx_text(content: bytes) -> str:
    doc = DocxDocument(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize(
    "form", ["kz-mfa-kk", "kz-mfa-ru", "wgad", "wgeid", "wgeid-fr", "wgeid-es"]
)
def test_every_name_form_is_in_the_pdf_and_the_docx(
    form: str, ready_person: Any, coordinator: Any
) -> None:
    assert form in form_names()
    petition = petition_create(
        actor=coordinator, form=form, persons=[ready_person], entries=ENTRIES[form]
    )
    pdf = petition_generate(actor=coordinator, petition=petition, fmt="pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.pages and pdf.pages <= 3
    assert pdf.names == list(NAMES)
    text = pdf_text(pdf.content)
    for name in NAMES:
        assert name in text, (form, name)
    docx = petition_generate(actor=coordinator, petition=petition, fmt="docx")
    text = docx_text(docx.content)
    for name in NAMES:
        assert name in text, (form, name)
    exports = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, object_id=str(petition.pk))
    assert sorted(e.changes["format"] for e in exports) == ["docx", "pdf"]
    # The applicant's IIN is never written to the audit log.
    assert ENTRIES["kz-mfa-kk"]["applicant_iin"] not in str(
        list(AuditEntry.objects.values_list("changes", flat=True))
    )


def test_an_incomplete_petition_is_refused_with_every_reason(coordinator: Any) -> None:
    p = factories.person("Ерлан Қайратұлы", actor=coordinator, status="detained", date="2018-03")
    factories.testimony(p, actor=coordinator, consent_petitions=False)
    petition = petition_create(actor=coordinator, form="wgeid", persons=[p], entries={})
    with pytest.raises(PetitionRefused) as err:
        petition_generate(actor=coordinator, petition=petition, fmt="pdf")
    assert "consent" in str(err.value) and "Forces believed responsible" in str(err.value)
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.EXPORT, object_id=str(petition.pk)
    ).exists()
    petition.refresh_from_db()
    assert petition.generated_at is None


#: What the French and Spanish WGEID documents must say, in their language: the headings of
#: the Working Group's minimum elements, the date of the arrest, the record's words.
UN_LANGUAGES = {
    "wgeid-fr": (
        "Communication d’un cas de disparition forcée ou involontaire",
        "1. Identité de la personne disparue",
        "Forces présumées responsables",
        "Mesures prises par la famille et leurs résultats",
        "12 mai 2018",
        "a été arrêté le 12 mai 2018 à Tekes",
        "masculin",
    ),
    "wgeid-es": (
        "Comunicación de un caso de desaparición forzada o involuntaria",
        "1. Identidad de la persona desaparecida",
        "Fuerzas que se cree responsables",
        "Medidas adoptadas por la familia y sus resultados",
        "12 de mayo de 2018",
        "fue detenido el 12 de mayo de 2018 en Tekes",
        "masculino",
    ),
}


@pytest.mark.parametrize("form", sorted(UN_LANGUAGES))
def test_the_un_forms_in_french_and_spanish_say_it_in_their_language(
    form: str, ready_person: Any, coordinator: Any
) -> None:
    petition = petition_create(
        actor=coordinator, form=form, persons=[ready_person], entries=ENTRIES[form]
    )
    text = " ".join(
        pdf_text(petition_generate(actor=coordinator, petition=petition, fmt="pdf").content).split()
    )
    for phrase in UN_LANGUAGES[form]:
        assert phrase in text, (form, phrase)
    for english in ("Forces believed responsible", "Circumstances", "was taken into custody"):
        assert english not in text, (form, english)
    docx = docx_text(petition_generate(actor=coordinator, petition=petition, fmt="docx").content)
    assert UN_LANGUAGES[form][1] in docx
