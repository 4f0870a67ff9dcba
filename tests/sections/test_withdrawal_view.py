"""Section 3's widgets wired to its model, driven as a browser would drive them."""

from __future__ import annotations

import re
from html import unescape

import pytest
from markupsafe import escape

from widgets import answers, load_content
from widgets.sections.withdrawal.model import FollowUp, Kind, load_withdrawal_content, reflect
from widgets.sections.withdrawal.view import WithdrawalActivity, build, feedback_html

CONTENT = load_content()
SPEC = load_withdrawal_content()
LABELS = {strategy.id: strategy.label for strategy in SPEC.strategies}
SLUG = "protective-withdrawal"


@pytest.fixture
def activity() -> WithdrawalActivity:
    answers.current().clear()
    return build(CONTENT)


def _shown_questions(activity: WithdrawalActivity) -> list[str]:
    boxes = [child for child in activity.follow_up_area.children if hasattr(child, "children")]
    return [question.question for box in boxes for question in box.children]


def _without_crisis_lines(html: str) -> str:
    return re.sub(r'<div class="rw-invite">.*?</div>', "", html, flags=re.S)


def test_before_any_tick_there_is_an_invitation_and_support(activity):
    html = activity.feedback.value
    assert escape(SPEC.nothing_chosen) in html
    assert escape(SPEC.support_line) in html
    assert "call or text 988" in html
    assert activity.follow_up_area.children == ()
    assert answers.current().load(SLUG) is None  # nothing given yet, nothing kept


def test_the_private_line_and_no_content_note_of_its_own(activity):
    intro = activity.children[0].value
    assert escape(SPEC.private_line) in intro
    # The page header shows the section's content note; the activity does not repeat it.
    assert "rw-content-note" not in intro
    assert "Content note" not in intro


def test_ticking_shows_two_questions_for_each_ticked_way_in_list_order(activity):
    activity.strategies.set_state({"value": ["saying-fine", "keeping-busy"]})
    assert activity.chosen == ["keeping-busy", "saying-fine"]
    shorts = {s.id: s.short for s in SPEC.strategies}
    assert _shown_questions(activity) == [
        SPEC.then_question.format(strategy=shorts["keeping-busy"]),
        SPEC.now_question.format(strategy=shorts["keeping-busy"]),
        SPEC.then_question.format(strategy=shorts["saying-fine"]),
        SPEC.now_question.format(strategy=shorts["saying-fine"]),
    ]
    assert escape(SPEC.follow_up_heading) in activity.follow_up_area.children[0].value


def test_feedback_groups_ways_in_validating_words(activity):
    activity.strategies.set_state({"value": ["keeping-busy", "staying-home", "numbing-out", "not-answering"]})
    activity.questions_for("keeping-busy").then.set_state({"value": "yes"})
    activity.questions_for("keeping-busy").now.set_state({"value": "no"})
    activity.questions_for("staying-home").then.set_state({"value": "yes"})
    activity.questions_for("staying-home").now.set_state({"value": "yes"})
    activity.questions_for("numbing-out").then.set_state({"value": "no"})
    activity.questions_for("numbing-out").now.set_state({"value": "no"})
    html = activity.feedback.value
    assert 'data-groups="shifted still_helps wondering did_not_help"' in html
    assert "survival response, not a weakness" in html
    assert escape(SPEC.groups.shifted.article_words) in html
    shifted = re.search(r'data-kind="shifted">(.*?)</section>', html, flags=re.S).group(1)
    assert escape(LABELS["keeping-busy"]) in shifted
    assert escape(LABELS["staying-home"]) not in shifted
    still = re.search(r'data-kind="still_helps">(.*?)</section>', html, flags=re.S).group(1)
    assert escape(LABELS["staying-home"]) in still
    wondering = re.search(r'data-kind="wondering">(.*?)</section>', html, flags=re.S).group(1)
    assert escape(LABELS["not-answering"]) in wondering  # ticked, not answered yet
    # Never a score: no numbers anywhere in the reflection (the crisis lines aside).
    assert not re.search(r"\d", unescape(re.sub(r"<[^>]+>", "", _without_crisis_lines(html))))


def test_unticking_removes_the_questions_their_answers_and_their_feedback(activity):
    book = answers.current()
    activity.strategies.set_state({"value": ["keeping-busy", "saying-fine"]})
    busy = activity.questions_for("keeping-busy")
    busy.then.set_state({"value": "yes"})
    busy.now.set_state({"value": "no"})
    assert book.load(SLUG)["follow_ups"]["keeping-busy"] == {"then": "yes", "now": "no"}
    assert escape(LABELS["keeping-busy"]) in activity.feedback.value

    activity.strategies.set_state({"value": ["saying-fine"]})
    assert busy.box not in activity.follow_up_area.children
    assert (busy.then.value, busy.now.value) == (None, None)
    assert escape(LABELS["keeping-busy"]) not in activity.feedback.value
    assert 'data-groups="wondering"' in activity.feedback.value
    assert book.load(SLUG) == {
        "chosen": ["saying-fine"],
        "follow_ups": {"saying-fine": {"then": None, "now": None}},
    }

    # Ticking it again brings the questions back, blank.
    activity.strategies.set_state({"value": ["keeping-busy", "saying-fine"]})
    assert busy.box in activity.follow_up_area.children
    assert (busy.then.value, busy.now.value) == (None, None)

    activity.strategies.set_state({"value": []})
    assert activity.follow_up_area.children == ()
    assert escape(SPEC.nothing_chosen) in activity.feedback.value
    assert book.load(SLUG) == {"chosen": [], "follow_ups": {}}


def test_answers_are_saved_as_given(activity):
    activity.strategies.set_state({"value": ["something-else"]})
    activity.questions_for("something-else").now.set_state({"value": "not-sure"})
    assert answers.current().load(SLUG) == {
        "chosen": ["something-else"],
        "follow_ups": {"something-else": {"then": None, "now": "not-sure"}},
    }
    assert activity.answers == answers.current().load(SLUG)


@pytest.mark.parametrize(
    "sent",
    [["keeping-busy", "<script>alert(1)</script>"], ["keeping-busy", "keeping-busy"], ["typed free text"]],
)
def test_a_crafted_checklist_value_is_refused_and_nothing_changes(activity, sent):
    activity.strategies.set_state({"value": ["saying-fine"]})
    before = (activity.feedback.value, answers.current().load(SLUG), activity.follow_up_area.children)
    activity.strategies.set_state({"value": sent})
    assert activity.chosen == ["saying-fine"]
    assert activity.strategies.message
    assert (activity.feedback.value, answers.current().load(SLUG), activity.follow_up_area.children) == before


def test_a_crafted_answer_is_refused_and_nothing_changes(activity):
    activity.strategies.set_state({"value": ["saying-fine"]})
    question = activity.questions_for("saying-fine").then
    question.set_state({"value": "yes"})
    before = activity.feedback.value
    question.set_state({"value": "always"})
    assert question.value == "yes"
    assert question.message
    assert activity.feedback.value == before


def test_the_browser_cannot_change_the_choices(activity):
    activity.strategies.set_state({"options": [["x", "<b>x</b>"]]})
    assert [option_id for option_id, _ in activity.strategies.options] == list(LABELS)
    assert activity.strategies.message


def test_content_text_is_escaped():
    group = SPEC.groups.shifted.model_copy(update={"heading": "<script>alert(1)</script>"})
    groups = SPEC.groups.model_copy(update={"shifted": group})
    spec = SPEC.model_copy(update={"groups": groups})
    result = reflect(spec, ["keeping-busy"], {"keeping-busy": FollowUp("yes", "no")})
    assert result.groups[Kind.SHIFTED]
    html = feedback_html(spec, CONTENT.crisis, result)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _follow_up_state(activity: WithdrawalActivity) -> list[tuple]:
    """Every shown follow-up question with its answer and message, in page order."""
    boxes = [child for child in activity.follow_up_area.children if hasattr(child, "children")]
    return [(q.question, q.value, q.message) for box in boxes for q in box.children]


def test_a_page_opened_again_shows_ticks_answers_and_reflection_as_left(activity):
    book = answers.current()
    activity.strategies.set_state({"value": ["keeping-busy", "staying-home", "something-else"]})
    activity.questions_for("keeping-busy").then.set_state({"value": "yes"})
    activity.questions_for("keeping-busy").now.set_state({"value": "no"})
    activity.questions_for("staying-home").now.set_state({"value": "somewhat"})
    saved = book.load(SLUG)

    again = build(CONTENT)
    assert again.chosen == activity.chosen
    assert again.follow_ups == activity.follow_ups
    assert _follow_up_state(again) == _follow_up_state(activity)
    assert again.follow_up_area.children[0].value == activity.follow_up_area.children[0].value
    assert again.feedback.value == activity.feedback.value
    assert 'data-groups="shifted still_helps wondering"' in again.feedback.value
    assert book.load(SLUG) == saved


def test_restoring_tampered_answers_keeps_the_valid_ones_quietly(activity):
    book = answers.current()
    tampered = {
        "chosen": ["saying-fine", "a-way-no-longer-listed", 7, "keeping-busy", "keeping-busy"],
        "follow_ups": {
            "keeping-busy": {"then": "yes", "now": "always"},  # "always" is not a choice
            "saying-fine": "yes",  # not a pair of answers
            "staying-home": {"then": "yes", "now": "yes"},  # not ticked
            "a-way-no-longer-listed": {"then": "yes"},
        },
    }
    book.save(SLUG, tampered)
    again = build(CONTENT)
    assert again.chosen == ["keeping-busy", "saying-fine"]
    assert again.follow_ups == {"keeping-busy": FollowUp("yes", None), "saying-fine": FollowUp()}
    assert all(message == "" for _, _, message in _follow_up_state(again))
    assert again.strategies.message == ""
    assert again.feedback.value == feedback_html(SPEC, CONTENT.crisis, again.reflection())
    assert book.load(SLUG) == tampered  # opening the page wrote nothing


@pytest.mark.parametrize("saved", [{}, {"chosen": "keeping-busy"}, {"chosen": None, "follow_ups": []}])
def test_restoring_answers_of_the_wrong_shape_starts_empty(activity, saved):
    answers.current().save(SLUG, saved)
    again = build(CONTENT)
    assert again.chosen == []
    assert again.follow_up_area.children == ()
    assert escape(SPEC.nothing_chosen) in again.feedback.value
