"""The connection map's widgets driven as a browser would: add, refuse, remove, feedback, saving."""

from __future__ import annotations

import re

import pytest

from widgets import answers, load_content
from widgets.sections.connection_map.model import make_entry
from widgets.sections.connection_map.view import (
    ConnectionMapActivity,
    build,
    entry_text,
    feedback_html,
    load_spec,
)

CONTENT = load_content()
SPEC = load_spec()
SLUG = "what-community-means"


pytestmark = pytest.mark.usefixtures("book")  # each test starts with an empty answer book


def _fill(activity: ConnectionMapActivity, label: str, circle: str | None = "close", kind=None, rating=None):
    """Fill the form as the browser does: one value at a time through set_state."""
    activity.label.set_state({"value": label})
    if kind:
        activity.kind.set_state({"value": kind})
    if circle:
        activity.circle.set_state({"value": circle})
    if rating:
        for group in activity.ratings.values():
            group.set_state({"value": rating})


def _form(activity: ConnectionMapActivity) -> tuple:
    return (
        activity.label.value,
        activity.kind.value,
        activity.circle.value,
        tuple(group.value for group in activity.ratings.values()),
    )


def _remove_buttons(activity: ConnectionMapActivity) -> list:
    return [row.children[1] for row in activity.rows.children]


def test_starts_empty_with_the_limit_stated():
    activity = build(CONTENT)
    assert activity.entries == ()
    assert "0 of 25 so far." in activity.list_heading.value
    assert SPEC.list_empty in activity.list_heading.value
    assert "up to 25 people or groups" in activity.children[0].value
    feedback = activity.feedback.value
    assert "<svg" in feedback
    assert "no one here yet" in feedback
    assert "Your map is empty for now" in feedback
    assert "A single safe relationship can begin to shift" in feedback
    assert "From the article" in feedback
    assert activity.label.max_length == 30
    assert activity.label.hint == SPEC.label_hint
    assert not activity.label.multiline


def test_form_has_every_choice():
    activity = build(CONTENT)
    assert [label for _, label in activity.kind.options][:3] == ["Friend", "Family", "Counselor"]
    assert [option_id for option_id, _ in activity.circle.options] == ["close", "middle", "outer"]
    assert activity.circle.options[0][1].startswith("Close circle: ")
    assert [group.question for group in activity.ratings.values()] == [r.question for r in SPEC.ratings]
    assert activity.add_button.description == "Add to my map"


def test_adding_lists_draws_saves_and_clears_the_form():
    activity = build(CONTENT)
    _fill(activity, " Sam ", "close", "friend", "mostly")
    activity.add_button.click()
    assert [entry.label for entry in activity.entries] == ["Sam"]
    assert _form(activity) == ("", None, None, (None, None, None))
    assert "Added “Sam” to your map." in activity.status.value
    assert "1 of 25 so far." in activity.list_heading.value
    assert [button.description for button in _remove_buttons(activity)] == ["Remove Sam"]
    assert "Sam: Friend, Close circle. Can be real: Mostly" in activity.rows.children[0].children[0].value
    feedback = activity.feedback.value
    assert "<strong>Close circle</strong> (1): Sam" in feedback
    assert "Relationships that feel safe right now: 1 of 1." in feedback
    assert answers.current().load(SLUG) == {
        "entries": [
            {
                "label": "Sam",
                "kind": "friend",
                "circle": "close",
                "ratings": {"authenticity": "mostly", "reliability": "mostly", "mutual-care": "mostly"},
            }
        ]
    }


def test_refused_add_keeps_everything_typed():
    activity = build(CONTENT)
    _fill(activity, "   ", "middle", "family", "sometimes")
    before = _form(activity)
    assert activity.add() is False
    assert _form(activity) == before
    assert activity.entries == ()
    assert "type a label first" in activity.status.value
    assert "type a label first" in activity.label.message
    assert answers.current().load(SLUG) is None


def test_missing_circle_is_said_beside_the_circle_question():
    activity = build(CONTENT)
    _fill(activity, "Jo", circle=None, kind="coworker")
    activity.add_button.click()
    assert activity.entries == ()
    assert "choose a circle" in activity.circle.message
    assert _form(activity)[:2] == ("Jo", "coworker")
    activity.circle.set_state({"value": "outer"})
    assert activity.circle.message == ""  # a good answer clears the note
    activity.add_button.click()
    assert [entry.label for entry in activity.entries] == ["Jo"]


def test_the_26th_is_refused_and_nothing_changes():
    seeded = [make_entry(SPEC, f"P{n}", "outer") for n in range(25)]
    activity = ConnectionMapActivity(SPEC, slug=SLUG, entries=seeded)
    assert "25 of 25 so far." in activity.list_heading.value
    _fill(activity, "One more", "close", "other", "mostly")
    before = _form(activity)
    feedback = activity.feedback.value
    activity.add_button.click()
    assert len(activity.entries) == 25
    assert _form(activity) == before
    assert activity.feedback.value == feedback
    assert "already holds 25 people or groups" in activity.status.value
    assert "remove someone first" in activity.label.message
    # Removing someone makes room, and the kept form can be added at once.
    _remove_buttons(activity)[0].click()
    assert activity.label.message == ""
    activity.add_button.click()
    assert [entry.label for entry in activity.entries][-1] == "One more"
    assert len(activity.entries) == 25


def test_duplicate_label_is_refused_with_a_way_forward():
    activity = build(CONTENT)
    _fill(activity, "Sam")
    activity.add_button.click()
    _fill(activity, "sam", "outer")
    activity.add_button.click()
    assert [entry.label for entry in activity.entries] == ["Sam"]
    assert "“sam” is already on your map" in activity.status.value
    assert activity.label.value == "sam"


def test_remove_button_removes_that_entry_and_saves():
    activity = build(CONTENT)
    for label, circle in [("Ana", "close"), ("Ben", "middle"), ("Cy", "outer")]:
        _fill(activity, label, circle)
        activity.add_button.click()
    old_buttons = _remove_buttons(activity)
    ben = next(b for b in old_buttons if b.description == "Remove Ben")
    ben.click()
    assert [entry.label for entry in activity.entries] == ["Ana", "Cy"]
    assert "Removed “Ben” from your map." in activity.status.value
    assert [b.description for b in _remove_buttons(activity)] == ["Remove Ana", "Remove Cy"]
    assert [e["label"] for e in answers.current().load(SLUG)["entries"]] == ["Ana", "Cy"]
    assert "<strong>Middle circle</strong> (0): no one here yet" in activity.feedback.value
    # The replaced buttons are closed, so their models do not pile up in the kernel.
    assert all(button.comm is None for button in old_buttons)
    ben.click()  # a stale click is harmless
    assert [entry.label for entry in activity.entries] == ["Ana", "Cy"]


def test_removing_the_last_one_leaves_a_gentle_empty_map():
    activity = build(CONTENT)
    _fill(activity, "Ana")
    activity.add_button.click()
    _remove_buttons(activity)[0].click()
    assert activity.entries == ()
    assert "Your map is empty for now" in activity.feedback.value
    assert answers.current().load(SLUG) == {"entries": []}


def test_the_button_text_cannot_redirect_a_removal():
    activity = build(CONTENT)
    for label in ("Ana", "Ben"):
        _fill(activity, label)
        activity.add_button.click()
    button = _remove_buttons(activity)[0]
    button.description = "Remove Ben"  # as a tampered page might
    button.click()
    assert [entry.label for entry in activity.entries] == ["Ben"]


def test_too_long_label_from_the_browser_is_refused_by_the_text_box():
    activity = build(CONTENT)
    activity.label.set_state({"value": "Sam"})
    activity.label.set_state({"value": "x" * 31})
    assert activity.label.value == "Sam"
    assert "up to 30 characters" in activity.label.message


def test_crafted_choices_are_refused():
    activity = build(CONTENT)
    activity.circle.set_state({"value": "inner-sanctum"})
    activity.kind.set_state({"value": "<img src=x>"})
    assert (activity.circle.value, activity.kind.value) == (None, None)
    assert "isn't one of the choices" in activity.circle.message


def test_safe_count_in_the_feedback():
    activity = build(CONTENT)
    _fill(activity, "Ana", "close", rating="mostly")
    activity.add_button.click()
    _fill(activity, "Ben", "middle", rating="sometimes")
    activity.add_button.click()
    assert "Relationships that feel safe right now: 1 of 2." in activity.feedback.value
    assert SPEC.safe_none not in activity.feedback.value
    _remove_buttons(activity)[0].click()
    assert "Relationships that feel safe right now: 0 of 1." in activity.feedback.value
    assert SPEC.safe_none in activity.feedback.value


def test_participant_text_is_shown_as_text_everywhere():
    activity = build(CONTENT)
    _fill(activity, "<b>Jo</b><script>", "close")
    activity.add_button.click()
    html = activity.feedback.value + activity.rows.children[0].children[0].value + activity.status.value
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;Jo&lt;/b&gt;&lt;script&gt;" in activity.feedback.value
    # A button's description is drawn as text by ipywidgets.
    assert _remove_buttons(activity)[0].description == "Remove <b>Jo</b><script>"


def test_content_text_is_escaped():
    spec = SPEC.model_copy(update={"article_credit": "<i>From</i>", "ring_empty": "<u>none</u>"})
    html = feedback_html(spec, ())
    assert "<i>" not in html
    assert "<u>" not in html
    assert "&lt;i&gt;From&lt;/i&gt;" in html


def test_entry_text_names_skipped_answers():
    entry = make_entry(SPEC, "Ana", "outer", None, {"reliability": "rarely"})
    assert entry_text(SPEC, entry) == (
        "Ana: not given, Outer circle. Can be real: not given; Show up: Rarely; "
        "Look out for each other: not given"
    )


def test_build_starts_from_the_map_in_the_answer_book():
    answers.current().save(SLUG, {"entries": [{"label": "Mum", "circle": "close"}, {"label": ""}]})
    activity = build(CONTENT)
    assert [entry.label for entry in activity.entries] == ["Mum"]
    assert [b.description for b in _remove_buttons(activity)] == ["Remove Mum"]


def _without_drawing_ids(html: str) -> str:
    """The HTML with each drawing's element ids (numbered afresh for every drawing) left out."""
    return re.sub(r"rw-(title|desc|stripes|arrow)-\d+", r"rw-\1", html)


def _page(activity: ConnectionMapActivity) -> tuple:
    """What the page shows once the form is empty: the list, its rows, the map and the form."""
    rows = tuple((row.children[0].value, row.children[1].description) for row in activity.rows.children)
    messages = (activity.label.message, activity.circle.message)
    return (
        activity.entries,
        activity.list_heading.value,
        rows,
        _without_drawing_ids(activity.feedback.value),
        _form(activity),
        messages,
    )


def test_a_page_opened_again_shows_the_map_as_left():
    book = answers.current()
    first = build(CONTENT)
    _fill(first, "Mum", "close", "family", "mostly")
    first.add_button.click()
    _fill(first, "<b>Jo</b>", "middle", "friend", "sometimes")
    first.add_button.click()
    _fill(first, "Choir", "outer")
    first.add_button.click()
    first.remove("Choir")
    saved = book.load(SLUG)

    second = build(CONTENT)
    assert _page(second) == _page(first)
    assert [entry.label for entry in second.entries] == ["Mum", "<b>Jo</b>"]
    assert book.load(SLUG) == saved


def test_restoring_a_tampered_map_keeps_what_fits_quietly():
    book = answers.current()
    tampered = {
        "entries": [
            {"label": "Sam", "circle": "close", "kind": "neighbour", "ratings": {"authenticity": "mostly"}},
            {
                "label": "Ana",
                "circle": "middle",
                "kind": "friend",
                "ratings": {"reliability": "always", "x": 1},
            },
            {"label": "x" * 31, "circle": "close"},  # over today's label limit
            {"label": "Old", "circle": "far-away"},  # a circle the map no longer has
            {"label": ["Bo"], "circle": "close"},
            "not an entry",
            {"label": "sam", "circle": "outer"},  # a repeat of Sam
        ],
        "extra": 1,
    }
    book.save(SLUG, tampered)
    activity = build(CONTENT)
    assert [(e.label, e.circle, e.kind) for e in activity.entries] == [
        ("Sam", "close", None),
        ("Ana", "middle", "friend"),
    ]
    assert activity.entries[0].ratings == {"authenticity": "mostly", "reliability": None, "mutual-care": None}
    assert set(activity.entries[1].ratings.values()) == {None}
    assert "2 of 25 so far." in activity.list_heading.value
    assert _without_drawing_ids(activity.feedback.value) == _without_drawing_ids(
        feedback_html(SPEC, activity.entries)
    )
    assert (activity.status.value, activity.label.message, activity.circle.message) == ("", "", "")
    assert book.load(SLUG) == tampered  # opening the page wrote nothing
