"""Section 2's widgets, driven as a browser would drive them."""

from __future__ import annotations

from html import escape

from widgets import answers, load_content
from widgets._content import load_activity_content
from widgets.beliefs import BeliefsContent
from widgets.beliefs_view import SLUG, build

CONTENT = load_content()
SPEC = load_activity_content("beliefs", BeliefsContent)


def test_starts_empty_with_a_gentle_line():
    activity = build(CONTENT)
    assert "You answered 0 of" in activity.feedback.value
    assert "Pick an answer" in activity.feedback.value


def test_strong_agreement_shows_its_reframe_and_is_saved():
    answers.current().clear()
    activity = build(CONTENT)
    first_id, first = next(iter(activity.questions.items()))
    first.set_state({"value": "strongly-agree"})
    assert escape(SPEC.statements[0].reframe) in activity.feedback.value
    assert escape(SPEC.strongest_heading) in activity.feedback.value
    assert answers.current().load(SLUG)["answers"][first_id] == "strongly-agree"


def test_no_strong_beliefs_gets_its_own_words():
    activity = build(CONTENT)
    for question in activity.questions.values():
        question.set_state({"value": "disagree"})
    assert escape(SPEC.none_strong) in activity.feedback.value


def test_crafted_value_changes_nothing():
    activity = build(CONTENT)
    first = next(iter(activity.questions.values()))
    before = activity.feedback.value
    first.set_state({"value": "totally"})
    assert first.value is None
    assert activity.feedback.value == before
    assert first.message
