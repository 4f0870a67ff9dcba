"""Section 8 in a real browser: tick who gives each support, meet the "no one yet" rule, read the gaps."""

from __future__ import annotations

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.sections.sharing_load.view import load_spec

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(8)
SPEC = load_spec()
SUPPORTS = {support.id: (number, support) for number, support in enumerate(SPEC.supports, start=1)}


def _group(page, support_id: str):
    number, support = SUPPORTS[support_id]
    return page.get_by_role("group", name=f"{number}. {support.question}")


def test_sharing_the_load(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    open_section(page, voila_server, SECTION, page.get_by_role("checkbox"), artifacts)
    expect(page.get_by_role("heading", name=SPEC.heading, level=2)).to_be_visible()
    # A fresh page holds no connection map, so the choices are kinds of people, and it says so.
    expect(page.get_by_text(SPEC.from_kinds_note)).to_be_visible()
    expect(page.get_by_text(SPEC.nothing_yet)).to_be_visible()
    encouragement = _group(page, "encouragement")
    encouragement.get_by_role("checkbox", name="Friend").check()
    encouragement.get_by_role("checkbox", name="Family").check()
    _group(page, "accountability").get_by_role("checkbox", name=SPEC.no_one_label).check()

    # "No one yet" together with someone is refused, with a message beside the question.
    turn_to = _group(page, "turn-to")
    turn_to.get_by_role("checkbox", name=SPEC.no_one_label).check()
    friend = turn_to.get_by_role("checkbox", name="Friend")
    friend.click()
    turn_to.get_by_text(SPEC.no_one_conflict).wait_for(timeout=10_000)
    page.wait_for_function(
        "(box) => !box.checked", arg=friend.element_handle(), timeout=10_000
    )  # the server sent the kept ticks back
    assert turn_to.get_by_role("checkbox", name=SPEC.no_one_label).is_checked()

    feedback = page.locator(".rw-feedback")
    feedback.get_by_text("Gaps for now: Accountability, Someone to turn to.", exact=False).wait_for(
        timeout=10_000
    )
    expect(feedback.get_by_role("img", name=SPEC.chart_title)).to_be_visible()
    rows = feedback.locator(".rw-text-alternative tr")
    expect(rows.first).to_be_hidden()
    feedback.get_by_text(CONTENT.workbook.page.show_table, exact=True).click()
    expect(rows.first).to_be_visible()
    table = [row.inner_text().split("\t") for row in rows.all()]
    assert table[0] == SPEC.table_headers
    assert ["Encouragement", "Friend, Family", SPEC.status_covered] in table
    assert ["Accountability", SPEC.no_one_label, SPEC.status_gap] in table
    assert ["Someone to turn to", SPEC.no_one_label, SPEC.status_gap] in table
    assert ["Practical help", SPEC.skipped_cell, SPEC.status_skipped] in table
    text = feedback.inner_text()
    assert "1 of 6 kinds of support have someone." in text
    assert SPEC.grow_heading in text
    assert "A good place to start: Someone to turn to." in text
    assert SUPPORTS["turn-to"][1].suggestion in text
    assert SPEC.all_gaps not in text  # one support is covered: no need for the warm "all gaps" words

    screenshot(page, "section-8-sharing-load")
    assert watch.troubles == {}
