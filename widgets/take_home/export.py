"""Take-home documents: a participant's own workbook, and blank printable worksheets.

A :class:`Document` is a list of sections of :mod:`widgets.blocks` blocks, plus
the framing line and the crisis resources. It is rendered as one standalone
HTML file (:func:`render_html`: inline styles and SVG, no outside requests,
every text escaped) or as a PDF (:func:`widgets.take_home._pdf.render_pdf`). Nothing is
written on the server: the page sends the bytes to the participant's browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from widgets.answers import AnswerBook, note_key
from widgets.blocks import (
    Block,
    Bullets,
    Diagram,
    Figure,
    Heading,
    Invitation,
    Pairs,
    Paragraph,
    Part,
    Quote,
    Step,
    Steps,
    WriteIn,
)
from widgets.content_files import page_locale
from widgets.contract import SectionRegistry
from widgets.rendering import Markup, render
from widgets.rendering.dates import long_date
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
    locale: str = field(default_factory=page_locale)
    """The language of its words (its content's), which picks each unit's form: "1 person", "2 people"."""


def workbook_document(
    content: Content, book: AnswerBook, activities: SectionRegistry, made_on: date | None = None
) -> Document:
    """Everything the participant answered and got back, section by section, with their notes.

    A kept row that does not have its section's shape is left out (with one log line).
    """
    title, subtitle = article_title()
    sections = []
    for section in content.sections.sections:
        activity = activities[section.slug]
        saved = activity.read(book.load(section.slug))
        blocks: list[Block] = []
        if saved is not None:
            # What this section's report reads of other sections (section 9 reads section 1's check-in).
            others = {
                keyword: activities[slug].read(book.load(slug)) for keyword, slug in activity.reads.items()
            }
            blocks = _with_crisis_lines(
                document_blocks(activity.report_blocks(saved, **others), content.crisis), content.crisis
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
        locale=content.locale,
    )


def document_blocks(blocks: Sequence[Block], crisis: CrisisContent) -> list[Block]:
    """The blocks a page shows, as a document prints them.

    The article's words become a quiet line with their source, an invitation is followed by every
    crisis line in full (unless its document wording points to them), a part's blocks are printed as
    if it were not there, a paragraph's lead is written before its text (a style only the page has
    is dropped), each pair of lines becomes a bold paragraph and a plain one, and a figure its chart
    and its document's table. A diagram prints its document's blocks, numbered steps one line each
    (a marked one starred, with its note), a list's bold leads before their items, and a paragraph
    that is all lead in bold.
    """
    return [printed for block in blocks for printed in _printed(block, crisis)]


def _printed(block: Block, crisis: CrisisContent) -> list[Block]:
    """One block as a document prints it (see :func:`document_blocks`)."""
    if isinstance(block, Quote):
        return [Paragraph(f"“{block.words}” ({block.source})", style="quiet")]
    if isinstance(block, Invitation):
        lines = [_crisis_bullets(crisis)] if block.lines_in_document else []
        return [Paragraph(block.document_text), *lines]
    if isinstance(block, Part):
        return document_blocks(block.blocks, crisis)
    if isinstance(block, Pairs):
        return [
            printed
            for first, second in block.items
            for printed in (Paragraph(first, style="strong"), Paragraph(second))
        ]
    if isinstance(block, Figure):
        return [block.chart, block.document_table]
    if isinstance(block, Paragraph):
        return [_printed_paragraph(block)]
    if isinstance(block, Diagram | Steps | Bullets):
        return _printed_drawing_or_list(block, crisis)
    return [block]


def _printed_paragraph(block: Paragraph) -> Paragraph:
    if block.lead and not block.text:
        return Paragraph(block.lead, style="strong")  # all bold on the page too
    style = block.style if block.style in _DOCUMENT_STYLES else "plain"
    return Paragraph(f"{block.lead} {block.text}" if block.lead else block.text, style=style)


def _printed_drawing_or_list(block: Diagram | Steps | Bullets, crisis: CrisisContent) -> list[Block]:
    if isinstance(block, Diagram):
        return document_blocks(block.document, crisis)
    if isinstance(block, Steps):
        return [Bullets(tuple(_step_line(step) for step in block.items))]
    if block.leads:
        return [Bullets(tuple(f"{lead} {item}" for lead, item in zip(block.leads, block.items, strict=True)))]
    return [block]


def _step_line(step: Step) -> str:
    line = f"{step.label}: {step.detail}"
    return f"★ {line} {step.note}" if step.marked else line


_DOCUMENT_STYLES = ("plain", "strong", "quiet")
"""The paragraph styles documents draw; any other is the page's own, and prints plain."""


def _crisis_bullets(crisis: CrisisContent) -> Bullets:
    return Bullets(tuple(f"{line.name} ({line.region}): {line.how}" for line in crisis.lines))


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
            out.append(_crisis_bullets(crisis))
    return out


def worksheet_document(
    content: Content, activities: SectionRegistry, numbers: Sequence[int] | None = None
) -> Document:
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
        blocks += activities[section.slug].worksheet_blocks()
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
        locale=content.locale,
    )


def workbook_file_name(made_on: date, extension: str) -> str:
    """``my-reconnection-workbook-YYYY-MM-DD.ext``."""
    return f"my-reconnection-workbook-{made_on.isoformat()}.{extension}"


# --- HTML ------------------------------------------------------------------------------


def render_html(doc: Document) -> Markup:
    """One standalone HTML file (templates/take_home/document.html): no scripts, no outside requests."""
    return render("take_home/document.html", doc=doc, made_on=long_date(doc.made_on, doc.locale))
