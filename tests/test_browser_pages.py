"""Every page from its direct link: ready, framed, with crisis resources, offline.

Also records how long each page takes until its first answer control is
visible (``test-artifacts/page-timings.json``).
"""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect

from widgets import load_content

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTIONS = [section for section in CONTENT.sections.sections if section.notebook]
CONTROLS = "#rendered_cells input, #rendered_cells textarea"
READY_WITHIN_SECONDS = 30


@pytest.fixture(scope="module")
def timings(artifacts):
    """Seconds until each page is ready; written to an artifact when the module ends."""
    measured: dict[str, float] = {}
    yield measured
    if measured:
        slowest = max(measured, key=measured.get)
        report = {"seconds_until_controls_visible": measured, "slowest": slowest}
        (artifacts / "page-timings.json").write_text(json.dumps(report, indent=2))


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.notebook)
def test_section_page_from_its_direct_link(voila_server, watched_page, timings, section):
    page, watch = watched_page
    started = time.monotonic()
    page.goto(voila_server.page(section.notebook))
    page.locator(CONTROLS).first.wait_for(state="visible", timeout=60_000)
    timings[section.notebook] = round(time.monotonic() - started, 2)
    assert timings[section.notebook] < READY_WITHIN_SECONDS

    assert re.search(f"Section {section.number} of 9", page.title())
    expect(page.get_by_text(f"Section {section.number} of 9").first).to_be_visible()
    expect(page.get_by_role("heading", name=section.title, level=1)).to_be_visible()
    expect(page.get_by_text(CONTENT.workbook.framing).first).to_be_visible()
    crisis = page.get_by_role("complementary", name="Crisis support").first
    for line in CONTENT.crisis.lines:
        assert line.short in crisis.inner_text()
    nav = page.get_by_role("navigation", name="Sections")
    expect(nav.get_by_role("link", name="All sections")).to_be_visible()
    note_label = f"{CONTENT.workbook.note_label}: {section.note_prompt}"
    expect(page.get_by_role("textbox", name=note_label)).to_be_visible()
    if section.content_note:
        expect(page.get_by_role("note", name="Content note")).to_be_visible()
    # Labels and radio groups work by id and name: none may repeat on a page.
    repeated = page.evaluate(
        """() => {
            const ids = [...document.querySelectorAll('#rendered_cells [id]')].map((e) => e.id);
            const groups = [...document.querySelectorAll('#rendered_cells fieldset')].map(
                (f) => f.querySelector('input[type=radio]')?.name).filter(Boolean);
            const twice = (list) => list.filter((v, i) => list.indexOf(v) !== i);
            return [...twice(ids), ...twice(groups)];
        }"""
    )
    assert repeated == []

    assert watch.troubles == {}


@pytest.mark.parametrize("notebook", [CONTENT.sections.welcome_notebook, CONTENT.sections.summary_notebook])
def test_welcome_and_summary_pages(voila_server, watched_page, timings, notebook):
    page, watch = watched_page
    started = time.monotonic()
    page.goto(voila_server.page(notebook))
    page.get_by_role("complementary", name="Crisis support").first.wait_for(timeout=60_000)
    timings[notebook] = round(time.monotonic() - started, 2)
    assert timings[notebook] < READY_WITHIN_SECONDS
    expect(page.get_by_text(CONTENT.workbook.framing).first).to_be_visible()
    assert watch.troubles == {}
