"""Take-home files: the PDF and HTML renderers, the participant's workbook, and the worksheet command."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from datetime import date
from html.parser import HTMLParser

import pypdf
import pytest

from benchmarks.backup_figures import answer_every_control
from widgets import load_content
from widgets.answers import AnswerBook, note_key
from widgets.blocks import (
    Bar,
    Bars,
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
from widgets.content_files import Unit, content_dir, locale_in_use
from widgets.participant import new_participant
from widgets.registry import SECTIONS
from widgets.sections.checkin.model import load_checkin_content
from widgets.store import Store
from widgets.take_home._pdf import drawable, render_pdf
from widgets.take_home.article import section_paragraphs
from widgets.take_home.export import DocSection, Document, render_html, workbook_document, worksheet_document
from widgets.take_home.files import workbook_html, workbook_pdf

CONTENT = load_content()
# Markup and script a participant might type: both files must show it as these very characters.
TYPED = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<b>Sam & Jo</b>",
    "&lt;already&gt; &amp;",
    "**not bold** [link](javascript:alert(1))",
    "$x^2$ {{7*7}}",
]
UNICODE = "ça déjà Ελληνικά Русский"
NOT_IN_FONT = "共同体 🙂"
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}
HOURS = Unit.of({"one": "hour", "other": "hours"})


def _every_block(text: str) -> tuple:
    return (
        Heading(f"Heading {text}"),
        Paragraph(text, "strong"),
        Bullets((text, "second")),
        Bars("A chart", HOURS, (Bar(text, 3), Bar("Time with people", 5, True, "with people"))),
        Table("The chart as a table", ("Label", "Hours"), ((text, "3"), ("Time with people", "5"))),
        Rings("My map", (("Close", (text, "Jo")), ("Middle", ()), ("Outer", ("Choir",)))),
        Card("My small steps", (f"Step 1: {text}", "Confidence: 6 of 10")),
        Scale("How often?", ("Hardly ever", "Some of the time", "Often")),
        Checklist("Which apply?", ("Busy schedule", text)),
        WriteIn("What stood out?", 3),
        Grid("My map", ("Label", "Kind", "Circle"), 4, ("Kinds: friend, family",)),
    )


def _document(texts: list[str]) -> Document:
    return Document(
        title="Community as Medicine",
        subtitle="Reconnection Series – Part 1",
        heading="My Reconnection Workbook",
        made_on=date(2026, 11, 25),
        framing=CONTENT.workbook.framing,
        intro="Intro",
        crisis=CONTENT.crisis,
        sections=tuple(
            DocSection(number, f"Section {number}: A title", _every_block(text), note=f"note {text}")
            for number, text in enumerate(texts, start=1)
        ),
        note_label=CONTENT.workbook.note_label,
    )


def _pdf_text(data: bytes) -> tuple[str, list[pypdf.PageObject]]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), list(reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_keeps_typed_markup_as_text_and_has_the_crisis_lines(paper):
    data = render_pdf(_document([*TYPED, UNICODE, NOT_IN_FONT]), paper)
    text, pages = _pdf_text(data)
    flat = _flat(text)
    for typed in [*TYPED, UNICODE]:
        assert typed in flat, typed
    assert "\ufffd" in text
    assert "🙂" not in text
    for line in CONTENT.crisis.lines:
        assert _flat(line.how) in flat
    assert CONTENT.workbook.framing.split(".")[0] in flat
    width, height = (round(float(v)) for v in pages[0].mediabox[2:])
    assert (width, height) == PAPER_POINTS[paper]


def test_pdf_never_crashes_on_odd_text():
    odd = [
        "\ud800 lone surrogate",
        "\u202eright to left",
        "e\u0301",
        "\x00\x07 control",
        "a" * 3000,
        "\n\n\n",
        "",
    ]
    data = render_pdf(_document(odd), "a4")
    text, _ = _pdf_text(data)
    assert "lone surrogate" in text
    assert "é" in text


def test_drawable_replaces_only_what_the_font_lacks():
    assert drawable("Plain ça Ω") == "Plain ça Ω"
    assert drawable("共🙂") == "\ufffd\ufffd"
    assert drawable("a\u200bb\x07") == "ab"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_escapes_typed_text_and_loads_nothing():
    page = render_html(_document([*TYPED, UNICODE, NOT_IN_FONT]))
    parser = _Tags()
    parser.feed(page)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "img", "iframe", "a", "link", "object", "embed", "b"}
    assert all("src" not in attrs and "href" not in attrs for _, attrs in parser.tags)
    assert not any(name.startswith("on") for _, attrs in parser.tags for name in attrs)
    for typed in TYPED:
        if "<" in typed or "&" in typed:
            assert typed not in page, typed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert NOT_IN_FONT in page  # a browser has its own fonts: kept as is
    assert "default-src 'none'" in page
    for line in CONTENT.crisis.lines:
        assert line.how.replace("&", "&amp;") in page


def _book_with_answers(tmp_path, typed: str) -> AnswerBook:
    book = AnswerBook(Store(tmp_path / "take-home.sqlite"), new_participant())
    book.save("hidden-weight", {"answers": {item.id: "often" for item in load_checkin_content().items}})
    book.save(note_key("hidden-weight"), {"text": f"My note {typed}"})
    book.save(note_key("small-steps"), {"text": "Only a note here"})
    return book


def test_workbook_holds_answers_feedback_and_notes(tmp_path):
    book = _book_with_answers(tmp_path, TYPED[0])
    doc = workbook_document(CONTENT, book, SECTIONS, date(2026, 11, 25))
    assert [section.number for section in doc.sections] == [1, 7]
    assert doc.sections[0].blocks
    assert doc.sections[0].note == f"My note {TYPED[0]}"
    name, pdf = workbook_pdf(CONTENT, book, SECTIONS, date(2026, 11, 25))
    assert name == "my-reconnection-workbook-2026-11-25.pdf"
    text = _flat(_pdf_text(pdf)[0])
    band = load_checkin_content().bands[-1]
    assert _flat(band.title) in text
    assert f"My note {TYPED[0]}" in text
    assert "Only a note here" in text
    html_name, html = workbook_html(CONTENT, book, SECTIONS, date(2026, 11, 25))
    assert html_name == "my-reconnection-workbook-2026-11-25.html"
    assert "My note &lt;script&gt;alert(1)&lt;/script&gt;" in html.decode()


@pytest.mark.parametrize(
    ("locale", "one", "more"), [("en", "1 hour", "2.5 hours"), ("es", "1 hora", "2.5 horas")]
)
def test_the_take_home_writes_each_number_with_the_form_of_its_unit_that_agrees(tmp_path, locale, one, more):
    # Section 5's week chart, printed from the participant's own hours in the workbook's language.
    book = AnswerBook(Store(tmp_path / "hours.sqlite"), new_participant())
    book.save("isolation-replaces-connection", {"hours": {"work": 1, "screens": 2.5}, "patterns": []})
    content = load_content(content_dir(locale))
    with locale_in_use(locale):
        html = workbook_html(content, book, SECTIONS)[1].decode()
        pdf = _flat(_pdf_text(workbook_pdf(content, book, SECTIONS)[1])[0])
    for shown in (one, more):
        assert f">{shown}<" in html
        assert shown in pdf
    singular = one.split()[1]
    assert f"1 {singular}s" not in pdf
    assert f">1 {singular}s<" not in html


def test_an_empty_workbook_says_so(tmp_path):
    book = AnswerBook(Store(tmp_path / "empty.sqlite"), new_participant())
    doc = workbook_document(CONTENT, book, SECTIONS)
    assert doc.sections == ()
    assert doc.intro == CONTENT.workbook.take_home.nothing_yet
    assert CONTENT.workbook.take_home.nothing_yet.split(".")[0] in _flat(_pdf_text(render_pdf(doc))[0])


def test_worksheets_hold_each_sections_text_and_activity():
    doc = worksheet_document(CONTENT, SECTIONS)
    paragraphs = section_paragraphs(CONTENT)
    assert [section.number for section in doc.sections] == list(range(1, 10))
    for section, spec in zip(doc.sections, CONTENT.sections.sections, strict=True):
        texts = [block.text for block in section.blocks if isinstance(block, Paragraph)]
        assert all(paragraph in texts for paragraph in paragraphs[spec.slug])
        assert any(isinstance(block, Scale | Checklist | WriteIn | Grid) for block in section.blocks)


def test_the_worksheet_command_writes_every_sheet_and_both_booklets(tmp_path):
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "widgets.worksheets", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    seconds = time.monotonic() - started
    assert "wrote 20 PDF files" in done.stdout
    for paper, size in PAPER_POINTS.items():
        for section in CONTENT.sections.sections:
            path = tmp_path / f"worksheet-{section.number:02d}-{section.slug}-{paper}.pdf"
            text, pages = _pdf_text(path.read_bytes())
            assert _flat(section.title) in _flat(text)
            assert tuple(round(float(v)) for v in pages[0].mediabox[2:]) == size
        booklet = tmp_path / f"reconnection-worksheets-booklet-{paper}.pdf"
        text, pages = _pdf_text(booklet.read_bytes())
        flat = _flat(text)
        assert "Contents" in flat
        for section in CONTENT.sections.sections:
            assert flat.count(_flat(section.title)) >= 2  # in the contents and on its own page
        for line in CONTENT.crisis.lines:
            assert _flat(line.how) in flat
        assert len(pages) >= 11
    assert seconds < 120


def test_a_completed_workbook_exports_every_section(tmp_path, artifacts):
    from widgets import answers

    book = answers.use(AnswerBook(Store(tmp_path / "complete.sqlite"), new_participant()))
    for section in CONTENT.sections.sections:
        answer_every_control(SECTIONS[section.slug].build(CONTENT, SECTIONS), f"Sam {TYPED[2]}")
        book.save(note_key(section.slug), {"text": f"Note for section {section.number}: {TYPED[0]}"})
    assert all(book.load(section.slug) for section in CONTENT.sections.sections)
    started = time.monotonic()
    name, pdf = workbook_pdf(CONTENT, book, SECTIONS)
    pdf_seconds = time.monotonic() - started
    _, html = workbook_html(CONTENT, book, SECTIONS)
    text, pages = _pdf_text(pdf)
    flat = _flat(text)
    for section in CONTENT.sections.sections:
        assert _flat(f"Section {section.number}: {section.title}") in flat
        assert f"Note for section {section.number}: {TYPED[0]}" in flat
        assert f"Note for section {section.number}: &lt;script&gt;" in html.decode()
    assert "<b>Sam & Jo</b>" in flat
    doc = workbook_document(CONTENT, book, SECTIONS)
    assert all(section.blocks for section in doc.sections)
    (artifacts / name).write_bytes(pdf)
    (artifacts / "completed-workbook.json").write_text(
        f'{{"pdf_seconds": {pdf_seconds:.2f}, "pdf_pages": {len(pages)}, "pdf_bytes": {len(pdf)}, '
        f'"html_bytes": {len(html)}}}'
    )
    answers.use(AnswerBook())
