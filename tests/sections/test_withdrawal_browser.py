"""Section 3 through the real server in a real browser: tick, answer, untick."""

from __future__ import annotations

import pytest
from conftest import open_section
from playwright.sync_api import expect

from widgets import load_content
from widgets.sections.withdrawal.model import load_withdrawal_content

pytestmark = pytest.mark.browser

CONTENT = load_content()
SECTION = CONTENT.sections.by_number(3)
SPEC = load_withdrawal_content()
STRATEGIES = {strategy.id: strategy for strategy in SPEC.strategies}
OPTIONS = {option.id: option.label for option in SPEC.options}


def _answer(page, question: str, option_id: str) -> None:
    group = page.get_by_role("group", name=question, exact=True)
    group.get_by_role("radio", name=OPTIONS[option_id], exact=True).check()


def _answer_then_and_now(page, then: dict[str, str], now: dict[str, str]) -> None:
    """How each of the three ways helped then and helps now: two have shifted, one still helps."""
    _answer(page, then["keeping-busy"], "yes")
    _answer(page, now["keeping-busy"], "no")
    _answer(page, then["saying-fine"], "somewhat")
    _answer(page, now["saying-fine"], "somewhat")
    _answer(page, then["staying-home"], "yes")
    _answer(page, now["staying-home"], "somewhat")


def _answers_shown(page, questions: tuple[str, ...]) -> list[list[str]]:
    """The options each question shows checked, in the order of ``questions``."""
    return [
        [
            key
            for key, text in OPTIONS.items()
            if page.get_by_role("group", name=question, exact=True)
            .get_by_role("radio", name=text, exact=True)
            .is_checked()
        ]
        for question in questions
    ]


def test_section_3_when_pulling_back_protected_me(voila_server, watched_page, artifacts, screenshot):
    page, watch = watched_page
    checklist = page.get_by_role("group", name=SPEC.checklist_question)
    open_section(page, voila_server, SECTION, checklist.get_by_role("checkbox"), artifacts)
    # The header's content note, once: the activity adds none of its own.
    assert page.get_by_role("note", name="Content note").count() == 1
    expect(page.get_by_text(SPEC.private_line)).to_be_visible()
    assert checklist.get_by_role("checkbox").count() == len(SPEC.strategies)
    feedback = page.locator(".rw-feedback")
    feedback.get_by_text(SPEC.nothing_chosen).wait_for(timeout=10_000)

    # Tick three ways of pulling back; each brings its two questions.
    for strategy_id in ("keeping-busy", "saying-fine", "staying-home"):
        checklist.get_by_role("checkbox", name=STRATEGIES[strategy_id].label, exact=True).check()
    then = {key: SPEC.then_question.format(strategy=s.short) for key, s in STRATEGIES.items()}
    now = {key: SPEC.now_question.format(strategy=s.short) for key, s in STRATEGIES.items()}
    page.get_by_role("group", name=now["staying-home"], exact=True).wait_for(timeout=10_000)
    _answer_then_and_now(page, then, now)

    shifted = feedback.locator('[data-kind="shifted"]')
    shifted.get_by_role("heading", name=SPEC.groups.shifted.heading).wait_for(timeout=10_000)
    shifted.get_by_text(STRATEGIES["staying-home"].label).wait_for(timeout=10_000)
    assert STRATEGIES["keeping-busy"].label in shifted.inner_text()
    still = feedback.locator('[data-kind="still_helps"]')
    assert STRATEGIES["saying-fine"].label in still.inner_text()
    text = feedback.inner_text()
    assert "survival response, not a weakness" in text
    assert "the same strategy that once helped them survive now prevents them" in text
    assert SPEC.support_line in text
    assert "call or text 988" in text
    screenshot(page, "section-3")

    # Unticking a way removes its questions and its place in the reflection.
    checklist.get_by_role("checkbox", name=STRATEGIES["staying-home"].label, exact=True).uncheck()
    page.get_by_role("group", name=then["staying-home"], exact=True).wait_for(
        state="detached", timeout=10_000
    )
    shifted.get_by_text(STRATEGIES["staying-home"].label).wait_for(state="detached", timeout=10_000)
    assert STRATEGIES["keeping-busy"].label in shifted.inner_text()
    assert page.get_by_role("group", name=now["staying-home"], exact=True).count() == 0

    assert watch.troubles == {}
    # Last, what the person sees: every question still shows the answer they gave.
    # (Radio groups drawn in the same millisecond must not share an input name.)
    asked = (then["keeping-busy"], now["keeping-busy"], then["saying-fine"], now["saying-fine"])
    assert _answers_shown(page, asked) == [["yes"], ["no"], ["somewhat"], ["somewhat"]]
