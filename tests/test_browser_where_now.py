"""Section 9 and the summary page in a real browser through the real server."""

from __future__ import annotations

import pytest

from widgets import load_content
from widgets._content import load_activity_content
from widgets.where_now import WhereNowContent

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(9)
SPEC = load_activity_content("where_now", WhereNowContent)


def test_retake_patterns_and_look_ahead(voila_server, watched_page, screenshot):
    page, watch = watched_page
    page.goto(voila_server.page(SECTION.notebook))
    page.get_by_role("radio").first.wait_for(state="visible", timeout=60_000)
    assert page.get_by_text("Section 9 of 9").is_visible()

    for number, item in enumerate(CONTENT.checkin.items[:4], start=1):
        page.get_by_role("group", name=f"{number}. {item.text}").get_by_role("radio", name="Often").check()
    checkin_feedback = page.locator(".rw-feedback").first
    checkin_feedback.get_by_text("You answered 4 of 6 questions.").wait_for(timeout=10_000)
    checkin_feedback.get_by_role("heading", name=CONTENT.checkin.bands[-1].title).wait_for()

    # Section 1's answers live on section 1's page in this version: nothing to compare here.
    comparison = page.locator(".rw-compare")
    comparison.get_by_text(SPEC.no_baseline).wait_for(timeout=10_000)

    patterns = page.get_by_role("group", name=SPEC.patterns.question)
    patterns.get_by_role("checkbox", name=SPEC.patterns.options[0].label).check()
    assert patterns.get_by_role("checkbox", name=SPEC.patterns.options[0].label).is_checked()
    page.get_by_role("textbox", name=SPEC.patterns.own_words_label).fill("I wait for others to call.")

    assert page.get_by_role("heading", name=SPEC.look_ahead_heading).is_visible()
    assert page.get_by_text(SPEC.summary_nothing).is_visible()
    summary_link = page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name=CONTENT.workbook.summary.link_label
    )
    assert summary_link.is_visible()

    screenshot(page, "section-9")
    assert watch.external == []
    assert watch.failed_responses == []
    assert watch.console_errors == []

    summary_link.click()
    page.wait_for_url(f"**/{CONTENT.sections.summary_notebook}")
    page.get_by_role("heading", name="My workbook summary").wait_for(timeout=60_000)
    for section in CONTENT.sections.sections:
        assert page.get_by_text(f"Section {section.number}: {section.title}").first.is_visible()
    assert page.get_by_text(CONTENT.workbook.summary.nothing_kept).is_visible()
    assert page.get_by_role("complementary", name="Crisis support").is_visible()
    screenshot(page, "summary")
    assert watch.external == []
    assert watch.failed_responses == []
    assert watch.console_errors == []
