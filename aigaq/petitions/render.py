"""A petition's document: the form's template filled, then PDF (WeasyPrint: HTML and CSS,
Arabic script and Chinese shaped by Pango and HarfBuzz) or DOCX (python-docx, for a volunteer
who edits the letter further). Both come from the same filled template, so they say the same.

Nothing here decides consent or completeness: `services.petition_generate` calls
`checks.check_petition` first and refuses, and only then asks for a document.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from aigaq.petitions import fonts
from aigaq.petitions.checks import is_true
from aigaq.petitions.facts import PersonFacts, all_name_forms, template_context
from aigaq.petitions.registry import PetitionForm, style_path

FORMATS = ("pdf", "docx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def written_substance(form: PetitionForm, persons: list[PersonFacts]) -> str:
    """The substance as the form's substance.txt writes it from the records."""
    return form.render_substance(template_context(persons, {}, form))


def completed_entries(
    form: PetitionForm, persons: list[PersonFacts], entries: Mapping[str, Any]
) -> dict[str, Any]:
    """The volunteer's entries with the form's defaults where they left one empty, and the
    substance written from the record where they wrote none."""
    out: dict[str, Any] = {}
    for entry in form.entries:
        value = entries.get(entry.key)
        if entry.kind in ("bool", "consent"):
            out[entry.key] = is_true(value)
            continue
        text = str(value or "").strip()
        if not text and entry.kind == "substance":
            text = written_substance(form, persons)
        if not text and entry.default:
            text = entry.default
        out[entry.key] = text
    return out


def render_html(form: PetitionForm, persons: list[PersonFacts], entries: dict[str, Any]) -> str:
    return form.render(template_context(persons, entries, form))


@dataclass
class Document:
    content: bytes
    fmt: str
    names: list[str]
    pages: int | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]


class RenderRefused(Exception):
    pass


def render_document(
    form: PetitionForm, persons: list[PersonFacts], entries: dict[str, Any], fmt: str
) -> Document:
    """The document in `fmt`, all in memory (nothing half-written on disk)."""
    html = render_html(form, persons, entries)
    missing = fonts.missing_characters(_visible_text(html))
    if missing:  # the check refuses names; this guards what a template itself may add
        raise RenderRefused(fonts.describe(missing))
    names = all_name_forms(persons)
    if fmt == "pdf":
        content, pages = _pdf(html)
        return Document(content=content, fmt="pdf", names=names, pages=pages)
    if fmt == "docx":
        return Document(content=_docx(html, form.language), fmt="docx", names=names)
    raise ValueError(f"unknown format {fmt!r}")


#: Each stylesheet parsed once per process with the one font configuration WeasyPrint keeps
#: its fonts in (loaded once per worker, not once per document), read again when a coordinator
#: edits the file (its modification time and size change).
_STYLES: dict[str, tuple[Any, Any]] = {}
_FONTS: dict[str, Any] = {}


def font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    if "config" not in _FONTS:
        _FONTS["config"] = FontConfiguration()
    return _FONTS["config"]


def stylesheet_at(path: Path) -> tuple[Any, Any]:
    """The stylesheet at `path`, parsed once (again when the file changes), and the fonts."""
    import weasyprint

    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    fonts = font_config()
    known = _STYLES.get(str(path))
    if known is None or known[0] != stamp:
        known = (stamp, weasyprint.CSS(filename=str(path), font_config=fonts))
        _STYLES[str(path)] = known
    return known[1], fonts


def _stylesheet() -> tuple[Any, Any]:
    return stylesheet_at(style_path())


def pdf_from_html(html: str, css: Path, extra_css: str = "") -> tuple[bytes, int]:
    """A PDF of `html` with the stylesheet at `css` (and `extra_css`, e.g. a paper size)."""
    import weasyprint

    sheet, fonts = stylesheet_at(css)
    sheets = [sheet]
    if extra_css:
        sheets.append(weasyprint.CSS(string=extra_css, font_config=fonts))
    document = weasyprint.HTML(string=html).render(stylesheets=sheets, font_config=fonts)
    return document.write_pdf(), len(document.pages)


def _pdf(html: str) -> tuple[bytes, int]:
    return pdf_from_html(html, style_path())


# --- DOCX: the same filled template, read back into blocks -----------------------------------


@dataclass
class _Block:
    kind: str  # h1, h2, p, table
    text: str = ""
    css: str = ""
    rows: list[list[tuple[str, bool]]] = field(default_factory=list)


class _Blocks(HTMLParser):
    """The template's HTML as headings, paragraphs and tables (what a letter has)."""

    BLOCK_TAGS = ("h1", "h2", "h3", "p", "div")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self.stack: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.table: _Block | None = None
        self.row: list[tuple[str, bool]] | None = None
        self.cell_head = False
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag in ("head", "style", "script", "title"):
            self.skip += 1
        elif tag == "table":
            self._flush()
            self.table = _Block("table", css=css)
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th"):
            self.text = []
            self.cell_head = tag == "th"
        elif tag == "br":
            self.text.append("\n")
        elif tag in self.BLOCK_TAGS:
            self._flush()
            self.stack.append((tag, css))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "script", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.row is not None:
            self.row.append((_clean("".join(self.text)), self.cell_head))
            self.text = []
        elif tag == "tr" and self.table is not None and self.row is not None:
            self.table.rows.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self.blocks.append(self.table)
            self.table = None
        elif tag in self.BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)

    def _flush(self) -> None:
        text = _clean("".join(self.text))
        self.text = []
        if not self.stack:
            if text:
                self.blocks.append(_Block("p", text))
            return
        tag, css = self.stack.pop()
        if text:
            self.blocks.append(_Block(tag if tag.startswith("h") else "p", text, css))


def _clean(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.replace("\xa0", " ").split("\n")]
    return "\n".join(line for line in lines if line).strip()


def visible_text(html: str) -> str:
    """The text a reader sees in `html` (what the fonts must draw)."""
    return _visible_text(html)


def _visible_text(html: str) -> str:
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parts = []
    for b in parser.blocks:
        parts.append(b.text)
        parts.extend(cell for row in b.rows for cell, _head in row)
    return "\n".join(parts)


def docx_base_style(doc: Any, language: str, *, size: float) -> None:
    """The Normal style of a python-docx document as every petition and dossier has it: the
    petitions' fonts (Latin and Cyrillic, then Arabic script as complex script, Chinese as
    East Asian), the size in points and the document's language. One place for both, so a
    DOCX petition and a DOCX dossier open in the same fonts."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name = fonts.FAMILIES[0]
    normal.font.size = Pt(size)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), fonts.FAMILIES[2])
    rfonts.set(qn("w:cs"), fonts.FAMILIES[1])
    rpr.append(rpr.makeelement(qn("w:lang"), {qn("w:val"): language}))


def _docx(html: str, language: str) -> bytes:
    from docx import Document as DocxDocument
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    parser = _Blocks()
    parser.feed(html)
    parser.close()
    doc = DocxDocument()
    docx_base_style(doc, language, size=11)
    for block in parser.blocks:
        if block.kind in ("h1", "h2", "h3"):
            doc.add_heading(block.text, level=int(block.kind[1]))
        elif block.kind == "table":
            columns = max((len(r) for r in block.rows), default=0)
            if not columns:
                continue
            table = doc.add_table(rows=0, cols=columns)
            table.style = "Table Grid"
            for row in block.rows:
                cells = table.add_row().cells
                for i, (text, _head) in enumerate(row):
                    cells[i].text = text
        else:
            para = doc.add_paragraph(block.text)
            if "title" in block.css:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in para.runs:
                    run.bold = True
            elif "addressee" in block.css or "applicant" in block.css:
                para.paragraph_format.left_indent = Pt(240)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
