"""The check-in's widgets wired to its model: live feedback, restart, escaping."""

from __future__ import annotations

import pytest
from markupsafe import escape

from widgets import answers, load_content
from widgets.sections.checkin.model import load_checkin_content, score_checkin
from widgets.sections.checkin.view import CheckinActivity, build, feedback_html

CONTENT = load_content()
SPEC = load_checkin_content()
SLUG = "hidden-weight"
ITEMS = [item.id for item in SPEC.items]


def _activity() -> CheckinActivity:
    return CheckinActivity(SPEC, CONTENT.crisis)


def test_feedback_before_any_answer():
    activity = _activity()
    assert "You answered 0 of 6 questions." in activity.feedback.value
    assert f"Answer at least {SPEC.min_answered_for_reflection} questions" in activity.feedback.value


def test_feedback_follows_each_answer():
    activity = _activity()
    questions = list(activity.questions.values())
    for question in questions[:3]:
        question.set_state({"value": "hardly-ever"})
    assert "You answered 3 of 6 questions." in activity.feedback.value
    assert SPEC.bands[0].title in activity.feedback.value
    for question in questions[3:]:
        question.set_state({"value": "often"})
    # average 2.0 over six answers
    assert "You answered 6 of 6 questions." in activity.feedback.value
    assert SPEC.bands[1].title in activity.feedback.value
    assert "Your total is 12, out of a possible 6 to 18" in activity.feedback.value


def test_heavy_band_invites_support_with_crisis_lines():
    activity = _activity()
    for question in activity.questions.values():
        question.value = "often"
    assert escape(SPEC.support_invitation) in activity.feedback.value
    assert "call or text 988" in activity.feedback.value


def test_other_bands_do_not_show_the_invitation():
    activity = _activity()
    for question in activity.questions.values():
        question.value = "hardly-ever"
    assert "rw-invite" not in activity.feedback.value


def test_restart_clears_every_answer():
    activity = _activity()
    for question in activity.questions.values():
        question.value = "often"
    activity.restart()
    assert set(activity.answers.values()) == {None}
    assert "You answered 0 of 6 questions." in activity.feedback.value


def test_refused_value_leaves_feedback_as_it_was():
    activity = _activity()
    first = next(iter(activity.questions.values()))
    first.set_state({"value": "often"})
    before = activity.feedback.value
    first.set_state({"value": "always"})
    assert activity.feedback.value == before


def test_content_text_is_escaped():
    band = SPEC.bands[0].model_copy(update={"title": "<script>alert(1)</script>"})
    spec = SPEC.model_copy(update={"bands": [band, *SPEC.bands[1:]]})
    result = score_checkin(spec, {item.id: "hardly-ever" for item in spec.items})
    html = feedback_html(spec, CONTENT.crisis, result)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_each_question_carries_its_number_and_wording():
    activity = _activity()
    questions = [question.question for question in activity.questions.values()]
    assert questions == [f"{n}. {item.text}" for n, item in enumerate(SPEC.items, start=1)]


def test_answers_are_saved_to_the_answer_book_as_given():
    book = answers.current()
    book.clear()
    activity = build(CONTENT)
    assert book.load("hidden-weight") is None
    next(iter(activity.questions.values())).set_state({"value": "often"})
    saved = book.load("hidden-weight")["answers"]
    assert saved == activity.answers
    assert saved[SPEC.items[0].id] == "often"


def test_a_page_opened_again_shows_the_answers_and_the_reflection_as_left(book):
    first = build(CONTENT)
    for item_id, option in zip(
        ITEMS, ["often", "often", None, "often", "some-of-the-time", "often"], strict=True
    ):
        if option is not None:
            first.questions[item_id].set_state({"value": option})
    assert "rw-invite" in first.feedback.value  # the heavier band, with its invitation
    saved = book.load(SLUG)

    second = build(CONTENT)
    assert second.answers == first.answers
    assert second.feedback.value == first.feedback.value
    assert book.load(SLUG) == saved


def test_restoring_tampered_answers_keeps_the_valid_ones_quietly(book):
    tampered = {
        "answers": {
            ITEMS[0]: "often",
            ITEMS[1]: "always",  # not a choice
            ITEMS[2]: 3,  # not text
            ITEMS[3]: ["often"],
            ITEMS[4]: "hardly-ever",
            "no-such-question": "often",
        },
        "extra": True,
    }
    book.save(SLUG, tampered)
    activity = build(CONTENT)
    assert activity.answers == {**dict.fromkeys(ITEMS), ITEMS[0]: "often", ITEMS[4]: "hardly-ever"}
    assert all(question.message == "" for question in activity.questions.values())
    assert activity.feedback.value == feedback_html(SPEC, CONTENT.crisis, activity.result())
    assert "You answered 2 of 6 questions." in activity.feedback.value
    assert book.load(SLUG) == tampered  # opening the page wrote nothing


@pytest.mark.parametrize(
    "saved", [{}, {"answers": None}, {"answers": "often"}, {"answers": [["left-out", "often"]]}]
)
def test_restoring_answers_of_the_wrong_shape_starts_empty(book, saved):
    book.save(SLUG, saved)
    activity = build(CONTENT)
    assert set(activity.answers.values()) == {None}
    assert book.load(SLUG) == saved


def test_without_a_slug_nothing_is_restored(book):
    book.save(SLUG, {"answers": dict.fromkeys(ITEMS, "often")})
    assert set(_activity().answers.values()) == {None}
