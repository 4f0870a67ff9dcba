"""Draw a take-home :class:`~widgets.take_home.export.Document` as a PDF with fpdf2.

fpdf2 is pure Python, well kept, embeds TrueType fonts for any script the font
covers, and has tables, outlines and a table of contents. The font is DejaVu
Sans, read from matplotlib's wheel (matplotlib itself is never imported). A
character the font cannot draw (emoji, CJK) becomes a visible replacement
mark, so an export never fails and never drops text silently.
"""

from __future__ import annotations

import importlib.util
import math
import os
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF, FontFace
from fpdf.outline import OutlineSection

from widgets.blocks import (
    Bars,
    Block,
    Bullets,
    Card,
    Checklist,
    Grid,
    Heading,
    Paragraph,
    Rings,
    Scale,
    Table,
    WriteIn,
)
from widgets.content_files import amount
from widgets.rendering.dates import long_date
from widgets.take_home.export import DocSection, Document
from widgets.workbook_content import CrisisContent

PAPERS = {"a4": "A4", "letter": "letter"}
FAMILY = "DejaVu"
INK = (26, 26, 26)
BLUE = (26, 74, 138)
GREY = (138, 143, 152)
WARM = (179, 89, 0)
REPLACEMENT = "\ufffd"


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """DejaVu Sans regular, bold and oblique, from matplotlib's bundled fonts.

    ``RECONNECTION_FONT_DIR`` names another folder of the same three files: in the server-free edition
    the browser has no matplotlib, and the site carries the fonts its build took from matplotlib's.
    """
    named = os.environ.get("RECONNECTION_FONT_DIR")
    if named:
        folder = Path(named)
    else:
        spec = importlib.util.find_spec("matplotlib")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("matplotlib (for its DejaVu fonts) is not installed")
        folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    return {
        "": folder / "DejaVuSans.ttf",
        "B": folder / "DejaVuSans-Bold.ttf",
        "I": folder / "DejaVuSans-Oblique.ttf",
    }


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    covered: set[int] | None = None
    for path in font_files().values():
        codepoints = set(TTFont(path, lazy=True).getBestCmap())
        covered = codepoints if covered is None else covered & codepoints
    return frozenset(covered or ())


def drawable(text: str) -> str:
    """``text`` with every character the font lacks replaced by a visible mark (keeps line breaks)."""
    covered = _covered()
    mark = REPLACEMENT if ord(REPLACEMENT) in covered else "?"
    out = []
    for character in unicodedata.normalize("NFC", str(text)):
        if character in "\n\t":
            out.append(" " if character == "\t" else character)
        elif unicodedata.category(character) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue  # invisible controls and joiners: nothing to draw
        elif ord(character) in covered:
            out.append(character)
        else:
            out.append(mark)
    return "".join(out)


class _WorkbookPDF(FPDF):
    def __init__(self, doc: Document, paper: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PAPERS[paper])
        self.doc = doc
        for style, path in font_files().items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(drawable(f"{doc.heading} · {doc.title}"))
        self.set_lang("en")
        self.set_creator("Reconnection Workbook")
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(
            0,
            5,
            drawable(f"{self.doc.heading} · Reflection, not diagnosis · Page {self.page_no()}/{{nb}}"),
            align="C",
        )
        self.set_text_color(*INK)

    # --- text -----------------------------------------------------------------------

    def para(self, text: str, size: float = 11, style: str = "", height: float = 5.6) -> None:
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, height, drawable(text), new_x="LMARGIN", new_y="NEXT", align="L")

    def gap(self, mm: float = 2.5) -> None:
        self.ln(mm)

    def keep(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.will_page_break(height):
            self.add_page()


def render_pdf(doc: Document, paper: str = "a4", booklet: bool = False) -> bytes:
    """The document as PDF bytes on ``paper`` ("a4" or "letter").

    A booklet gets a cover page and a table of contents before the sections.
    """
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {sorted(PAPERS)}, got {paper!r}")
    pdf = _WorkbookPDF(doc, paper)
    pdf.add_page()
    if booklet:
        _cover(pdf, doc)
        pdf.add_page()
        pdf.insert_toc_placeholder(_contents, pages=1)
    else:
        _title(pdf, doc)
    for index, section in enumerate(doc.sections):
        # The contents' placeholder already ends with a page break before the first section.
        _section(pdf, doc, section, new_page=booklet and index > 0, first=booklet and index == 0)
    pdf.gap(6)
    pdf.keep(60)
    _crisis(pdf, doc.crisis)
    return bytes(pdf.output())


def _title(pdf: _WorkbookPDF, doc: Document) -> None:
    pdf.para(doc.heading, 20, "B", 9)
    pdf.para(f"{doc.title} · {doc.subtitle}", 11, "I")
    pdf.para(long_date(doc.made_on, doc.locale), 10)
    pdf.gap(3)
    _framing(pdf, doc.framing)
    _crisis(pdf, doc.crisis)
    pdf.para(doc.intro)


def _cover(pdf: _WorkbookPDF, doc: Document) -> None:
    pdf.ln(40)
    pdf.para(doc.title, 22, "B", 10)
    pdf.para(doc.subtitle, 13, "I", 7)
    pdf.gap(10)
    pdf.para(doc.heading, 18, "B", 9)
    pdf.gap(6)
    pdf.para(doc.intro, 12, "", 6.5)
    pdf.gap(6)
    _framing(pdf, doc.framing)
    _crisis(pdf, doc.crisis)


def _contents(pdf: FPDF, outline: list[OutlineSection]) -> None:
    pdf.set_x(pdf.l_margin)
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
    for entry in outline:
        link = pdf.add_link(page=entry.page_number)
        pdf.cell(
            0,
            8,
            drawable(f"{entry.name} {'.' * 6} page {entry.page_number}"),
            new_x="LMARGIN",
            new_y="NEXT",
            link=link,
        )


def _framing(pdf: _WorkbookPDF, framing: str) -> None:
    pdf.set_fill_color(238, 243, 249)
    pdf.set_font(FAMILY, "", 11)
    pdf.multi_cell(0, 5.6, drawable(framing), fill=True, new_x="LMARGIN", new_y="NEXT", padding=2, align="L")
    pdf.gap(3)


def _crisis(pdf: _WorkbookPDF, crisis: CrisisContent) -> None:
    pdf.keep(60)
    pdf.set_draw_color(*WARM)
    pdf.set_line_width(0.6)
    lines = "\n".join(f"• {line.name} ({line.region}): {line.how}" for line in crisis.lines)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(
        0, 6, drawable(crisis.heading), border="LTR", new_x="LMARGIN", new_y="NEXT", padding=(3, 3, 1, 3)
    )
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(
        0,
        5.2,
        drawable(f"{crisis.intro}\n{lines}\n{crisis.emergency}"),
        border="LBR",
        new_x="LMARGIN",
        new_y="NEXT",
        padding=(0, 3, 3, 3),
        align="L",
    )
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*INK)
    pdf.gap(4)


def _section(
    pdf: _WorkbookPDF, doc: Document, section: DocSection, new_page: bool, first: bool = False
) -> None:
    if new_page:
        pdf.add_page()
    elif not first:
        pdf.gap(4)
        pdf.keep(70)  # a section's title never sits alone at the foot of a page
    pdf.start_section(drawable(section.title))
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*INK)
    pdf.gap(2)
    pdf.para(section.title, 15, "B", 7.5)
    pdf.gap(1)
    for block in section.blocks:
        _block(pdf, block)
    if section.note.strip():
        pdf.gap(2)
        pdf.para(doc.note_label, 11, "B")
        pdf.para(section.note, 11, "I")


def _block(pdf: _WorkbookPDF, block: Block) -> None:
    draw = _DRAWERS.get(block.kind) if isinstance(block, Block) else None
    if draw is None:
        raise TypeError(f"not a block: {block!r}")
    draw(pdf, block)


def _heading(pdf: _WorkbookPDF, block: Heading) -> None:
    pdf.gap(2)
    pdf.keep(20)
    pdf.para(block.text, 12.5, "B", 6.5)


def _paragraph(pdf: _WorkbookPDF, block: Paragraph) -> None:
    style = {"strong": "B", "quiet": "I"}.get(block.style, "")
    pdf.para(block.text, 11, style)
    pdf.gap(1.5)


def _bullets(pdf: _WorkbookPDF, block: Bullets) -> None:
    for item in block.items:
        pdf.para(f"•  {item}")
    pdf.gap(1.5)


def _filled_table(pdf: _WorkbookPDF, block: Table) -> None:
    _table(pdf, block.caption, block.headers, block.rows)


def _card(pdf: _WorkbookPDF, block: Card) -> None:
    pdf.keep(30)
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.5)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(
        0, 7, drawable(block.title), border="LTR", new_x="LMARGIN", new_y="NEXT", padding=(2, 3, 1, 3)
    )
    for index, line in enumerate(block.lines):
        # A line without a colon is a step's own heading ("Step 1"): bold.
        pdf.set_font(FAMILY, "" if ":" in line else "B", 11)
        last = index == len(block.lines) - 1
        pdf.multi_cell(
            0,
            5.6,
            drawable(line),
            border="LBR" if last else "LR",
            new_x="LMARGIN",
            new_y="NEXT",
            padding=(0, 3, 3 if last else 0, 3),
            align="L",
        )
    pdf.set_line_width(0.2)
    pdf.set_draw_color(*INK)
    pdf.gap(3)


def _scale(pdf: _WorkbookPDF, block: Scale) -> None:
    _boxes(pdf, block.question, block.options, one=True)


def _checklist(pdf: _WorkbookPDF, block: Checklist) -> None:
    _boxes(pdf, block.question, block.options, one=False)


def _write_in(pdf: _WorkbookPDF, block: WriteIn) -> None:
    pdf.keep(8 + 9 * block.lines)
    pdf.para(block.label, 11, "B")
    for _ in range(block.lines):
        pdf.ln(8.5)
        pdf.set_draw_color(*GREY)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.set_draw_color(*INK)
    pdf.gap(4)


def _blank_grid(pdf: _WorkbookPDF, block: Grid) -> None:
    _table(pdf, block.caption, block.headers, [("",) * len(block.headers)] * block.rows, blank=True)
    for note in block.notes:
        pdf.para(note, 9.5, "I", 5)
    pdf.gap(2)


# A table row must fit on one page; a cell longer than this is drawn as lines of text instead.
_LONGEST_CELL = 400


def _table(
    pdf: _WorkbookPDF,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    blank: bool = False,
) -> None:
    pdf.keep(22)
    pdf.para(caption, 10.5, "B", 5.4)
    if any(len(str(cell)) > _LONGEST_CELL for row in rows for cell in row):
        for row in rows:
            pdf.para("; ".join(f"{header}: {cell}" for header, cell in zip(headers, row, strict=False)), 10)
        pdf.gap(3)
        return
    pdf.set_font(FAMILY, "", 9.5 if len(headers) > 3 else 10.5)
    pdf.set_fill_color(255, 255, 255)
    with pdf.table(
        cell_fill_mode="NONE",
        headings_style=FontFace(emphasis="BOLD", fill_color=(238, 243, 249)),
        line_height=8 if blank else 5.4,
        text_align="LEFT",
        first_row_as_headings=True,
    ) as table:
        table.row([drawable(str(h)) for h in headers])
        for row in rows:
            table.row([drawable(str(cell)) for cell in row])
    pdf.gap(3)


def _bars(pdf: _WorkbookPDF, block: Bars) -> None:
    label_width, value_width, row = 62.0, 26.0, 7.0
    plot = pdf.w - pdf.l_margin - pdf.r_margin - label_width - value_width
    biggest = block.max_value or max((bar.value for bar in block.bars), default=0) or 1
    pdf.keep(10 + row * len(block.bars))
    pdf.para(block.title, 10.5, "B", 5.4)
    pdf.set_font(FAMILY, "", 9)
    for bar in block.bars:
        y = pdf.get_y()
        label = drawable(f"{bar.label} ({bar.note})" if bar.note else bar.label)
        while label and pdf.get_string_width(label) > label_width - 2:
            label = label[:-2] + "…"
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width - 2, row, label, align="R")
        length = 0.0 if bar.value <= 0 else max(0.8, plot * min(bar.value, biggest) / biggest)
        if length:
            pdf.set_fill_color(*(BLUE if bar.highlight else GREY))
            pdf.rect(pdf.l_margin + label_width, y + 1.2, length, row - 2.4, style="F")
        pdf.set_xy(pdf.l_margin + label_width + length + 1.5, y)
        pdf.cell(value_width, row, drawable(amount(bar.value, block.unit, pdf.doc.locale)))
        pdf.set_xy(pdf.l_margin, y + row)
    pdf.gap(2)


def _rings(pdf: _WorkbookPDF, block: Rings) -> None:
    size = 110.0
    pdf.keep(size + 12)
    pdf.para(block.title, 10.5, "B", 5.4)
    top = pdf.get_y() + 2
    cx, cy = pdf.w / 2, top + size / 2
    count = max(1, len(block.rings))
    step = (size / 2 - 4) / count
    shades = [(220, 230, 242), (233, 238, 245), (244, 246, 249)]
    pdf.set_draw_color(*GREY)
    for index in reversed(range(count)):
        pdf.set_fill_color(*shades[min(index, len(shades) - 1)])
        pdf.circle(cx, cy, step * (index + 1), style="DF")
    pdf.set_fill_color(255, 255, 255)
    pdf.circle(cx, cy, 5, style="DF")
    pdf.set_font(FAMILY, "B", 8)
    pdf.text(cx - pdf.get_string_width(drawable(block.centre)) / 2, cy + 1.2, drawable(block.centre))
    pdf.set_font(FAMILY, "", 7.5)
    for index, (name, labels) in enumerate(block.rings):
        inner = 6 if index == 0 else step * index
        radius = (inner + step * (index + 1)) / 2
        pdf.set_text_color(90, 90, 90)
        pdf.text(cx - pdf.get_string_width(drawable(name)) / 2, cy - step * (index + 1) + 3.5, drawable(name))
        pdf.set_text_color(*INK)
        for position, label in enumerate(labels):
            angle = 2 * math.pi * position / max(1, len(labels)) + math.pi / 2 + index * 0.4
            x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            pdf.set_fill_color(*BLUE)
            pdf.circle(x, y, 0.9, style="F")
            short = drawable(label if len(label) <= 14 else label[:13] + "…")
            pdf.text(x - pdf.get_string_width(short) / 2, y - 1.6, short)
    pdf.set_draw_color(*INK)
    pdf.set_y(top + size + 3)


def _boxes(pdf: _WorkbookPDF, question: str, options: Sequence[str], one: bool) -> None:
    pdf.keep(14 + 6 * min(len(options), 4))
    pdf.para(f"{question}  ({'tick one' if one else 'tick any'})", 11, "B")
    pdf.set_font(FAMILY, "", 10.5)
    x = pdf.l_margin + 2
    y = pdf.get_y() + 1
    right = pdf.w - pdf.r_margin
    for option in options:
        text = drawable(option)
        width = 7 + pdf.get_string_width(text) + 6
        if x + width > right and x > pdf.l_margin + 2:
            x, y = pdf.l_margin + 2, y + 7
        if y + 7 > pdf.h - pdf.b_margin:
            pdf.add_page()
            x, y = pdf.l_margin + 2, pdf.get_y()
        pdf.rect(x, y + 1.2, 4, 4)
        pdf.set_xy(x + 6, y)
        pdf.cell(width - 6, 6.5, text)
        x += width
    pdf.set_xy(pdf.l_margin, y + 8)
    pdf.gap(1.5)


# How each kind of block is drawn, by its ``kind`` (the name its template macro has on the HTML side).
# Each drawer takes its own block class, which mypy cannot tie to one key of a dictionary: hence Any.
_DRAWERS: dict[str, Callable[[_WorkbookPDF, Any], None]] = {
    Heading.kind: _heading,
    Paragraph.kind: _paragraph,
    Bullets.kind: _bullets,
    Table.kind: _filled_table,
    Bars.kind: _bars,
    Rings.kind: _rings,
    Card.kind: _card,
    Scale.kind: _scale,
    Checklist.kind: _checklist,
    WriteIn.kind: _write_in,
    Grid.kind: _blank_grid,
}
