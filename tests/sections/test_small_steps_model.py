"""The small-steps planner's rules and content (the model, no widgets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import figure_rows, figure_words

from widgets.blocks import Bullets, Card, Checklist, Heading, Paragraph, Quote, Scale, WriteIn
from widgets.content_files import load_activity_content
from widgets.sections.small_steps.model import (
    SmallStepsContent,
    Step,
    can_add_step,
    card_entries,
    check_step_count,
    feedback_blocks,
    group_figures,
    is_filled,
    make_step,
    needs_smaller,
    parse_confidence,
    report_blocks,
    step_from_dict,
    steps_from_dicts,
    summary_lines,
    what_text,
    worksheet_blocks,
)

SPEC = load_activity_content("small_steps", SmallStepsContent)
ARTICLE = Path(__file__).resolve().parents[2] / "article" / "community-as-medicine-part-1.txt"
OWN = SPEC.what.own_option.id
FRIEND = SPEC.what.options[0].id
TEXT_FIELDS = {
    "own_text": SPEC.what.own_text.max_length,
    "who": SPEC.who.max_length,
    "when": SPEC.when.max_length,
    "obstacle": SPEC.obstacle.max_length,
    "plan": SPEC.plan.max_length,
}


# --- content -------------------------------------------------------------------


def test_content_states_the_planned_limits():
    assert SPEC.max_steps == 3
    assert TEXT_FIELDS == {"own_text": 80, "who": 60, "when": 40, "obstacle": 100, "plan": 100}
    assert SPEC.confidence.smaller_below == 7
    assert 2 <= len(SPEC.confidence.smaller_ideas) <= 3
    assert (
        SPEC.confidence.question == "How sure are you that you can do this? 0 = not at all, 10 = completely"
    )


def test_the_article_examples_and_an_own_step_are_offered():
    assert [option.id for option in SPEC.what.options] == [
        "trusted-friend",
        "shared-interest",
        "supportive-family",
        "structured-group",
        "be-present",
    ]
    assert SPEC.what.own_option.label == "My own step"


def test_the_quoted_reminder_is_the_articles_word_for_word():
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    assert SPEC.card.article_words in article
    assert "the gradual increase in authenticity, comfort, and relational depth" in SPEC.card.article_words


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda raw: raw.update(max_steps=4), "max_steps"),
        (lambda raw: raw["who"].update(max_length=0), "who.max_length"),
        (lambda raw: raw.update(remove_label="Remove {step}"), "remove_label"),
        (lambda raw: raw["card"].update(confidence_value="{score} of 10"), "card.confidence_value"),
        (lambda raw: raw["confidence"].update(smaller_ideas=["Only one idea"]), "confidence.smaller_ideas"),
        (lambda raw: raw["what"]["own_option"].update(id="trusted-friend"), "own_option included"),
        (lambda raw: raw.update(colour="blue"), "colour"),
        (lambda raw: raw.pop("card"), "card"),
        (lambda raw: raw["group"].pop("own_step"), "group.own_step"),
        (lambda raw: raw["group"]["confidence"].update(unit=""), "group.confidence.unit"),
        (lambda raw: raw["worksheet"].update(smaller_intro="Below {limit}:"), "worksheet.smaller_intro"),
        (lambda raw: raw["worksheet"].pop("ideas_question"), "worksheet.ideas_question"),
        (lambda raw: raw["worksheet"].update(pens="blue"), "worksheet.pens"),
    ],
)
def test_bad_content_names_the_file_and_field(content_refusal, change, problem):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert problem in content_refusal("small_steps", change)


# --- one step --------------------------------------------------------------------


def test_a_full_step_is_kept_as_given():
    texts = {"who": "Sam", "when": "Saturday morning", "obstacle": "I might cancel", "plan": "Text instead"}
    step = make_step(SPEC, what=FRIEND, confidence="8", **texts)
    assert step == Step(what=FRIEND, own_text="", confidence=8, **texts)
    assert step_from_dict(SPEC, step.as_dict()) == step


def test_nothing_at_all_is_a_valid_empty_step():
    step = make_step(SPEC)
    assert step == Step()
    assert not is_filled(step)


@pytest.mark.parametrize("what", ["always", "<script>", "", "OWN-STEP"])
def test_unknown_step_choices_are_refused(what):
    with pytest.raises(ValueError, match="not one of the step choices"):
        make_step(SPEC, what=what)


@pytest.mark.parametrize(("field", "limit"), TEXT_FIELDS.items())
def test_each_text_is_kept_up_to_its_limit_and_refused_beyond(field, limit):
    extra = {"what": OWN} if field == "own_text" else {}
    assert getattr(make_step(SPEC, **extra, **{field: "x" * limit}), field) == "x" * limit
    with pytest.raises(ValueError, match=f"up to {limit} characters"):
        make_step(SPEC, **extra, **{field: "x" * (limit + 1)})


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("bad", ["two\nlines", "carriage\rreturn", 5, None])
def test_texts_must_be_one_line_of_text(field, bad):
    with pytest.raises(ValueError, match=field.replace("_text", " step").replace("who", "who or where")):
        make_step(SPEC, what=OWN, **{field: bad})


@pytest.mark.parametrize(("given", "kept"), [*((n, n) for n in range(11)), *((str(n), n) for n in range(11))])
def test_confidence_from_0_to_10_is_kept(given, kept):
    assert parse_confidence(given) == kept
    assert make_step(SPEC, confidence=given).confidence == kept


@pytest.mark.parametrize("bad", [11, -1, "11", "-1", "7.0", 7.5, "", " 7", "٣", True, False, [7]])
def test_confidence_outside_0_to_10_is_refused(bad):
    with pytest.raises(ValueError, match="confidence"):
        make_step(SPEC, confidence=bad)


def test_own_step_text_is_kept_only_while_my_own_step_is_chosen():
    assert make_step(SPEC, what=OWN, own_text="Lunch with Jo").own_text == "Lunch with Jo"
    assert make_step(SPEC, what=FRIEND, own_text="Lunch with Jo").own_text == ""
    assert make_step(SPEC, what=None, own_text="Lunch with Jo").own_text == ""
    # Text typed for a step no longer chosen does not make the step count as filled.
    assert not is_filled(make_step(SPEC, own_text="Lunch with Jo"))


def test_a_saved_step_with_an_unknown_key_is_refused():
    with pytest.raises(ValueError, match="no \\['colour'\\]"):
        step_from_dict(SPEC, {"what": FRIEND, "colour": "blue"})


@pytest.mark.parametrize(
    ("step", "filled"),
    [
        (Step(), False),
        (Step(who="   ", when=" "), False),
        (Step(confidence=0), True),
        (Step(what=FRIEND), True),
        (Step(plan="Call back"), True),
    ],
)
def test_what_counts_as_filled(step, filled):
    assert is_filled(step) is filled


# --- the "make it smaller" rule ------------------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "prompted"),
    [(0, True), (5, True), (6, True), (7, False), (8, False), (10, False), (None, False)],
)
def test_below_7_prompts_a_smaller_step(confidence, prompted):
    assert needs_smaller(SPEC, make_step(SPEC, confidence=confidence)) is prompted


# --- how many steps -------------------------------------------------------------------


def test_at_most_3_steps():
    assert [can_add_step(SPEC, count) for count in range(4)] == [True, True, True, False]
    check_step_count(SPEC, 3)
    with pytest.raises(ValueError, match="up to 3 steps"):
        check_step_count(SPEC, 4)
    assert len(steps_from_dicts(SPEC, [{}, {}, {}])) == 3
    with pytest.raises(ValueError, match="up to 3 steps"):
        steps_from_dicts(SPEC, [{}, {}, {}, {}])


# --- the card ---------------------------------------------------------------------


def test_card_lists_filled_steps_in_order_with_their_places():
    steps = [
        Step(),
        make_step(
            SPEC,
            what=FRIEND,
            who=" Sam ",
            when="Saturday morning",
            confidence="5",
            obstacle="Nerves",
            plan="Breathe",
        ),
        make_step(SPEC, what=OWN, own_text="<b>x</b>"),
    ]
    entries = card_entries(SPEC, steps)
    card = SPEC.card
    assert [entry.number for entry in entries] == [2, 3]
    assert entries[0].lines == (
        (card.what_label, SPEC.what.options[0].label),
        (card.who_label, "Sam"),
        (card.when_label, "Saturday morning"),
        (card.confidence_label, "5 out of 10"),
        (card.obstacle_label, "Nerves"),
        (card.plan_label, "Breathe"),
    )
    # Plain text here; the view escapes it.
    assert entries[1].lines == ((card.what_label, "<b>x</b>"),)


def test_card_skips_parts_left_empty_and_names_an_unwritten_own_step():
    entries = card_entries(SPEC, [make_step(SPEC, what=OWN, confidence=0)])
    assert entries[0].lines == (
        (SPEC.card.what_label, SPEC.what.own_option.label),
        (SPEC.card.confidence_label, "0 out of 10"),
    )


def test_nothing_filled_gives_an_empty_card():
    assert card_entries(SPEC, [Step(), Step(who=" ")]) == []
    assert what_text(SPEC, Step()) == ""


def test_summary_lines_give_one_line_per_filled_step():
    saved = {
        "steps": [
            make_step(SPEC, what=FRIEND, when="Sunday", confidence=9).as_dict(),
            Step().as_dict(),
            make_step(SPEC, what=OWN, own_text="<b>Walk</b>").as_dict(),
        ]
    }
    card = SPEC.card
    assert summary_lines(saved) == [
        f"Step 1: {card.what_label}: {SPEC.what.options[0].label}; {card.when_label}: Sunday; "
        f"{card.confidence_label}: 9 out of 10",
        f"Step 3: {card.what_label}: <b>Walk</b>",
    ]
    assert summary_lines({}) == []


def test_summary_lines_leave_out_a_saved_step_that_does_not_fit():
    saved = {"steps": [{"what": "gone-option"}, {"confidence": 11}, {"who": "Sam"}, {"who": "Fourth"}]}
    assert summary_lines(saved) == [f"Step 3: {SPEC.card.who_label}: Sam"]


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"
STEP_LABELS = {option.id: option.label for option in SPEC.what.options}


def test_group_figures_count_kinds_of_steps_and_average_confidence():
    shared = [
        {
            "steps": [
                {"what": "trusted-friend", "confidence": 8, "who": SENTINEL, "when": SENTINEL},
                {
                    "what": "own-step",
                    "own_text": SENTINEL,
                    "confidence": 4,
                    "obstacle": SENTINEL,
                    "plan": SENTINEL,
                },
            ]
        },
        {
            "steps": [
                {"what": "trusted-friend", "confidence": 5},
                {"what": "trusted-friend", "confidence": 7},  # the same kind twice: this person counts once
                {"what": "structured-group"},
            ]
        },
        {
            "steps": [
                {"what": "gone", "confidence": 10},  # not a step choice
                {"what": "be-present", "confidence": 11},  # out of range
                {"what": "shared-interest", "confidence": 7},
                {"what": "supportive-family"},  # a fourth step: more than the planner holds
            ]
        },
        {"steps": [{"what": "be-present", "colour": "red"}, "not a step", None]},
        {"steps": "x"},
        "not a mapping",
    ]
    steps, confidence = group_figures(shared)
    own = SPEC.group.own_step
    assert (steps.id, steps.measure) == ("steps", "count")
    assert figure_rows(steps) == [
        (STEP_LABELS["trusted-friend"], 2),
        (STEP_LABELS["shared-interest"], 1),
        (STEP_LABELS["supportive-family"], 0),
        (STEP_LABELS["structured-group"], 1),
        (STEP_LABELS["be-present"], 0),
        (own, 1),
    ]
    # trusted-friend: the first person's 8 and the second's own average (5 + 7) / 2 = 6, so (8 + 6) / 2.
    assert (confidence.id, confidence.measure, confidence.scale) == ("confidence", "average", 10)
    assert figure_rows(confidence) == [
        (STEP_LABELS["trusted-friend"], 7.0),
        (STEP_LABELS["shared-interest"], 7.0),
        (own, 4.0),
    ]
    assert all("group" in figure.title for figure in (steps, confidence))


def test_group_figures_leave_out_confidence_when_none_was_given():
    figures = group_figures([{"steps": [{"what": "be-present"}]}])
    assert [figure.id for figure in figures] == ["steps"]


def test_group_figures_never_show_what_someone_wrote():
    step = {field: SENTINEL for field in ("own_text", "who", "when", "obstacle", "plan")}
    shared = [
        {"steps": [{**step, "what": "own-step", "confidence": 9}, {**step, "what": "trusted-friend"}]},
        {"steps": [{"what": SENTINEL}], SENTINEL: SENTINEL},
    ]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert len(figures) == 2
    assert not [text for text in words if "Sam" in text or "<" in text]


# Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
@pytest.mark.parametrize(
    "shared", [[{"steps": []}], [{"steps": [{"who": "Sam", "confidence": 5}]}], [{"steps": [1]}]]
)
def test_group_figures_are_empty_without_a_chosen_step(shared):
    assert group_figures(shared) == []


# --- the take-home workbook and the paper worksheet --------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"


def test_report_blocks_give_the_card_as_the_page_words_it():
    saved = {
        "steps": [
            make_step(
                SPEC,
                what=OWN,
                own_text=TYPED,
                who=TYPED,
                when="Saturday",
                confidence=9,
                obstacle="Rain",
                plan=TYPED,
            ).as_dict(),
            Step().as_dict(),
            make_step(SPEC, what=FRIEND, confidence="4").as_dict(),
        ]
    }
    blocks = report_blocks(saved)
    card = SPEC.card
    assert isinstance(blocks[0], Card)
    assert blocks[0].title == "My small steps" == card.heading
    assert blocks[0].lines == (
        "Step 1",
        f"My step: {TYPED}",
        f"Who or where: {TYPED}",
        "When: Saturday",
        "How sure I feel: 9 out of 10",
        "What might get in the way: Rain",
        f"My plan for that: {TYPED}",
        "Step 3",
        f"My step: {SPEC.what.options[0].label}",
        "How sure I feel: 4 out of 10",
        f"“{card.article_words}” ({card.article_source})",
        card.article_meaning,
    )
    # Only step 3 is below 7: the page's prompt to make it smaller, with its ideas.
    assert blocks[1:] == [
        Paragraph(f"Step 3: {SPEC.confidence.smaller_prompt}"),
        Bullets(tuple(SPEC.confidence.smaller_ideas)),
    ]
    assert blocks[1].text.startswith("Step 3: Thank you for being honest.")


def test_report_blocks_keep_typed_text_unescaped():
    saved = {"steps": [make_step(SPEC, what=OWN, own_text=TYPED, who=TYPED).as_dict()]}
    (card,) = report_blocks(saved)
    assert f"My step: {TYPED}" in card.lines
    assert f"Who or where: {TYPED}" in card.lines
    assert not any("&amp;" in line or "&lt;" in line for line in card.lines)


def test_report_blocks_prompt_each_step_below_7_and_no_other():
    saved = {"steps": [{"confidence": 6}, {"confidence": 7}, {"confidence": 0}]}
    prompts = [block.text for block in report_blocks(saved) if isinstance(block, Paragraph)]
    assert prompts == [
        f"Step 1: {SPEC.confidence.smaller_prompt}",
        f"Step 3: {SPEC.confidence.smaller_prompt}",
    ]


def test_feedback_blocks_list_each_filled_step_under_its_number_and_the_take_home_card_says_the_same():
    steps = [
        make_step(SPEC, what=OWN, own_text=TYPED, when="Saturday", confidence=4),
        Step(),
        make_step(SPEC, what=FRIEND, who="  "),
    ]
    card = SPEC.card
    blocks = feedback_blocks(SPEC, steps)
    assert blocks == [
        Heading(card.heading, style="steps-card-title"),
        Heading("Step 1", level=4),
        Bullets(
            (TYPED, "Saturday", card.confidence_value.format(value=4)),
            leads=(f"{card.what_label}:", f"{card.when_label}:", f"{card.confidence_label}:"),
            style="step-summary",
        ),
        # The empty second step is left out; the third keeps its number, without the blank "who".
        Heading("Step 3", level=4),
        Bullets((SPEC.what.options[0].label,), leads=(f"{card.what_label}:",), style="step-summary"),
        Quote(card.article_words, card.article_source),
        Paragraph(card.article_meaning),
    ]
    # The take-home's card is the same blocks, one line each.
    saved = {"steps": [step.as_dict() for step in steps]}
    assert report_blocks(saved)[0] == Card(
        card.heading,
        (
            "Step 1",
            f"{card.what_label}: {TYPED}",
            f"{card.when_label}: Saturday",
            f"{card.confidence_label}: {card.confidence_value.format(value=4)}",
            "Step 3",
            f"{card.what_label}: {SPEC.what.options[0].label}",
            f"“{card.article_words}” ({card.article_source})",
            card.article_meaning,
        ),
    )


def test_feedback_blocks_without_a_filled_step_say_so():
    card = SPEC.card
    assert (
        feedback_blocks(SPEC, [Step()])
        == feedback_blocks(SPEC, [])
        == [
            Heading(card.heading, style="steps-card-title"),
            Paragraph(card.empty),
            Quote(card.article_words, card.article_source),
            Paragraph(card.article_meaning),
        ]
    )


# Any section's empty or unreadable saved answers: tests/sections/test_every_section.py.
@pytest.mark.parametrize(
    "saved",
    [
        {"steps": []},
        {"steps": [Step().as_dict(), {"who": "   "}]},
        {"steps": "Sam"},
        {"steps": [{"what": "gone-option"}, {"confidence": 11}, {"confidence": True}, ["who"]]},
        {"steps": [{"who": ["not text"]}, {"what": ["unhashable"]}, {1: 2, "who": "x"}, "not a step"]},
        ["not", "a", "mapping"],
    ],
)
def test_report_blocks_are_empty_without_a_usable_step(saved):
    assert report_blocks(saved) == []


def test_report_blocks_skip_tampered_steps_and_keep_the_others_places():
    saved = {
        "steps": [{"what": "<script>"}, {"who": "x" * 500}, {"who": "Sam", "confidence": 8}, {"who": "4th"}]
    }
    (card,) = report_blocks(saved)
    assert card.lines[:2] == ("Step 3", "Who or where: Sam")
    assert not any("4th" in line or "<script>" in line for line in card.lines)


def test_worksheet_offers_every_step_idea_and_a_box_per_step():
    blocks = worksheet_blocks()
    words = SPEC.worksheet
    assert blocks[0] == Paragraph(words.intro)
    (ideas,) = [block for block in blocks if isinstance(block, Checklist)]
    assert ideas.question == words.ideas_question
    assert ideas.options == tuple(option.label for option in [*SPEC.what.options, SPEC.what.own_option])
    headings = [block.text for block in blocks if isinstance(block, Heading)]
    assert headings == [SPEC.step_heading.format(number=n) for n in range(1, SPEC.max_steps + 1)]
    scales = [block for block in blocks if isinstance(block, Scale)]
    assert len(scales) == SPEC.max_steps
    for scale in scales:
        assert scale.question == SPEC.confidence.question
        assert scale.options == tuple(str(n) for n in range(11))
    labels = [block.label for block in blocks if isinstance(block, WriteIn)]
    for field in (SPEC.who, SPEC.when, SPEC.obstacle, SPEC.plan):
        assert labels.count(f"{field.label} ({field.hint})") == SPEC.max_steps
    assert labels.count(SPEC.what.question) == SPEC.max_steps
    texts = " ".join(block.text for block in blocks if isinstance(block, Paragraph))
    assert words.smaller_intro.format(below=7) in texts
    assert SPEC.confidence.smaller_prompt in texts
    assert SPEC.card.article_words in texts
    assert Bullets(tuple(SPEC.confidence.smaller_ideas)) in blocks
