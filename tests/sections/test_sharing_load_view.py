"""Sharing the load's widgets driven as a browser would: choices, the "no one yet" rule, feedback."""

from __future__ import annotations

import re

import pytest

from widgets import answers, load_content
from widgets.sections.sharing_load.model import NO_ONE_YET
from widgets.sections.sharing_load.view import SharingLoadActivity, build, feedback_html, load_spec

CONTENT = load_content()
SPEC = load_spec()
SLUG = "long-term-resilience"
MAP_SLUG = "what-community-means"


pytestmark = pytest.mark.usefixtures("book")  # each test starts with an empty answer book


def _seed_map(*labels: str) -> None:
    answers.current().save(MAP_SLUG, {"entries": [{"label": label, "circle": "middle"} for label in labels]})


def _q(activity: SharingLoadActivity, support_id: str):
    return activity.questions[support_id]


def test_without_a_map_offers_kinds_and_says_why():
    activity = build(CONTENT)
    intro = activity.children[0].value
    assert "Your map from section 4 isn&#39;t on this page, so you can choose kinds of people" in intro
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


def _without_drawing_ids(html: str) -> str:
    """The HTML with each drawing's element ids (numbered afresh for every drawing) left out."""
    return re.sub(r"rw-(title|desc|stripes|arrow)-\d+", r"rw-\1", html)


def _page(activity: SharingLoadActivity) -> tuple:
    return (
        activity.children[0].value,
        {support_id: (q.options, q.value, q.message) for support_id, q in activity.questions.items()},
        _without_drawing_ids(activity.feedback.value),
    )


@pytest.mark.parametrize("labels", [(), ("Mum", "<b>Jo</b>", "Choir")])
def test_a_page_opened_again_shows_the_ticks_and_coverage_as_left(labels):
    if labels:
        _seed_map(*labels)
    first = build(CONTENT)
    someone, other = (["map-1", "map-3"], ["map-2"]) if labels else (["friend", "counselor"], ["family"])
    _q(first, "turn-to").set_state({"value": someone})
    _q(first, "encouragement").set_state({"value": other})
    _q(first, "accountability").set_state({"value": [NO_ONE_YET]})
    saved = answers.current().load(SLUG)

    second = build(CONTENT)
    assert _page(second) == _page(first)
    assert answers.current().load(SLUG) == saved


def test_a_changed_map_gives_back_the_same_people_and_nobody_else():
    _seed_map("Mum", "Jo", "Choir")
    first = build(CONTENT)
    _q(first, "turn-to").set_state({"value": ["map-1", "map-2"]})  # Mum and Jo
    _q(first, "practical-help").set_state({"value": ["map-3"]})  # Choir
    saved = answers.current().load(SLUG)
    _seed_map("Jo", "Choir", "Sam")  # Mum left the map; everyone else moved up

    second = build(CONTENT)
    assert _q(second, "turn-to").value == ["map-1"]  # Jo, now first
    assert _q(second, "practical-help").value == ["map-2"]  # Choir, now second
    assert "<td>Jo</td>" in second.feedback.value
    assert answers.current().load(SLUG) == saved  # opening the page wrote nothing


def test_restoring_tampered_ticks_keeps_the_valid_ones_quietly():
    tampered = {
        "options_from": "kinds",
        "givers": {
            "turn-to": ["friend", "a-kind-no-longer-offered", 7],
            "encouragement": ["friend", NO_ONE_YET],  # "no one yet" with someone: refused
            "accountability": [NO_ONE_YET],
            "practical-help": "friend",  # not a list
            "a-support-no-longer-asked": ["family"],
        },
        "named": {"turn-to": "Friend"},
    }
    answers.current().save(SLUG, tampered)
    activity = build(CONTENT)
    assert activity.givers == {"turn-to": ["friend"], "accountability": [NO_ONE_YET]}
    assert all(question.message == "" for question in activity.questions.values())
    expected = feedback_html(SPEC, CONTENT.crisis, activity.result())
    assert _without_drawing_ids(activity.feedback.value) == _without_drawing_ids(expected)
    assert answers.current().load(SLUG) == tampered  # opening the page wrote nothing


def test_map_ticks_without_the_names_they_stood_for_are_not_given_back():
    _seed_map("Mum", "Jo")
    answers.current().save(SLUG, {"options_from": "map", "givers": {"turn-to": ["map-1"]}})
    assert _q(build(CONTENT), "turn-to").value == []
    saved = {"options_from": "map", "givers": {"turn-to": ["map-1"]}, "named": {"turn-to": ["Sam"]}}
    answers.current().save(SLUG, saved)
    assert _q(build(CONTENT), "turn-to").value == []


def test_a_map_entry_with_a_kind_no_longer_offered_is_still_a_choice():
    answers.current().save(MAP_SLUG, {"entries": [{"label": "Sam", "circle": "close", "kind": "neighbour"}]})
    activity = build(CONTENT)
    assert _q(activity, "turn-to").options == [("map-1", "Sam"), (NO_ONE_YET, "No one yet")]
