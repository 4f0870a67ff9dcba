"""Sharing the load's widgets driven as a browser would: choices, the "no one yet" rule, feedback."""

from __future__ import annotations

import pytest

from widgets import answers, load_content
from widgets.sharing_load import NO_ONE_YET
from widgets.sharing_load_view import SharingLoadActivity, build, load_spec

CONTENT = load_content()
SPEC = load_spec()
SLUG = "long-term-resilience"
MAP_SLUG = "what-community-means"


@pytest.fixture(autouse=True)
def empty_book():
    answers.current().clear()
    yield
    answers.current().clear()


def _seed_map(*labels: str) -> None:
    answers.current().save(MAP_SLUG, {"entries": [{"label": label, "circle": "middle"} for label in labels]})


def _q(activity: SharingLoadActivity, support_id: str):
    return activity.questions[support_id]


def test_without_a_map_offers_kinds_and_says_why():
    activity = build(CONTENT)
    intro = activity.children[0].value
    assert "Your map from section 4 isn&#x27;t on this page, so you can choose kinds of people" in intro
    assert 'data-source="kinds"' in intro
    labels = [label for _, label in _q(activity, "encouragement").options]
    assert labels[0] == "Friend"
    assert labels[-1] == "No one yet"
    assert len(activity.questions) == 6
    first = _q(activity, "encouragement")
    assert first.question == "1. Who gives you encouragement?"
    assert first.hint == SPEC.supports[0].description


def test_with_a_seeded_map_offers_its_labels_as_text():
    _seed_map("Mum", "<b>Jo</b>")
    activity = build(CONTENT)
    intro = activity.children[0].value
    assert "The choices below come from your connection map in section 4." in intro
    assert 'data-source="map"' in intro
    # Options are drawn with textContent, so the label is kept as typed (never parsed as markup).
    assert _q(activity, "turn-to").options == [
        ("map-1", "Mum"),
        ("map-2", "<b>Jo</b>"),
        (NO_ONE_YET, "No one yet"),
    ]
    _q(activity, "turn-to").set_state({"value": ["map-2"]})
    assert "<b>" not in activity.feedback.value
    assert "<td>&lt;b&gt;Jo&lt;/b&gt;</td>" in activity.feedback.value


def test_before_any_tick_a_gentle_prompt():
    activity = build(CONTENT)
    assert SPEC.nothing_yet.split(".")[0] in activity.feedback.value
    assert "<svg" not in activity.feedback.value


def test_no_one_yet_with_someone_is_refused_and_nothing_changes():
    activity = build(CONTENT)
    question = _q(activity, "practical-help")
    question.set_state({"value": [NO_ONE_YET]})
    before = activity.feedback.value
    saved = answers.current().load(SLUG)
    question.set_state({"value": ["friend", NO_ONE_YET]})
    assert question.value == [NO_ONE_YET]
    assert "can't be ticked together with someone else" in question.message
    assert activity.feedback.value == before
    assert answers.current().load(SLUG) == saved
    # Unticking "no one yet" first, then ticking someone, works and clears the note.
    question.set_state({"value": []})
    question.set_state({"value": ["friend"]})
    assert question.value == ["friend"]
    assert question.message == ""


def test_crafted_ticks_are_refused():
    activity = build(CONTENT)
    question = _q(activity, "encouragement")
    question.set_state({"value": ["friend", "<script>"]})
    assert question.value == []
    question.set_state({"options": [["x", "<img src=x>"]]})
    assert question.options[0][1] == "Friend"


def test_chart_table_and_sentences_follow_the_ticks():
    activity = build(CONTENT)
    _q(activity, "encouragement").set_state({"value": ["friend", "family"]})
    _q(activity, "accountability").set_state({"value": [NO_ONE_YET]})
    feedback = activity.feedback.value
    assert "<svg" in feedback
    assert "Accountability (gap)" in feedback
    assert "2 named" in feedback
    assert "<tr><td>Encouragement</td><td>Friend, Family</td><td>Covered</td></tr>" in feedback
    assert "<tr><td>Accountability</td><td>No one yet</td><td>A gap for now</td></tr>" in feedback
    assert "<tr><td>Someone to turn to</td><td>(skipped)</td><td>Not answered</td></tr>" in feedback
    assert "1 of 6 kinds of support have someone." in feedback
    assert "Gaps for now: Accountability." in feedback
    assert "Where to grow first" in feedback
    assert "A good place to start: Accountability." in feedback
    assert SPEC.supports[3].suggestion in feedback
    assert 'data-grow-first="accountability"' in feedback
    assert "rw-invite" not in feedback


def test_all_gaps_get_warm_words_and_the_crisis_lines():
    activity = build(CONTENT)
    for question in activity.questions.values():
        question.set_state({"value": [NO_ONE_YET]})
    feedback = activity.feedback.value
    assert "0 of 6 kinds of support have someone." in feedback
    assert "it is not your fault" in feedback
    assert "rw-invite" in feedback
    assert "call or text 988" in feedback
    assert "A good place to start: Someone to turn to." in feedback


def test_everything_covered_says_so():
    activity = build(CONTENT)
    for question in activity.questions.values():
        question.set_state({"value": ["counselor"]})
    assert SPEC.no_gaps_line in activity.feedback.value
    assert "Where to grow first" not in activity.feedback.value


def test_answers_are_saved_as_they_change_and_restored():
    _seed_map("Mum", "Jo")
    activity = build(CONTENT)
    assert answers.current().load(SLUG) is None
    _q(activity, "turn-to").set_state({"value": ["map-2"]})
    assert answers.current().load(SLUG) == {
        "options_from": "map",
        "givers": {"turn-to": ["map-2"]},
        "named": {"turn-to": ["Jo"]},
    }
    again = build(CONTENT)
    assert _q(again, "turn-to").value == ["map-2"]
    assert "<td>Jo</td>" in again.feedback.value


def test_saved_answers_from_other_choices_are_not_restored():
    answers.current().save(SLUG, {"options_from": "kinds", "givers": {"turn-to": ["friend"]}})
    _seed_map("Mum")
    activity = build(CONTENT)
    assert _q(activity, "turn-to").value == []
    answers.current().save(SLUG, {"options_from": "map", "givers": {"turn-to": ["map-9"], "x": 1}})
    assert _q(build(CONTENT), "turn-to").value == []
