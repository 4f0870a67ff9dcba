"""Take it home through the real server: answer, then download my workbook (PDF, web page) and the booklet."""

from __future__ import annotations

import io
import json
import re
import time
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from widgets import load_content
from widgets.sections.checkin.model import load_checkin_content

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTIONS = CONTENT.sections
SECTION_1 = SECTIONS.by_number(1)
SECTION_2 = SECTIONS.by_number(2)
CHECKIN = load_checkin_content()
WORDS = CONTENT.workbook.take_home
NOTE = "Call Sam <script>alert(1)</script> & plan a walk 🙂"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _download(page, label: str):
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label).click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def test_answer_two_sections_then_download_my_workbook(voila_server, new_watched_page, artifacts):
    page, watch = new_watched_page()
    page.goto(voila_server.page(SECTION_1.notebook))
    labels = {option.id: option.label for option in CHECKIN.options}
    for number, item in enumerate(CHECKIN.items, start=1):
        page.get_by_role("group", name=f"{number}. {item.text}").get_by_role(
            "radio", name=labels["often"]
        ).check(timeout=60_000)
    expect(page.get_by_role("button", name=WORDS.pdf_label)).to_be_visible()
    note = page.get_by_role("textbox", name=f"{CONTENT.workbook.note_label}: {SECTION_1.note_prompt}")
    note.fill(NOTE)
    note.press("Tab")
    expect(page.locator(".rw-participant")).to_have_attribute("data-saves", re.compile(r"^([7-9]|\d\d+)$"))

    page.get_by_role("navigation", name="Sections").get_by_role("link", name=re.compile("Section 2")).click()
    page.wait_for_url(f"**/{SECTION_2.notebook}")
    first = page.locator("#rendered_cells fieldset").first
    first.get_by_role("radio").first.check(timeout=60_000)
    expect(page.locator(".rw-participant")).to_have_attribute("data-saves", "1")

    page.get_by_role("link", name="All sections").first.click()
    page.wait_for_url("**/00-welcome.ipynb")
    page.get_by_role("link", name=CONTENT.workbook.summary.link_label).first.click()
    page.wait_for_url(f"**/{SECTIONS.summary_notebook}")
    started = time.monotonic()
    pdf_name, pdf = _download(page, WORDS.pdf_label)
    pdf_seconds = time.monotonic() - started
    html_name, html = _download(page, WORDS.html_label)
    today = time.strftime("%Y-%m-%d")
    assert pdf_name == f"my-reconnection-workbook-{today}.pdf"
    assert html_name == f"my-reconnection-workbook-{today}.html"

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = _flat("\n".join(p.extract_text() for p in reader.pages))
    assert f"Section 1: {SECTION_1.title}" in text
    assert f"Section 2: {_flat(SECTION_2.title)}" in text
    assert _flat(CHECKIN.bands[-1].title) in text
    assert "Call Sam <script>alert(1)</script> & plan a walk \ufffd" in text
    for line in CONTENT.crisis.lines:
        assert _flat(line.how) in text
    page_html = html.decode()
    assert "Call Sam &lt;script&gt;alert(1)&lt;/script&gt; &amp; plan a walk 🙂" in page_html
    assert "<script" not in page_html

    # The web page opens on its own, offline, and shows the note as typed.
    (artifacts / html_name).write_bytes(html)
    saved = new_watched_page()[0]
    saved.goto((artifacts / html_name).as_uri())
    expect(saved.get_by_text(NOTE)).to_be_visible()
    assert watch.troubles == {}
    (artifacts / "take-home.json").write_text(
        json.dumps(
            {"pdf_download_seconds": pdf_seconds, "pdf_pages": len(reader.pages), "pdf_bytes": len(pdf)}
        )
    )


def test_the_welcome_page_offers_the_booklet(voila_server, new_watched_page):
    page, watch = new_watched_page()
    page.goto(voila_server.page(SECTIONS.welcome_notebook))
    name, data = _download(page, CONTENT.workbook.worksheets.letter_label)
    assert name == "reconnection-worksheets-booklet-letter.pdf"
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert tuple(round(float(v)) for v in reader.pages[0].mediabox[2:]) == (612, 792)
    text = _flat("\n".join(p.extract_text() for p in reader.pages))
    for section in SECTIONS.sections:
        assert _flat(section.title) in text
    assert watch.troubles == {}
