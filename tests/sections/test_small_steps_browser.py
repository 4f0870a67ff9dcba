"""Section 7 in a real browser: plan a step, see the make-it-smaller prompt come and go, add a step."""

from __future__ import annotations

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.sections.small_steps.model import SmallStepsContent

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(7)
SPEC = load_activity_content("small_steps", SmallStepsContent)


def _label(number: int, label: str) -> str:
    return SPEC.control_label.format(number=number, label=label)


def _assert_controls_told_apart(page) -> None:
    """Every id and radio-group name on the page is its own, so each label names its own control."""
    clashes = page.evaluate(
        """() => {
            const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
            const names = [...document.querySelectorAll("fieldset")].map(
                (group) => [...new Set([...group.querySelectorAll("input")].map((i) => i.name))].join()
            );
            const repeated = (list) => list.filter((item, index) => item && list.indexOf(item) !== index);
            return [...repeated(ids), ...repeated(names)];
        }"""
    )
    assert clashes == [], (
        f"controls share ids or radio names, so labels point at the wrong control: {clashes}"
    )


def _plan_the_first_step(page) -> None:
    """Step 1, the article's first example: a low confidence brings the make-it-smaller prompt, 8 hides it."""
    what = page.get_by_role("group", name=_label(1, SPEC.what.question))
    what.get_by_role("radio", name=SPEC.what.options[0].label).check()
    page.get_by_role("textbox", name=_label(1, SPEC.who.label)).fill("my friend <b>Dana</b>")
    page.get_by_role("textbox", name=_label(1, SPEC.when.label)).fill("Saturday morning")
    confidence = page.get_by_role("group", name=_label(1, SPEC.confidence.question))
    assert confidence.get_by_role("radio").count() == 11

    prompt = page.get_by_text(SPEC.confidence.smaller_prompt)
    confidence.get_by_role("radio", name="5", exact=True).check()
    prompt.wait_for(state="visible", timeout=10_000)
    for idea in SPEC.confidence.smaller_ideas:
        expect(page.get_by_text(idea)).to_be_visible()
    confidence.get_by_role("radio", name="8", exact=True).check()
    prompt.wait_for(state="hidden", timeout=10_000)

    page.get_by_role("textbox", name=_label(1, SPEC.obstacle.label)).fill("I might feel shy")
    page.get_by_role("textbox", name=_label(1, SPEC.plan.label)).fill("Send a text first")


def _check_the_card(page) -> None:
    """The card holds both steps as they were typed, markup shown as text, and the article's words."""
    card = page.locator(".rw-steps-card")
    card.get_by_text("Eat lunch with a coworker").wait_for(timeout=10_000)
    text = card.inner_text()
    labels = SPEC.card
    for expected in (
        SPEC.card.heading,
        "Step 1",
        f"{labels.what_label}: {SPEC.what.options[0].label}",
        f"{labels.who_label}: my friend <b>Dana</b>",
        f"{labels.when_label}: Saturday morning",
        f"{labels.confidence_label}: 8 out of 10",
        f"{labels.obstacle_label}: I might feel shy",
        f"{labels.plan_label}: Send a text first",
        "Step 2",
        f"{labels.what_label}: Eat lunch with a coworker",
        SPEC.card.article_words,
        SPEC.card.article_source,
    ):
        assert expected in text, expected
    assert card.locator("b").count() == 0  # the participant's markup is shown as text


def test_plan_small_steps(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    open_section(page, voila_server, SECTION, page.get_by_role("radio"), artifacts)
    expect(page.get_by_role("heading", name=SPEC.heading, level=2)).to_be_visible()
    _assert_controls_told_apart(page)

    # Step 1: one of the article's examples, filled in as a person would type it.
    _plan_the_first_step(page)

    # Step 2: a step of my own, whose text box appears once it is chosen.
    page.get_by_role("button", name=SPEC.add_label).click()
    own_box = page.get_by_role("textbox", name=_label(2, SPEC.what.own_text.label))
    second = page.get_by_role("group", name=_label(2, SPEC.what.question))
    second.wait_for(timeout=10_000)
    assert not own_box.is_visible()
    second.get_by_role("radio", name=SPEC.what.own_option.label).check()
    own_box.wait_for(state="visible", timeout=10_000)
    _assert_controls_told_apart(page)
    own_box.fill("Eat lunch with a coworker")
    own_box.blur()

    _check_the_card(page)
    assert "You have 2 now." in page.locator(".rw-limit").inner_text()

    screenshot(page, "section-7-small-steps")
    assert watch.troubles == {}
