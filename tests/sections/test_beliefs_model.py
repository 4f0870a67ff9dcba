"""Section 2's model: the beliefs held most strongly, and its content file."""

from __future__ import annotations

import pytest
from conftest import figure_words

from widgets import load_content
from widgets.blocks import Heading, Pairs, Paragraph, Quote, Scale, Table, WriteIn
from widgets.content_files import Unit, counted, load_activity_content
from widgets.sections.beliefs.model import (
    BeliefsContent,
    group_figures,
    report_blocks,
    strongest_beliefs,
    worksheet_blocks,
)
from widgets.take_home.export import document_blocks

CONTENT = load_content()
SPEC = load_activity_content("beliefs", BeliefsContent)
IDS = [statement.id for statement in SPEC.statements]


def test_content_loads():
    assert 6 <= len(SPEC.statements) <= 8
    assert [option.score for option in SPEC.options] == [1, 2, 3, 4, 5]


def test_nothing_answered():
    result = strongest_beliefs(SPEC, {})
    assert (result.answered, result.total, result.strongest, result.more) == (0, len(IDS), (), 0)


def test_strongest_first_then_in_asked_order():
    answers = {IDS[0]: "agree", IDS[1]: "strongly-agree", IDS[2]: "agree", IDS[3]: "not-sure"}
    result = strongest_beliefs(SPEC, answers)
    assert [s.id for s in result.strongest] == [IDS[1], IDS[0], IDS[2]]
    assert result.answered == 4
    assert result.more == 0


def test_at_most_max_shown_and_the_rest_counted():
    result = strongest_beliefs(SPEC, dict.fromkeys(IDS, "agree"))
    assert len(result.strongest) == SPEC.max_shown
    assert result.more == len(IDS) - SPEC.max_shown


def test_disagreeing_and_not_sure_are_not_strong():
    answers = {IDS[0]: "strongly-disagree", IDS[1]: "disagree", IDS[2]: "not-sure"}
    result = strongest_beliefs(SPEC, answers)
    assert result.strongest == ()
    assert result.answered == 3


def test_skips_are_not_answers():
    result = strongest_beliefs(SPEC, {IDS[0]: None, IDS[1]: "agree"})
    assert result.answered == 1
    assert [s.id for s in result.strongest] == [IDS[1]]


@pytest.mark.parametrize(
    ("answers", "problem"), [({"nope": "agree"}, "no belief"), ({IDS[0]: "yes"}, "not one")]
)
def test_unknown_ids_are_refused(answers, problem):
    with pytest.raises(ValueError, match=problem):
        strongest_beliefs(SPEC, answers)


def _two_statements_alike_and_one_without_its_reframe(data):
    data["statements"][1]["id"] = data["statements"][0]["id"]
    del data["statements"][2]["reframe"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            _two_statements_alike_and_one_without_its_reframe,
            "beliefs.yaml: statements.2.reframe: Field required",
        ),
        (lambda d: d["group"]["agreement"].update(unit="of {most}"), "unknown placeholder"),
        (lambda d: d["group"]["agree"].pop("title"), "group.agree.title"),
        (lambda d: d["worksheet"].pop("reading"), "worksheet.reading: Field required"),
        (lambda d: d["worksheet"].update(score="yes"), "Extra inputs are not permitted"),
        (lambda d: d["report"].update(belief_header=""), "report.belief_header"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal(
        "beliefs", change, lambda folder: load_activity_content("beliefs", BeliefsContent, folder)
    )


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"
TEXTS = [statement.text for statement in SPEC.statements]


def _rows(figure) -> list[tuple[str, float]]:
    return [(row.label, row.value) for row in figure.rows]


def test_group_figures_average_agreement_and_count_who_agrees():
    shared = [
        {"answers": {"weakness": "strongly-agree", "burden": "agree", "push-through": "disagree"}},
        {"answers": {"weakness": "not-sure", "burden": "strongly-disagree"}},
        # Tampered or skipped answers count nowhere; "weakness" still counts.
        {
            "answers": {
                "weakness": "agree",
                "grown-up": None,
                "burden": "maybe",
                "push-through": 4,
                "gone": "agree",
            }
        },
        {"answers": ["weakness"]},
        "not a mapping",
    ]
    agreement, agree = group_figures(shared)
    assert (agreement.id, agreement.measure, agreement.scale, agreement.unit) == (
        "agreement",
        "average",
        5,
        Unit("out of 5"),
    )
    # weakness: (5 + 3 + 4) / 3 = 4; burden: (4 + 1) / 2 = 2.5; push-through: 2; the rest nobody rated.
    assert _rows(agreement) == [(TEXTS[0], 4.0), (TEXTS[1], 2.5), (TEXTS[2], 2.0)]
    # Agree or strongly agree (score 4 or 5): weakness 5 and 4, burden 4.
    assert (agree.id, agree.measure) == ("agree", "count")
    assert _rows(agree) == [(TEXTS[0], 2), (TEXTS[1], 1), *((text, 0) for text in TEXTS[2:])]
    assert all("group" in figure.title for figure in (agreement, agree))


def test_group_figures_never_show_what_someone_sent():
    shared = [{"answers": {"weakness": "agree", SENTINEL: "agree", "burden": SENTINEL}, SENTINEL: SENTINEL}]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert words
    assert not [text for text in words if "Sam" in text or "<" in text]


def test_group_figures_leave_out_answers_that_are_not_choices():
    # Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
    assert group_figures([{"answers": {"weakness": 5}}]) == []


# --- the take-home workbook and the paper worksheet ------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"
LABELS = {option.id: option.label for option in SPEC.options}


def test_report_blocks_give_the_strongest_beliefs_with_their_reframes_and_the_answers(
    bars_with_tables, block_texts
):
    answers = {"weakness": "agree", "burden": "strongly-agree", "surface": "disagree", "grown-up": None}
    blocks = report_blocks({"answers": answers})
    by_id = {statement.id: statement for statement in SPEC.statements}
    assert blocks[0] == Paragraph(SPEC.answered_line.format(answered=3, total=len(IDS)))
    reframes = Pairs(
        (
            (f"“{by_id['burden'].text}”", by_id["burden"].reframe),
            (f"“{by_id['weakness'].text}”", by_id["weakness"].reframe),
        ),
        style="reframes",
    )
    assert blocks[1:5] == [
        Heading(SPEC.strongest_heading, style="band-title"),
        Paragraph(SPEC.strongest_intro),
        reframes,
        Quote(SPEC.article_words, SPEC.article_source),
    ]
    assert by_id["surface"].reframe not in block_texts(blocks)
    # As the take-home prints them: each belief in bold with its reframe under it, then the quote.
    printed = document_blocks(blocks, CONTENT.crisis)
    assert printed[1:8] == [
        Heading(SPEC.strongest_heading, style="band-title"),
        Paragraph(SPEC.strongest_intro),
        Paragraph(f"“{by_id['burden'].text}”", style="strong"),
        Paragraph(by_id["burden"].reframe),
        Paragraph(f"“{by_id['weakness'].text}”", style="strong"),
        Paragraph(by_id["weakness"].reframe),
        Paragraph(f"“{SPEC.article_words}” ({SPEC.article_source})", style="quiet"),
    ]
    table = blocks[-1]
    assert isinstance(table, Table)
    assert table.headers == (SPEC.report.belief_header, SPEC.report.answer_header)
    assert table.rows == (
        (by_id["weakness"].text, "Agree"),
        (by_id["burden"].text, "Strongly agree"),
        (by_id["surface"].text, "Disagree"),
    )
    bars_with_tables(blocks)


def test_report_blocks_count_the_rest_and_say_when_none_is_strong(block_texts):
    many = report_blocks({"answers": dict.fromkeys(IDS, "agree")})
    assert (
        Paragraph(counted(SPEC.more_line, len(IDS) - SPEC.max_shown, count=len(IDS) - SPEC.max_shown)) in many
    )
    none = report_blocks({"answers": {"weakness": "not-sure"}})
    assert Paragraph(SPEC.none_strong) in none
    assert SPEC.strongest_heading not in block_texts(none)
    assert not [block for block in none if isinstance(block, Pairs)]
    assert Quote(SPEC.article_words, SPEC.article_source) in none


def test_report_blocks_skip_tampered_answers(block_texts):
    saved = {"answers": {"weakness": "agree", "burden": 5, TYPED: "agree", "surface": TYPED, "gone": "agree"}}
    blocks = report_blocks({**saved, TYPED: TYPED})
    assert blocks[-1].rows == ((SPEC.statements[0].text, "Agree"),)
    assert not [text for text in block_texts(blocks) if "Sam" in text or "<" in text]
    # Nothing usable left: no blocks (any section's empty or unreadable row: test_every_section.py).
    assert report_blocks({"answers": ["weakness"]}) == []
    assert report_blocks({"answers": {"weakness": None}}) == []


def test_worksheet_has_every_belief_answer_and_reframe(block_texts):
    blocks = worksheet_blocks()
    scales = [block for block in blocks if isinstance(block, Scale)]
    assert [scale.question for scale in scales] == [
        f"{number}. {statement.text}" for number, statement in enumerate(SPEC.statements, start=1)
    ]
    assert all(scale.options == tuple(LABELS.values()) for scale in scales)
    texts = block_texts(blocks)
    for statement in SPEC.statements:
        assert statement.reframe in texts
    assert SPEC.worksheet.instructions in texts
    assert isinstance(blocks[-1], WriteIn)
