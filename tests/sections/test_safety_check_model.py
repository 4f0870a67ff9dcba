"""Section 6's relationship profile (the model, no widgets) and its content file."""

from __future__ import annotations

import pytest
from conftest import figure_words

from widgets import load_content
from widgets.blocks import (
    Bars,
    Bullets,
    Figure,
    Heading,
    Invitation,
    Paragraph,
    Part,
    Quote,
    Scale,
    Table,
    WriteIn,
)
from widgets.content_files import Unit
from widgets.sections.safety_check.model import (
    clean_label,
    group_figures,
    load_safety_check_content,
    profile,
    report_blocks,
    summary_lines,
    worksheet_blocks,
)
from widgets.sections.safety_check.view import build
from widgets.take_home.export import document_blocks

CRISIS = load_content().crisis
SPEC = load_safety_check_content()
QUALITIES = [quality.id for quality in SPEC.qualities]


def _ratings(*choices: str | None) -> dict[str, str | None]:
    return dict(zip(QUALITIES, choices, strict=True))


def test_shipped_content_covers_the_five_qualities_on_a_five_step_scale():
    assert QUALITIES == ["consistency", "respect", "honesty", "being-yourself", "disagreement"]
    assert [option.id for option in SPEC.options] == ["never", "rarely", "sometimes", "often", "always"]
    assert SPEC.name_max_length == 40
    assert "does not mean the absence of disagreement" in SPEC.disagreement_article_words


def test_nothing_answered():
    result = profile(SPEC, "", {})
    assert result.answered == 0
    assert result.relationship is None
    assert (result.strengths, result.growing, result.low, result.care_note) == ([], [], [], False)
    assert [rating.step for rating in result.ratings] == [0] * 5


def test_often_and_always_are_strengths_the_rest_are_growing():
    result = profile(SPEC, "  Sam  ", _ratings("always", "rarely", "sometimes", "often", None))
    assert result.relationship == "Sam"
    assert [q.id for q in result.strengths] == ["consistency", "being-yourself"]
    assert [q.id for q in result.growing] == ["respect", "honesty"]
    assert [q.id for q in result.low] == ["respect"]
    assert [rating.step for rating in result.ratings] == [5, 2, 3, 4, 0]
    assert result.answered == 4
    assert not result.care_note


@pytest.mark.parametrize(
    ("choices", "care"),
    [
        (("never", "rarely", "never", "often", "always"), True),
        (("never", "never", "never", "never", "never"), True),
        (("rarely", "rarely", None, None, None), False),
        (("never", "rarely", "sometimes", "sometimes", "often"), False),
    ],
)
def test_a_calm_care_note_when_most_qualities_are_rarely_or_never_there(choices, care):
    assert profile(SPEC, "", _ratings(*choices)).care_note is care


@pytest.mark.parametrize(
    ("ratings", "problem"),
    [
        ({"consistency": "sometimes-maybe"}, "not one of the answers"),
        ({"consistency": "<img src=x>"}, "not one of the answers"),
        ({"height": "often"}, "no quality called"),
    ],
)
def test_unknown_qualities_and_answers_are_refused(ratings, problem):
    with pytest.raises(ValueError, match=problem):
        profile(SPEC, "", ratings)


def test_the_label_is_trimmed_and_limited():
    assert clean_label(SPEC, "   ") is None
    assert clean_label(SPEC, "<b>Jo</b>") == "<b>Jo</b>"  # kept as text; escaped where shown
    with pytest.raises(ValueError, match="up to 40 characters"):
        clean_label(SPEC, "x" * 41)
    with pytest.raises(ValueError, match="one line"):
        clean_label(SPEC, "Jo\nSam")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("care_note"), "care_note: Field required"),
        (
            lambda d: d["qualities"][1].update(id="consistency"),
            "qualities: Value error, every quality needs its own id",
        ),
        (lambda d: d["options"][0].update(standing="bad"), "options.0.standing"),
        (lambda d: d["options"].reverse(), "from its low answers"),
        (lambda d: [o.update(standing="middle") for o in d["options"] if o["standing"] == "low"], "one low"),
        (lambda d: d.update(care_note_when_low_at_least=6), "more than the number of qualities"),
        (lambda d: d.update(chart_title="About {person}"), "unknown placeholder"),
        (lambda d: d.update(name_max_length=0), "name_max_length"),
        (lambda d: d.update(grade="A"), "grade: Extra inputs are not permitted"),
        (lambda d: d["group"]["strengths"].pop("unit"), "group.strengths.unit"),
        (lambda d: d["worksheet"].update(reading="Strong: {strong}"), "unknown placeholder"),
        (lambda d: d["worksheet"].update(reflect_lines=0), "worksheet.reflect_lines"),
        (lambda d: d["worksheet"].pop("reflect_label"), "worksheet.reflect_label"),
        (lambda d: d["worksheet"].update(score="A"), "worksheet.score"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("safety_check", change, load_safety_check_content)


# --- the summary's lines ----------------------------------------------------------

SLUG = "safe-relationships"
BY_ID = {quality.id: quality for quality in SPEC.qualities}


def _rate_on_the_page(activity, **choices: str) -> None:
    for quality_id, choice in choices.items():
        activity.questions[quality_id.replace("_", "-")].set_state({"value": choice})


def test_summary_lines_name_the_strengths_with_the_label_as_typed(book):
    activity = build(load_content())
    activity.relationship.set_state({"value": "Aunt <Rosa> & co"})
    _rate_on_the_page(
        activity, consistency="often", respect="always", honesty="sometimes", being_yourself="rarely"
    )
    assert summary_lines(book.load(SLUG)) == [
        "What feels safe with Aunt <Rosa> & co: "  # as typed: the summary page escapes it
        f"{BY_ID['consistency'].strength_words} {BY_ID['respect'].strength_words}",
        f"{SPEC.growing_heading}: {BY_ID['honesty'].growing_words}; {BY_ID['being-yourself'].growing_words}",
    ]


def test_summary_lines_without_a_name_or_strengths_say_so_gently(book):
    activity = build(load_content())
    _rate_on_the_page(activity, honesty="never")
    assert summary_lines(book.load(SLUG)) == [
        SPEC.no_strengths_yet,
        f"{SPEC.growing_heading}: {BY_ID['honesty'].growing_words}",
    ]
    _rate_on_the_page(activity, honesty="often")
    assert summary_lines(book.load(SLUG)) == [
        SPEC.strengths_lead.format(relationship=SPEC.unnamed) + f" {BY_ID['honesty'].strength_words}"
    ]


def test_summary_lines_are_empty_when_nothing_was_rated(book):
    assert summary_lines({}) == []
    activity = build(load_content())
    activity.relationship.set_state({"value": "Jo"})  # a name alone rates nothing
    assert book.load(SLUG) == {"relationship": "Jo", "ratings": dict.fromkeys(QUALITIES)}
    assert summary_lines(book.load(SLUG)) == []


def test_summary_lines_leave_out_ids_the_content_no_longer_has():
    saved = {
        "relationship": "Jo",
        "ratings": {
            "kindness": "always",
            "respect": "very-often",
            "honesty": "often",
            "consistency": ["often"],
        },
    }
    assert summary_lines(saved) == [f"What feels safe with Jo: {BY_ID['honesty'].strength_words}"]
    assert summary_lines({"relationship": "Jo", "ratings": {"kindness": "always"}}) == []
    assert summary_lines({"relationship": None, "ratings": "not a mapping"}) == []
    # A name that no longer fits the content's limit is left out, not the strengths.
    assert summary_lines({"relationship": "x" * 41, "ratings": {"honesty": "often"}}) == [
        SPEC.strengths_lead.format(relationship=SPEC.unnamed) + f" {BY_ID['honesty'].strength_words}"
    ]


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"


def _rows(figure) -> list[tuple[str, float]]:
    return [(row.label, row.value) for row in figure.rows]


def test_group_figures_count_who_named_each_quality_a_strength():
    shared = [
        {
            "relationship": SENTINEL,
            "ratings": {"consistency": "always", "respect": "often", "honesty": "sometimes"},
        },
        {
            "relationship": "Mom",
            "ratings": {
                "consistency": "often",
                "respect": "never",
                "being-yourself": "always",
                "disagreement": "ALWAYS",  # not one of the answers
                "gone": "always",
            },
        },
        {"ratings": ["always"]},
        {"relationship": SENTINEL},
        "not a mapping",
    ]
    (strengths,) = group_figures(shared)
    assert (strengths.id, strengths.measure) == ("strengths", "count")
    # Often and always are strengths; sometimes, rarely and never are not.
    assert [quality.id for quality in SPEC.qualities] == [
        "consistency",
        "respect",
        "honesty",
        "being-yourself",
        "disagreement",
    ]
    shorts = [quality.short for quality in SPEC.qualities]
    assert _rows(strengths) == list(zip(shorts, [2, 1, 0, 1, 0], strict=True))
    assert "group" in strengths.title


def test_group_figures_never_show_the_relationships_name():
    shared = [
        {"relationship": SENTINEL, "ratings": {"respect": "always", SENTINEL: "always"}},
        {"relationship": "Sam", "ratings": {"honesty": SENTINEL}, SENTINEL: SENTINEL},
    ]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert words
    assert not [text for text in words if "Sam" in text or "<" in text]


@pytest.mark.parametrize("shared", [[{"relationship": "Sam", "ratings": {}}], [{"ratings": {"respect": 5}}]])
def test_group_figures_are_empty_without_usable_ratings(shared):
    # Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
    assert group_figures(shared) == []


# --- the take-home workbook and the paper worksheet --------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"  # typed by a participant: must stay exactly this, never escaped


def _answer_cell(bar, chart) -> str:
    """A rated quality's answer cell: its word and its bar's number, e.g. "Often (4 of 5)"."""
    return f"{bar.note} ({bar.value:g} {chart.unit.other})"


PROFILED = {"relationship": TYPED, "ratings": _ratings("always", "rarely", None, "often", "sometimes")}


def test_report_blocks_show_the_profile_the_picture_and_the_disagreement_point():
    blocks = report_blocks(PROFILED)
    assert blocks[0] == Heading(SPEC.profile_heading.format(relationship=TYPED), style="profile-heading")
    strengths, growing, figure = blocks[1:4]
    assert strengths == Part(
        (
            Heading(SPEC.strengths_heading, level=4),
            Paragraph(SPEC.strengths_lead.format(relationship=TYPED)),
            Bullets((BY_ID["consistency"].strength_words, BY_ID["being-yourself"].strength_words)),
        ),
        style="strengths",
        tag="div",
    )
    assert growing == Part(
        (
            Heading(SPEC.growing_heading, level=4),
            Paragraph(SPEC.growing_lead),
            Bullets((BY_ID["respect"].growing_words, BY_ID["disagreement"].growing_words)),
        ),
        style="growing",
        tag="div",
    )
    assert isinstance(figure, Figure)
    assert figure.caption == SPEC.chart_caption
    # The page's table gives each answer's word; the document's its bar's number too.
    assert figure.table.rows[0] == ("Being steady", "Always", "Yes")
    assert blocks[4:] == [
        Paragraph(SPEC.disagreement_point, style="disagreement"),
        Quote(SPEC.disagreement_article_words, SPEC.article_label),
    ]


def test_report_blocks_print_the_profile_as_the_page_shows_it(bars_with_tables, block_texts):
    """As the take-home prints them: no page-only kinds or styles, the chart followed by its table."""
    blocks = report_blocks(PROFILED)
    figure = blocks[3]
    assert isinstance(figure, Figure)
    printed = document_blocks(blocks, CRISIS)
    assert not [block for block in printed if isinstance(block, (Part, Figure, Quote, Invitation))]
    texts = block_texts(printed)
    assert SPEC.strengths_lead.format(relationship=TYPED) in texts
    assert [block.text for block in printed if isinstance(block, Heading)] == [
        SPEC.profile_heading.format(relationship=TYPED),
        SPEC.strengths_heading,
        SPEC.growing_heading,
    ]
    assert Bullets((BY_ID["consistency"].strength_words, BY_ID["being-yourself"].strength_words)) in printed
    assert SPEC.growing_lead in texts
    assert Bullets((BY_ID["respect"].growing_words, BY_ID["disagreement"].growing_words)) in printed
    (bars,) = [block for block in printed if isinstance(block, Bars)]
    assert bars == figure.chart
    assert bars.title == SPEC.chart_title.format(relationship=TYPED)
    assert (bars.unit, bars.max_value) == (Unit("of 5"), 5)
    assert [(bar.label, bar.value, bar.highlight, bar.note) for bar in bars.bars] == [
        ("Being steady", 5, True, "Always"),
        ("Respect", 2, False, "Rarely"),
        ("Being yourself", 4, True, "Often"),
        ("Disagreeing well", 3, False, "Sometimes"),
    ]
    assert bars_with_tables(printed, cell=_answer_cell, skip={SPEC.not_answered}) == 1
    table = printed[printed.index(bars) + 1]
    assert isinstance(table, Table)
    assert table == figure.document_table
    assert table.caption == SPEC.table_caption
    assert table.rows[2] == ("Honesty", SPEC.not_answered, "")  # skipped: in the table, not the chart
    assert [row[2] for row in table.rows] == ["Yes", "Not yet", "", "Yes", "Not yet"]
    assert printed[-2:] == [
        Paragraph(SPEC.disagreement_point),
        Paragraph(f"“{SPEC.disagreement_article_words}” ({SPEC.article_label})", style="quiet"),
    ]
    assert SPEC.care_note not in texts
    # What the participant typed is kept exactly, never escaped.
    assert sum(TYPED in text for text in texts) == 3  # heading, strengths lead, chart title
    assert not any("&amp;" in text or "&lt;" in text for text in texts)


def test_report_blocks_without_a_name_or_strengths_and_with_the_care_note(bars_with_tables, block_texts):
    blocks = report_blocks({"relationship": "", "ratings": _ratings("never", "rarely", "never", None, None)})
    texts = block_texts(blocks)
    assert blocks[0] == Heading(
        SPEC.profile_heading.format(relationship=SPEC.unnamed), style="profile-heading"
    )
    assert SPEC.no_strengths_yet in texts
    assert blocks[-1] == Invitation(SPEC.care_note, SPEC.care_note)
    # As the take-home prints it: the care note, then every crisis line.
    printed = document_blocks(blocks, CRISIS)
    assert printed[-2:] == [
        Paragraph(SPEC.care_note),
        Bullets(tuple(f"{line.name} ({line.region}): {line.how}" for line in CRISIS.lines)),
    ]
    assert bars_with_tables(printed, cell=_answer_cell, skip={SPEC.not_answered}) == 1


def test_report_blocks_skip_ids_the_content_no_longer_has(bars_with_tables):
    saved = {
        "relationship": "x" * 41,  # longer than the content allows now: spoken of as unnamed
        "ratings": {
            "kindness": "always",
            "respect": "very-often",
            "honesty": "often",
            "consistency": ["often"],
        },
    }
    blocks = report_blocks(saved)
    assert blocks[0] == Heading(
        SPEC.profile_heading.format(relationship=SPEC.unnamed), style="profile-heading"
    )
    printed = document_blocks(blocks, CRISIS)
    (bars,) = [block for block in printed if isinstance(block, Bars)]
    assert [bar.label for bar in bars.bars] == ["Honesty"]
    assert bars_with_tables(printed, cell=_answer_cell, skip={SPEC.not_answered}) == 1


@pytest.mark.parametrize(
    "saved",
    [
        {"relationship": TYPED, "ratings": {}},
        {"relationship": "Jo", "ratings": {"kindness": "always"}},
        {"relationship": None, "ratings": "not a mapping"},
        {"relationship": "Jo", "ratings": _ratings(None, None, None, None, None)},
    ],
)
def test_report_blocks_are_empty_when_nothing_was_rated(saved):
    assert report_blocks(saved) == []


def test_worksheet_blocks_ask_every_quality_with_every_answer(block_texts):
    blocks = worksheet_blocks()
    scales = [block for block in blocks if isinstance(block, Scale)]
    options = tuple(option.label for option in SPEC.options)
    assert scales == [
        Scale(f"{number}. {quality.question}", options) for number, quality in enumerate(SPEC.qualities, 1)
    ]
    write_ins = [block.label for block in blocks if isinstance(block, WriteIn)]
    assert write_ins == [f"{SPEC.name_label} {SPEC.name_hint}", SPEC.worksheet.reflect_label]
    texts = " ".join(block_texts(blocks))
    assert SPEC.worksheet.intro in texts
    assert SPEC.scale_lead in texts
    strengths = [option.label for option in SPEC.options if option.standing == "strength"]
    assert SPEC.worksheet.reading.format(strengths=", ".join(strengths)) in texts
    assert SPEC.disagreement_point in texts
    assert f"“{SPEC.disagreement_article_words}”" in texts
    assert "{" not in texts  # every placeholder filled in
