"""The small-steps planner's widgets, driven with set_state as a browser (or a crafted one) would."""

from __future__ import annotations

import pytest
from markupsafe import escape

from widgets import load_content
from widgets.content_files import load_activity_content
from widgets.sections.small_steps.model import SmallStepsContent, Step, make_step
from widgets.sections.small_steps.view import SmallStepsActivity, StepCard, build, card_html

CONTENT = load_content()
SPEC = load_activity_content("small_steps", SmallStepsContent)
OWN = SPEC.what.own_option.id
FRIEND = SPEC.what.options[0].id
NOT_AN_OPTION = "That answer isn't one of the choices, so it was not kept."
NOT_WRITABLE = "This part of the page can't be changed from the browser."
SLUG = "small-steps"


@pytest.fixture
def activity() -> SmallStepsActivity:
    return SmallStepsActivity(SPEC)


def _click(button) -> None:
    """Send a click as the page does: a comm message, which ignores ``disabled``."""
    button._handle_button_msg(None, {"event": "click"}, None)


def _fill(card: StepCard, **values: str | None) -> None:
    for name, value in values.items():
        getattr(card, name).set_state({"value": value})


def test_starts_with_one_empty_step_and_says_so(activity):
    assert len(activity.cards) == 1
    card = activity.cards[0]
    assert card.what.question == f"Step 1: {SPEC.what.question}"
    assert card.confidence.question == f"Step 1: {SPEC.confidence.question}"
    assert [label for _, label in card.confidence.options] == [str(n) for n in range(11)]
    assert card.who.label == "Step 1: Who, or where?"
    assert (card.who.max_length, card.when.max_length, card.plan.max_length) == (60, 40, 100)
    assert card.remove_button.description == "Clear step 1"
    assert escape(SPEC.card.empty) in activity.feedback.value
    assert escape(SPEC.card.article_words) in activity.feedback.value
    assert "You can plan up to 3 steps. You have 1 now." in activity.limit_note.value
    assert card.own_text.layout.display == "none"
    assert card.smaller.value == ""


def test_the_card_follows_the_answers_and_shows_markup_as_text(activity):
    card = activity.cards[0]
    _fill(card, what=OWN, own_text="<b>x</b>", who="<b>x</b>", when="Saturday morning", confidence="8")
    _fill(card, obstacle='<img src=x onerror="alert(1)">', plan="Try & see")
    html = activity.feedback.value
    assert "<b>x</b>" not in html
    assert "<img" not in html
    assert html.count("&lt;b&gt;x&lt;/b&gt;") == 2
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "Try &amp; see" in html
    assert "Saturday morning" in html
    assert "8 out of 10" in html
    assert 'data-steps="1"' in html


def test_my_own_step_reveals_its_text_box_and_keeps_its_text_only_while_chosen(activity):
    card = activity.cards[0]
    card.what.set_state({"value": OWN})
    assert card.own_text.layout.display is None
    card.own_text.set_state({"value": "Lunch with Jo"})
    assert "Lunch with Jo" in activity.feedback.value
    card.what.set_state({"value": FRIEND})
    assert card.own_text.layout.display == "none"
    assert "Lunch with Jo" not in activity.feedback.value
    assert card.step().own_text == ""
    # Choosing it again brings back what was typed.
    card.what.set_state({"value": OWN})
    assert "Lunch with Jo" in activity.feedback.value


@pytest.mark.parametrize(("confidence", "prompted"), [("6", True), ("0", True), ("7", False), ("10", False)])
def test_less_than_7_suggests_a_smaller_step(activity, confidence, prompted):
    card = activity.cards[0]
    card.confidence.set_state({"value": confidence})
    shown = escape(SPEC.confidence.smaller_prompt) in card.smaller.value
    assert shown is prompted
    assert card.smaller.layout.display == (None if prompted else "none")
    if prompted:
        for idea in SPEC.confidence.smaller_ideas:
            assert escape(idea) in card.smaller.value


def test_the_prompt_goes_when_confidence_rises_or_is_cleared(activity):
    card = activity.cards[0]
    card.confidence.set_state({"value": "5"})
    assert card.smaller.value
    card.confidence.set_state({"value": "8"})
    assert card.smaller.value == ""
    card.confidence.set_state({"value": "6"})
    card.confidence.set_state({"value": None})
    assert card.smaller.value == ""


@pytest.mark.parametrize("crafted", ["11", "-1", "7.5", "<b>5</b>", ""])
def test_a_crafted_confidence_is_refused_and_nothing_changes(activity, crafted):
    card = activity.cards[0]
    card.confidence.set_state({"value": "8"})
    before = activity.feedback.value
    card.confidence.set_state({"value": crafted})
    assert card.confidence.value == "8"
    assert card.confidence.message == NOT_AN_OPTION
    assert activity.feedback.value == before
    assert card.smaller.value == ""


def test_a_crafted_step_choice_or_too_long_text_is_refused(activity):
    card = activity.cards[0]
    card.what.set_state({"value": "run-a-marathon"})
    assert (card.what.value, card.what.message) == (None, NOT_AN_OPTION)
    card.when.set_state({"value": "x" * 41})
    assert card.when.value == ""
    assert "up to 40 characters" in card.when.message
    card.who.set_state({"value": "two\nlines"})
    assert card.who.value == ""
    assert card.who.message


def test_up_to_3_steps_then_the_add_button_is_disabled(activity):
    _click(activity.add_button)
    _click(activity.add_button)
    assert len(activity.cards) == 3
    assert [card.number for card in activity.cards] == [1, 2, 3]
    assert activity.cards[2].what.question.startswith("Step 3: ")
    assert [card.remove_button.description for card in activity.cards] == [
        "Remove step 1",
        "Remove step 2",
        "Remove step 3",
    ]
    assert activity.add_button.disabled
    assert escape(SPEC.at_limit_line.format(most=3)) in activity.limit_note.value


def test_the_server_refuses_a_4th_step_even_from_a_crafted_page(activity):
    activity.add_step()
    activity.add_step()
    # A crafted page tries to re-enable the button, then clicks it anyway.
    activity.add_button.set_state({"disabled": False})
    assert activity.add_button.disabled
    assert activity.add_button.message == NOT_WRITABLE
    _click(activity.add_button)
    assert len(activity.cards) == 3
    assert len(activity.steps_box.children) == 3
    assert escape(SPEC.refused_add.format(most=3)) in activity.limit_note.value
    assert activity.add_step() is False


def test_removing_a_step_renumbers_the_rest_and_frees_a_place(activity):
    activity.add_step()
    activity.add_step()
    first, middle, last = activity.cards
    _fill(first, what=FRIEND)
    _fill(middle, who="Middle")
    _fill(last, who="Last")
    _click(middle.remove_button)
    assert activity.cards == [first, last]
    # Closed, with every widget on it: nothing left behind.
    assert middle.comm is None
    assert middle.who.comm is None
    assert last.number == 2
    assert last.who.label == "Step 2: Who, or where?"
    assert "Middle" not in activity.feedback.value
    assert "Last" in activity.feedback.value
    assert not activity.add_button.disabled
    assert "You have 2 now." in activity.limit_note.value
    # A click from the card already gone changes nothing.
    activity.remove_step(middle)
    assert activity.cards == [first, last]


def test_the_last_step_left_is_cleared_not_removed(activity):
    card = activity.cards[0]
    _fill(
        card,
        what=OWN,
        own_text="Walk",
        who="Park",
        when="Today",
        confidence="4",
        obstacle="Rain",
        plan="Umbrella",
    )
    _click(card.remove_button)
    assert activity.cards == [card]
    assert card.step() == Step()
    assert card.own_text.value == ""
    assert card.smaller.value == ""
    assert escape(SPEC.card.empty) in activity.feedback.value


def test_answers_are_saved_as_a_list_of_steps_as_they_change(book):
    activity = build(CONTENT)
    assert activity.slug == "small-steps"
    assert book.load("small-steps") is None
    card = activity.cards[0]
    _fill(card, what=FRIEND, confidence="5", own_text="")
    saved = book.load("small-steps")
    assert saved == {"steps": [make_step(SPEC, what=FRIEND, confidence=5).as_dict()]}
    _click(activity.add_button)
    saved = book.load("small-steps")["steps"]
    assert len(saved) == 2
    assert saved[1] == Step().as_dict()
    card.confidence.set_state({"value": "11"})
    assert book.load("small-steps")["steps"][0]["confidence"] == 5


def test_content_text_is_escaped_too():
    card = SPEC.card.model_copy(update={"heading": "<script>alert(1)</script>"})
    spec = SPEC.model_copy(update={"card": card, "step_heading": "<i>Step</i> {number}"})
    html = card_html(spec, [make_step(spec, what=FRIEND)])
    assert "<script>" not in html
    assert "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;i&gt;Step&lt;/i&gt; 1" in html


def _card_state(card: StepCard) -> tuple:
    """Everything a card shows: its answers, labels, messages, the prompt and what is hidden."""
    controls = card.answer_controls
    return (
        card.heading.value,
        tuple(control.value for control in controls),
        tuple(getattr(control, "question", None) or control.label for control in controls),
        tuple(control.message for control in controls),
        card.own_text.layout.display,
        card.smaller.value,
        card.smaller.layout.display,
        card.remove_button.description,
    )


def _page(activity: SmallStepsActivity) -> tuple:
    return (
        [_card_state(card) for card in activity.cards],
        activity.add_button.disabled,
        activity.limit_note.value,
        activity.feedback.value,
    )


def test_a_page_opened_again_shows_every_step_card_as_left(book):
    first = build(CONTENT)
    _click(first.add_button)
    _click(first.add_button)
    one, _two, three = first.cards
    _fill(one, what=OWN, own_text="Lunch with <b>Jo</b>", who="Café", when="Friday", confidence="8")
    _fill(three, what=FRIEND, confidence="4", obstacle="Too tired", plan="Go for ten minutes")
    assert three.smaller.value  # the "make it smaller" prompt is showing
    saved = book.load(SLUG)

    second = build(CONTENT)
    assert len(second.cards) == 3
    assert _page(second) == _page(first)
    assert second.steps == first.steps
    assert book.load(SLUG) == saved


def test_two_steps_come_back_as_two_cards_with_room_for_a_third(book):
    first = build(CONTENT)
    _click(first.add_button)
    _fill(first.cards[1], when="Sunday")
    second = build(CONTENT)
    assert _page(second) == _page(first)
    assert not second.add_button.disabled
    assert [card.remove_button.description for card in second.cards] == ["Remove step 1", "Remove step 2"]


def test_restoring_tampered_steps_keeps_what_fits_quietly(book):
    tampered = {
        "steps": [
            {
                "what": "run-a-marathon",  # not a choice
                "who": "Park",
                "when": "x" * 41,  # over today's limit
                "confidence": 11,
                "plan": 5,
                "obstacle": "two\nlines",
                "mood": "fine",  # a field the planner does not have
            },
            "not a step",
            {"what": OWN, "own_text": "Walk", "confidence": "4", "obstacle": "Rain"},
            {"who": "a fourth step, over the limit of three"},
        ]
    }
    book.save(SLUG, tampered)
    activity = build(CONTENT)
    assert activity.steps == [
        Step(who="Park"),
        Step(),
        make_step(SPEC, what=OWN, own_text="Walk", confidence=4, obstacle="Rain"),
    ]
    assert all(set(_card_state(card)[3]) == {""} for card in activity.cards)
    assert activity.cards[2].smaller.value
    assert activity.cards[2].own_text.layout.display is None
    assert activity.add_button.disabled
    assert activity.feedback.value == card_html(SPEC, activity.steps)
    assert book.load(SLUG) == tampered  # opening the page wrote nothing


@pytest.mark.parametrize("saved", [{}, {"steps": "many"}, {"steps": []}, {"steps": [None, True]}])
def test_restoring_steps_of_the_wrong_shape_leaves_empty_cards(book, saved):
    book.save(SLUG, saved)
    activity = build(CONTENT)
    assert 1 <= len(activity.cards) <= 2
    assert all(step == Step() for step in activity.steps)
    assert book.load(SLUG) == saved
