"""A dossier as DOCX (python-docx), for a coordinator who edits it further: the same cover,
table of persons and pages per person as the PDF, built from the same `Dossier` (so both
print the same persons, names and facts). Arabic dossiers are written right to left."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from aigaq.petitions.render import docx_base_style

if TYPE_CHECKING:
    from aigaq.petitions.dossier import Dossier, DossierPerson


def _rtl(paragraph: Any) -> None:
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(ppr.makeelement(qn("w:bidi"), {}))
    for run in paragraph.runs:
        rpr = run._r.get_or_add_rPr()
        rpr.append(rpr.makeelement(qn("w:rtl"), {}))


def dossier_docx(dossier: Dossier) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm

    rtl = dossier.language.rtl
    doc = Document()
    docx_base_style(doc, dossier.language.django, size=10)
    paragraphs: list[Any] = []

    def para(text: str = "", style: str | None = None) -> Any:
        p = doc.add_paragraph(text, style=style)
        paragraphs.append(p)
        return p

    def heading(text: str, level: int) -> Any:
        p = doc.add_heading(text, level=level)
        paragraphs.append(p)
        return p

    def page_break() -> None:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # The cover
    if dossier.group:
        para(dossier.group)
    heading(dossier.title, 0)
    para(dossier.date)
    rows = [
        (_("Persons in this dossier"), str(len(dossier.persons))),
        (_("With a photo"), str(dossier.with_photo)),
        *[(label, str(n)) for label, n in dossier.status_counts],
    ]
    _table(doc, rows, rtl)
    para(
        _(
            "Every person in this dossier is named with the consent of the relatives who "
            "testified to publication. Dates are as the families reported them; official "
            "statements are marked as such."
        )
    )
    page_break()

    # The table of persons
    heading(_("Persons"), 1)
    table = doc.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    head = (
        "",
        _("No."),
        _("Name"),
        _("Hometown"),
        _("Status"),
        _("Held or missing since"),
        _("Last report"),
    )
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for p in dossier.persons:
        cells = table.add_row().cells
        if p.photo:
            cells[0].paragraphs[0].add_run().add_picture(io.BytesIO(p.photo), width=Cm(1.2))
        values = (str(p.entry_no), p.name, p.hometown, p.status, p.since, p.last_report)
        for cell, text in zip(cells[1:], values, strict=True):
            cell.text = text or "—"
    if rtl:
        _table_rtl(table)

    # One page per person
    for p in dossier.persons:
        page_break()
        _person(doc, p, para, heading, rtl)

    if rtl:
        for p in paragraphs:
            _rtl(p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: Any, rows: list[tuple[str, str]], rtl: bool) -> Any:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    if rtl:
        _table_rtl(table)
    return table


def _table_rtl(table: Any) -> None:
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    tblpr.append(tblpr.makeelement(qn("w:bidiVisual"), {}))
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                _rtl(p)


def _person(doc: Any, p: DossierPerson, para: Any, heading: Any, rtl: bool) -> None:
    from docx.shared import Cm

    para(_("Entry %(n)s") % {"n": p.entry_no})
    heading(p.name, 1)
    if p.photo:
        doc.add_paragraph().add_run().add_picture(io.BytesIO(p.photo), width=Cm(4))
    for n in p.names:
        para(f"{n.full_name} ({n.script_label})" if n.script_label else n.full_name)
    facts = [
        (_("Current status"), p.status),
        (_("Gender"), p.gender),
        (_("Born"), p.birth),
        (_("Ethnicity"), p.ethnicity),
        (_("Citizenship"), p.citizenships),
        (_("Hometown"), p.hometown),
        (_("Occupation"), p.occupation),
    ]
    _table(doc, [(k, v) for k, v in facts if v], rtl)
    heading(_("Timeline"), 2)
    if p.events:
        rows = []
        for e in p.events:
            text = e.label
            if e.place:
                text += f", {e.place}"
            if e.facility:
                text += f": {e.facility}"
            if e.sentence:
                text += f" ({e.sentence})"
            if e.report:
                text += f" [{e.report}]"
            rows.append((e.date, text))
        _table(doc, rows, rtl)
    else:
        para(_("No dated report can be printed."))
    if p.summary:
        heading(_("Summary"), 2)
        para(p.summary)
