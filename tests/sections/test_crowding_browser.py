"""Section 5 in the real server and a real browser: type hours, tick patterns, read the feedback."""

from __future__ import annotations

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.sections.crowding.model import CrowdingContent

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(5)
SPEC = load_activity_content("crowding", CrowdingContent)
LABELS = {activity.id: activity.label for activity in SPEC.hours.activities}
PATTERNS = {pattern.id: pattern for pattern in SPEC.patterns.options}


def _hours_field(page, activity_id: str):
    """The number field named by an activity's label, as a screen reader announces it."""
    return page.get_by_role("spinbutton", name=LABELS[activity_id], exact=True)


def _type_hours(page, activity_id: str, text: str, key: str = "Tab") -> None:
    """Type into a number field as a person would, then leave it so its change event fires."""
    field = _hours_field(page, activity_id)
    field.click()
    field.press_sequentially(text)
    field.press(key)


def _check_the_marked_steps(feedback) -> None:
    """Exhaustion and "not interested" mark three steps of the cycle, each with the pattern that feeds it."""
    marked = feedback.locator('li[data-marked="yes"]')
    marked.nth(2).wait_for(timeout=10_000)
    steps = {step.id: step for step in SPEC.cycle.steps}
    marked_text = [marked.nth(i).inner_text() for i in range(marked.count())]
    assert len(marked_text) == 3
    assert marked_text[0].startswith(f"★ {steps['overwhelmed'].label}")
    assert PATTERNS["exhaustion"].label in marked_text[0]
    assert marked_text[1].startswith(f"★ {steps['belief'].label}")
    assert PATTERNS["not-interested"].label in marked_text[1]
    assert marked_text[2].startswith(f"★ {steps['pull-back'].label}")


def test_section_5_hours_patterns_and_feedback(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    open_section(page, voila_server, SECTION, page.get_by_role("spinbutton"), artifacts)
    assert page.get_by_role("spinbutton").count() == len(SPEC.hours.activities)
    feedback = page.locator(".rw-feedback")
    # Before anything is entered: gentle words, and the whole cycle with nothing marked.
    feedback.get_by_text(SPEC.week.empty).wait_for(timeout=10_000)
    cycle_steps = feedback.locator(".rw-text-alternative ol li")
    assert cycle_steps.count() == len(SPEC.cycle.steps)
    assert feedback.locator('li[data-marked="yes"]').count() == 0
    expect(page.get_by_text("Hours entered so far: 0 of 112.")).to_be_visible()
    _type_hours(page, "work", "40")
    _type_hours(page, "screens", "14", key="Enter")
    _type_hours(page, "with-people", "8")
    _type_hours(page, "deep-talk", "2")
    share = "Time with people is 8 of the 62 hours you entered, about 13%."
    feedback.get_by_text(share).wait_for(timeout=10_000)
    # The chart names every bar with its hours in its description, for a screen reader.
    week = feedback.get_by_role("img", name=SPEC.week.title)
    expect(week).to_have_accessible_description(
        "Work or school: 40 hours; Screens for fun: 14 hours; With people (connection): 8 hours; "
        "Deep talks (connection): 2 hours",
        timeout=10_000,
    )
    expect(page.get_by_text("Hours entered so far: 62 of 112.")).to_be_visible()
    # The chart's text alternative: one row per answered part of the week, behind "Show as a table".
    table = feedback.locator(".rw-text-alternative table")
    expect(table).to_be_hidden()
    feedback.get_by_text(CONTENT.workbook.page.show_table, exact=True).click()
    expect(table).to_be_visible()
    rows = [row.inner_text().split("\t") for row in table.locator("tbody tr").all()]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["Work or school", "40", "other"],
        ["Screens for fun", "14", "other"],
        ["Time with people", "8", "connection"],
        ["Deep conversation", "2", "connection"],
    ]
    assert "“Work or school” fills 40 hours" in feedback.inner_text()

    # Deep conversation can't be more than time with people: refused, with a message, value kept.
    deep = _hours_field(page, "deep-talk")
    deep.fill("")
    _type_hours(page, "deep-talk", "9")
    page.get_by_text("can't be more than the 8 hours you gave there").wait_for(timeout=10_000)
    page.wait_for_function("field => field.value === '2'", arg=deep.element_handle(), timeout=10_000)
    expect(feedback.get_by_text(share)).to_be_visible()
    # Tick two patterns; their steps are marked in the cycle's text alternative.
    for pattern_id in ("exhaustion", "not-interested"):
        page.get_by_role("checkbox", name=PATTERNS[pattern_id].label).check()
    _check_the_marked_steps(feedback)
    assert SPEC.cycle.marked_line in feedback.inner_text()
    assert SPEC.reminder.article_words in feedback.inner_text()

    screenshot(page, "section-5")
    assert watch.troubles == {}
