"""A participant's text full of markup stays text on every surface the workbook makes.

The page (the shared parts, a chart), the take-home web page and PDF (every block kind), the
projector's slides and the facilitator's CSV: each is fed the same words and must show them
literally, never as markup.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from typing import get_args

import pypdf
import pytest

from widgets import blocks, load_content
from widgets.content_files import Unit
from widgets.participant import new_participant
from widgets.registry import SECTIONS
from widgets.rendering import charts, parts, screen
from widgets.room.figures import GroupFigure, GroupRow
from widgets.room.join import JoinAddress
from widgets.room.model import ActivityResult, Dashboard, Line, Rooms
from widgets.room.slides import slide_html
from widgets.store import Store
from widgets.summary import SectionSummary
from widgets.take_home._pdf import render_pdf
from widgets.take_home.export import DocSection, Document, document_blocks, render_html

CONTENT = load_content()
HOURS = Unit.of({"one": "hour", "other": "hours"})
PEOPLE = Unit.of({"one": "person", "other": "people"})
WORDS = '<script>alert("rw")</script><img src=x onerror=alert(1)> Sam & Jo\'s'


class _Reader(HTMLParser):
    """The elements a browser would make from some HTML, and the text it would show."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.handlers: list[str] = []  # on...= attributes: script a browser would run
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.handlers += [f"{tag} {name}" for name, _value in attrs if name.startswith("on")]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_literal(html: str) -> None:
    reader = _Reader()
    reader.feed(html)
    assert "script" not in reader.tags
    assert reader.handlers == []
    assert WORDS in "".join(reader.text)


def _every_block(text: str) -> tuple[blocks.Block, ...]:
    """One block of each kind, with ``text`` in every place a block holds words."""
    return (
        blocks.Heading(text),
        blocks.Paragraph(text, "strong"),
        blocks.Bullets((text,)),
        blocks.Bars(
            text, HOURS, (blocks.Bar(text, 3), blocks.Bar("Time with people", 5, True, "with people"))
        ),
        blocks.Table(text, (text, "Hours"), ((text, "3"),)),
        blocks.Rings(text, (("Close", (text[:10],)),)),
        blocks.Card(text, (f"Step 1: {text}",)),
        blocks.Scale(text, (text, "Often")),
        blocks.Checklist(text, (text,)),
        blocks.WriteIn(text, 1),
        blocks.Grid(text, (text, "Kind"), 1, (text,)),
    )


def _every_page_block(text: str) -> tuple[blocks.Block, ...]:
    """One block of each kind a section's feedback shows on the page, ``text`` everywhere it holds words."""
    table = blocks.Table(text, (text, "Hours"), ((text, "3"),))
    bars = blocks.Bars(text, HOURS, (blocks.Bar(text, 3),))
    return (
        blocks.Heading(text, style="band-title"),
        blocks.Paragraph(text, lead=text),
        blocks.Bullets((text,)),
        blocks.Pairs(((text, text),), style="reframes"),
        blocks.Part((blocks.Paragraph(text),), style="routine", data=(("source", "default"),)),
        table,
        blocks.Quote(text, text),
        blocks.Invitation(text, text),
        blocks.Figure(bars, text, table, table, table_lead=text),
        blocks.Steps((blocks.Step(text, text, marked=True, note=text),)),
        blocks.Diagram(bars, text, (blocks.Paragraph(text),), (blocks.Paragraph(text),)),
        blocks.Diagram(blocks.Rings(text, (("Close", (text[:10],)),)), text, (table,), (table,)),
        blocks.Diagram(blocks.Cycle(text, ((text, True), ("Less time", False))), text, (table,), (table,)),
    )


def test_every_block_kind_is_fed_the_words():
    fed = {type(block) for block in (*_every_block(WORDS), *_every_page_block(WORDS))}
    assert fed == set(get_args(blocks.Block))


def test_a_sections_feedback_on_the_page_shows_every_block_kind_literally():
    html = screen.feedback_html(_every_page_block(WORDS), CONTENT.crisis)
    assert_literal(html)
    reader = _Reader()
    reader.feed(html)
    assert {"h3", "blockquote", "ul", "table", "figure", "svg"} <= reader.tags
    assert "".join(reader.text).count(WORDS) >= len(_every_page_block(WORDS))


def test_the_take_home_prints_the_pages_blocks_literally():
    printed = tuple(document_blocks(_every_page_block(WORDS), CONTENT.crisis))
    document = replace(_document(), sections=(DocSection(1, WORDS, printed, WORDS),))
    assert_literal(render_html(document))
    data = render_pdf(document, "a4")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert '<script>alert("rw")</script>' in " ".join(text.split())


def _document() -> Document:
    return Document(
        title=WORDS,
        subtitle=WORDS,
        heading=WORDS,
        made_on=date(2026, 12, 7),
        framing=WORDS,
        intro=WORDS,
        crisis=CONTENT.crisis,
        sections=(DocSection(1, WORDS, _every_block(WORDS), WORDS),),
        note_label=WORDS,
    )


def test_the_take_home_web_page_shows_every_block_kind_literally():
    html = render_html(_document())
    assert_literal(html)
    reader = _Reader()
    reader.feed(html)
    # Every block kind carried the words: each one's element is there, and none became markup.
    assert {"h3", "ul", "table", "figure", "svg"} <= reader.tags


def test_the_take_home_pdf_draws_every_block_kind_as_text():
    data = render_pdf(_document(), "a4")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert '<script>alert("rw")</script>' in " ".join(text.split())


def test_the_pages_shared_parts_and_charts_show_what_people_wrote_literally():
    summaries = [SectionSummary(section, (WORDS,)) for section in CONTENT.sections.sections]
    assert_literal(parts.summary_page(CONTENT, summaries))
    assert_literal(parts.page_link("00-welcome.ipynb", WORDS))
    chart = charts.bar_chart(WORDS, [charts.Bar(WORDS, 2)], PEOPLE)
    assert_literal(charts.figure(chart, WORDS, charts.table(WORDS, [WORDS], [[WORDS]])))


def test_the_slides_show_lines_and_figure_labels_literally():
    figure = GroupFigure(id="band", title=WORDS, unit=PEOPLE, measure="count", rows=(GroupRow(WORDS, 3.0),))
    slug = CONTENT.sections.by_number(1).slug
    activity = ActivityResult(
        slug=slug,
        shared=5,
        needed=0,
        figures=(figure,),
        lines=(Line(id=1, slug=slug, text=WORDS),),
        released=True,
        covered=5,
    )
    board = Dashboard(
        join_code="K7MP3X",
        joined=5,
        expected=30,
        waiting_to_join=0,
        threshold=5,
        pace_section=1,
        activities=(activity,),
        waiting=(),
    )
    join = JoinAddress(full="http://198.18.0.1:8866/join", short="198.18.0.1:8866")
    assert_literal(slide_html(CONTENT, board, 1, join))


@pytest.mark.parametrize("store_location", ["sqlite"], indirect=True)
def test_the_csv_keeps_a_line_as_the_very_text_that_was_written(store_location):
    store = Store(store_location)
    try:
        rooms = Rooms(store, SECTIONS)
        keys = rooms.open_room(threshold=3)
        someone = new_participant()
        assert rooms.join(someone.code_hash, someone.kind, keys.join_code) is not None
        slug = CONTENT.sections.by_number(1).slug
        rooms.offer_line(someone.code_hash, slug, WORDS)
        room = rooms.facilitator_room(keys.join_code, keys.secret)
        assert room is not None
        room.approve(room.dashboard().waiting[0].id)
        rows = list(csv.reader(io.StringIO(room.export_csv())))
    finally:
        store.close()
    assert [row[2] for row in rows if row[1] == "approved line"] == [WORDS]
