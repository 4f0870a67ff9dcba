"""Section 9's widgets: the retake, the before/after picture and its text alternative."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from widgets import load_content
from widgets.answers import AnswerBook
from widgets.content_files import load_activity_content
from widgets.registry import SECTIONS
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.where_now.model import WhereNowContent
from widgets.sections.where_now.view import SLUG, WhereNowActivity, comparison_html

CONTENT = load_content()
SPEC = load_activity_content("where_now", WhereNowContent)
ITEMS = [item.id for item in load_checkin_content().items]


@pytest.fixture
def book() -> AnswerBook:
    return AnswerBook()


def _answer_all(activity: WhereNowActivity, option: str) -> None:
    for question in activity.checkin.questions.values():
        question.set_state({"value": option})


def test_without_section_1_it_says_there_is_nothing_to_compare(book):
    activity = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    _answer_all(activity, "often")
    assert escape(SPEC.no_baseline) in activity.comparison.value
    assert "<svg" not in activity.comparison.value
    assert escape(SPEC.summary_nothing) in activity.summary.value


def test_with_section_1_it_draws_before_and_after_with_a_table(book):
    book.save("hidden-weight", {"answers": dict.fromkeys(ITEMS, "often")})
    activity = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    assert escape(SPEC.not_enough_now.format(needed=3)) in activity.comparison.value
    _answer_all(activity, "hardly-ever")
    html = activity.comparison.value
    assert "<svg" in html
    assert escape(SPEC.chart_title) in html
    assert escape(SPEC.change_words.lighter) in html
    # The text alternative: the averages in words and every question before and now, behind
    # "Show as a table" (closed); the chart's own description names both bars.
    assert "averaged 3 on a scale" in html
    line = escape(SPEC.compare_line.format(before="3", now="1"))
    summary = f"<summary>{escape(CONTENT.workbook.page.show_table)}</summary>"
    assert f'<details class="rw-text-alternative rw-show-table">{summary}<p>{line}</p><table>' in html
    desc = re.search(r"<desc [^>]*>([^<]*)</desc>", html)
    assert desc
    assert desc.group(1).count(": ") == 2
    assert f"; {escape(SPEC.now_label)}: 1" in desc.group(1)
    assert "Today they average 1." in html
    assert f"{SPEC.now_label} (" not in html  # the bar is named once: "Today", not "Today (today)"
    for item in load_checkin_content().items:
        assert f"<td>{escape(item.text)}</td><td>Often</td><td>Hardly ever</td>" in html
    assert "Section 1: The Hidden Weight Many People Carry" in activity.summary.value


def test_answers_patterns_and_own_words_are_saved(book):
    activity = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    activity.patterns.set_state({"value": ["more-support"]})
    activity.own_words.set_state({"value": "<i>slowly</i>"})
    activity.checkin.questions[ITEMS[0]].set_state({"value": "often"})
    saved = book.load(SLUG)
    assert saved["patterns"] == ["more-support"]
    assert saved["own_words"] == "<i>slowly</i>"
    assert saved["answers"][ITEMS[0]] == "often"
    assert book.load("hidden-weight") is None  # the retake never overwrites section 1


def test_crafted_pattern_is_refused(book):
    activity = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    activity.patterns.set_state({"value": ["<script>"]})
    assert activity.patterns.value == []
    assert activity.patterns.message
    assert book.load(SLUG) is None


class CountingBook(AnswerBook):
    """An answer book that counts its saves."""

    def __init__(self) -> None:
        super().__init__()
        self.saves = 0

    def save(self, slug: str, data: dict) -> None:
        self.saves += 1
        super().save(slug, data)


def _without_drawing_ids(html: str) -> str:
    """The HTML with each drawing's element ids (numbered afresh for every drawing) left out."""
    return re.sub(r"rw-(title|desc|stripes|arrow)-\d+", r"rw-\1", html)


def _page(activity: WhereNowActivity) -> tuple:
    controls = [*activity.checkin.questions.values(), activity.patterns, activity.own_words]
    return (
        activity.saved,
        activity.checkin.feedback.value,
        _without_drawing_ids(activity.comparison.value),
        activity.summary.value,
        [control.message for control in controls],
    )


def test_a_page_opened_again_shows_the_retake_patterns_and_comparison_as_left():
    book = CountingBook()
    book.save("hidden-weight", {"answers": dict.fromkeys(ITEMS, "often")})
    first = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    _answer_all(first, "hardly-ever")
    first.checkin.questions[ITEMS[2]].set_state({"value": None})
    first.patterns.set_state({"value": ["more-support", "keep-busy"]})
    first.own_words.set_state({"value": "<i>slowly</i>, then more"})
    assert "<svg" in first.comparison.value
    saved, saves = book.load(SLUG), book.saves

    second = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    assert _page(second) == _page(first)
    assert book.saves == saves  # opening the page wrote nothing
    assert book.load(SLUG) == saved


def test_restoring_tampered_answers_keeps_the_valid_ones_quietly():
    book = CountingBook()
    # Section 1's answers are read too: one that no longer fits is left out of the comparison.
    book.save("hidden-weight", {"answers": {**dict.fromkeys(ITEMS, "often"), ITEMS[5]: "always", "gone": 1}})
    tampered = {
        "answers": {ITEMS[0]: "often", ITEMS[1]: "always", ITEMS[2]: 2, "no-such-question": "often"},
        "patterns": ["more-support", "a-pattern-no-longer-listed", 4],
        "own_words": "x" * (SPEC.patterns.own_words_max + 1),  # over today's limit
    }
    book.save(SLUG, tampered)
    saves = book.saves
    activity = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    assert activity.saved == {
        "answers": {**dict.fromkeys(ITEMS), ITEMS[0]: "often"},
        "patterns": ["more-support"],
        "own_words": "",
    }
    assert set(_page(activity)[-1]) == {""}
    expected = comparison_html(CONTENT, SPEC, activity.checkin.answers, book)
    assert _without_drawing_ids(activity.comparison.value) == _without_drawing_ids(expected)
    assert escape(SPEC.not_enough_now.format(needed=2)) in activity.comparison.value
    assert book.saves == saves
    assert book.load(SLUG) == tampered
    for question_id in ITEMS[1:4]:
        activity.checkin.questions[question_id].set_state({"value": "hardly-ever"})
    assert "averaged 3 on a scale" in activity.comparison.value  # five of section 1's answers
    assert "Today they average 1.5." in activity.comparison.value


@pytest.mark.parametrize("saved", [{}, {"answers": "often", "patterns": "keep-busy", "own_words": 5}])
def test_restoring_answers_of_the_wrong_shape_starts_empty(book, saved):
    book.save(SLUG, saved)
    activity = WhereNowActivity(CONTENT, SPEC, book, SECTIONS)
    assert activity.saved == {"answers": dict.fromkeys(ITEMS), "patterns": [], "own_words": ""}
    assert book.load(SLUG) == saved
