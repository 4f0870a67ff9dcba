"""Take-home documents: a participant's own workbook, and blank printable worksheets.

A :class:`Document` is a list of sections of :mod:`widgets.blocks` blocks, plus
the framing line and the crisis resources. It is rendered as one standalone
HTML file (:func:`render_html`: inline styles and SVG, no outside requests,
every text escaped) or as a PDF (:func:`widgets.take_home._pdf.render_pdf`). Nothing is
written on the server: the page sends the bytes to the participant's browser.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape
from types import ModuleType

from widgets import charts
from widgets.answers import AnswerBook, note_key
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
from widgets.sections import MODEL_MODULES
from widgets.take_home.article import article_title, section_paragraphs
from widgets.workbook_content import Content, CrisisContent

__all__ = [
    "DocSection",
    "Document",
    "render_html",
    "workbook_document",
    "workbook_file_name",
    "worksheet_document",
]

# Where a section's report reads another section's answers (the page does the same).
_EXTRA_ANSWERS = {
    "looking-ahead": ("baseline", "hidden-weight"),
    "long-term-resilience": ("connection_map", "what-community-means"),
}


@dataclass(frozen=True)
class DocSection:
    """One section of a document: its heading and its blocks, and the private note if any."""

    number: int
    title: str
    blocks: tuple[Block, ...]
    note: str = ""


@dataclass(frozen=True)
class Document:
    """A whole take-home document."""

    title: str
    subtitle: str
    heading: str
    made_on: date
    framing: str
    intro: str
    crisis: CrisisContent
    sections: tuple[DocSection, ...]
    note_label: str = ""


def _module(slug: str) -> ModuleType:
    return importlib.import_module(MODEL_MODULES[slug])


def workbook_document(content: Content, book: AnswerBook, made_on: date | None = None) -> Document:
    """Everything the participant answered and got back, section by section, with their notes."""
    title, subtitle = article_title()
    sections = []
    for section in content.sections.sections:
        saved = book.load(section.slug)
        blocks: list[Block] = []
        if saved is not None:
            extra = {}
            if section.slug in _EXTRA_ANSWERS:
                keyword, other = _EXTRA_ANSWERS[section.slug]
                extra[keyword] = book.load(other)
            blocks = _with_crisis_lines(
                list(_module(section.slug).report_blocks(saved, **extra)), content.crisis
            )
        note = (book.load(note_key(section.slug)) or {}).get("text")
        note = note if isinstance(note, str) else ""
        if blocks or note.strip():
            sections.append(
                DocSection(section.number, f"Section {section.number}: {section.title}", tuple(blocks), note)
            )
    take_home = content.workbook.take_home
    return Document(
        title=title,
        subtitle=subtitle,
        heading=take_home.heading,
        made_on=made_on or date.today(),
        framing=content.workbook.framing,
        intro=take_home.intro if sections else take_home.nothing_yet,
        crisis=content.crisis,
        sections=tuple(sections),
        note_label=content.workbook.note_label,
    )


def _with_crisis_lines(blocks: list[Block], crisis: CrisisContent) -> list[Block]:
    """Put the crisis lines right after feedback that ends by pointing to them ("...open any time:")."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        out.append(block)
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Paragraph)
            and block.text.rstrip().endswith(":")
            and " lines " in f" {block.text} "
            and not isinstance(following, Bullets)
        ):
            out.append(Bullets(tuple(f"{line.name} ({line.region}): {line.how}" for line in crisis.lines)))
    return out


def worksheet_document(content: Content, numbers: Sequence[int] | None = None) -> Document:
    """Blank worksheets: each section's text and its activity as a paper form."""
    title, subtitle = article_title()
    paragraphs = section_paragraphs(content)
    sheets = content.workbook.worksheets
    sections = []
    for section in content.sections.sections:
        if numbers is not None and section.number not in numbers:
            continue
        blocks: list[Block] = [Paragraph(text) for text in paragraphs.get(section.slug, ())]
        if section.content_note:
            blocks.insert(0, Paragraph(f"Content note. {section.content_note}", "quiet"))
        blocks.append(Heading(f"{sheets.activity_lead}: {section.activity}"))
        blocks += _module(section.slug).worksheet_blocks()
        blocks.append(WriteIn(f"{sheets.note_lead}: {section.note_prompt}", lines=4))
        sections.append(
            DocSection(section.number, f"Section {section.number}: {section.title}", tuple(blocks))
        )
    return Document(
        title=title,
        subtitle=subtitle,
        heading=sheets.heading,
        made_on=date.today(),
        framing=content.workbook.framing,
        intro=sheets.intro,
        crisis=content.crisis,
        sections=tuple(sections),
    )


def workbook_file_name(made_on: date, extension: str) -> str:
    """``my-reconnection-workbook-YYYY-MM-DD.ext``."""
    return f"my-reconnection-workbook-{made_on.isoformat()}.{extension}"


# --- HTML ------------------------------------------------------------------------------

_STYLE = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 16px; line-height: 1.55;
       color: #1a1a1a; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { font-size: 1.3rem; margin-top: 2rem;
  border-top: 2px solid #1a4a8a; padding-top: 0.6rem; } h3 { font-size: 1.1rem; }
.subtitle, .made-on { color: #4a4a4a; margin-top: 0; }
.framing { background: #eef3f9; border-left: 4px solid #1a4a8a; padding: 0.5rem 0.8rem; }
.crisis { border: 2px solid #b35900; border-radius: 6px; padding: 0.5rem 1rem; margin: 1.5rem 0; }
.strong { font-weight: 700; } .quiet { color: #4a4a4a; font-style: italic; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; } caption { text-align: left; font-weight: 700; }
th, td { border: 1px solid #8a8f98; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.card { border: 2px solid #1a4a8a; border-radius: 8px; padding: 0.5rem 1rem; margin: 1rem 0; }
.typed { white-space: pre-wrap; overflow-wrap: anywhere; }
.note { border-left: 4px solid #c9a227; padding-left: 0.8rem; }
.boxes { list-style: none; padding-left: 0; } .boxes li::before { content: "\\2610\\00a0"; }
.write-in { border-bottom: 1px solid #8a8f98; height: 1.9rem; }
.blank td { height: 2rem; }
@media print { body { margin: 0 auto; } h2 { break-before: page; }
  .card, table, figure { break-inside: avoid; } }
"""


_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(doc: Document) -> str:
    """One standalone HTML file: inline style and SVG, no scripts, no outside requests, all text escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Nothing in this file may load from anywhere: no scripts, styles or images from outside.
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">',
        f"<title>{escape(doc.heading)} · {escape(doc.title)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<header><h1>{escape(doc.heading)}</h1>",
        f'<p class="subtitle">{escape(doc.title)} · {escape(doc.subtitle)}</p>',
        f'<p class="made-on">{escape(doc.made_on.strftime("%d %B %Y"))}</p></header>',
        f'<p class="framing">{escape(doc.framing)}</p>',
        _crisis_html(doc.crisis),
        f"<p>{escape(doc.intro)}</p>",
        "<main>",
    ]
    for section in doc.sections:
        parts.append(f"<section><h2>{escape(section.title)}</h2>")
        parts += [_block_html(block) for block in section.blocks]
        if section.note.strip():
            parts.append(
                f'<div class="note"><h3>{escape(doc.note_label)}</h3>'
                f'<p class="typed">{escape(section.note)}</p></div>'
            )
        parts.append("</section>")
    parts += [
        "</main>",
        "<footer>",
        _crisis_html(doc.crisis),
        f'<p class="framing">{escape(doc.framing)}</p>',
    ]
    parts.append("</footer></body></html>")
    return "\n".join(parts)


def _crisis_html(crisis: CrisisContent) -> str:
    items = "".join(
        f"<li><strong>{escape(line.name)}</strong> ({escape(line.region)}): {escape(line.how)}</li>"
        for line in crisis.lines
    )
    return (
        f'<aside class="crisis" aria-label="Crisis support"><h2 style="border:0;margin:0;padding:0">'
        f"{escape(crisis.heading)}</h2><p>{escape(crisis.intro)}</p><ul>{items}</ul>"
        f"<p><strong>{escape(crisis.emergency)}</strong></p></aside>"
    )


def _block_html(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h3>{escape(block.text)}</h3>"
    if isinstance(block, Paragraph):
        return f'<p class="typed {escape(block.style)}">{escape(block.text)}</p>'
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f'<li class="typed">{escape(item)}</li>' for item in block.items) + "</ul>"
    if isinstance(block, Table):
        return charts.table(block.caption, block.headers, block.rows)
    if isinstance(block, Bars):
        bars = [charts.Bar(bar.label, bar.value, bar.highlight, bar.note) for bar in block.bars]
        svg = charts.bar_chart(block.title, bars, block.unit, block.max_value, label_chars=40)
        return f"<figure>{svg}<figcaption>{escape(block.title)}</figcaption></figure>"
    if isinstance(block, Rings):
        svg = charts.circles_chart(
            block.title, [(name, list(labels)) for name, labels in block.rings], block.centre
        )
        return f"<figure>{svg}<figcaption>{escape(block.title)}</figcaption></figure>"
    if isinstance(block, Card):
        # A line without a colon is a step's own heading ("Step 1"): bold.
        lines = "".join(
            f'<p class="typed">{escape(line)}</p>'
            if ":" in line
            else f"<p><strong>{escape(line)}</strong></p>"
            for line in block.lines
        )
        return f'<div class="card"><h3>{escape(block.title)}</h3>{lines}</div>'
    if isinstance(block, Scale | Checklist):
        hint = "(tick one)" if isinstance(block, Scale) else "(tick any)"
        items = "".join(f"<li>{escape(option)}</li>" for option in block.options)
        question = f'<p class="strong">{escape(block.question)} <span class="quiet">{hint}</span></p>'
        return f'{question}<ul class="boxes">{items}</ul>'
    if isinstance(block, WriteIn):
        return f"<p>{escape(block.label)}</p>" + '<div class="write-in"></div>' * block.lines
    if isinstance(block, Grid):
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in block.headers)
        empty = "<tr>" + "<td></td>" * len(block.headers) + "</tr>"
        notes = "".join(f'<p class="quiet">{escape(note)}</p>' for note in block.notes)
        return (
            f'<table class="blank"><caption>{escape(block.caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{empty * block.rows}</tbody></table>{notes}"
        )
    raise TypeError(f"not a block: {block!r}")
