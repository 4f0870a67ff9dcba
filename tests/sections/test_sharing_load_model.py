"""Sharing the load's rules and content (the model, no widgets)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import figure_rows, figure_words

from widgets import answers, load_content
from widgets.blocks import Bars, Bullets, Checklist, Figure, Heading, Invitation, Paragraph, Table, WriteIn
from widgets.content_files import load_activity_content
from widgets.sections.connection_map.model import ConnectionMapContent
from widgets.sections.sharing_load.model import (
    NO_ONE_YET,
    GiverError,
    SharingLoadContent,
    check_givers,
    coverage,
    feedback_blocks,
    giver_options,
    group_figures,
    report_blocks,
    summary_lines,
    to_saved,
    worksheet_blocks,
)
from widgets.sections.sharing_load.view import build
from widgets.take_home.export import document_blocks

SPEC = load_activity_content("sharing_load", SharingLoadContent)
MAP_SPEC = load_activity_content("connection_map", ConnectionMapContent)
MAP_SLUG = "what-community-means"
KINDS = giver_options(SPEC, MAP_SPEC, None)
CRISIS = load_content().crisis

pytestmark = pytest.mark.usefixtures("book")  # each test starts with an empty answer book


def _seed_map(*labels: str) -> None:
    answers.current().save(MAP_SLUG, {"entries": [{"label": label, "circle": "close"} for label in labels]})


# --- content --------------------------------------------------------------------


def test_the_six_supports_the_section_names():
    assert [support.id for support in SPEC.supports] == [
        "encouragement",
        "perspectives",
        "practical-help",
        "accountability",
        "shared-meaning",
        "turn-to",
    ]
    assert sorted(SPEC.grow_order) == sorted(support.id for support in SPEC.supports)
    assert SPEC.gap_word == "gap"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["grow_order"].pop(), "grow_order must list every support id once"),
        (lambda d: d["grow_order"].append("turn-to"), "grow_order must list every support id once"),
        (
            lambda d: d["supports"][1].update(id="encouragement"),
            "supports: Value error, every support needs its own id",
        ),
        (lambda d: d.update(grow_line="Start with {area}"), "unknown placeholder"),
        (lambda d: d["table_headers"].pop(), "table_headers"),
        (lambda d: d["supports"][0].pop("suggestion"), "supports.0.suggestion: Field required"),
        (lambda d: d["group"].pop("gaps"), "group.gaps"),
        (lambda d: d["worksheet"].pop("names_label"), "worksheet.names_label: Field required"),
        (lambda d: d["worksheet"].update(pens="blue"), "worksheet.pens"),
        (lambda d: d["report"].update(map_givers_many="{number} on my map"), "unknown placeholder"),
        (lambda d: d["report"].pop("count_header"), "report.count_header: Field required"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("sharing_load", change)


# --- which choices --------------------------------------------------------------


def test_without_a_map_the_choices_are_kinds_of_people():
    options = giver_options(SPEC, MAP_SPEC, answers.current().load(MAP_SLUG))
    assert options.source == "kinds"
    # The connection map's kinds (its shipped words: test_connection_map_model.py), then "no one yet".
    assert options.options == (
        *((kind.id, kind.label) for kind in MAP_SPEC.kinds),
        (NO_ONE_YET, "No one yet"),
    )
    assert len(options.options) == 9


def test_with_a_map_in_the_answer_book_the_choices_are_its_entries():
    _seed_map("Mum", "<b>Jo</b>", "Book club")
    options = giver_options(SPEC, MAP_SPEC, answers.current().load(MAP_SLUG))
    assert options.source == "map"
    assert options.options == (
        ("map-1", "Mum"),
        ("map-2", "<b>Jo</b>"),
        ("map-3", "Book club"),
        (NO_ONE_YET, "No one yet"),
    )


@pytest.mark.parametrize("saved", [{"entries": []}, {"entries": [{"label": ""}]}, {"nothing": 1}])
def test_an_empty_or_unusable_map_falls_back_to_kinds(saved):
    answers.current().save(MAP_SLUG, saved)
    assert giver_options(SPEC, MAP_SPEC, answers.current().load(MAP_SLUG)).source == "kinds"


# --- the "no one yet" rule ------------------------------------------------------


@pytest.mark.parametrize("chosen", [[], ["friend"], ["friend", "family"], [NO_ONE_YET]])
def test_allowed_ticks(chosen):
    check_givers(SPEC, chosen)


@pytest.mark.parametrize("chosen", [[NO_ONE_YET, "friend"], ["map-1", NO_ONE_YET]])
def test_no_one_yet_with_someone_is_refused(chosen):
    with pytest.raises(GiverError, match="can't be ticked together with someone else"):
        check_givers(SPEC, chosen)
    with pytest.raises(GiverError):
        coverage(SPEC, KINDS, {"encouragement": chosen})


# --- coverage -------------------------------------------------------------------


def test_nothing_ticked_is_all_skipped_not_gaps():
    result = coverage(SPEC, KINDS, {})
    assert result.answered == 0
    assert result.gaps == []
    assert result.covered == []
    assert result.grow_first is None
    assert not result.no_support_yet
    assert {item.status for item in result.supports} == {"skipped"}


def test_covered_gap_and_skipped_with_kinds():
    result = coverage(
        SPEC,
        KINDS,
        {
            "encouragement": ["friend", "family"],
            "accountability": [NO_ONE_YET],
            "shared-meaning": [NO_ONE_YET],
        },
    )
    by_id = {item.support.id: item for item in result.supports}
    assert by_id["encouragement"].status == "covered"
    assert by_id["encouragement"].givers == ("Friend", "Family")
    assert by_id["encouragement"].sources == 2
    assert by_id["accountability"].status == "gap"
    assert by_id["accountability"].sources == 0
    assert by_id["turn-to"].status == "skipped"
    assert [item.support.id for item in result.gaps] == ["accountability", "shared-meaning"]
    assert result.answered == 3
    assert not result.no_support_yet
    # grow_order puts accountability before shared meaning
    assert result.grow_first.id == "accountability"


def test_coverage_with_map_entries_from_the_seeded_answer_book():
    _seed_map("Mum", "Jo")
    options = giver_options(SPEC, MAP_SPEC, answers.current().load(MAP_SLUG))
    result = coverage(SPEC, options, {"turn-to": ["map-1", "map-2"], "practical-help": [NO_ONE_YET]})
    by_id = {item.support.id: item for item in result.supports}
    assert by_id["turn-to"].givers == ("Mum", "Jo")
    assert by_id["turn-to"].status == "covered"
    assert result.grow_first.id == "practical-help"


def test_where_to_grow_first_follows_the_content_order():
    every_gap = {support.id: [NO_ONE_YET] for support in SPEC.supports}
    result = coverage(SPEC, KINDS, every_gap)
    assert result.grow_first.id == SPEC.grow_order[0] == "turn-to"
    assert result.no_support_yet
    covered_first = {**every_gap, "turn-to": ["counselor"]}
    assert coverage(SPEC, KINDS, covered_first).grow_first.id == SPEC.grow_order[1]


def test_all_answered_gaps_with_some_skipped_still_counts_as_no_support_yet():
    result = coverage(SPEC, KINDS, {"encouragement": [NO_ONE_YET]})
    assert result.no_support_yet
    assert result.grow_first.id == "encouragement"


def test_everything_covered_has_nowhere_to_grow_first():
    result = coverage(SPEC, KINDS, {support.id: ["friend"] for support in SPEC.supports})
    assert len(result.covered) == 6
    assert result.grow_first is None
    assert not result.no_support_yet


@pytest.mark.parametrize(
    "givers",
    [{"courage": ["friend"]}, {"encouragement": ["stranger"]}, {"encouragement": ["map-1"]}],
)
def test_unknown_supports_and_choices_are_refused(givers):
    with pytest.raises(ValueError, match=r"not a choice here|no support called"):
        coverage(SPEC, KINDS, givers)


def test_saved_answers_keep_ids_and_labels():
    _seed_map("Mum")
    options = giver_options(SPEC, MAP_SPEC, answers.current().load(MAP_SLUG))
    assert to_saved(options, {"turn-to": ["map-1"]}) == {
        "options_from": "map",
        "givers": {"turn-to": ["map-1"]},
        "named": {"turn-to": ["Mum"]},
    }


# --- the summary's lines ----------------------------------------------------------

SLUG = "long-term-resilience"
SUPPORTS = {support.id: support for support in SPEC.supports}


def test_summary_lines_give_coverage_gaps_and_where_to_grow_first():
    answers.current().save(
        MAP_SLUG, {"entries": [{"label": "Mum", "circle": "close"}, {"label": "Jo", "circle": "middle"}]}
    )
    activity = build(load_content())
    activity.questions["encouragement"].set_state({"value": ["map-1", "map-2"]})
    activity.questions["perspectives"].set_state({"value": ["map-2"]})
    activity.questions["practical-help"].set_state({"value": [NO_ONE_YET]})
    activity.questions["turn-to"].set_state({"value": [NO_ONE_YET]})
    turn_to = SUPPORTS["turn-to"]
    assert summary_lines(answers.current().load(SLUG)) == [
        "2 of 6 kinds of support have someone.",
        f"Gaps for now: Practical help, Someone to turn to. {SPEC.gap_reassurance}",
        f"A good place to start: Someone to turn to. {turn_to.suggestion}",
    ]


def test_summary_lines_with_kinds_and_no_gaps():
    activity = build(load_content())
    activity.questions["accountability"].set_state({"value": ["friend", "coworker"]})
    assert summary_lines(answers.current().load(SLUG)) == [
        "1 of 6 kinds of support have someone.",
        SPEC.no_gaps_line,
    ]


def test_summary_lines_when_every_answer_is_a_gap_add_the_warm_words():
    activity = build(load_content())
    activity.questions["shared-meaning"].set_state({"value": [NO_ONE_YET]})
    assert summary_lines(answers.current().load(SLUG)) == [
        "0 of 6 kinds of support have someone.",
        f"Gaps for now: {SUPPORTS['shared-meaning'].name}. {SPEC.gap_reassurance}",
        SPEC.all_gaps,
        f"A good place to start: {SUPPORTS['shared-meaning'].name}. {SUPPORTS['shared-meaning'].suggestion}",
    ]


def test_summary_lines_are_empty_when_nothing_was_ticked():
    assert summary_lines({}) == []
    activity = build(load_content())
    activity.questions["turn-to"].set_state({"value": ["friend"]})
    activity.questions["turn-to"].set_state({"value": []})  # ticked, then unticked
    assert answers.current().load(SLUG)["givers"] == {}
    assert summary_lines(answers.current().load(SLUG)) == []


def test_summary_lines_leave_out_supports_the_content_no_longer_has():
    saved = {
        "options_from": "somewhere-new",
        "givers": {
            "cooking-together": ["friend"],  # a support the content no longer has
            "turn-to": ["friend", NO_ONE_YET],  # a conflict: reads as skipped
            "encouragement": "friend",  # not a list
            "practical-help": [{"not": "an id"}],
            "accountability": [NO_ONE_YET],
        },
    }
    accountability = SUPPORTS["accountability"]
    assert summary_lines(saved) == [
        "0 of 6 kinds of support have someone.",
        f"Gaps for now: {accountability.name}. {SPEC.gap_reassurance}",
        SPEC.all_gaps,
        f"A good place to start: {accountability.name}. {accountability.suggestion}",
    ]
    assert summary_lines({"givers": {"cooking-together": ["friend"]}}) == []
    assert summary_lines({"givers": ["not", "a", "mapping"]}) == []


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"
NAMES = [support.name for support in SPEC.supports]


def test_group_figures_count_who_has_someone_and_who_has_no_one_yet():
    shared = [
        {
            "options_from": "map",
            "givers": {
                "encouragement": ["map-1", "map-2"],
                "turn-to": [NO_ONE_YET],
                "perspectives": ["map-99"],  # more than a map holds
                "practical-help": [NO_ONE_YET, "map-1"],  # "no one yet" with someone: read as skipped
                "accountability": ["friend"],  # a kind of person, but the choices were the map
            },
            "named": {"encouragement": [SENTINEL, "Jo"]},
        },
        {
            "options_from": "kinds",
            "givers": {
                "encouragement": ["friend", "family"],
                "turn-to": ["map-1"],  # a place on a map, but the choices were kinds
                "accountability": [NO_ONE_YET],
                "shared-meaning": [],  # skipped
            },
        },
        {
            "options_from": "kinds",
            "givers": {"turn-to": [NO_ONE_YET], "encouragement": "friend", "perspectives": [3]},
        },
        {"options_from": "elsewhere", "givers": {"encouragement": ["friend"]}},
        {"givers": "x"},
        "not a mapping",
    ]
    covered, gaps = group_figures(shared)
    assert (covered.id, covered.measure, gaps.id, gaps.measure) == ("covered", "count", "gaps", "count")
    # Rows in the content's order of supports (test_the_six_supports_the_section_names).
    assert figure_rows(covered) == list(zip(NAMES, [2, 0, 0, 0, 0, 0], strict=True))
    assert figure_rows(gaps) == list(zip(NAMES, [0, 0, 0, 1, 0, 2], strict=True))
    assert all("group" in figure.title for figure in (covered, gaps))


def test_group_figures_never_show_who_was_named():
    shared = [
        {
            "options_from": "map",
            "givers": {"encouragement": ["map-1"], SENTINEL: ["map-1"], "turn-to": [SENTINEL]},
            "named": {"encouragement": [SENTINEL], "turn-to": ["Sam"]},
            SENTINEL: SENTINEL,
        }
    ]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert len(figures) == 2
    assert not [text for text in words if "Sam" in text or "<" in text]


# Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
@pytest.mark.parametrize(
    "shared",
    [
        [{"options_from": "kinds", "givers": {}}],
        [{"options_from": "kinds", "givers": {"encouragement": [], "turn-to": ["map-1"]}}],
        [{"options_from": "map", "givers": {"encouragement": ["map-" + "9" * 5000]}}],
    ],
)
def test_group_figures_are_empty_without_usable_ticks(shared):
    assert group_figures(shared) == []


# --- the take-home workbook and the paper worksheet --------------------------------

TYPED = "<b>Sam & Jo</b> 🙂"
MAP = {"entries": [{"label": TYPED, "circle": "close"}, {"label": "Kim", "circle": "middle"}]}
MAP_TICKS = {
    "options_from": "map",
    "givers": {
        "encouragement": ["map-1", "map-2"],
        "perspectives": ["map-2"],
        "turn-to": [NO_ONE_YET],
        "accountability": [NO_ONE_YET],
    },
    "named": {
        "encouragement": [TYPED, "Kim"],
        "perspectives": ["Kim"],
        "turn-to": [SPEC.no_one_label],
        "accountability": [SPEC.no_one_label],
    },
}


def _printed_report(saved, **others) -> list:
    """The section's report blocks as the take-home prints them (the figure: its chart and table)."""
    return document_blocks(report_blocks(saved, **others), CRISIS)


def _rows_by_support(blocks) -> dict[str, tuple[str, ...]]:
    (table,) = [block for block in blocks if isinstance(block, Table)]
    return {row[0]: row for row in table.rows}


def _texts(blocks) -> list[str]:
    return [block.text for block in blocks if isinstance(block, Paragraph | Heading)]


def test_report_blocks_name_people_from_the_map_when_it_is_given(bars_with_tables):
    blocks = _printed_report(MAP_TICKS, connection_map=MAP)
    bars_with_tables(blocks, column=SPEC.report.count_header)
    (chart,) = [block for block in blocks if isinstance(block, Bars)]
    assert chart.title == SPEC.chart_title
    assert [(bar.label, bar.value, bar.highlight, bar.note) for bar in chart.bars] == [
        ("Encouragement", 2, False, ""),
        ("Other perspectives", 1, False, ""),
        ("Practical help", 0, False, "skipped"),
        ("Accountability", 0, True, "gap"),
        ("Shared meaning", 0, False, "skipped"),
        ("Someone to turn to", 0, True, "gap"),
    ]
    rows = _rows_by_support(blocks)
    # The participant's own labels, exactly as typed: the renderers escape them.
    assert rows["Encouragement"] == ("Encouragement", f"{TYPED}, Kim", "2", "Covered")
    assert rows["Someone to turn to"] == ("Someone to turn to", "No one yet", "0", "A gap for now")
    assert rows["Practical help"] == ("Practical help", "(skipped)", "0", "Not answered")
    texts = _texts(blocks)
    assert Paragraph("2 of 6 kinds of support have someone.", "strong") in blocks
    assert f"Gaps for now: Accountability, Someone to turn to. {SPEC.gap_reassurance}" in texts
    assert SPEC.grow_heading in texts
    turn_to = SUPPORTS["turn-to"]
    assert f"A good place to start: Someone to turn to. {turn_to.suggestion}" in texts
    assert SPEC.all_gaps not in texts
    assert SPEC.support_invitation not in texts


def test_report_blocks_without_the_map_use_the_generic_words_never_names(bars_with_tables):
    blocks = _printed_report(MAP_TICKS)
    bars_with_tables(blocks, column=SPEC.report.count_header)
    rows = _rows_by_support(blocks)
    assert rows["Encouragement"][1:3] == ("2 people or groups from my connection map", "2")
    assert rows["Other perspectives"][1:3] == ("Someone from my connection map", "1")
    assert rows["Other perspectives"][1] == SPEC.report.map_giver_one
    everything = repr(blocks)
    assert "Sam" not in everything
    assert "Kim" not in everything


def test_report_blocks_with_the_map_leave_out_someone_no_longer_on_it_as_the_page_does():
    blocks = _printed_report(MAP_TICKS, connection_map={"entries": [{"label": "Kim", "circle": "close"}]})
    rows = _rows_by_support(blocks)
    assert rows["Encouragement"][1:3] == ("Kim", "1")
    assert "Sam" not in repr(blocks)
    # Ticks saved against kinds of people are not read against a map, nor the other way round.
    kinds = {"options_from": "kinds", "givers": {"encouragement": ["friend"]}}
    assert report_blocks(kinds, connection_map=MAP) == []
    assert report_blocks(MAP_TICKS, connection_map={"entries": []}) == []


def test_report_blocks_with_kinds_of_people_and_no_gaps(bars_with_tables):
    saved = {
        "options_from": "kinds",
        "givers": {"encouragement": ["friend", "coworker"], "turn-to": ["counselor"]},
    }
    for blocks in (_printed_report(saved), _printed_report(saved, connection_map={})):
        bars_with_tables(blocks, column=SPEC.report.count_header)
        rows = _rows_by_support(blocks)
        assert rows["Encouragement"][1:] == ("Friend, Coworker", "2", "Covered")
        assert rows["Someone to turn to"][1:] == ("Counselor", "1", "Covered")
        texts = _texts(blocks)
        assert SPEC.no_gaps_line in texts
        assert SPEC.grow_heading not in texts


def test_report_blocks_when_every_answer_is_a_gap_add_the_warm_words_and_the_invitation(bars_with_tables):
    saved = {
        "options_from": "kinds",
        "givers": {"practical-help": [NO_ONE_YET], "shared-meaning": [NO_ONE_YET]},
    }
    blocks = _printed_report(saved)
    bars_with_tables(blocks, column=SPEC.report.count_header)
    texts = _texts(blocks)
    assert Paragraph("0 of 6 kinds of support have someone.", "strong") in blocks
    assert SPEC.all_gaps in texts
    assert texts[-1] == SPEC.support_invitation
    # grow_order puts practical help before shared meaning
    assert f"A good place to start: Practical help. {SUPPORTS['practical-help'].suggestion}" in texts


def test_feedback_blocks_before_any_tick_ask_gently():
    assert feedback_blocks(SPEC, coverage(SPEC, KINDS, {})) == [Paragraph(SPEC.nothing_yet)]


def test_feedback_blocks_when_every_answer_is_a_gap_and_the_take_home_prints_the_same():
    givers = {"practical-help": [NO_ONE_YET], "shared-meaning": [NO_ONE_YET]}
    figure, *reading = feedback_blocks(SPEC, coverage(SPEC, KINDS, givers))
    assert isinstance(figure, Figure)
    first, second, third = SPEC.table_headers
    # The page's table says who gives each support; the document's how many too, the chart's numbers.
    assert figure.table.headers == (first, second, third)
    assert figure.table.rows[2] == ("Practical help", SPEC.no_one_label, SPEC.status_gap)
    assert figure.document_table.headers == (first, second, SPEC.report.count_header, third)
    assert figure.document_table.rows[2] == ("Practical help", SPEC.no_one_label, "0", SPEC.status_gap)
    assert reading == [
        Paragraph("0 of 6 kinds of support have someone."),
        Paragraph(f"Gaps for now: Practical help, Shared meaning. {SPEC.gap_reassurance}"),
        Paragraph(SPEC.all_gaps, style="warm"),
        Heading(SPEC.grow_heading, style="grow"),
        Paragraph(f"A good place to start: Practical help. {SUPPORTS['practical-help'].suggestion}"),
        Invitation(SPEC.support_invitation, SPEC.support_invitation, lines_in_document=False),
    ]
    # The take-home: the same blocks, after the chart's caption, with the headline in bold.
    headline, *rest = reading
    assert report_blocks(to_saved(KINDS, givers)) == [
        Paragraph(SPEC.chart_caption, style="quiet"),
        figure,
        replace(headline, style="strong"),
        *rest,
    ]


def test_feedback_blocks_name_who_gives_each_support_as_ticked():
    givers = {"encouragement": ["friend", "coworker"]}
    # Without a gap there is nowhere to grow first, and no invitation.
    figure, headline, no_gaps = feedback_blocks(SPEC, coverage(SPEC, KINDS, givers))
    assert isinstance(figure, Figure)
    assert figure.table.rows[0] == ("Encouragement", "Friend, Coworker", SPEC.status_covered)
    assert headline == Paragraph("1 of 6 kinds of support have someone.")
    assert no_gaps == Paragraph(SPEC.no_gaps_line)


@pytest.mark.parametrize(
    "saved",
    [
        {},
        {"options_from": "kinds", "givers": {}},
        {"options_from": "kinds", "givers": {"encouragement": []}},
        {"options_from": "kinds", "givers": {"courage": ["friend"]}},
        {"options_from": "kinds", "givers": {"encouragement": ["stranger"]}},
        {"options_from": "kinds", "givers": {"encouragement": ["map-1"]}},
        {"options_from": "map", "givers": {"encouragement": ["map-999"]}},
        {"options_from": "map", "givers": {"encouragement": ["friend"]}},
        {"options_from": "elsewhere", "givers": {"encouragement": ["friend"]}},
        {"options_from": "kinds", "givers": {"encouragement": [NO_ONE_YET, "friend"]}},
        {"options_from": "kinds", "givers": {"encouragement": "friend"}},
        {"options_from": "kinds", "givers": {"encouragement": [["friend"]], "turn-to": [7]}},
        {"options_from": "kinds", "givers": ["encouragement"]},
        ["not", "a", "mapping"],
        None,
    ],
)
def test_report_blocks_skip_tampered_or_empty_answers(saved):
    assert report_blocks(saved) == []
    assert report_blocks(saved, connection_map=MAP) == []


@pytest.mark.parametrize(
    "connection_map",
    [
        {"entries": "Sam"},
        {"entries": [{"label": ["x"]}, 5, {"label": "x" * 500, "circle": "close"}]},
        ["x"],
        7,
    ],
)
def test_report_blocks_read_a_tampered_map_as_no_map_like_the_page(connection_map):
    # No usable entry: the page offers kinds of people, so ticks saved from a map are not given back.
    assert report_blocks(MAP_TICKS, connection_map=connection_map) == []


def test_report_blocks_keep_the_good_supports_beside_a_tampered_one():
    saved = {
        "options_from": "kinds",
        "givers": {
            "encouragement": ["friend"],
            "turn-to": ["<script>"],
            "accountability": [NO_ONE_YET, "family"],
        },
    }
    rows = _rows_by_support(_printed_report(saved))
    assert rows["Encouragement"][3] == SPEC.status_covered
    assert rows["Someone to turn to"][3] == SPEC.status_skipped
    assert rows["Accountability"][3] == SPEC.status_skipped


def test_worksheet_asks_every_support_with_every_kind_of_person():
    blocks = worksheet_blocks()
    words = SPEC.worksheet
    assert blocks[0] == Paragraph(words.intro)
    checklists = [block for block in blocks if isinstance(block, Checklist)]
    assert [checklist.question for checklist in checklists] == [support.question for support in SPEC.supports]
    kinds = [kind.label for kind in MAP_SPEC.kinds if kind.id != NO_ONE_YET]
    for checklist in checklists:
        assert checklist.options == (*kinds, SPEC.no_one_label)
    texts = " ".join(_texts(blocks))
    for number, support in enumerate(SPEC.supports, start=1):
        assert f"{number}. {support.name}: {support.description}" in texts
    assert [block.label for block in blocks if isinstance(block, WriteIn)] == [words.names_label] * len(
        SPEC.supports
    )
    assert words.reading_heading in texts
    assert SPEC.gap_reassurance in texts
    (order,) = [block for block in blocks if isinstance(block, Bullets)]
    assert order.items == tuple(
        f"{SUPPORTS[support_id].name}: {SUPPORTS[support_id].suggestion}" for support_id in SPEC.grow_order
    )
