"""Section 9's widgets: the retake, the before/after picture and its text alternative."""

from __future__ import annotations

from html import escape

import pytest

from widgets import load_content
from widgets._content import load_activity_content
from widgets.answers import AnswerBook
from widgets.where_now import WhereNowContent
from widgets.where_now_view import SLUG, WhereNowActivity

CONTENT = load_content()
SPEC = load_activity_content("where_now", WhereNowContent)
ITEMS = [item.id for item in CONTENT.checkin.items]


@pytest.fixture
def book() -> AnswerBook:
    return AnswerBook()


def _answer_all(activity: WhereNowActivity, option: str) -> None:
    for question in activity.checkin.questions.values():
        question.set_state({"value": option})


def test_without_section_1_it_says_there_is_nothing_to_compare(book):
    activity = WhereNowActivity(CONTENT, SPEC, book)
    _answer_all(activity, "often")
    assert escape(SPEC.no_baseline) in activity.comparison.value
    assert "<svg" not in activity.comparison.value
    assert escape(SPEC.summary_nothing) in activity.summary.value


def test_with_section_1_it_draws_before_and_after_with_a_table(book):
    book.save("hidden-weight", {"answers": dict.fromkeys(ITEMS, "often")})
    activity = WhereNowActivity(CONTENT, SPEC, book)
    assert escape(SPEC.not_enough_now.format(needed=3)) in activity.comparison.value
    _answer_all(activity, "hardly-ever")
    html = activity.comparison.value
    assert "<svg" in html
    assert escape(SPEC.chart_title) in html
    assert escape(SPEC.change_words.lighter) in html
    # The text alternative: the averages in words and every question before and now.
    assert "averaged 3 on a scale" in html
    assert "Today they average 1." in html
    for item in CONTENT.checkin.items:
        assert f"<td>{escape(item.text)}</td><td>Often</td><td>Hardly ever</td>" in html
    assert "Section 1: The Hidden Weight Many People Carry" in activity.summary.value


def test_answers_patterns_and_own_words_are_saved(book):
    activity = WhereNowActivity(CONTENT, SPEC, book)
    activity.patterns.set_state({"value": ["more-support"]})
    activity.own_words.set_state({"value": "<i>slowly</i>"})
    activity.checkin.questions[ITEMS[0]].set_state({"value": "often"})
    saved = book.load(SLUG)
    assert saved["patterns"] == ["more-support"]
    assert saved["own_words"] == "<i>slowly</i>"
    assert saved["answers"][ITEMS[0]] == "often"
    assert book.load("hidden-weight") is None  # the retake never overwrites section 1


def test_crafted_pattern_is_refused(book):
    activity = WhereNowActivity(CONTENT, SPEC, book)
    activity.patterns.set_state({"value": ["<script>"]})
    assert activity.patterns.value == []
    assert activity.patterns.message
    assert book.load(SLUG) is None
