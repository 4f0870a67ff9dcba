"""What crowds out connection (section 5): hours checks, chart data, the cycle, the routine rule."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import figure_rows, figure_words

from widgets import load_content
from widgets.blocks import Bar as ReportBar
from widgets.blocks import (
    Bars,
    Bullets,
    Checklist,
    Cycle,
    Diagram,
    Heading,
    Paragraph,
    Part,
    Quote,
    Step,
    Steps,
    Table,
    WriteIn,
)
from widgets.content_files import counted, load_activity_content
from widgets.rendering import charts
from widgets.sections.crowding.model import (
    CrowdingContent,
    HoursRefused,
    check_change,
    check_hours,
    choose_routine,
    counted_total,
    feedback_blocks,
    group_figures,
    mark_cycle,
    relational_total,
    report_blocks,
    summary_lines,
    validate_patterns,
    week_summary,
    worksheet_blocks,
)
from widgets.sections.crowding.view import build
from widgets.take_home.export import document_blocks

CRISIS = load_content().crisis
SPEC = load_activity_content("crowding", CrowdingContent)
HOURS = SPEC.hours
PATTERNS = [pattern.id for pattern in SPEC.patterns.options]
ARTICLE = Path(__file__).resolve().parents[2] / "article" / "community-as-medicine-part-1.txt"


# --- content ------------------------------------------------------------------


def test_shipped_content_has_what_the_section_asks_for():
    assert HOURS.limit == 112  # 16 waking hours x 7 days
    assert HOURS.step == 0.5
    ids = [activity.id for activity in HOURS.activities]
    assert ids == ["work", "caregiving", "chores", "screens", "rest", "with-people", "deep-talk"]
    relational = [activity.id for activity in HOURS.activities if activity.relational]
    assert relational == ["with-people", "deep-talk"]
    assert next(a for a in HOURS.activities if a.id == "deep-talk").part_of == "with-people"
    assert "part of your time with people" in next(a for a in HOURS.activities if a.id == "deep-talk").label
    assert "112" in HOURS.intro.format(limit=112, per_day=16)
    assert len(PATTERNS) == 6
    assert [candidate.activity for candidate in SPEC.routine.candidates] == ["screens", "chores", "work"]


def test_the_reminder_is_the_articles_own_words():
    article = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    assert SPEC.reminder.article_words in article
    assert "loneliness is not a permanent identity" in SPEC.reminder.article_words


def test_every_bar_label_fits_beside_its_bar():
    for activity in HOURS.activities:
        note = f" ({SPEC.week.connection_note})" if activity.relational else ""
        assert len(activity.bar_label + note) <= 26, activity.id


def test_every_cycle_label_fits_its_box_even_when_starred():
    for step in SPEC.cycle.steps:
        starred = "★ " + step.label
        assert " ".join(charts._wrap(starred, 18)) == " ".join(starred.split()), step.id


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("reminder"), "reminder: Field required"),
        (lambda d: d.update(colour="blue"), "colour: Extra inputs are not permitted"),
        (lambda d: d["hours"].update(waking_hours_per_day=25), "hours.waking_hours_per_day"),
        (lambda d: d["hours"].update(step=0.3), "step must divide an hour evenly"),
        (
            lambda d: d["hours"]["activities"][1].update(id="work"),
            "hours.activities: Value error, every activity needs its own id",
        ),
        (lambda d: d["hours"]["activities"][6].update(part_of="sleep"), "not listed"),
        (lambda d: d["hours"]["activities"][6].update(relational=False), "relational exactly when"),
        (lambda d: d["hours"].update(total_line="{total} of {everything}"), "unknown placeholder"),
        (lambda d: d["hours"]["refusals"].update(over_limit="{hours}"), "hours.refusals.over_limit"),
        (lambda d: d["patterns"]["options"][0].update(feeds=["nowhere"]), "unknown cycle step"),
        (lambda d: d["patterns"]["options"][0].update(feeds=[]), "patterns.options.0.feeds"),
        (lambda d: d["routine"]["candidates"][0].update(activity="with-people"), "is time with people"),
        (lambda d: d["routine"]["candidates"][0].update(activity="naps"), "is not an activity"),
        (lambda d: d["cycle"]["steps"][0].update(label="x" * 51), "cycle.steps.0.label"),
        (lambda d: d["hours"]["activities"][5].pop("chart_label"), "too long for the chart"),
        (lambda d: d["hours"]["activities"][0].pop("name"), "hours.activities.0.name"),
        (
            lambda d: d["cycle"]["steps"][1].update(id="overwhelmed"),
            "cycle.steps: Value error, every cycle step needs its own id",
        ),
        (lambda d: d["week"].update(share_line="{relational} {everyone}"), "unknown placeholder"),
        (lambda d: d["group"].pop("patterns"), "group.patterns"),
        (lambda d: d["group"]["hours"].update(title=""), "group.hours.title"),
        (lambda d: d["worksheet"].update(fed_by="Fed by {pattern}"), "unknown placeholder"),
        (lambda d: d["worksheet"].update(hours_label="{hours} hours"), "worksheet.hours_label"),
        (lambda d: d["worksheet"].update(routine_lines=0), "worksheet.routine_lines"),
        (lambda d: d["worksheet"].pop("cycle_note"), "worksheet.cycle_note"),
    ],
)
def test_bad_content_names_file_field_and_problem(content_refusal, change, expected):
    # Without its group or worksheet words at all: tests/sections/test_every_section.py.
    assert expected in content_refusal("crowding", change)


# --- hours --------------------------------------------------------------------


def test_skipping_every_hour_is_fine():
    kept = check_hours(HOURS, {})
    assert kept == dict.fromkeys(kept)
    assert counted_total(HOURS, kept) == 0


@pytest.mark.parametrize("value", [0, 0.5, 7, 37.5, 112])
def test_values_in_range_and_in_half_hours_are_kept(value):
    assert check_change(HOURS, {}, "work", value)["work"] == value


@pytest.mark.parametrize("value", [-0.5, 112.5, 1000, math.inf, -math.inf, math.nan, True])
def test_values_out_of_range_are_refused(value):
    with pytest.raises(HoursRefused, match="from 0 to 112"):
        check_change(HOURS, {}, "screens", value)


@pytest.mark.parametrize("value", [0.25, 3.3, 10.75])
def test_values_between_half_hours_are_refused(value):
    with pytest.raises(HoursRefused, match="whole or half hours"):
        check_change(HOURS, {}, "chores", value)


def test_the_week_may_reach_but_not_pass_its_waking_hours():
    kept = check_hours(HOURS, {"work": 50, "chores": 20, "rest": 30})
    assert check_change(HOURS, kept, "with-people", 12)["with-people"] == 12
    with pytest.raises(HoursRefused) as refused:
        check_change(HOURS, kept, "with-people", 12.5)
    assert "112.5 hours" in str(refused.value)
    assert "112 waking hours" in str(refused.value)
    # The earlier answers are what the caller keeps; nothing was changed in place.
    assert kept["with-people"] is None


def test_deep_conversation_counts_inside_time_with_people_not_on_top():
    kept = check_hours(HOURS, {"work": 100, "with-people": 12, "deep-talk": 12})
    assert counted_total(HOURS, kept) == 112
    assert relational_total(HOURS, kept) == 12


def test_deep_conversation_alone_still_counts_toward_the_week():
    kept = check_hours(HOURS, {"work": 100, "deep-talk": 10})
    assert counted_total(HOURS, kept) == 110
    with pytest.raises(HoursRefused, match="more than the 112"):
        check_change(HOURS, kept, "deep-talk", 12.5)


def test_deep_conversation_cannot_exceed_time_with_people():
    kept = check_hours(HOURS, {"with-people": 6})
    assert check_change(HOURS, kept, "deep-talk", 6)["deep-talk"] == 6
    with pytest.raises(HoursRefused) as refused:
        check_change(HOURS, kept, "deep-talk", 6.5)
    message = str(refused.value)
    assert "“Deep conversation” is part of “Time with people”" in message
    assert "more than the 6 hours" in message


def test_time_with_people_cannot_drop_below_deep_conversation():
    kept = check_hours(HOURS, {"with-people": 6, "deep-talk": 4})
    with pytest.raises(HoursRefused) as refused:
        check_change(HOURS, kept, "with-people", 3)
    assert "can't be less than the 4 hours" in str(refused.value)
    # Skipping time with people is still allowed: a skip is never refused.
    assert check_change(HOURS, kept, "with-people", None)["with-people"] is None


def test_a_whole_set_is_checked_wholes_first():
    assert check_hours(HOURS, {"deep-talk": 3, "with-people": 5})["deep-talk"] == 3
    with pytest.raises(HoursRefused, match="part of"):
        check_hours(HOURS, {"deep-talk": 8, "with-people": 5})


@pytest.mark.parametrize("hours", [{"sleep": 56}, {"<b>": 1}])
def test_unknown_activities_are_refused(hours):
    with pytest.raises(ValueError, match="no activity called"):
        check_hours(HOURS, hours)
    with pytest.raises(ValueError, match="no activity called"):
        check_change(HOURS, {}, next(iter(hours)), 1)


# --- chart data ---------------------------------------------------------------


def test_chart_has_a_bar_per_answered_activity_with_connection_highlighted():
    hours = check_hours(HOURS, {"work": 40, "screens": 14, "rest": 0, "with-people": 8, "deep-talk": 2})
    week = week_summary(SPEC, hours)
    assert [(bar.label, bar.value, bar.highlight, bar.note) for bar in week.bars] == [
        ("Work or school", 40, False, ""),
        ("Screens for fun", 14, False, ""),
        ("Rest and time for yourself", 0, False, ""),
        ("With people", 8, True, "connection"),
        ("Deep talks", 2, True, "connection"),
    ]
    assert week.names == [
        "Work or school",
        "Screens for fun",
        "Rest and time for yourself",
        "Time with people",
        "Deep conversation",
    ]
    assert (week.total, week.relational, week.percent) == (62, 8, 13)


def test_skipped_activities_get_no_bar_and_no_share():
    week = week_summary(SPEC, {})
    assert (week.bars, week.total, week.relational, week.percent) == ([], 0, 0, None)


def test_all_zero_hours_show_bars_but_no_percentage():
    week = week_summary(SPEC, {"work": 0, "with-people": 0})
    assert [bar.value for bar in week.bars] == [0, 0]
    assert week.percent is None


def test_share_uses_deep_conversation_when_time_with_people_is_skipped():
    week = week_summary(SPEC, check_hours(HOURS, {"work": 30, "deep-talk": 10}))
    assert (week.total, week.relational, week.percent) == (40, 10, 25)


# --- the cycle ----------------------------------------------------------------


def test_nothing_ticked_marks_no_step_but_keeps_the_whole_cycle():
    steps = mark_cycle(SPEC, [])
    assert [marked.step.id for marked in steps] == [step.id for step in SPEC.cycle.steps]
    assert not any(marked.marked for marked in steps)


@pytest.mark.parametrize("pattern", SPEC.patterns.options, ids=lambda pattern: pattern.id)
def test_each_pattern_marks_the_steps_it_feeds(pattern):
    marked = {marked.step.id for marked in mark_cycle(SPEC, [pattern.id]) if marked.marked}
    assert marked == set(pattern.feeds)


def test_a_step_lists_every_ticked_pattern_that_feeds_it_in_listed_order():
    steps = {marked.step.id: marked for marked in mark_cycle(SPEC, ["exhaustion", "busy-schedule"])}
    assert [pattern.id for pattern in steps["overwhelmed"].patterns] == ["busy-schedule", "exhaustion"]
    assert [pattern.id for pattern in steps["pull-back"].patterns] == ["exhaustion"]
    assert not steps["belief"].marked


def test_the_belief_that_others_are_not_interested_feeds_its_own_step():
    steps = {marked.step.id: marked.marked for marked in mark_cycle(SPEC, ["not-interested"])}
    assert steps["belief"]
    assert sum(steps.values()) == 1


@pytest.mark.parametrize("ticked", [["lonely"], ["exhaustion", "exhaustion"]])
def test_unknown_or_repeated_patterns_are_refused(ticked):
    with pytest.raises(ValueError, match="pattern"):
        validate_patterns(SPEC, ticked)
    with pytest.raises(ValueError, match="pattern"):
        mark_cycle(SPEC, ticked)


# --- the routine rule ---------------------------------------------------------


def test_the_biggest_routine_block_is_picked():
    choice = choose_routine(SPEC, {"work": 20, "screens": 25, "chores": 5, "caregiving": 60}, [])
    assert (choice.source, choice.chosen) == ("hours", "screens")
    assert "“Screens for fun” fills 25 hours" in choice.reason
    assert choice.suggestion == SPEC.routine.candidates[0].suggestion


def test_caregiving_rest_and_time_with_people_are_never_picked():
    choice = choose_routine(SPEC, {"caregiving": 60, "rest": 20, "with-people": 10, "chores": 0.5}, [])
    assert choice.chosen == "chores"


def test_ties_go_to_the_candidate_listed_first():
    assert choose_routine(SPEC, {"work": 10, "chores": 10, "screens": 10}, []).chosen == "screens"
    assert choose_routine(SPEC, {"work": 10, "chores": 10}, []).chosen == "chores"


def test_without_routine_hours_the_first_ticked_pattern_picks():
    hours = {"work": 0, "rest": 30}
    choice = choose_routine(SPEC, hours, ["not-interested", "money-stress"])
    # "money-stress" is listed before "not-interested", so it comes first.
    assert (choice.source, choice.chosen) == ("pattern", "money-stress")
    pattern = next(p for p in SPEC.patterns.options if p.id == "money-stress")
    assert choice.suggestion == pattern.suggestion
    assert pattern.label in choice.reason


def test_with_nothing_given_a_gentle_default_is_offered():
    choice = choose_routine(SPEC, {}, [])
    assert (choice.source, choice.chosen) == ("default", None)
    assert choice.reason == SPEC.routine.default_reason
    assert choice.suggestion == SPEC.routine.default_suggestion


@pytest.mark.parametrize("hours", [{"with-people": 12.0}, {"rest": 50.0, "caregiving": 10.0, "screens": 0.0}])
def test_hours_outside_the_routines_are_not_called_nothing_entered(hours):
    choice = choose_routine(SPEC, hours, [])
    assert (choice.source, choice.chosen) == ("default", None)
    assert choice.reason == SPEC.routine.other_hours_reason
    assert choice.suggestion == SPEC.routine.default_suggestion


# --- the summary's lines ----------------------------------------------------------

SLUG = "isolation-replaces-connection"
LABELS = {pattern.id: pattern.label for pattern in SPEC.patterns.options}
SUGGESTIONS = {candidate.activity: candidate.suggestion for candidate in SPEC.routine.candidates}


def _type(activity, **hours: float | None) -> None:
    for key, value in hours.items():
        activity.hours_boxes[key.replace("_", "-")].set_state({"value": value})


def test_summary_lines_give_the_share_the_patterns_and_the_routine(book):
    activity = build(load_content())
    _type(activity, work=40, screens=21, with_people=10, deep_talk=2.5)
    activity.patterns.set_state({"value": ["exhaustion", "busy-schedule"]})
    routine = SPEC.routine
    assert summary_lines(book.load(SLUG)) == [
        "Time with people is 10 of the 71 hours you entered, about 14%.",
        LABELS["busy-schedule"],  # in the order the checklist lists them
        LABELS["exhaustion"],
        f"{routine.heading}: " + counted(routine.from_hours, 40, activity="Work or school", hours="40"),
        f"{routine.suggestion_lead} {SUGGESTIONS['work']}",
    ]


def test_summary_lines_without_routine_hours_take_the_routine_from_a_pattern(book):
    activity = build(load_content())
    _type(activity, rest=10)
    activity.patterns.set_state({"value": ["quick-contact"]})
    pattern = next(pattern for pattern in SPEC.patterns.options if pattern.id == "quick-contact")
    assert summary_lines(book.load(SLUG)) == [
        SPEC.week.no_people_line,
        pattern.label,
        f"{SPEC.routine.suggestion_lead} {pattern.suggestion}",
    ]


def test_summary_lines_are_empty_when_nothing_was_entered(book):
    assert summary_lines({}) == []
    assert summary_lines({"hours": dict.fromkeys(a.id for a in HOURS.activities), "patterns": []}) == []
    activity = build(load_content())
    _type(activity, screens=5)
    _type(activity, screens=None)  # typed, then cleared: saved, but nothing entered
    assert book.load(SLUG)["hours"]["screens"] is None
    assert summary_lines(book.load(SLUG)) == []


def test_summary_lines_leave_out_ids_and_hours_that_no_longer_fit():
    saved = {
        "hours": {
            "gardening": 30,  # an activity the content no longer has
            "screens": 200,  # more than the week holds
            "chores": "lots",
            "work": True,
            "with-people": 4,
            "deep-talk": 6,  # more than its whole
        },
        "patterns": ["gone-pattern", "exhaustion", ["not", "an", "id"]],
    }
    assert summary_lines(saved) == [
        "Time with people is 4 of the 4 hours you entered, about 100%.",
        LABELS["exhaustion"],
        f"{SPEC.routine.suggestion_lead} "
        + next(p.suggestion for p in SPEC.patterns.options if p.id == "exhaustion"),
    ]
    assert summary_lines({"hours": {"gardening": 30}, "patterns": ["gone-pattern"]}) == []
    assert summary_lines({"hours": "not a mapping", "patterns": "not a list"}) == []


# --- the group's figures (facilitator's screen) ----------------------------------

SENTINEL = "<b>Sam Secret</b>"


def _name(activity_id: str) -> str:
    return next(activity.name for activity in SPEC.hours.activities if activity.id == activity_id)


def _label(pattern_id: str) -> str:
    return next(pattern.label for pattern in SPEC.patterns.options if pattern.id == pattern_id)


def test_group_figures_average_hours_over_those_who_entered_them_and_count_patterns():
    shared = [
        {
            "hours": {"work": 40, "with-people": 10, "deep-talk": 4},
            "patterns": ["busy-schedule", "exhaustion"],
        },
        {
            "hours": {
                "work": 30,
                "screens": 12.5,
                "with-people": 2,
                "deep-talk": 3,  # more than its whole (2): refused, as on the page
                "rest": -1,  # out of range
                "chores": "5",  # not a number
                "caregiving": True,  # not a number
                "gone": 4,
            },
            "patterns": ["exhaustion", "gone", "exhaustion", ["x"]],
        },
        {"hours": {"work": 200}, "patterns": "busy-schedule"},  # over the week; not a list
        {"hours": None},
        "not a mapping",
    ]
    hours, patterns = group_figures(shared)
    assert (hours.id, hours.measure, hours.scale) == ("hours", "average", None)
    # work (40 + 30) / 2; screens 12.5; with people (10 + 2) / 2; deep talks 4 (one person).
    assert figure_rows(hours) == [
        (_name("work"), 35.0),
        (_name("screens"), 12.5),
        (_name("with-people"), 6.0),
        (_name("deep-talk"), 4.0),
    ]
    assert (patterns.id, patterns.measure) == ("patterns", "count")
    assert figure_rows(patterns) == [
        (_label("busy-schedule"), 1),
        (_label("money-stress"), 0),
        (_label("exhaustion"), 2),
        (_label("quick-contact"), 0),
        (_label("not-interested"), 0),
        (_label("caregiving-demands"), 0),
    ]
    assert all("group" in figure.title for figure in (hours, patterns))


def test_group_figures_leave_out_what_no_one_gave():
    assert [f.id for f in group_figures([{"hours": {"rest": 0}, "patterns": []}])] == ["hours"]
    assert [f.id for f in group_figures([{"hours": {}, "patterns": ["money-stress"]}])] == ["patterns"]


def test_group_figures_never_show_what_someone_sent():
    shared = [{"hours": {"work": 3, SENTINEL: 2}, "patterns": ["exhaustion", SENTINEL], SENTINEL: SENTINEL}]
    figures = group_figures(shared)
    words = figure_words(figures)
    assert len(figures) == 2
    assert not [text for text in words if "Sam" in text or "<" in text]


def test_group_figures_are_empty_without_hours_or_patterns_that_fit():
    # Any section's unusable shares (none, empty, not a mapping): tests/sections/test_every_section.py.
    assert group_figures([{"hours": {"work": None}, "patterns": []}]) == []
    assert group_figures([{"hours": {"work": 999}, "patterns": ["gone"]}]) == []


# --- the take-home workbook and the paper worksheet --------------------------------


def _step(step_id: str):
    return next(step for step in SPEC.cycle.steps if step.id == step_id)


def _suggestion(activity_id: str) -> str:
    return next(c.suggestion for c in SPEC.routine.candidates if c.activity == activity_id)


def _printed(saved) -> list:
    """The take-home's blocks as its web page and PDF print them."""
    return document_blocks(report_blocks(saved), CRISIS)


SAVED_WEEK = {
    "hours": {"work": 40, "screens": 12.5, "with-people": 6, "deep-talk": 2, "rest": None},
    "patterns": ["exhaustion", "quick-contact"],
}


def test_feedback_blocks_show_the_week_drawn_the_cycle_drawn_and_listed_the_routine_and_the_reminder():
    hours = check_hours(HOURS, SAVED_WEEK["hours"])
    blocks = feedback_blocks(SPEC, hours, SAVED_WEEK["patterns"])
    week, (cycle_heading, _intro, cycle, marked), routine, reminder = (
        blocks[:3],
        blocks[3:7],
        blocks[7],
        blocks[8:],
    )
    assert week[0] == Heading(SPEC.week.heading)
    assert isinstance(week[1], Diagram)
    # The page's bars carry the short chart labels; documents' the full names, as the table does.
    assert [bar.label for bar in week[1].chart.bars] == [
        "Work or school",
        "Screens for fun",
        "With people",
        "Deep talks",
    ]
    assert [bar.label for bar in week[1].document[0].bars] == [row[0] for row in week[1].alternative[0].rows]
    assert week[1].document[1] == week[1].alternative[0]
    assert week[2] == Paragraph(
        "Time with people is 6 of the 58.5 hours you entered, about 10%.", style="week-share"
    )
    assert cycle_heading == Heading(SPEC.cycle.heading)
    assert isinstance(cycle, Diagram)
    assert isinstance(cycle.chart, Cycle)
    assert [starred for _, starred in cycle.chart.steps] == [True, False, True, False, False, True]
    list_heading, steps, back = cycle.alternative
    assert (list_heading, back) == (Paragraph(SPEC.cycle.list_heading), Paragraph(SPEC.cycle.back_to_start))
    overwhelmed = _step("overwhelmed")
    yours = SPEC.cycle.yours.format(patterns=_label("exhaustion"))
    assert isinstance(steps, Steps)
    assert steps.items[0] == Step(overwhelmed.label, overwhelmed.detail, marked=True, note=yours)
    assert cycle.document == cycle.alternative
    assert marked == Paragraph(SPEC.cycle.marked_line, style="cycle-marked")
    assert routine == Part(
        (
            Heading(SPEC.routine.heading),
            Paragraph(counted(SPEC.routine.from_hours, 40, activity=_name("work"), hours="40")),
            Paragraph(_suggestion("work"), lead=SPEC.routine.suggestion_lead),
        ),
        style="routine",
        data=(("source", "hours"),),
        tag="div",
    )
    assert reminder == [Heading(SPEC.reminder.lead), Quote(SPEC.reminder.article_words, SPEC.reminder.source)]


def test_feedback_blocks_with_nothing_entered_say_what_adding_and_ticking_will_show():
    blocks = feedback_blocks(SPEC, {}, [])
    assert blocks[:2] == [Heading(SPEC.week.heading), Paragraph(SPEC.week.empty, style="week-empty")]
    assert Paragraph(SPEC.cycle.none_marked, style="cycle-marked") in blocks
    (routine,) = [block for block in blocks if isinstance(block, Part)]
    assert Paragraph(SPEC.routine.default_reason) in routine.blocks
    # Documents leave out the words that speak of the questions above them.
    printed = feedback_blocks(SPEC, {}, [], page=False)
    assert Heading(SPEC.week.heading) not in printed
    assert Paragraph(SPEC.cycle.none_marked, style="cycle-marked") not in printed
    (routine,) = [block for block in printed if isinstance(block, Part)]
    assert Paragraph(SPEC.routine.default_reason) not in routine.blocks


def test_the_take_home_gives_the_blocks_the_page_shows():
    hours = check_hours(HOURS, SAVED_WEEK["hours"])
    assert report_blocks(SAVED_WEEK) == feedback_blocks(SPEC, hours, SAVED_WEEK["patterns"])


def test_report_blocks_show_the_week_the_marked_cycle_and_the_routine(bars_with_tables, block_texts):
    blocks = _printed(SAVED_WEEK)
    (bars,) = [block for block in blocks if isinstance(block, Bars)]
    assert bars.title == SPEC.week.title
    assert bars.bars == (
        ReportBar(_name("work"), 40),
        ReportBar(_name("screens"), 12.5),
        ReportBar(_name("with-people"), 6, highlight=True, note=SPEC.week.connection_note),
        ReportBar(_name("deep-talk"), 2, highlight=True, note=SPEC.week.connection_note),
    )
    bars_with_tables(blocks)
    table = blocks[blocks.index(bars) + 1]
    assert table.headers == tuple(SPEC.week.headers)
    assert [row[2] for row in table.rows] == [SPEC.week.not_connection] * 2 + [SPEC.week.connection_note] * 2
    assert Paragraph("Time with people is 6 of the 58.5 hours you entered, about 10%.") in blocks
    # The cycle, each step a ticked pattern feeds starred and named in the participant's patterns.
    (cycle,) = [block for block in blocks if isinstance(block, Bullets)]
    assert len(cycle.items) == len(SPEC.cycle.steps)
    tired, quick = _label("exhaustion"), _label("quick-contact")
    overwhelmed = _step("overwhelmed")
    assert cycle.items[0] == (
        f"★ {overwhelmed.label}: {overwhelmed.detail} {SPEC.cycle.yours.format(patterns=tired)}"
    )
    assert cycle.items[2].startswith("★ ")
    assert cycle.items[2].endswith(SPEC.cycle.yours.format(patterns=quick))
    less_time = _step("less-time")
    assert cycle.items[1] == f"{less_time.label}: {less_time.detail}"  # no ticked pattern feeds it
    texts = block_texts(blocks)
    assert SPEC.cycle.marked_line in texts
    # The routine: work has the most routine hours.
    assert SPEC.routine.heading in texts
    assert counted(SPEC.routine.from_hours, 40, activity=_name("work"), hours="40") in texts
    assert f"{SPEC.routine.suggestion_lead} {_suggestion('work')}" in texts
    assert blocks[-1] == Paragraph(f"“{SPEC.reminder.article_words}” ({SPEC.reminder.source})", style="quiet")


def test_report_blocks_without_hours_still_show_the_cycle_and_the_patterns_routine(block_texts):
    blocks = _printed({"hours": {}, "patterns": ["not-interested"]})
    assert not any(isinstance(block, Bars | Table) for block in blocks)
    texts = block_texts(blocks)
    belief = _step("belief")
    assert (
        f"★ {belief.label}: {belief.detail} {SPEC.cycle.yours.format(patterns=_label('not-interested'))}"
        in (texts)
    )
    assert SPEC.routine.from_pattern.format(pattern=_label("not-interested")) in texts


def test_report_blocks_with_only_time_with_people_leave_out_words_that_do_not_fit(
    bars_with_tables, block_texts
):
    blocks = _printed({"hours": {"with-people": 5}, "patterns": []})
    bars_with_tables(blocks)
    texts = block_texts(blocks)
    # Nothing ticked: no step starred, and the page's "tick patterns above" words stay on the page.
    assert not any(text.startswith("★") for text in texts)
    assert SPEC.cycle.none_marked not in texts
    # The default routine's reason says nothing was entered, which is not so here.
    assert SPEC.routine.default_reason not in texts
    assert f"{SPEC.routine.suggestion_lead} {SPEC.routine.default_suggestion}" in texts


def test_report_blocks_skip_ids_and_hours_that_no_longer_fit(bars_with_tables, block_texts):
    saved = {
        "hours": {
            "gardening": 30,
            "screens": 200,
            "chores": "lots",
            "work": True,
            "with-people": 4,
            "deep-talk": 6,
        },
        "patterns": ["gone-pattern", "exhaustion", ["not", "an", "id"]],
    }
    blocks = _printed(saved)
    (bars,) = [block for block in blocks if isinstance(block, Bars)]
    assert [bar.label for bar in bars.bars] == [_name("with-people")]
    bars_with_tables(blocks)
    assert sum(text.startswith("★") for text in block_texts(blocks)) == 2  # exhaustion feeds two steps


# Any section's empty or unreadable saved answers: tests/sections/test_every_section.py.
@pytest.mark.parametrize(
    "saved",
    [
        {"hours": {}, "patterns": []},
        {"hours": {"gardening": 30}, "patterns": ["gone-pattern"]},
        {"hours": "not a mapping", "patterns": "not a list"},
        {"hours": {activity.id: None for activity in SPEC.hours.activities}},
    ],
)
def test_report_blocks_are_empty_when_nothing_usable_was_entered(saved):
    assert report_blocks(saved) == []


def test_worksheet_blocks_cover_every_part_of_the_week_pattern_and_cycle_step(block_texts):
    blocks = worksheet_blocks()
    words = SPEC.worksheet
    write_ins = [block.label for block in blocks if isinstance(block, WriteIn)]
    for activity in SPEC.hours.activities:
        assert words.hours_label.format(activity=activity.label) in write_ins
    assert words.routine_label in write_ins
    (checklist,) = [block for block in blocks if isinstance(block, Checklist)]
    assert checklist == Checklist(SPEC.patterns.question, tuple(p.label for p in SPEC.patterns.options))
    (steps,) = [block for block in blocks if isinstance(block, Bullets)]
    for step, line in zip(SPEC.cycle.steps, steps.items, strict=True):
        assert line.startswith(f"{step.label}: {step.detail}")
        for pattern in SPEC.patterns.options:
            assert (pattern.label in line) == (step.id in pattern.feeds)
    texts = " ".join(block_texts(blocks))
    assert words.intro in texts
    assert words.cycle_note in texts
    assert f"“{SPEC.reminder.article_words}”" in texts
    assert "{" not in texts  # every placeholder filled in
