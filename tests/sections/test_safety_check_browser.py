"""Section 6 through the real server in a real browser: name a relationship, rate it."""

from __future__ import annotations

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.sections.safety_check.model import load_safety_check_content

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(6)
SPEC = load_safety_check_content()
LABELS = {option.id: option.label for option in SPEC.options}


def _rate(page, choices: list[str]) -> None:
    for number, (quality, choice) in enumerate(zip(SPEC.qualities, choices, strict=True), start=1):
        group = page.get_by_role("group", name=f"{number}. {quality.question}", exact=True)
        group.get_by_role("radio", name=LABELS[choice], exact=True).check()


def _shown_answers(page) -> list[str | None]:
    shown = []
    for number, quality in enumerate(SPEC.qualities, start=1):
        group = page.get_by_role("group", name=f"{number}. {quality.question}", exact=True)
        checked = [
            key
            for key, text in LABELS.items()
            if group.get_by_role("radio", name=text, exact=True).is_checked()
        ]
        shown.append(checked[0] if len(checked) == 1 else None)
    return shown


def _name_the_relationship(page, feedback, label: str) -> None:
    """Type the relationship's name: the profile's heading names it, as text."""
    name = page.get_by_role("textbox", name=SPEC.name_label)
    expect(page.get_by_text(SPEC.name_hint)).to_be_visible()
    name.fill(label)
    name.press("Tab")
    page.get_by_text(f"{len(label)} of {SPEC.name_max_length} characters").wait_for(timeout=5_000)
    heading = SPEC.profile_heading.format(relationship=label)
    feedback.get_by_role("heading", name=heading).wait_for(timeout=10_000)
    assert feedback.locator("i").count() == 0


def test_section_6_relational_safety_check(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    open_section(page, voila_server, SECTION, page.get_by_role("radio"), artifacts)
    assert page.get_by_role("radio").count() == len(SPEC.qualities) * len(SPEC.options)
    feedback = page.locator(".rw-feedback")
    feedback.get_by_text(SPEC.nothing_rated).wait_for(timeout=10_000)
    assert SPEC.disagreement_article_words in feedback.inner_text()

    # A name with markup in it stays text.
    label = "<i>Sam</i>"
    _name_the_relationship(page, feedback, label)

    _rate(page, ["always", "often", "sometimes", "rarely", "often"])
    strengths = feedback.locator(".rw-strengths")
    strengths.get_by_text(SPEC.qualities[4].strength_words).wait_for(timeout=10_000)
    for index in (0, 1):
        assert SPEC.qualities[index].strength_words in strengths.inner_text()
    growing = feedback.locator(".rw-growing").inner_text()
    for index in (2, 3):
        assert SPEC.qualities[index].growing_words in growing
    assert SPEC.disagreement_article_words in feedback.inner_text()

    chart = feedback.get_by_role("img", name=SPEC.chart_title.format(relationship=label))
    expect(chart).to_be_visible()
    # The chart's description says every bar; its table waits, closed, behind "Show as a table".
    expect(chart).to_have_accessible_description(
        "Being steady (Always): 5 of 5; Respect (Often): 4 of 5; Honesty (Sometimes): 3 of 5; "
        "Being yourself (Rarely): 2 of 5; Disagreeing well (Often): 4 of 5"
    )
    alternative = feedback.get_by_role("table", name=SPEC.table_caption)
    expect(alternative).to_be_hidden()
    feedback.get_by_text(CONTENT.workbook.page.show_table, exact=True).click()
    expect(alternative).to_be_visible()
    rows = [row.inner_text().split("\t") for row in alternative.locator("tbody tr").all()]
    assert rows == [
        ["Being steady", "Always", "Yes"],
        ["Respect", "Often", "Yes"],
        ["Honesty", "Sometimes", "Not yet"],
        ["Being yourself", "Rarely", "Not yet"],
        ["Disagreeing well", "Often", "Yes"],
    ]
    assert feedback.locator(".rw-invite").count() == 0
    screenshot(page, "section-6")

    # Mostly "never" or "rarely": a calm note and the support lines.
    _rate(page, ["never", "rarely", "never", "rarely", "sometimes"])
    feedback.get_by_text(SPEC.care_note).wait_for(timeout=10_000)
    assert "call or text 988" in feedback.locator(".rw-invite").inner_text()
    feedback.get_by_text(SPEC.no_strengths_yet).wait_for(timeout=10_000)

    assert watch.troubles == {}
    # Last, what the person sees: every question still shows the answer they gave.
    # (Radio groups drawn in the same millisecond must not share an input name.)
    assert _shown_answers(page) == ["never", "rarely", "never", "rarely", "sometimes"]
