"""Section 6's widgets wired to its model, driven as a browser would drive them."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from widgets import answers, load_content
from widgets.sections.safety_check.model import load_safety_check_content
from widgets.sections.safety_check.view import SafetyCheckActivity, build, feedback_html

CONTENT = load_content()
SPEC = load_safety_check_content()
SLUG = "safe-relationships"


@pytest.fixture
def activity() -> SafetyCheckActivity:
    answers.current().clear()
    return build(CONTENT)


def _rate(activity: SafetyCheckActivity, *choices: str | None) -> None:
    for question, choice in zip(activity.questions.values(), choices, strict=True):
        if choice is not None:
            question.set_state({"value": choice})


def test_before_any_answer_the_disagreement_point_is_already_there(activity):
    html = activity.feedback.value
    assert escape(SPEC.nothing_rated) in html
    assert escape(SPEC.profile_heading.format(relationship=SPEC.unnamed)) in html
    assert escape(SPEC.disagreement_article_words) in html
    assert "<svg" not in html
    assert "rw-invite" not in html


def test_the_name_box_states_its_limit_and_hint(activity):
    box = activity.relationship
    assert (box.label, box.hint, box.max_length, box.multiline) == (
        SPEC.name_label,
        SPEC.name_hint,
        40,
        False,
    )
    assert [question.question for question in activity.questions.values()] == [
        f"{n}. {quality.question}" for n, quality in enumerate(SPEC.qualities, start=1)
    ]


def test_profile_names_strengths_and_growing_qualities_with_a_picture(activity):
    activity.relationship.set_state({"value": "Aunt Rosa"})
    _rate(activity, "always", "often", "sometimes", "rarely", None)
    html = activity.feedback.value
    assert escape(SPEC.profile_heading.format(relationship="Aunt Rosa")) in html
    strengths = html.split('class="rw-strengths"')[1].split("</div>")[0]
    growing = html.split('class="rw-growing"')[1].split("</div>")[0]
    qualities = {quality.id: quality for quality in SPEC.qualities}
    for quality_id in ("consistency", "respect"):
        assert escape(qualities[quality_id].strength_words) in strengths
    for quality_id in ("honesty", "being-yourself"):
        assert escape(qualities[quality_id].growing_words) in growing
    assert escape(SPEC.disagreement_article_words) in html
    # The chart and its table: the table lists all five, the chart the answered four.
    assert html.count("<svg") == 1
    assert "How often each quality shows up with Aunt Rosa" in html
    assert "<td>Being steady</td><td>Always</td><td>Yes</td>" in html
    assert "<td>Honesty</td><td>Sometimes</td><td>Not yet</td>" in html
    assert f"<td>Disagreeing well</td><td>{SPEC.not_answered}</td><td></td>" in html
    assert html.count("of 5</text>") == 4
    assert 'data-care="no"' in html


def test_no_strengths_yet_is_said_gently(activity):
    _rate(activity, "sometimes", "sometimes", None, None, None)
    assert escape(SPEC.no_strengths_yet) in activity.feedback.value


def test_mostly_never_or_rarely_brings_a_calm_note_and_support(activity):
    _rate(activity, "never", "rarely", "never", "sometimes", None)
    html = activity.feedback.value
    assert 'data-care="yes"' in html
    assert escape(SPEC.care_note) in html
    assert "call or text 988" in html


def test_the_participants_label_is_shown_as_text(activity):
    label = '<img src=x onerror="alert(1)">'
    activity.relationship.set_state({"value": label})
    _rate(activity, "often", None, None, None, None)
    html = activity.feedback.value
    assert "<img" not in html
    assert escape(label) in html
    assert answers.current().load(SLUG)["relationship"] == label  # kept as typed, shown escaped


def test_a_too_long_or_multiline_label_is_refused_with_a_message(activity):
    activity.relationship.set_state({"value": "Jo"})
    before = activity.feedback.value
    activity.relationship.set_state({"value": "x" * 41})
    assert activity.relationship.value == "Jo"
    assert "up to 40 characters" in activity.relationship.message
    activity.relationship.set_state({"value": "Jo\nSam"})
    assert activity.relationship.value == "Jo"
    assert "one line" in activity.relationship.message
    assert activity.feedback.value == before


def test_a_crafted_rating_is_refused(activity):
    question = activity.questions["respect"]
    question.set_state({"value": "often"})
    before = activity.feedback.value
    question.set_state({"value": "<b>always</b>"})
    assert question.value == "often"
    assert question.message
    assert activity.feedback.value == before
    question.set_state({"question": "<b>changed</b>"})
    assert question.question.endswith(SPEC.qualities[1].question)


def test_answers_are_saved_as_given(activity):
    book = answers.current()
    assert book.load(SLUG) is None
    activity.relationship.set_state({"value": "  M.  "})
    _rate(activity, None, "always", None, None, "sometimes")
    assert book.load(SLUG) == {
        "relationship": "M.",
        "ratings": {
            "consistency": None,
            "respect": "always",
            "honesty": None,
            "being-yourself": None,
            "disagreement": "sometimes",
        },
    }
    activity.questions["respect"].set_state({"value": None})
    assert book.load(SLUG)["ratings"]["respect"] is None


def _without_drawing_ids(html: str) -> str:
    """The HTML with each drawing's element ids (numbered afresh for every drawing) left out."""
    return re.sub(r"rw-(title|desc|stripes|arrow)-\d+", r"rw-\1", html)


def _page(activity: SafetyCheckActivity) -> tuple:
    messages = (activity.relationship.message, *(q.message for q in activity.questions.values()))
    return (
        activity.relationship.value,
        activity.ratings,
        _without_drawing_ids(activity.feedback.value),
        messages,
    )


def test_a_page_opened_again_shows_the_name_ratings_and_profile_as_left(activity):
    book = answers.current()
    activity.relationship.set_state({"value": "Aunt <b>Rosa</b>"})
    _rate(activity, "never", "rarely", "always", None, "never")
    assert 'data-care="yes"' in activity.feedback.value
    saved = book.load(SLUG)

    again = build(CONTENT)
    assert _page(again) == _page(activity)
    assert book.load(SLUG) == saved


def test_restoring_tampered_answers_keeps_the_valid_ones_quietly(activity):
    book = answers.current()
    tampered = {
        "relationship": "x" * 41,  # over today's limit
        "ratings": {
            "consistency": "always",
            "respect": "<b>always</b>",  # not a choice
            "honesty": 3,
            "a-quality-no-longer-asked": "often",
            "disagreement": "sometimes",
        },
    }
    book.save(SLUG, tampered)
    again = build(CONTENT)
    assert again.relationship.value == ""
    assert again.ratings == {
        "consistency": "always",
        "respect": None,
        "honesty": None,
        "being-yourself": None,
        "disagreement": "sometimes",
    }
    assert set(_page(again)[-1]) == {""}
    assert _without_drawing_ids(again.feedback.value) == _without_drawing_ids(
        feedback_html(SPEC, CONTENT.crisis, again.result())
    )
    assert book.load(SLUG) == tampered  # opening the page wrote nothing


@pytest.mark.parametrize(
    "saved", [{}, {"relationship": "Jo\nSam", "ratings": ["always"]}, {"relationship": 7, "ratings": None}]
)
def test_restoring_answers_of_the_wrong_shape_starts_empty(activity, saved):
    answers.current().save(SLUG, saved)
    again = build(CONTENT)
    assert again.relationship.value == ""
    assert set(again.ratings.values()) == {None}
    assert escape(SPEC.nothing_rated) in again.feedback.value
