"""Section 2's widgets, driven as a browser would drive them."""

from __future__ import annotations

import pytest
from markupsafe import escape

from widgets import answers, load_content
from widgets.content_files import load_activity_content
from widgets.sections.beliefs.model import BeliefsContent
from widgets.sections.beliefs.view import SLUG, build

CONTENT = load_content()
SPEC = load_activity_content("beliefs", BeliefsContent)
STATEMENTS = [statement.id for statement in SPEC.statements]


# Every test starts from an empty answer book: the activity gives back what the book holds.
pytestmark = pytest.mark.usefixtures("book")


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


def test_a_page_opened_again_shows_the_answers_and_the_reframes_as_left(book):
    first = build(CONTENT)
    for statement_id, option in zip(STATEMENTS, ["strongly-agree", "agree", "disagree"], strict=False):
        first.questions[statement_id].set_state({"value": option})
    first.questions[STATEMENTS[-1]].set_state({"value": "strongly-agree"})
    assert escape(SPEC.strongest_heading) in first.feedback.value
    saved = book.load(SLUG)

    second = build(CONTENT)
    assert second.answers == first.answers
    assert second.feedback.value == first.feedback.value
    assert book.load(SLUG) == saved


def test_restoring_tampered_answers_keeps_the_valid_ones_quietly(book):
    tampered = {
        "answers": {
            STATEMENTS[0]: "strongly-agree",
            STATEMENTS[1]: "totally",  # not a choice
            STATEMENTS[2]: 5,  # not text
            "a-belief-no-longer-asked": "agree",
        }
    }
    book.save(SLUG, tampered)
    activity = build(CONTENT)
    assert activity.answers == {**dict.fromkeys(STATEMENTS), STATEMENTS[0]: "strongly-agree"}
    assert all(question.message == "" for question in activity.questions.values())
    assert escape(SPEC.statements[0].reframe) in activity.feedback.value
    assert book.load(SLUG) == tampered  # opening the page wrote nothing
    book.save(SLUG, {"answers": "strongly-agree"})
    assert set(build(CONTENT).answers.values()) == {None}
