"""Section 4 in a real browser: add people to the map, see it drawn and listed, refuse, remove."""

from __future__ import annotations

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.sections.connection_map.view import load_spec

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(4)
SPEC = load_spec()
KINDS = {kind.id: kind.label for kind in SPEC.kinds}
CIRCLES = {circle.id: f"{circle.name}: {circle.explanation}" for circle in SPEC.circles}
SCALE = {choice.id: choice.label for choice in SPEC.scale}


def _add(page, label: str, kind: str | None, circle: str | None, rating: str | None) -> None:
    """Fill the form as a person would and press the add button."""
    page.get_by_role("textbox", name=SPEC.label_question).fill(label)
    if kind:
        page.get_by_role("group", name=SPEC.kind_question).get_by_role("radio", name=KINDS[kind]).check()
    if circle:
        circles = page.get_by_role("group", name=SPEC.circle_question)
        circles.get_by_role("radio", name=CIRCLES[circle]).check()
    if rating:
        for question in SPEC.ratings:
            group = page.get_by_role("group", name=question.question)
            group.get_by_role("radio", name=SCALE[rating], exact=True).check()
    page.get_by_role("button", name=SPEC.add_label).click()


def _check_the_drawn_map(feedback) -> None:
    """Sam and Jo drawn in their circles, with the text alternative and the article's words, as text."""
    picture = feedback.get_by_role("img", name=SPEC.map_title)
    expect(picture).to_be_visible()
    alternative = feedback.locator(".rw-text-alternative").inner_text()
    assert "Close circle (1): Sam" in alternative
    assert "Middle circle (1): <b>Jo</b>" in alternative
    assert f"Outer circle (0): {SPEC.ring_empty}" in alternative
    assert feedback.locator("b").count() == 0  # the label is shown as text, never as markup
    text = feedback.inner_text()
    assert SPEC.safe_definition in text
    assert f"“{SPEC.article_words}”" in text
    assert SPEC.article_credit in text


def _wider_than_a_phone(page) -> list[str]:
    """The activity's elements wider than a 360 px wide phone's screen, once Voilà has laid it out."""
    page.set_viewport_size({"width": 360, "height": 800})
    # Voilà lays the page out again after a resize: wait until it has.
    page.wait_for_function(
        "() => document.getElementById('rendered_cells').getBoundingClientRect().right"
        " <= window.innerWidth + 1"
    )
    page.wait_for_timeout(300)
    return page.evaluate(
        """() => [...document.querySelectorAll('.rw-activity, .rw-activity *')]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .map((element) => element.className || element.tagName)"""
    )


def test_my_connection_map(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    label_box = page.get_by_role("textbox", name=SPEC.label_question)
    open_section(page, voila_server, SECTION, label_box, artifacts)

    # The page's widgets appear one by one: wait for each rather than assume it is drawn.
    expect(page.get_by_role("heading", name=SPEC.heading, level=2)).to_be_visible()
    expect(page.get_by_text(SPEC.form_note.format(max_entries=25))).to_be_visible()
    expect(page.get_by_text(SPEC.label_hint)).to_be_visible()
    expect(page.get_by_text("0 of 30 characters")).to_be_visible()
    feedback = page.locator(".rw-feedback")
    expect(feedback).to_contain_text(SPEC.empty_feedback)

    # A close friend who feels safe on all three.
    _add(page, "Sam", "friend", "close", "mostly")
    page.get_by_role("button", name="Remove Sam").wait_for(timeout=10_000)
    page.get_by_text("Added “Sam” to your map.", exact=False).wait_for(timeout=10_000)
    assert label_box.input_value() == ""  # the form is clear for the next one
    # A coworker in the middle circle, ratings skipped, with markup in the label.
    _add(page, "<b>Jo</b>", "coworker", "middle", None)
    page.get_by_role("button", name="Remove <b>Jo</b>").wait_for(timeout=10_000)
    feedback.get_by_text("Relationships that feel safe right now: 1 of 2.").wait_for(timeout=10_000)

    _check_the_drawn_map(feedback)
    assert "2 of 25 so far." in page.locator(".rw-activity").inner_text()

    # A refused add: no label. The message shows, and the chosen circle is kept.
    circles = page.get_by_role("group", name=SPEC.circle_question)
    circles.get_by_role("radio", name=CIRCLES["outer"]).check()
    page.get_by_role("button", name=SPEC.add_label).click()
    page.locator(".rw-status").get_by_text("Please type a label first", exact=False).wait_for(timeout=10_000)
    assert circles.get_by_role("radio", name=CIRCLES["outer"]).is_checked()
    assert "2 of 25 so far." in page.locator(".rw-activity").inner_text()

    # Removing someone.
    page.get_by_role("button", name="Remove Sam").click()
    page.get_by_role("button", name="Remove Sam").wait_for(state="detached", timeout=10_000)
    feedback.get_by_text("Relationships that feel safe right now: 0 of 1.").wait_for(timeout=10_000)
    assert "Close circle (0)" in feedback.locator(".rw-text-alternative").inner_text()

    screenshot(page, "section-4-connection-map")
    # On a 360 px wide phone nothing in the activity is wider than the screen.
    assert _wider_than_a_phone(page) == []
    screenshot(page, "section-4-connection-map-phone")
    assert watch.troubles == {}
