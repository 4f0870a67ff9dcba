"""Scoring of the connection check-in (the model, no widgets)."""

from __future__ import annotations

import pytest

from widgets import load_content
from widgets.blocks import Bullets, Heading, Invitation, Paragraph, Quote, Scale, Table, WriteIn
from widgets.content_files import Unit, counted
from widgets.sections.checkin.model import (
    group_figures,
    load_checkin_content,
    report_blocks,
    score_checkin,
    validate_answer,
    worksheet_blocks,
)
from widgets.take_home.export import document_blocks

CONTENT = load_content()
SPEC = load_checkin_content()
ITEMS = [item.id for item in SPEC.items]


def _answers(*choices: str | None) -> dict[str, str | None]:
    return dict(zip(ITEMS, choices, strict=True))


def test_nothing_answered():
    result = score_checkin(SPEC, {})
    assert (result.answered, result.total, result.score, result.band) == (0, 6, 0, None)
    assert result.needed == SPEC.min_answered_for_reflection


def test_all_hardly_ever_is_the_first_band():
    result = score_checkin(SPEC, _answers(*["hardly-ever"] * 6))
    assert (result.answered, result.score, result.lowest, result.highest) == (6, 6, 6, 18)
    assert result.band.id == "connected"
    assert result.needed == 0


def test_all_often_is_the_last_band_and_invites_support():
    result = score_checkin(SPEC, _answers(*["often"] * 6))
    assert result.score == 18
    assert result.band.id == "heavy-weight"
    assert result.band.invite_support


@pytest.mark.parametrize(
    ("choices", "band"),
    [
        # average 1.5: still the first band (up to and including 1.5)
        (["hardly-ever"] * 3 + ["some-of-the-time"] * 3, "connected"),
        # average 1.67
        (["hardly-ever"] * 2 + ["some-of-the-time"] * 4, "some-distance"),
        # average 2.17
        (["some-of-the-time"] * 5 + ["often"], "some-distance"),
        # average 2.33
        (["some-of-the-time"] * 4 + ["often"] * 2, "heavy-weight"),
    ],
)
def test_band_edges(choices, band):
    assert score_checkin(SPEC, _answers(*choices)).band.id == band


def test_skipped_items_do_not_count_against_anyone():
    result = score_checkin(SPEC, _answers("often", None, "often", None, "often", None))
    assert (result.answered, result.score, result.lowest, result.highest) == (3, 9, 3, 9)
    assert result.band.id == "heavy-weight"


def test_too_few_answers_give_no_band_and_say_how_many_more():
    result = score_checkin(SPEC, _answers("often", "often", None, None, None, None))
    assert result.band is None
    assert result.needed == SPEC.min_answered_for_reflection - 2


@pytest.mark.parametrize(
    ("item", "option", "problem"),
    [
        ("left-out", "always", "not one of the answers"),
        ("left-out", "<script>", "not one of the answers"),
        ("favourite-colour", "often", "no check-in question"),
    ],
)
def test_unknown_items_and_options_are_refused(item, option, problem):
    with pytest.raises(ValueError, match=problem):
        validate_answer(SPEC, item, option)
    with pytest.raises(ValueError, match=problem):
        score_checkin(SPEC, {item: option})


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"


def _figure_words(figures) -> list[str]:
    return [
        text
        for figure in figures
        for text in (figure.title, *figure.unit.forms.values(), *(row.label for row in figure.rows))
    ]


def _rows(figure) -> list[tuple[str, float]]:
    return [(row.label, row.value) for row in figure.rows]


TEXTS = [item.text for item in SPEC.items]
BAND_TITLES = [band.title for band in SPEC.bands]

SHARED = [
    {"answers": _answers(*["often"] * 6)},  # average 3: the last band
    {"answers": {"left-out": "hardly-ever", "companionship": "hardly-ever", "unseen": "some-of-the-time"}},
    {"answers": {"left-out": "often", "companionship": "some-of-the-time"}},  # too few for a band
    # Tampered: nothing here fits the content.
    {"answers": {"left-out": "always", "companionship": 3, "unseen": ["often"], "gone": "often"}},
    {"answers": "often"},
    "not a mapping",
    {},
]


def test_group_figures_count_bands_and_often_and_average_each_question():
    figures = group_figures(SHARED)
    assert [figure.id for figure in figures] == ["bands", "often", "average"]
    bands, often, average = figures
    # First person: 18 / 6 = 3.0, the last band; second: 4 / 3 = 1.33, the first band; third: no band.
    assert bands.measure == "count"
    assert _rows(bands) == [(BAND_TITLES[0], 1), (BAND_TITLES[1], 0), (BAND_TITLES[2], 1)]
    assert "Often" in often.title
    assert _rows(often) == list(zip(TEXTS, [2, 1, 1, 1, 1, 1], strict=True))
    assert (average.measure, average.scale, average.unit) == ("average", 3, Unit("out of 3"))
    # left-out: (3 + 1 + 3) / 3 = 2.33; companionship: (3 + 1 + 2) / 3 = 2; unseen: (3 + 2) / 2 = 2.5.
    assert _rows(average) == list(zip(TEXTS, [2.3, 2.0, 2.5, 3.0, 3.0, 3.0], strict=True))
    assert all("group" in figure.title for figure in figures)


def test_group_figures_leave_out_questions_nobody_answered_and_bands_nobody_reached():
    figures = group_figures([{"answers": {"unseen": "some-of-the-time"}}, {"answers": {"unseen": "often"}}])
    assert [figure.id for figure in figures] == ["often", "average"]
    assert _rows(figures[1]) == [(TEXTS[2], 2.5)]


def test_group_figures_never_show_what_someone_sent():
    shared = [
        {"answers": {**_answers(*["often"] * 6), SENTINEL: "often"}, SENTINEL: SENTINEL},
        {"answers": {"left-out": SENTINEL, "unseen": "often", "distant": "often"}},
    ]
    words = _figure_words(group_figures(shared))
    assert words
    assert not [text for text in words if "Sam" in text or "<" in text]


def test_group_figures_leave_out_questions_the_content_no_longer_has():
    # Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
    assert group_figures([{"answers": {"gone": "often"}}]) == []


# --- the take-home workbook and the paper worksheet ------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"


def test_report_blocks_say_what_the_page_says(bars_with_tables, block_texts):
    blocks = report_blocks({"answers": _answers(*["often"] * 6)})
    band = SPEC.bands[-1]
    texts = block_texts(blocks)
    assert blocks[0] == Paragraph(SPEC.answered_line.format(answered=6, total=6))
    assert Heading(band.title, style="band-title") in blocks
    assert "Your total is 18, out of a possible 6 to 18 for the questions you answered." in texts
    assert Paragraph(band.meaning) in blocks
    assert Paragraph(band.suggestion, lead=SPEC.suggestion_lead) in blocks
    assert Quote(band.article_words, SPEC.article_source) in blocks
    assert Invitation(SPEC.support_invitation, SPEC.report.support_invitation) in blocks
    # As the take-home prints them: the lead before its text, the invitation then every crisis line.
    printed = document_blocks(blocks, CONTENT.crisis)
    assert Paragraph(f"{SPEC.suggestion_lead} {band.suggestion}") in printed
    invitation = printed.index(Paragraph(SPEC.report.support_invitation))
    assert printed[invitation + 1] == Bullets(
        tuple(f"{line.name} ({line.region}): {line.how}" for line in CONTENT.crisis.lines)
    )
    table = blocks[-1]
    assert isinstance(table, Table)
    assert table.headers == (SPEC.report.question_header, SPEC.report.answer_header)
    assert table.rows == tuple((text, "Often") for text in TEXTS)
    bars_with_tables(blocks)


def test_report_blocks_invite_support_only_where_the_page_does(block_texts):
    blocks = report_blocks({"answers": _answers(*["hardly-ever"] * 6)})
    assert Heading(SPEC.bands[0].title, style="band-title") in blocks
    assert not [block for block in blocks if isinstance(block, Invitation)]
    assert SPEC.report.support_invitation not in block_texts(blocks)


def test_report_blocks_with_too_few_answers_say_how_many_more_and_list_them(block_texts):
    blocks = report_blocks({"answers": {"unseen": "some-of-the-time", "left-out": None}})
    texts = block_texts(blocks)
    needed = SPEC.min_answered_for_reflection - 1
    assert counted(SPEC.not_enough_answers, needed, needed=needed) in texts
    assert not [title for title in BAND_TITLES if title in texts]
    assert blocks[-1].rows == ((TEXTS[2], "Some of the time"),)


def test_report_blocks_skip_tampered_answers(block_texts):
    saved = {
        "answers": {
            "left-out": "always",
            "unseen": ["often"],
            TYPED: "often",
            "distant": TYPED,
            "companionship": "often",
        },
        TYPED: TYPED,
    }
    blocks = report_blocks(saved)
    assert blocks[-1].rows == ((TEXTS[1], "Often"),)
    assert not [text for text in block_texts(blocks) if "Sam" in text or "<" in text]
    # Nothing usable left: no blocks (any section's empty or unreadable row: test_every_section.py).
    assert report_blocks({"answers": "often"}) == []
    assert report_blocks({"answers": {"gone": "often"}}) == []


def test_worksheet_has_every_question_and_answer_and_the_bands_words(block_texts):
    blocks = worksheet_blocks()
    scales = [block for block in blocks if isinstance(block, Scale)]
    assert [scale.question for scale in scales] == [
        f"{n}. {item.text}" for n, item in enumerate(SPEC.items, 1)
    ]
    for scale in scales:
        assert scale.options == tuple(option.label for option in SPEC.options)
    texts = " ".join(block_texts(blocks))
    for band in SPEC.bands:
        assert band.title in texts
        assert band.suggestion in texts
    assert "Hardly ever = 1, Some of the time = 2, Often = 3" in texts
    assert SPEC.worksheet.instructions in texts
    assert SPEC.report.support_invitation in texts  # one band invites support, on paper too
    assert isinstance(blocks[-1], WriteIn)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["group"]["often"].update(title="Said {answer}"), "unknown placeholder"),
        (lambda d: d["group"]["average"].update(unit="out of {top}"), "unknown placeholder"),
        (lambda d: d["group"]["bands"].update(unit=""), "group.bands.unit"),
        (lambda d: d["worksheet"].update(reading="Add {points}."), "unknown placeholder"),
        (lambda d: d["worksheet"].update(band_line="{low}: {name}"), "unknown placeholder"),
        (lambda d: d["worksheet"].update(instructions=""), "worksheet.instructions"),
        (lambda d: d["worksheet"].update(score_table="yes"), "Extra inputs are not permitted"),
        (lambda d: d["report"].pop("answer_header"), "report.answer_header"),
    ],
)
def test_bad_group_worksheet_or_report_words_name_the_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("checkin", change, load_checkin_content)


def test_one_answer_short_is_said_in_the_singular():
    """ "Answer at least 1 question", not "1 questions": the form agrees with the number."""
    answers = dict(zip(ITEMS, ["often"] * (SPEC.min_answered_for_reflection - 1), strict=False))
    texts = [getattr(block, "text", "") for block in report_blocks({"answers": answers})]
    assert "Answer at least 1 question to see a reflection." in " ".join(texts)
    assert "1 questions" not in " ".join(texts)
