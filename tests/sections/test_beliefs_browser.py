"""Section 2 in a real browser through the real server."""

from __future__ import annotations

import pytest
from conftest import open_section

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.sections.beliefs.model import BeliefsContent

pytestmark = pytest.mark.browser

SECTION = load_content().sections.by_number(2)
SPEC = load_activity_content("beliefs", BeliefsContent)


def test_beliefs_feedback_in_the_browser(voila_server, watched_page, screenshot):
    page, watch = watched_page
    open_section(page, voila_server, SECTION, page.get_by_role("radio"))
    labels = {option.id: option.label for option in SPEC.options}

    for number, (statement, choice) in enumerate(
        zip(SPEC.statements[:3], ["agree", "strongly-agree", "disagree"], strict=True), start=1
    ):
        group = page.get_by_role("group", name=f"{number}. {statement.text}")
        group.get_by_role("radio", name=labels[choice], exact=True).check()

    feedback = page.locator(".rw-feedback")
    feedback.get_by_text(f"You answered 3 of {len(SPEC.statements)}.").wait_for(timeout=10_000)
    feedback.get_by_role("heading", name=SPEC.strongest_heading).wait_for()
    reframes = feedback.locator(".rw-reframes li")
    # Strongest first: "strongly agree" (statement 2) before "agree" (statement 1).
    assert reframes.count() == 2
    assert SPEC.statements[1].text in reframes.nth(0).inner_text()
    assert SPEC.statements[0].reframe in reframes.nth(1).inner_text()
    assert SPEC.statements[2].reframe not in feedback.inner_text()

    screenshot(page, "section-2")
    assert watch.troubles == {}
