"""Section 5's widgets driven as a browser would, through ``set_state``."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.sections.crowding.model import CrowdingContent
from widgets.sections.crowding.view import CrowdingActivity, build, feedback_html

CONTENT = load_content()
SPEC = load_activity_content("crowding", CrowdingContent)
SLUG = "isolation-replaces-connection"


def _activity() -> CrowdingActivity:
    return CrowdingActivity(SPEC)


def _type(activity: CrowdingActivity, **hours: float | None) -> None:
    for key, value in hours.items():
        activity.hours_boxes[key.replace("_", "-")].set_state({"value": value})


def test_one_number_box_per_activity_with_its_range_and_unit():
    activity = _activity()
    boxes = activity.hours_boxes
    assert list(boxes) == [a.id for a in SPEC.hours.activities]
    for box, spec in zip(boxes.values(), SPEC.hours.activities, strict=True):
        assert (box.label, box.unit, box.minimum, box.maximum, box.step) == (
            spec.label,
            "hours a week",
            0,
            112,
            0.5,
        )
        assert box.value is None


def test_nothing_entered_still_shows_the_cycle_and_gentle_words():
    activity = _activity()
    html = activity.feedback.value
    assert escape(SPEC.week.empty) in html
    assert "<svg" in html  # the cycle
    for step in SPEC.cycle.steps:
        assert escape(step.detail) in html
    assert 'data-marked="yes"' not in html
    assert escape(SPEC.cycle.none_marked) in html
    assert escape(SPEC.routine.default_suggestion) in html
    assert escape(SPEC.reminder.article_words) in html
    assert "Hours entered so far: 0 of 112." in activity.total.value


def test_hours_typed_show_the_chart_table_share_and_total():
    activity = _activity()
    _type(activity, work=40, screens=14, with_people=8, deep_talk=2)
    html = activity.feedback.value
    assert "<table><caption>Your week in hours (the same as the chart)</caption>" in html
    assert "<tr><td>Time with people</td><td>8</td><td>connection</td></tr>" in html
    assert "<tr><td>Deep conversation</td><td>2</td><td>connection</td></tr>" in html
    assert "<tr><td>Work or school</td><td>40</td><td>other</td></tr>" in html
    assert "With people (connection)" in html  # the bar's label on the chart
    assert "Time with people is 8 of the 62 hours you entered, about 13%." in html
    assert "Hours entered so far: 62 of 112." in activity.total.value
    assert 'data-source="hours"' in html
    assert "“Work or school” fills 40 hours" in html


def test_over_the_week_is_refused_with_a_message_and_the_earlier_value_kept():
    activity = _activity()
    _type(activity, work=60, rest=40)
    box = activity.hours_boxes["screens"]
    box.set_state({"value": 10})
    before = activity.feedback.value
    box.set_state({"value": 13})
    assert box.value == 10
    assert "That would make 113 hours, more than the 112 waking hours in a week." in box.message
    assert activity.feedback.value == before
    box.set_state({"value": 12})
    assert (box.value, box.message) == (12, "")


def test_deep_conversation_over_time_with_people_is_refused_both_ways():
    activity = _activity()
    _type(activity, with_people=5)
    deep = activity.hours_boxes["deep-talk"]
    deep.set_state({"value": 7})
    assert deep.value is None
    assert "can't be more than the 5 hours" in deep.message
    deep.set_state({"value": 4})
    people = activity.hours_boxes["with-people"]
    people.set_state({"value": 3})
    assert people.value == 5
    assert "can't be less than the 4 hours" in people.message


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1, "from 0 to 112"), (500, "from 0 to 112"), (2.25, "whole or half hours"), ("lots", "")],
)
def test_bad_values_from_a_browser_are_refused(value, message):
    activity = _activity()
    box = activity.hours_boxes["chores"]
    box.set_state({"value": 3})
    box.set_state({"value": value})
    assert box.value == 3
    assert message in box.message
    assert box.message


def test_only_the_value_may_change_from_the_browser():
    activity = _activity()
    box = activity.hours_boxes["work"]
    box.set_state({"maximum": 1000})
    assert box.maximum == 112
    box.set_state({"value": 3})  # clears the message once a good value comes
    assert box.message == ""


def test_skipping_an_answer_again_is_always_allowed():
    activity = _activity()
    _type(activity, with_people=5, deep_talk=5)
    _type(activity, with_people=None)
    assert activity.hours["with-people"] is None
    assert "Hours entered so far: 5 of 112." in activity.total.value


def test_ticked_patterns_mark_their_steps_and_pick_a_routine():
    activity = _activity()
    activity.patterns.set_state({"value": ["not-interested", "quick-contact"]})
    html = activity.feedback.value
    assert html.count('data-marked="yes"') == 2
    assert "★ <strong>“Others aren&#39;t interested”</strong>" in html
    assert "Your patterns here: I sometimes feel others aren&#39;t interested in getting closer" in html
    assert escape(SPEC.cycle.marked_line) in html
    # With no routine hours, the first ticked pattern in listed order picks the routine.
    quick = next(p for p in SPEC.patterns.options if p.id == "quick-contact")
    assert escape(quick.suggestion) in html
    assert 'data-source="pattern"' in html


def test_an_unknown_pattern_from_the_browser_is_refused():
    activity = _activity()
    activity.patterns.set_state({"value": ["exhaustion"]})
    before = activity.feedback.value
    activity.patterns.set_state({"value": ["exhaustion", "<img src=x>"]})
    assert activity.ticked == ["exhaustion"]
    assert activity.feedback.value == before


def test_content_text_is_escaped():
    step = SPEC.cycle.steps[0].model_copy(update={"label": "<b>busy</b>"})
    cycle = SPEC.cycle.model_copy(update={"steps": [step, *SPEC.cycle.steps[1:]]})
    spec = SPEC.model_copy(update={"cycle": cycle})
    html = feedback_html(spec, {}, [])
    assert "<b>busy" not in html
    assert "&lt;b&gt;busy&lt;/b&gt;" in html
    assert "<script" not in feedback_html(SPEC, {}, [])


def test_answers_are_saved_to_the_answer_book_as_they_change(book):
    activity = build(CONTENT)
    assert book.load(SLUG) is None
    activity.hours_boxes["screens"].set_state({"value": 21})
    assert book.load(SLUG)["hours"]["screens"] == 21
    activity.patterns.set_state({"value": ["exhaustion"]})
    saved = book.load(SLUG)
    assert saved == {"hours": activity.hours, "patterns": ["exhaustion"]}
    # A refused value changes nothing that was saved.
    activity.hours_boxes["screens"].set_state({"value": 200})
    assert book.load(SLUG) == saved


def _without_drawing_ids(html: str) -> str:
    """The HTML with each drawing's element ids (numbered afresh for every drawing) left out."""
    return re.sub(r"rw-(title|desc|stripes|arrow)-\d+", r"rw-\1", html)


def _page(activity: CrowdingActivity) -> tuple:
    messages = (*(box.message for box in activity.hours_boxes.values()), activity.patterns.message)
    return (
        activity.hours,
        activity.ticked,
        activity.total.value,
        _without_drawing_ids(activity.feedback.value),
        messages,
    )


def test_a_page_opened_again_shows_the_hours_patterns_and_pictures_as_left(book):
    first = build(CONTENT)
    _type(first, work=40, screens=14.5, with_people=8, deep_talk=2)
    first.patterns.set_state({"value": ["not-interested", "exhaustion"]})
    saved = book.load(SLUG)

    second = build(CONTENT)
    assert _page(second) == _page(first)
    assert second.hours["deep-talk"] == 2
    assert book.load(SLUG) == saved


def test_hours_come_back_whole_before_part_whatever_order_they_were_saved_in(book):
    book.save(SLUG, {"hours": {"deep-talk": 5, "with-people": 5}, "patterns": []})
    activity = build(CONTENT)
    assert (activity.hours["with-people"], activity.hours["deep-talk"]) == (5, 5)


def test_restoring_tampered_hours_keeps_what_the_rules_accept_quietly(book):
    tampered = {
        "hours": {
            "deep-talk": 7,  # more than the time with people: refused, left empty
            "with-people": 5,
            "work": 100,
            "chores": 20,  # would bring the week over 112 after work's 100
            "screens": True,  # not a number of hours
            "caregiving": "3",
            "rest": 2.25,  # not whole or half hours
            "sleep": 8,  # an activity no longer asked about
        },
        "patterns": ["exhaustion", "a-pattern-no-longer-listed", 3, "exhaustion"],
    }
    book.save(SLUG, tampered)
    activity = build(CONTENT)
    assert activity.hours == {
        "work": 100,
        "caregiving": None,
        "chores": None,
        "screens": None,
        "rest": None,
        "with-people": 5,
        "deep-talk": None,
    }
    assert activity.ticked == ["exhaustion"]
    assert all(message == "" for message in _page(activity)[-1])
    assert "Hours entered so far: 105 of 112." in activity.total.value
    assert _without_drawing_ids(activity.feedback.value) == _without_drawing_ids(
        feedback_html(SPEC, activity.hours, activity.ticked)
    )
    assert book.load(SLUG) == tampered  # opening the page wrote nothing


@pytest.mark.parametrize(
    "saved", [{}, {"hours": [40], "patterns": "exhaustion"}, {"hours": {"work": 10**400}}]
)
def test_restoring_answers_of_the_wrong_shape_starts_empty(book, saved):
    book.save(SLUG, saved)
    activity = build(CONTENT)
    assert set(activity.hours.values()) == {None}
    assert activity.ticked == []
