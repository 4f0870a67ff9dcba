"""Section 9 and the summary page in a real browser through the real server."""

from __future__ import annotations

import time

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.participant import Participant, parse_code
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.where_now.model import WhereNowContent
from widgets.store import default_store

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(9)
SPEC = load_activity_content("where_now", WhereNowContent)


def test_retake_patterns_and_look_ahead(voila_server, watched_page, screenshot):
    page, watch = watched_page
    open_section(page, voila_server, SECTION, page.get_by_role("radio"))
    for number, item in enumerate(load_checkin_content().items[:4], start=1):
        page.get_by_role("group", name=f"{number}. {item.text}").get_by_role("radio", name="Often").check()
    checkin_feedback = page.locator(".rw-feedback").first
    checkin_feedback.get_by_text("You answered 4 of 6 questions.").wait_for(timeout=10_000)
    checkin_feedback.get_by_role("heading", name=load_checkin_content().bands[-1].title).wait_for()

    # Section 1's answers live on section 1's page in this version: nothing to compare here.
    comparison = page.locator(".rw-compare")
    comparison.get_by_text(SPEC.no_baseline).wait_for(timeout=10_000)

    patterns = page.get_by_role("group", name=SPEC.patterns.question)
    patterns.get_by_role("checkbox", name=SPEC.patterns.options[0].label).check()
    assert patterns.get_by_role("checkbox", name=SPEC.patterns.options[0].label).is_checked()
    page.get_by_role("textbox", name=SPEC.patterns.own_words_label).fill("I wait for others to call.")
    # As a participant would, move on once it is saved: here, once the store has it.
    code = parse_code(page.locator(".rw-code").inner_text())
    deadline = time.monotonic() + 15
    while (default_store().load_all(Participant(code).code_hash).get("looking-ahead") or {}).get(
        "own_words"
    ) != "I wait for others to call.":
        assert time.monotonic() < deadline, "the own words never reached the store"
        time.sleep(0.1)
    expect(page.locator(".rw-saved")).to_have_text(CONTENT.workbook.participant.saved)

    expect(page.get_by_role("heading", name=SPEC.look_ahead_heading)).to_be_visible()
    expect(page.get_by_text(SPEC.summary_nothing)).to_be_visible()
    summary_link = page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name=CONTENT.workbook.summary.link_label
    )
    expect(summary_link).to_be_visible()
    screenshot(page, "section-9")
    assert watch.troubles == {}

    summary_link.click()
    page.wait_for_url(f"**/{CONTENT.sections.summary_notebook}")
    page.get_by_role("heading", name="My workbook summary").wait_for(timeout=60_000)
    for section in CONTENT.sections.sections:
        expect(page.get_by_text(f"Section {section.number}: {section.title}").first).to_be_visible()
    # What was answered on section 9 is kept, so the summary page shows it.
    summary = page.locator(".rw-summary")
    assert f"{SPEC.now_label}: {load_checkin_content().bands[-1].title}" in summary.inner_text()
    assert SPEC.patterns.options[0].label in summary.inner_text()
    assert "I wait for others to call." in summary.inner_text()
    expect(page.get_by_role("complementary", name="Crisis support")).to_be_visible()
    screenshot(page, "summary")
    assert watch.troubles == {}
