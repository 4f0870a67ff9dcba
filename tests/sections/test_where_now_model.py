"""Section 9's model: comparing the check-in with section 1's, and its content file."""

from __future__ import annotations

import pytest
from conftest import figure_rows, figure_words

from widgets import load_content
from widgets.answers import AnswerBook
from widgets.blocks import Bars, Bullets, Checklist, Figure, Heading, Paragraph, Scale, Table, WriteIn
from widgets.content_files import load_activity_content
from widgets.registry import SECTIONS
from widgets.sections.checkin.model import load_checkin_content
from widgets.sections.where_now.model import (
    WhereNowContent,
    compare_checkins,
    feedback_blocks,
    group_figures,
    report_blocks,
    summary_lines,
    worksheet_blocks,
)
from widgets.summary import summarise
from widgets.take_home.export import document_blocks

CONTENT = load_content()
CHECKIN = load_checkin_content()
CRISIS = CONTENT.crisis
SPEC = load_activity_content("where_now", WhereNowContent)
ITEMS = [item.id for item in CHECKIN.items]


def _all(option: str) -> dict[str, str]:
    return dict.fromkeys(ITEMS, option)


def test_lighter():
    comparison = compare_checkins(CHECKIN, _all("often"), _all("some-of-the-time"), SPEC.same_within)
    assert (comparison.before_average, comparison.now_average, comparison.change) == (3, 2, "lighter")


def test_heavier():
    comparison = compare_checkins(CHECKIN, _all("hardly-ever"), _all("often"), SPEC.same_within)
    assert comparison.change == "heavier"


def test_about_the_same_within_the_margin():
    before = _all("some-of-the-time")
    now = {**before, ITEMS[0]: "often"}  # average 2.17, within 0.25 of 2
    assert compare_checkins(CHECKIN, before, now, SPEC.same_within).change == "same"


def test_skipped_questions_do_not_move_the_average():
    before = {ITEMS[0]: "often", ITEMS[1]: "often", ITEMS[2]: "often"}
    now = {**_all("often"), ITEMS[5]: None}
    comparison = compare_checkins(CHECKIN, before, now, SPEC.same_within)
    assert (comparison.before_average, comparison.now_average, comparison.change) == (3, 3, "same")
    assert comparison.items[3].before is None
    assert comparison.items[3].now == "Often"
    assert comparison.items[5].now is None


def test_too_few_answers_either_time_gives_nothing_to_compare():
    assert compare_checkins(CHECKIN, {ITEMS[0]: "often"}, _all("often"), SPEC.same_within) is None
    assert compare_checkins(CHECKIN, _all("often"), {ITEMS[0]: "often"}, SPEC.same_within) is None


def test_unknown_answers_are_refused():
    with pytest.raises(ValueError, match="not one of the answers"):
        compare_checkins(CHECKIN, _all("always"), _all("often"), SPEC.same_within)


def test_summary_lines_name_the_band_and_the_patterns():
    saved = {"answers": _all("hardly-ever"), "patterns": ["keep-busy", "unknown"], "own_words": "I hide."}
    lines = summary_lines(saved)
    assert lines[0] == f"{SPEC.now_label}: {CHECKIN.bands[0].title}"
    assert "I keep busy instead of reaching out" in lines
    assert lines[-1] == "I hide."
    assert not any("unknown" in line for line in lines)


def test_summarise_walks_every_section_in_order():
    book = AnswerBook()
    book.save("hidden-weight", {"answers": _all("often")})
    book.save("handling-it-alone", {"answers": {"weakness": "strongly-agree"}})
    summaries = summarise(CONTENT, book, SECTIONS)
    assert [s.section.number for s in summaries] == list(range(1, 10))
    assert CHECKIN.bands[-1].title in summaries[0].lines
    assert "“Needing help from other people is a sign of weakness.”" in summaries[1].lines
    assert summaries[2].lines == ()


def test_summarise_reads_tampered_answers_without_stopping():
    """Section 9's page summarises every section: data from an older or tampered page must not stop it."""
    book = AnswerBook()
    book.save("hidden-weight", {"answers": {**_all("often"), "left-out": "always", "gone": "often"}})
    book.save("handling-it-alone", {"answers": {"weakness": "strongly-agree", "burden": 5, "gone": "agree"}})
    book.save("small-steps", {"steps": None})
    # Odd entries inside a row that has the section's shape: the ones that fit still count.
    book.save("looking-ahead", {"answers": {"x": 5}, "patterns": ["keep-busy", {"x": 1}, "gone"]})
    summaries = {s.section.slug: s.lines for s in summarise(CONTENT, book, SECTIONS)}
    assert CHECKIN.bands[-1].title in summaries["hidden-weight"]  # five answers that still fit
    assert "“Needing help from other people is a sign of weakness.”" in summaries["handling-it-alone"]
    assert summaries["small-steps"] == ()
    assert summaries["looking-ahead"] == ("I keep busy instead of reaching out",)
    # A row without the section's shape (its answers are not a mapping) is skipped whole, and logged.
    book.save(
        "looking-ahead",
        {"answers": "often", "patterns": ["keep-busy", {"x": 1}, "gone"], "own_words": ["not text"]},
    )
    summaries = {s.section.slug: s.lines for s in summarise(CONTENT, book, SECTIONS)}
    assert summaries["looking-ahead"] == ()
    assert CHECKIN.bands[-1].title in summaries["hidden-weight"]


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"
PATTERN_LABELS = [option.label for option in SPEC.patterns.options]


def test_group_figures_count_todays_bands_and_the_patterns_noticed():
    shared = [
        {"answers": _all("often"), "patterns": ["keep-busy", "more-support"], "own_words": SENTINEL},
        {
            "answers": {"left-out": "hardly-ever", "companionship": "hardly-ever", "unseen": "hardly-ever"},
            "patterns": ["keep-busy", "gone", "keep-busy", {"x": 1}],
        },
        {
            "answers": {"left-out": "often"},
            "patterns": "keep-busy",
            "own_words": SENTINEL,
        },  # too few; not a list
        {"answers": {"left-out": "always", "unseen": 3, "distant": ["often"]}},
        "not a mapping",
    ]
    bands, patterns = group_figures(shared)
    # 18 / 6 = 3.0 lands in the last band; 3 / 3 = 1.0 in the first; one answer is too few for a band.
    assert (bands.id, bands.measure) == ("bands", "count")
    assert figure_rows(bands) == [
        (CHECKIN.bands[0].title, 1),
        (CHECKIN.bands[1].title, 0),
        (CHECKIN.bands[2].title, 1),
    ]
    assert [option.id for option in SPEC.patterns.options][:1] == ["keep-busy"]
    more_support = [option.id for option in SPEC.patterns.options].index("more-support")
    expected = [0] * len(PATTERN_LABELS)
    expected[0], expected[more_support] = 2, 1
    assert (patterns.id, patterns.measure) == ("patterns", "count")
    assert figure_rows(patterns) == list(zip(PATTERN_LABELS, expected, strict=True))
    assert all("group" in figure.title for figure in (bands, patterns))


def test_group_figures_leave_out_what_no_one_gave():
    assert [f.id for f in group_figures([{"patterns": ["ready-for-a-step"]}])] == ["patterns"]
    assert [f.id for f in group_figures([{"answers": _all("hardly-ever"), "patterns": []}])] == ["bands"]


def test_group_figures_never_show_own_words():
    shared = [
        {
            "answers": {**_all("often"), SENTINEL: "often"},
            "patterns": ["keep-busy", SENTINEL],
            "own_words": SENTINEL,
        },
        {"answers": {"left-out": SENTINEL}, "own_words": "Sam", SENTINEL: SENTINEL},
    ]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert len(figures) == 2
    assert not [text for text in words if "Sam" in text or "<" in text]


def test_group_figures_are_empty_without_a_band_or_a_pattern():
    # Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
    assert group_figures([{"answers": {}, "patterns": [], "own_words": "Sam"}]) == []
    assert group_figures([{"answers": {"left-out": "often"}}]) == []  # too few answers for a band


# --- the take-home workbook and the paper worksheet ------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"
QUESTIONS = [item.text for item in CHECKIN.items]


def test_report_blocks_compare_with_section_1_in_words_chart_and_tables(bars_with_tables, block_texts):
    now = {"left-out": "some-of-the-time", "unseen": "hardly-ever", "distant": "often"}
    saved = {"answers": now, "patterns": ["keep-busy", "gone"], "own_words": TYPED}
    blocks = report_blocks(saved, baseline={"answers": _all("often")})
    texts = block_texts(blocks)
    # Today's reflection, as section 1's page words it: average 2, the middle band.
    assert blocks[0] == Heading(SPEC.retake_heading)
    assert Heading(CHECKIN.bands[1].title, style="band-title") in blocks
    assert CHECKIN.bands[1].meaning in texts
    assert Heading(SPEC.compare_heading, style="band-title") in blocks
    assert Paragraph(SPEC.compare_line.format(before="3", now="2")) in blocks
    assert Paragraph(SPEC.change_words.lighter) in blocks
    # As the take-home prints them: the chart, a table of its numbers, its caption, every answer.
    blocks = document_blocks(blocks, CRISIS)
    (chart,) = [block for block in blocks if isinstance(block, Bars)]
    assert [(bar.label, bar.value) for bar in chart.bars] == [(SPEC.before_label, 3), (SPEC.now_label, 2)]
    assert chart.bars[1].highlight
    assert [bar.note for bar in chart.bars] == ["", ""]  # the label says "Today" already, once
    assert bars_with_tables(blocks) == 1
    (answers,) = [
        block for block in blocks if isinstance(block, Table) and block.caption == SPEC.table_caption
    ]
    assert answers.headers == (CHECKIN.report.question_header, SPEC.before_label, SPEC.now_label)
    assert answers.rows[0] == (QUESTIONS[0], "Often", "Some of the time")
    assert answers.rows[1] == (QUESTIONS[1], "Often", SPEC.skipped_label)
    # The patterns ticked, and the own words exactly as typed: renderers escape, not the model.
    assert Bullets(("I keep busy instead of reaching out",)) in blocks
    assert Paragraph(TYPED) in blocks
    assert blocks[-2:] == [Heading(SPEC.look_ahead_heading), Paragraph(SPEC.look_ahead)]


def test_report_blocks_say_why_there_is_nothing_to_compare():
    now = {"answers": _all("hardly-ever")}
    for baseline in (None, {"answers": {"left-out": "often"}}, {"answers": "often"}, "not a mapping"):
        blocks = report_blocks(now, baseline=baseline)
        assert Paragraph(SPEC.no_baseline) in blocks
        assert not [block for block in blocks if isinstance(block, Bars)]
        # Today's answers are still there, as a table.
        assert (
            Table(
                CHECKIN.report.answers_caption,
                (CHECKIN.report.question_header, CHECKIN.report.answer_header),
                tuple((question, "Hardly ever") for question in QUESTIONS),
            )
            in blocks
        )
    too_few = report_blocks({"answers": {"left-out": "often"}}, baseline={"answers": _all("often")})
    assert Paragraph(SPEC.not_enough_now.format(needed=CHECKIN.min_answered_for_reflection - 1)) in too_few


def test_report_blocks_without_a_retake_keep_the_patterns_and_own_words(block_texts):
    blocks = report_blocks(
        {"patterns": ["more-support"], "own_words": TYPED}, baseline={"answers": _all("often")}
    )
    assert SPEC.compare_heading not in block_texts(blocks)
    assert Heading(SPEC.report.patterns_heading) in blocks
    assert TYPED in block_texts(blocks)


def test_report_blocks_skip_tampered_data(bars_with_tables, block_texts):
    saved = {
        "answers": {**_all("often"), "left-out": "always", "unseen": ["often"], TYPED: "often"},
        "patterns": ["keep-busy", {"x": 1}, TYPED],
        "own_words": ["not text", TYPED],
        TYPED: TYPED,
    }
    baseline = {"answers": {**_all("hardly-ever"), "distant": TYPED}, TYPED: 1}
    blocks = report_blocks(saved, baseline=baseline)
    assert Paragraph(SPEC.change_words.heavier) in blocks
    assert bars_with_tables(document_blocks(blocks, CRISIS)) == 1
    assert not [text for text in block_texts(blocks) if "Sam" in text or "<" in text]
    too_long = "x" * (SPEC.patterns.own_words_max + 1)
    assert too_long not in block_texts(report_blocks({"patterns": ["keep-busy"], "own_words": too_long}))


# Any section's empty or unreadable saved answers: tests/sections/test_every_section.py.
@pytest.mark.parametrize(
    "saved",
    [
        {"answers": {}, "patterns": [], "own_words": ""},
        {"answers": {"gone": "often"}, "patterns": ["gone"], "own_words": 3},
        {"answers": "often", "patterns": "keep-busy", "own_words": "   "},
    ],
)
def test_report_blocks_are_empty_without_usable_answers(saved):
    assert report_blocks(saved, baseline={"answers": _all("often")}) == []


def test_worksheet_has_every_question_answer_and_pattern(block_texts):
    blocks = worksheet_blocks()
    scales = [block for block in blocks if isinstance(block, Scale)]
    assert [scale.question for scale in scales] == [f"{n}. {text}" for n, text in enumerate(QUESTIONS, 1)]
    assert all(scale.options == tuple(option.label for option in CHECKIN.options) for scale in scales)
    (patterns,) = [block for block in blocks if isinstance(block, Checklist)]
    assert patterns.question == SPEC.patterns.question
    assert patterns.options == tuple(option.label for option in SPEC.patterns.options)
    assert WriteIn(SPEC.patterns.own_words_label, lines=3) in blocks
    texts = " ".join(block_texts(blocks))
    for words in (SPEC.change_words.lighter, SPEC.change_words.same, SPEC.change_words.heavier):
        assert words in texts
    assert "Hardly ever = 1, Some of the time = 2, Often = 3" in texts
    assert SPEC.worksheet.instructions in texts


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["group"]["bands"].pop("title"), "group.bands.title"),
        (lambda d: d["worksheet"].update(compare_steps="Add {points}."), "unknown placeholder"),
        (lambda d: d["worksheet"].update(same_if="Within {margin}:"), "unknown placeholder"),
        (lambda d: d["worksheet"].update(heavier_if=""), "worksheet.heavier_if"),
        (lambda d: d["report"].pop("when_header"), "report.when_header: Field required"),
    ],
)
def test_bad_group_worksheet_or_report_words_name_the_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("where_now", change)


def test_feedback_blocks_compare_in_words_and_a_figure_and_the_take_home_prints_the_same():
    now = {"left-out": "some-of-the-time", "unseen": "hardly-ever", "distant": "often"}
    baseline = {"answers": _all("often")}
    heading, line, change, figure = feedback_blocks(CHECKIN, SPEC, now, baseline)
    assert heading == Heading(SPEC.compare_heading, style="band-title")
    compare_line = SPEC.compare_line.format(before="3", now="2")
    assert (line, change) == (Paragraph(compare_line), Paragraph(SPEC.change_words.lighter))
    assert isinstance(figure, Figure)
    # On the page, the chart's text alternative says the averages in words, then every answer.
    assert figure.table_lead == compare_line
    assert figure.table.rows[0] == (QUESTIONS[0], "Often", "Some of the time")
    assert figure.chart.max_value == max(option.score for option in CHECKIN.options)
    assert figure.document_table.rows == ((SPEC.before_label, "3"), (SPEC.now_label, "2"))
    # The take-home: the same blocks, then the chart's caption and every answer then and now.
    report = report_blocks({"answers": now}, baseline=baseline)
    assert report[report.index(heading) :] == [
        heading,
        line,
        change,
        figure,
        Paragraph(SPEC.chart_caption, style="quiet"),
        figure.table,
        Heading(SPEC.look_ahead_heading),
        Paragraph(SPEC.look_ahead),
    ]


@pytest.mark.parametrize(
    ("now", "baseline", "why"),
    [
        (_all("often"), None, SPEC.no_baseline),
        ({}, None, SPEC.no_baseline),
        (_all("often"), {"answers": {"left-out": "often"}}, SPEC.no_baseline),
        (_all("often"), {"answers": "often"}, SPEC.no_baseline),
        (
            {"left-out": "often", "unseen": None},
            {"answers": _all("often")},
            SPEC.not_enough_now.format(needed=CHECKIN.min_answered_for_reflection - 1),
        ),
    ],
)
def test_feedback_blocks_say_why_there_is_nothing_to_compare(now, baseline, why):
    blocks = feedback_blocks(CHECKIN, SPEC, now, baseline)
    assert blocks == [Heading(SPEC.compare_heading, style="band-title"), Paragraph(why)]
