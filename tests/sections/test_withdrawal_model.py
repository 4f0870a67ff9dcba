"""Section 3's reflection (the model, no widgets) and its content file."""

from __future__ import annotations

import pytest

from widgets import load_content
from widgets.blocks import (
    Bars,
    Bullets,
    Checklist,
    Grid,
    Heading,
    Invitation,
    Paragraph,
    Part,
    Quote,
    Rings,
    Table,
)
from widgets.sections.withdrawal.model import (
    FollowUp,
    Kind,
    classify,
    load_withdrawal_content,
    reflect,
    report_blocks,
    summary_lines,
    worksheet_blocks,
)
from widgets.sections.withdrawal.view import build
from widgets.take_home.export import document_blocks

CRISIS = load_content().crisis
SPEC = load_withdrawal_content()
IDS = [strategy.id for strategy in SPEC.strategies]


def test_shipped_content_has_seven_to_nine_ways_and_a_something_else_choice():
    assert 7 <= len(SPEC.strategies) <= 9
    assert "something-else" in IDS
    assert {option.means for option in SPEC.options} == {"yes", "somewhat", "no", "not-sure"}
    assert "{strategy}" in SPEC.then_question
    assert "{strategy}" in SPEC.now_question


def test_the_words_carry_the_articles_framing_and_privacy():
    assert "survival response, not a weakness" in SPEC.opening
    assert "same strategy that once helped them survive now prevents" in SPEC.groups.shifted.article_words
    assert "shared with the group" in SPEC.private_line


@pytest.mark.parametrize(
    ("then", "now", "kind"),
    [
        ("yes", "no", Kind.SHIFTED),
        ("yes", "somewhat", Kind.SHIFTED),
        ("somewhat", "no", Kind.SHIFTED),
        ("yes", "yes", Kind.STILL_HELPS),
        ("somewhat", "somewhat", Kind.STILL_HELPS),
        ("somewhat", "yes", Kind.STILL_HELPS),
        ("no", "yes", Kind.STILL_HELPS),
        (None, "yes", Kind.STILL_HELPS),
        ("no", "no", Kind.DID_NOT_HELP),
        ("yes", "not-sure", Kind.WONDERING),
        ("not-sure", "no", Kind.WONDERING),
        ("yes", None, Kind.WONDERING),
        (None, "no", Kind.WONDERING),
        (None, None, Kind.WONDERING),
        ("no", None, Kind.WONDERING),
    ],
)
def test_each_pair_of_answers_finds_its_group(then, now, kind):
    assert classify(SPEC, FollowUp(then=then, now=now)) is kind


def test_nothing_ticked_is_an_empty_reflection():
    result = reflect(SPEC, [], {})
    assert not result.anything_chosen
    assert all(not strategies for strategies in result.groups.values())


def test_ticked_ways_are_grouped_in_checklist_order():
    chosen = [IDS[4], IDS[0], IDS[2], IDS[1]]
    follow_ups = {
        IDS[4]: FollowUp("yes", "no"),
        IDS[0]: FollowUp("somewhat", "no"),
        IDS[2]: FollowUp("yes", "yes"),
    }
    result = reflect(SPEC, chosen, follow_ups)
    assert [s.id for s in result.groups[Kind.SHIFTED]] == [IDS[0], IDS[4]]
    assert [s.id for s in result.groups[Kind.STILL_HELPS]] == [IDS[2]]
    # Ticked but not yet answered.
    assert [s.id for s in result.groups[Kind.WONDERING]] == [IDS[1]]
    assert result.groups[Kind.DID_NOT_HELP] == []


@pytest.mark.parametrize(
    ("chosen", "follow_ups", "problem"),
    [
        (["hiding-under-the-bed"], {}, "no strategy called"),
        ([IDS[0]], {IDS[0]: FollowUp("always", None)}, "not one of the answers"),
        ([IDS[0]], {IDS[0]: FollowUp(None, "<script>")}, "not one of the answers"),
        # Unticking a strategy takes its answers away: answers for it are refused.
        ([IDS[0]], {IDS[1]: FollowUp("yes", "no")}, "is not ticked"),
    ],
)
def test_unknown_or_orphaned_answers_are_refused(chosen, follow_ups, problem):
    with pytest.raises(ValueError, match=problem):
        reflect(SPEC, chosen, follow_ups)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("opening"), "opening: Field required"),
        (
            lambda d: d["strategies"][1].update(id=d["strategies"][0]["id"]),
            "strategies: Value error, every strategy needs its own id",
        ),
        (lambda d: d["strategies"][0].update(id="Not An Id"), "strategies.0.id"),
        (lambda d: d["options"][0].update(means="maybe"), "options.0.means"),
        (lambda d: d["options"][1].update(means="yes"), "its own meaning"),
        (lambda d: d.update(options=[o for o in d["options"] if o["means"] != "no"]), "one that means no"),
        (lambda d: d.update(then_question="Did it help? {name}"), "unknown placeholder"),
        (lambda d: d.update(now_question="Does it still help?"), "must name the strategy"),
        (lambda d: d["groups"].pop("shifted"), "groups.shifted: Field required"),
        (lambda d: d.update(score="yes"), "score: Extra inputs are not permitted"),
        (lambda d: d["worksheet"].update(options_note="Write {answers}."), "unknown placeholder"),
        (lambda d: d["worksheet"].update(follow_up_rows=0), "worksheet.follow_up_rows"),
        (lambda d: d["worksheet"].pop("then_header"), "worksheet.then_header: Field required"),
        (lambda d: d["worksheet"].update(score_key="yes"), "Extra inputs are not permitted"),
        (lambda d: d["report"].pop("support_line"), "report.support_line: Field required"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_refusal, change, expected):
    # Without its worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("withdrawal", change, load_withdrawal_content)


# --- the summary's lines ----------------------------------------------------------

SLUG = "protective-withdrawal"
SHORTS = {strategy.id: strategy.short for strategy in SPEC.strategies}


# One way in each group: shifted, still helps, did not help, and one left unanswered (still finding out).
ONE_OF_EACH_GROUP = {
    "keeping-busy": ("yes", "no"),
    "staying-home": ("somewhat", "somewhat"),
    "saying-fine": ("no", "no"),
    "numbing-out": None,
}


def _answer_on_the_page(ticked: dict[str, tuple[str, str] | None]) -> None:
    """Tick these ways on the page, then answer how each helped then and now (``None``: left open)."""
    activity = build(load_content())
    activity.strategies.set_state({"value": list(ticked)})
    for strategy_id, answered in ticked.items():
        if answered is not None:
            activity.questions_for(strategy_id).then.set_state({"value": answered[0]})
            activity.questions_for(strategy_id).now.set_state({"value": answered[1]})


def test_summary_lines_name_each_group_from_answers_given_on_the_page(book):
    _answer_on_the_page(ONE_OF_EACH_GROUP)
    groups = SPEC.groups
    assert summary_lines(book.load(SLUG)) == [
        f"{groups.shifted.heading}: {SHORTS['keeping-busy']}",
        f"{groups.still_helps.heading}: {SHORTS['staying-home']}",
        f"{groups.wondering.heading}: {SHORTS['numbing-out']}",
        f"{groups.did_not_help.heading}: {SHORTS['saying-fine']}",
    ]


def test_summary_lines_put_ways_of_one_group_on_one_line_and_never_count(book):
    _answer_on_the_page({"keeping-busy": ("yes", "somewhat"), "not-answering": ("yes", "somewhat")})
    lines = summary_lines(book.load(SLUG))
    assert lines == [f"{SPEC.groups.shifted.heading}: Keeping busy; Not answering calls or messages"]
    assert not any(character.isdigit() for line in lines for character in line)


def test_summary_lines_are_empty_when_nothing_is_ticked(book):
    assert summary_lines({}) == []
    assert summary_lines({"chosen": [], "follow_ups": {}}) == []
    activity = build(load_content())
    activity.strategies.set_state({"value": ["keeping-busy"]})
    activity.strategies.set_state({"value": []})  # ticked, then unticked: saved, but nothing chosen
    assert book.load(SLUG) == {"chosen": [], "follow_ups": {}}
    assert summary_lines(book.load(SLUG)) == []


def test_summary_lines_leave_out_ids_the_content_no_longer_has():
    saved = {
        "chosen": ["gone-way", "keeping-busy", ["not", "an", "id"]],
        "follow_ups": {
            "gone-way": {"then": "yes", "now": "no"},
            "keeping-busy": {"then": "always", "now": "no"},  # an answer that is no longer offered
        },
    }
    # The unknown answer reads as not given: the way is still named, among those still finding out.
    assert summary_lines(saved) == [f"{SPEC.groups.wondering.heading}: {SHORTS['keeping-busy']}"]
    assert summary_lines({"chosen": ["gone-way"], "follow_ups": "not a mapping"}) == []


# --- the take-home workbook and the paper worksheet ------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"
LABELS = {strategy.id: strategy.label for strategy in SPEC.strategies}


def test_report_blocks_repeat_the_validating_words_group_by_group(book, block_texts):
    _answer_on_the_page(ONE_OF_EACH_GROUP)
    blocks = report_blocks(book.load(SLUG))
    groups = SPEC.groups
    assert blocks[0] == Paragraph(SPEC.opening)
    assert "survival response, not a weakness" in blocks[0].text
    assert blocks[1] == Quote(SPEC.opening_article_words, SPEC.article_label)
    parts = [block for block in blocks if isinstance(block, Part)]
    assert [(part.style, part.data) for part in parts] == [
        ("withdrawal-group", (("kind", kind),))
        for kind in ("shifted", "still_helps", "wondering", "did_not_help")
    ]
    assert parts[0].blocks == (
        Heading(groups.shifted.heading),
        Bullets((LABELS["keeping-busy"],)),
        Paragraph(groups.shifted.meaning),
        Quote(groups.shifted.article_words, SPEC.article_label),
        Paragraph(groups.shifted.suggestion),
    )
    assert blocks[-2:] == [
        Paragraph(SPEC.closing),
        Invitation(SPEC.support_line, SPEC.report.support_line, lines_in_document=False),
    ]
    # As the take-home prints them: the groups' blocks in order, the invitation in its own wording,
    # which points to the document's crisis lines rather than a list right under it.
    printed = document_blocks(blocks, CRISIS)
    assert printed[1] == Paragraph(f"“{SPEC.opening_article_words}” ({SPEC.article_label})", style="quiet")
    assert [block.text for block in printed if isinstance(block, Heading)] == [
        groups.shifted.heading,
        groups.still_helps.heading,
        groups.wondering.heading,
        groups.did_not_help.heading,
    ]
    assert [block.items for block in printed if isinstance(block, Bullets)] == [
        (LABELS["keeping-busy"],),
        (LABELS["staying-home"],),
        (LABELS["numbing-out"],),
        (LABELS["saying-fine"],),
    ]
    texts = block_texts(printed)
    for group in (groups.shifted, groups.still_helps, groups.wondering, groups.did_not_help):
        assert group.meaning in texts
    assert groups.shifted.suggestion in texts
    assert any(groups.shifted.article_words in text for text in texts)
    assert printed[-2:] == [Paragraph(SPEC.closing), Paragraph(SPEC.report.support_line)]


def test_report_blocks_never_count_or_score(block_texts):
    saved = {
        "chosen": list(LABELS),
        "follow_ups": {strategy_id: {"then": "yes", "now": "no"} for strategy_id in LABELS},
    }
    blocks = report_blocks(saved)
    assert not [block for block in blocks if isinstance(block, (Bars, Rings, Table))]
    assert not [text for text in block_texts(blocks) if any(character.isdigit() for character in text)]


def test_report_blocks_skip_tampered_answers(block_texts):
    saved = {
        "chosen": ["gone-way", "keeping-busy", ["not", "an", "id"], TYPED],
        "follow_ups": {"keeping-busy": {"then": TYPED, "now": "no"}, TYPED: {"then": "yes", "now": "no"}},
        TYPED: TYPED,
    }
    blocks = report_blocks(saved)
    # The unknown answer reads as not given: the way is still named, among those still finding out.
    printed = document_blocks(blocks, CRISIS)
    assert [block.text for block in printed if isinstance(block, Heading)] == [SPEC.groups.wondering.heading]
    assert [block.items for block in printed if isinstance(block, Bullets)] == [(LABELS["keeping-busy"],)]
    assert not [text for text in block_texts(blocks) if "Sam" in text or "<" in text]


@pytest.mark.parametrize(
    "saved",
    [
        {"chosen": [], "follow_ups": {}},
        {"chosen": "keeping-busy"},
        {"chosen": ["gone-way"], "follow_ups": "not a mapping"},
    ],
)
def test_report_blocks_are_empty_when_nothing_usable_is_ticked(saved):
    assert report_blocks(saved) == []


def test_worksheet_has_every_way_and_answer_and_stays_gentle(block_texts):
    blocks = worksheet_blocks()
    words = SPEC.worksheet
    (checklist,) = [block for block in blocks if isinstance(block, Checklist)]
    assert checklist.question == SPEC.checklist_question
    assert checklist.options == tuple(LABELS.values())
    (grid,) = [block for block in blocks if isinstance(block, Grid)]
    assert grid.headers == (words.way_header, words.then_header, words.now_header)
    assert grid.rows == words.follow_up_rows
    for option in SPEC.options:
        assert option.label in grid.notes[0]
    texts = block_texts(blocks)
    assert blocks[0] == Paragraph(words.instructions)
    assert "just for you" in words.instructions
    assert SPEC.opening in texts
    assert SPEC.report.support_line in texts
    assert not [text for text in texts if any(character.isdigit() for character in text)]
