"""What crowds out connection (section 5): hours, patterns, the cycle. Pure Python: no widgets here.

The participant gives rough hours a week for a few parts of waking life and
ticks the patterns that fit. This module checks the hours (each in range, in
half hours, a part never more than its whole, the week never more than its
waking hours), turns them into chart bars, marks the steps of the isolation
cycle that the ticked patterns feed, and picks one routine to adjust.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, OnErrorOmit, StringConstraints, model_validator

from widgets.blocks import (
    Bar,
    Bars,
    Block,
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
from widgets.content_files import (
    ContentModel,
    Identifier,
    OwnIds,
    Placeholders,
    PlainText,
    Text,
    Unit,
    counted,
    load_activity_content,
)
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, average, figure

DAYS_PER_WEEK = 7

# The most characters a bar's label (with its note) may have and still fit beside the bar.
BAR_LABEL_LIMIT = 26

# Short enough to fit in a box of the cycle picture (four lines of about 18 characters).
ChartText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]

# --- content schema (widgets/content/LANG/crowding.yaml) ---------------------------


class Activity(ContentModel):
    """One part of the week the participant may give hours for."""

    id: Identifier
    label: Text
    """The question beside the number box."""
    name: ChartText
    """A short name, used in the chart's table and in messages."""
    chart_label: ChartText | None = None
    """A shorter name for the chart's bar, if ``name`` does not fit there."""
    relational: bool = False
    """Time spent with people: highlighted on the chart and counted as connection."""
    part_of: Identifier | None = None
    """The activity this one is a part of (deep conversation is part of time with people)."""

    @property
    def bar_label(self) -> str:
        """The name written beside the activity's bar."""
        return self.chart_label or self.name


class Refusals(ContentModel):
    """What a participant reads when an hours answer is not kept."""

    out_of_range: Annotated[Text, Placeholders("limit")]
    not_a_half_hour: PlainText
    over_limit: Annotated[Text, Placeholders("total", "limit")]
    part_over_whole: Annotated[Text, Placeholders("part", "whole", "part_hours", "whole_hours")]
    whole_under_part: Annotated[Text, Placeholders("part", "whole", "part_hours", "whole_hours")]


class HoursQuestions(ContentModel):
    """The hours part of the activity."""

    heading: Text
    intro: Annotated[Text, Placeholders("per_day", "limit")]
    waking_hours_per_day: int = Field(ge=1, le=24)
    step: float = Field(gt=0, le=1)
    unit: Text
    activities: Annotated[list[Activity], OwnIds("activity")] = Field(min_length=1, max_length=12)
    total_line: Annotated[Text, Placeholders("total", "limit")]
    refusals: Refusals

    @property
    def limit(self) -> float:
        """The most hours a week the answers may add up to (waking hours in a week)."""
        return float(self.waking_hours_per_day * DAYS_PER_WEEK)

    @model_validator(mode="after")
    def _consistent(self) -> HoursQuestions:
        by_id = {activity.id: activity for activity in self.activities}
        for activity in self.activities:
            whole = by_id.get(activity.part_of) if activity.part_of else None
            if activity.part_of and whole is None:
                raise ValueError(f"activity {activity.id!r} is part_of {activity.part_of!r}, not listed")
            if whole is not None and (whole.part_of or whole.id == activity.id):
                raise ValueError(f"activity {activity.id!r} must be part of a top-level activity")
            if whole is not None and activity.relational != whole.relational:
                raise ValueError(f"activity {activity.id!r} must be relational exactly when {whole.id!r} is")
        if not any(activity.relational for activity in self.activities):
            raise ValueError("at least one activity must be relational (time with people)")
        if not math.isclose(1 / self.step, round(1 / self.step)):
            raise ValueError(f"step must divide an hour evenly, got {self.step}")
        return self


class Pattern(ContentModel):
    """Something in daily life that can crowd out connection."""

    id: Identifier
    label: Text
    feeds: list[Identifier] = Field(min_length=1)
    """The cycle steps this pattern feeds, marked when it is ticked."""
    suggestion: Text
    """A small change to try, used when this pattern picks the routine to adjust."""


class PatternQuestion(ContentModel):
    """The checklist of patterns."""

    question: Text
    hint: Text
    options: Annotated[list[Pattern], OwnIds("pattern")] = Field(min_length=1, max_length=12)


class WeekChart(ContentModel):
    """Words for the chart of the week."""

    heading: Text
    title: Text
    caption: Text
    table_caption: Text
    unit: Unit
    """The unit written after each bar's number, in the form that agrees with it ("1 hour", "2 hours")."""
    headers: list[Text] = Field(min_length=3, max_length=3)
    connection_note: Text
    not_connection: Text
    empty: Text
    share_line: Annotated[Unit, Placeholders("relational", "total", "percent")]
    no_people_line: Text


class CycleStep(ContentModel):
    """One step of the cycle in which isolation keeps itself going."""

    id: Identifier
    label: ChartText
    """The few words drawn in the cycle's box."""
    detail: Text
    """The step said in full, for the list beside the picture."""


class CycleText(ContentModel):
    """Words for the cycle of isolation."""

    heading: Text
    intro: Text
    title: Text
    caption: Text
    list_heading: Text
    steps: Annotated[list[CycleStep], OwnIds("cycle step")] = Field(min_length=3, max_length=8)
    back_to_start: Text
    marked_line: Text
    none_marked: Text
    yours: Annotated[Text, Placeholders("patterns")]


class RoutineCandidate(ContentModel):
    """An activity whose hours may pick the routine to adjust, with its suggestion."""

    activity: Identifier
    suggestion: Text


class RoutineText(ContentModel):
    """The rule and words for "one routine to adjust"."""

    heading: Text
    candidates: list[RoutineCandidate] = Field(min_length=1)
    from_hours: Annotated[Unit, Placeholders("activity", "hours")]
    from_pattern: Annotated[Text, Placeholders("pattern")]
    default_reason: Text
    other_hours_reason: Text
    """The default's reason when hours were entered, none of them in a routine candidate."""
    default_suggestion: Text
    suggestion_lead: Text


class Reminder(ContentModel):
    """The article's reminder, quoted word for word."""

    lead: Text
    article_words: Text
    source: Text


class CrowdingGroupWords(ContentModel):
    """The words of the group figures (see :func:`group_figures`)."""

    hours: GroupWords
    patterns: GroupWords


class CrowdingWorksheet(ContentModel):
    """The words of the blank paper form (see :func:`worksheet_blocks`)."""

    intro: Text
    hours_label: Annotated[Text, Placeholders("activity")]
    """The line to write one part of the week's hours on."""
    cycle_note: Text
    fed_by: Annotated[Text, Placeholders("patterns")]
    """Said after a cycle step: the patterns that feed it."""
    routine_label: Text
    routine_lines: int = Field(ge=1, le=10)


class CrowdingContent(ContentModel):
    """Everything section 5's activity says, and its rules."""

    heading: Text
    intro: Text
    hours: HoursQuestions
    patterns: PatternQuestion
    week: WeekChart
    cycle: CycleText
    routine: RoutineText
    reminder: Reminder
    group: CrowdingGroupWords
    worksheet: CrowdingWorksheet

    @model_validator(mode="after")
    def _consistent(self) -> CrowdingContent:
        # One check after another, in this order, so a file with several faults is told the first.
        self._check_pattern_feeds()
        self._check_bar_labels()
        self._check_routine_candidates()
        return self

    def _check_pattern_feeds(self) -> None:
        """Each pattern feeds only cycle steps there are."""
        step_ids = [step.id for step in self.cycle.steps]
        for pattern in self.patterns.options:
            unknown = sorted(set(pattern.feeds) - set(step_ids))
            if unknown:
                raise ValueError(f"pattern {pattern.id!r} feeds unknown cycle step(s) {unknown}")

    def _check_bar_labels(self) -> None:
        """Each activity's bar label fits the chart, with the connection note beside time with people."""
        for activity in self.hours.activities:
            shown = activity.bar_label
            if activity.relational:
                shown += f" ({self.week.connection_note})"
            if len(shown) > BAR_LABEL_LIMIT:
                raise ValueError(
                    f"activity {activity.id!r}: the bar label {shown!r} is too long for the chart "
                    f"({len(shown)} characters, at most {BAR_LABEL_LIMIT}); give a shorter chart_label"
                )

    def _check_routine_candidates(self) -> None:
        """Each routine candidate is a different activity, and none of them is time with people."""
        activities = {activity.id: activity for activity in self.hours.activities}
        candidates = [candidate.activity for candidate in self.routine.candidates]
        for activity_id in candidates:
            if activity_id not in activities:
                raise ValueError(f"routine candidate {activity_id!r} is not an activity")
            if activities[activity_id].relational:
                raise ValueError(f"routine candidate {activity_id!r} is time with people, not a routine")
        if len(set(candidates)) != len(candidates):
            raise ValueError(f"every routine candidate must be a different activity, got {candidates}")


class CrowdingAnswers(SavedAnswers):
    """What section 5's view saves: hours a week per activity id, and the ticked pattern ids."""

    hours: dict[str, OnErrorOmit[float | None]] = Field(default_factory=dict)
    """``None`` where skipped; an answer that is not a number is passed over, as the page passes it over."""
    patterns: list[OnErrorOmit[str]] = Field(default_factory=list)


# --- the model ----------------------------------------------------------------

Hours = Mapping[str, float | None]
"""Activity id to hours a week; a missing id or ``None`` means skipped."""

# How far from a whole number of steps a value may be and still count as one (float noise).
_STEP_TOLERANCE = 1e-9


class HoursRefused(ValueError):
    """An hours answer that is not kept. The message is written for the participant."""


def _hours(value: float) -> str:
    return f"{value:g}"


def _by_id(spec: HoursQuestions) -> dict[str, Activity]:
    return {activity.id: activity for activity in spec.activities}


def _parts(spec: HoursQuestions, whole_id: str) -> list[Activity]:
    return [activity for activity in spec.activities if activity.part_of == whole_id]


def _counted(spec: HoursQuestions, hours: Hours, *, relational_only: bool) -> float:
    total = 0.0
    for activity in spec.activities:
        if activity.part_of or (relational_only and not activity.relational):
            continue
        # A part (deep conversation) sits inside its whole (time with people), so it adds
        # to the week only when the whole was skipped.
        parts = sum(hours.get(part.id) or 0 for part in _parts(spec, activity.id))
        total += max(hours.get(activity.id) or 0, parts)
    return total


def counted_total(spec: HoursQuestions, hours: Hours) -> float:
    """The waking hours the answers add up to, each part counted once inside its whole."""
    return _counted(spec, hours, relational_only=False)


def relational_total(spec: HoursQuestions, hours: Hours) -> float:
    """The hours with people among :func:`counted_total`."""
    return _counted(spec, hours, relational_only=True)


def check_change(
    spec: HoursQuestions, hours: Hours, activity_id: str, value: float | None
) -> dict[str, float | None]:
    """Every activity id to its hours once ``activity_id``'s answer becomes ``value`` (``None``: skipped).

    Raises :class:`HoursRefused`, its message saying which plainly, if the new answer is out of
    range, not in whole steps, makes a part bigger than its whole, or brings the week over its waking
    hours; ``ValueError`` if an activity id is not in the content.
    """
    activities = _by_id(spec)
    unknown = sorted(set(hours) - set(activities) | ({activity_id} - set(activities)))
    if unknown:
        raise ValueError(f"there is no activity called {unknown[0]!r}")
    proposed = {key: hours.get(key) for key in activities}
    proposed[activity_id] = value
    if value is None:
        return proposed  # skipping is always fine
    refusals = spec.refusals
    if isinstance(value, bool) or not math.isfinite(value) or not 0 <= value <= spec.limit:
        raise HoursRefused(refusals.out_of_range.format(limit=_hours(spec.limit)))
    steps = value / spec.step
    if abs(steps - round(steps)) > _STEP_TOLERANCE:
        raise HoursRefused(refusals.not_a_half_hour)
    activity = activities[activity_id]
    if activity.part_of:
        whole = activities[activity.part_of]
        whole_hours = proposed[whole.id]
        if whole_hours is not None and value > whole_hours:
            raise HoursRefused(_part_message(refusals.part_over_whole, activity, whole, value, whole_hours))
    for part in _parts(spec, activity_id):
        part_hours = proposed[part.id]
        if part_hours is not None and value < part_hours:
            raise HoursRefused(_part_message(refusals.whole_under_part, part, activity, part_hours, value))
    total = counted_total(spec, proposed)
    if total > spec.limit:
        raise HoursRefused(refusals.over_limit.format(total=_hours(total), limit=_hours(spec.limit)))
    return proposed


def _part_message(
    template: str, part: Activity, whole: Activity, part_hours: float, whole_hours: float
) -> str:
    return template.format(
        part=part.name,
        whole=whole.name,
        part_hours=_hours(part_hours),
        whole_hours=_hours(whole_hours),
    )


def check_hours(spec: HoursQuestions, hours: Hours) -> dict[str, float | None]:
    """Check a whole set of hours answers (such as saved ones), wholes before their parts.

    Every activity id to its hours (``None`` where skipped); raises as :func:`check_change` does, for
    the first answer that does not fit.
    """
    unknown = sorted(set(hours) - set(_by_id(spec)))
    if unknown:
        raise ValueError(f"there is no activity called {unknown[0]!r}")
    kept: dict[str, float | None] = {activity.id: None for activity in spec.activities}
    ordered = sorted(spec.activities, key=lambda activity: activity.part_of is not None)
    for activity in ordered:
        kept = check_change(spec, kept, activity.id, hours.get(activity.id))
    return kept


def validate_patterns(spec: CrowdingContent, ticked: Sequence[str]) -> None:
    """Raise ``ValueError`` unless ``ticked`` names each pattern at most once."""
    known = {pattern.id for pattern in spec.patterns.options}
    for pattern_id in ticked:
        if pattern_id not in known:
            raise ValueError(f"there is no pattern called {pattern_id!r}")
    if len(set(ticked)) != len(ticked):
        raise ValueError("a pattern was ticked twice")


@dataclass(frozen=True)
class WeekSummary:
    """The week as a chart: one bar per answered activity, and the share spent with people."""

    bars: list[Bar]
    names: list[str]
    """Each bar's activity name, for the chart's table."""
    total: float
    relational: float
    percent: int | None
    """Hours with people as a whole-number percentage of ``total``; ``None`` when the total is 0."""


def week_summary(spec: CrowdingContent, hours: Hours) -> WeekSummary:
    """Turn hours answers into chart bars (answered activities only) and the share with people.

    Skipped activities get no bar: a skip is not zero hours.
    """
    questions = spec.hours
    bars = [
        Bar(
            label=activity.bar_label,
            value=value,
            highlight=activity.relational,
            note=spec.week.connection_note if activity.relational else "",
        )
        for activity in questions.activities
        if (value := hours.get(activity.id)) is not None
    ]
    names = [activity.name for activity in questions.activities if hours.get(activity.id) is not None]
    total = counted_total(questions, hours)
    relational = relational_total(questions, hours)
    percent = round(100 * relational / total) if total > 0 else None
    return WeekSummary(bars=bars, names=names, total=total, relational=relational, percent=percent)


@dataclass(frozen=True)
class MarkedStep:
    """A step of the cycle and the ticked patterns that feed it."""

    step: CycleStep
    patterns: tuple[Pattern, ...]

    @property
    def marked(self) -> bool:
        """Whether any ticked pattern feeds this step."""
        return bool(self.patterns)


def mark_cycle(spec: CrowdingContent, ticked: Sequence[str]) -> list[MarkedStep]:
    """Return the cycle's steps in order, each with the ticked patterns (in option order) that feed it."""
    validate_patterns(spec, ticked)
    chosen = [pattern for pattern in spec.patterns.options if pattern.id in ticked]
    return [
        MarkedStep(step, tuple(pattern for pattern in chosen if step.id in pattern.feeds))
        for step in spec.cycle.steps
    ]


@dataclass(frozen=True)
class RoutineChoice:
    """The one routine to adjust, why it was picked, and a small suggestion."""

    source: str
    """``"hours"``, ``"pattern"`` or ``"default"``: what picked it."""
    chosen: str | None
    """The activity or pattern id that picked it (``None`` for the default)."""
    reason: str
    suggestion: str


def choose_routine(spec: CrowdingContent, hours: Hours, ticked: Sequence[str]) -> RoutineChoice:
    """Pick one routine to adjust, by the content's rule.

    The rule: the routine candidate (screens, chores, work, in the content's order) with the
    most hours, if any has more than 0; ties go to the earlier one. Otherwise the first ticked
    pattern, in the order the patterns are listed. Otherwise a gentle default.
    """
    routine = spec.routine
    validate_patterns(spec, ticked)
    activities = _by_id(spec.hours)
    given = [
        (hours.get(candidate.activity) or 0, candidate)
        for candidate in routine.candidates
        if (hours.get(candidate.activity) or 0) > 0
    ]
    if given:
        # max() keeps the first of equal values, so ties go to the earlier candidate.
        most, candidate = max(given, key=lambda pair: pair[0])
        activity = activities[candidate.activity]
        reason = counted(routine.from_hours, most, activity=activity.name, hours=_hours(most))
        return RoutineChoice("hours", candidate.activity, reason, candidate.suggestion)
    for pattern in spec.patterns.options:
        if pattern.id in ticked:
            reason = routine.from_pattern.format(pattern=pattern.label)
            return RoutineChoice("pattern", pattern.id, reason, pattern.suggestion)
    # "You haven't added hours yet" would be untrue to someone who entered time with people only.
    entered = any((value or 0) > 0 for value in hours.values())
    reason = routine.other_hours_reason if entered else routine.default_reason
    return RoutineChoice("default", None, reason, routine.default_suggestion)


def _usable_hours(spec: HoursQuestions, saved: object) -> dict[str, float | None]:
    """Saved hours answers that still fit the content, each checked as the page checks it.

    An activity the content no longer has, or an answer that is not a number
    or would be refused now, reads as skipped; the other answers are kept.
    """
    hours: dict[str, float | None] = {activity.id: None for activity in spec.activities}
    if not isinstance(saved, Mapping):
        return hours
    # Wholes before their parts, as check_hours does, so a part is checked against its whole.
    for activity in sorted(spec.activities, key=lambda activity: activity.part_of is not None):
        value = saved.get(activity.id)
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        try:
            hours = check_change(spec, hours, activity.id, float(value))
        except (HoursRefused, OverflowError):  # OverflowError: an int too big to be a float
            continue
    return hours


def _ticked_patterns(spec: CrowdingContent, saved: object) -> list[Pattern]:
    """The saved ticked patterns the checklist still has, in its order (anything else is left out)."""
    raw = saved.get("patterns") if isinstance(saved, Mapping) else None
    if not isinstance(raw, list):
        return []
    return [pattern for pattern in spec.patterns.options if pattern.id in raw]


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the summary: time with people, patterns, and the routine to adjust.

    The share of the entered hours spent with people (when any hours were entered), each ticked
    pattern in the words of the checklist, and the routine to adjust with its small suggestion, as the
    page words them. Empty when no hours were entered and no pattern was ticked. Ids the content no
    longer has, and hours that no longer fit, are left out.
    """
    spec = load_activity_content("crowding", CrowdingContent)
    hours = _usable_hours(spec.hours, saved.get("hours"))
    chosen = _ticked_patterns(spec, saved)
    ticked = [pattern.id for pattern in chosen]
    week = week_summary(spec, hours)
    lines = []
    if week.bars:
        lines.append(_share_line(spec, week))
    lines += [pattern.label for pattern in chosen]
    choice = choose_routine(spec, hours, ticked)
    if choice.source == "hours":
        lines.append(f"{spec.routine.heading}: {choice.reason}")
    if choice.source != "default":
        lines.append(f"{spec.routine.suggestion_lead} {choice.suggestion}")
    return lines


def _reminder_blocks(spec: CrowdingContent) -> list[Block]:
    """The article's reminder the paper form ends with, quoted, and where it comes from."""
    reminder = spec.reminder
    return [
        Heading(reminder.lead),
        Paragraph(f"“{reminder.article_words}”"),
        Paragraph(reminder.source, style="quiet"),
    ]


def _share_line(spec: CrowdingContent, week: WeekSummary) -> str:
    """The share of the entered hours spent with people, or the gentle words for none."""
    text = spec.week
    if week.relational > 0 and week.percent is not None:
        return counted(
            text.share_line,
            week.total,
            relational=_hours(week.relational),
            total=_hours(week.total),
            percent=week.percent,
        )
    return text.no_people_line


def _week_blocks(spec: CrowdingContent, week: WeekSummary, page: bool) -> list[Block]:
    """The week as bars (time with people highlighted and named), the same as a table, and the share."""
    text = spec.week
    if not week.bars:
        # Its words ask for hours above them: documents leave the empty week out.
        return [Heading(text.heading), Paragraph(text.empty, style="week-empty")] if page else []
    rows = tuple(
        (name, _hours(bar.value), text.connection_note if bar.highlight else text.not_connection)
        for name, bar in zip(week.names, week.bars, strict=True)
    )
    table = Table(caption=text.table_caption, headers=tuple(text.headers), rows=rows)
    # Documents' bars carry each activity's full name, as the table does, so the two say the same;
    # the page's chart uses the shorter chart labels only to fit a phone's width.
    named = tuple(
        Bar(label=name, value=bar.value, highlight=bar.highlight, note=bar.note)
        for name, bar in zip(week.names, week.bars, strict=True)
    )
    diagram = Diagram(
        chart=Bars(title=text.title, unit=text.unit, bars=tuple(week.bars)),
        caption=text.caption,
        alternative=(table,),
        document=(Bars(title=text.title, unit=text.unit, bars=named), table),
    )
    return [Heading(text.heading), diagram, Paragraph(_share_line(spec, week), style="week-share")]


def _cycle_blocks(spec: CrowdingContent, steps: Sequence[MarkedStep], page: bool) -> list[Block]:
    """The cycle drawn and listed, each step a ticked pattern feeds starred and its patterns named."""
    text = spec.cycle
    listed = Steps(
        tuple(
            Step(
                marked.step.label,
                marked.step.detail,
                marked.marked,
                text.yours.format(patterns="; ".join(pattern.label for pattern in marked.patterns))
                if marked.marked
                else "",
            )
            for marked in steps
        )
    )
    words = (Paragraph(text.list_heading), listed, Paragraph(text.back_to_start))
    drawn = Cycle(text.title, tuple((marked.step.label, marked.marked) for marked in steps))
    blocks: list[Block] = [
        Heading(text.heading),
        Paragraph(text.intro),
        Diagram(chart=drawn, caption=text.caption, alternative=words, document=words),
    ]
    if any(marked.marked for marked in steps):
        blocks.append(Paragraph(text.marked_line, style="cycle-marked"))
    elif page:  # its words point at the checklist above them
        blocks.append(Paragraph(text.none_marked, style="cycle-marked"))
    return blocks


def _routine_part(spec: CrowdingContent, choice: RoutineChoice, page: bool) -> Part:
    """The one routine to adjust: why it was picked, and the small suggestion."""
    routine = spec.routine
    blocks: list[Block] = [Heading(routine.heading)]
    # The default's reason says nothing was entered: so on the page, not in a document of what was.
    if page or choice.source != "default":
        blocks.append(Paragraph(choice.reason))
    blocks.append(Paragraph(choice.suggestion, lead=routine.suggestion_lead))
    return Part(tuple(blocks), style="routine", data=(("source", choice.source),), tag="div")


def feedback_blocks(
    spec: CrowdingContent, hours: Hours, ticked: Sequence[str], page: bool = True
) -> list[Block]:
    """Everything under the questions: on the page, in the take-home web page and in the PDF.

    The week as bars with a table and the share of time with people (or, on the page, what adding
    hours will show); the cycle of isolation, drawn and listed, with the steps the ticked patterns
    feed starred (and, on the page, what ticking would do when none is); the one routine to adjust,
    why it was picked and the small suggestion; and the article's reminder. Documents
    (``page=False``) leave out the words that speak of the questions above, as those are not there.
    """
    week_and_cycle = _week_blocks(spec, week_summary(spec, hours), page) + _cycle_blocks(
        spec, mark_cycle(spec, ticked), page
    )
    reminder = spec.reminder
    return [
        *week_and_cycle,
        _routine_part(spec, choose_routine(spec, hours, ticked), page),
        Heading(reminder.lead),
        Quote(reminder.article_words, reminder.source),
    ]


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """What the page shows under the questions (:func:`feedback_blocks`), less the words about the questions.

    Documents print the week's bars with each activity's full name, and the cycle as its steps.
    ``[]`` when no hours were entered and no pattern ticked. Hours and ids that no longer fit the
    content are left out, as on the page.
    """
    spec = load_activity_content("crowding", CrowdingContent)
    hours = _usable_hours(spec.hours, saved.get("hours") if isinstance(saved, Mapping) else None)
    ticked = [pattern.id for pattern in _ticked_patterns(spec, saved)]
    if not week_summary(spec, hours).bars and not ticked:
        return []
    return feedback_blocks(spec, hours, ticked, page=False)


def worksheet_blocks() -> list[Block]:
    """Section 5's activity as a blank paper form, from the content file.

    A short introduction; a line to write the hours of each part of the week on; the patterns to
    tick; the cycle of isolation, each step with the patterns that feed it, to star by hand; a few
    lines for one routine to adjust; and the article's reminder.
    """
    spec = load_activity_content("crowding", CrowdingContent)
    words = spec.worksheet
    questions = spec.hours
    steps = []
    for step in spec.cycle.steps:
        feeding = [pattern.label for pattern in spec.patterns.options if step.id in pattern.feeds]
        line = f"{step.label}: {step.detail}"
        if feeding:
            line += " " + words.fed_by.format(patterns="; ".join(feeding))
        steps.append(line)
    limit = _hours(questions.limit)
    return [
        Paragraph(words.intro),
        Heading(questions.heading),
        Paragraph(questions.intro.format(limit=limit, per_day=questions.waking_hours_per_day)),
        *(
            WriteIn(words.hours_label.format(activity=activity.label), lines=1)
            for activity in questions.activities
        ),
        Paragraph(spec.patterns.hint),
        Checklist(spec.patterns.question, tuple(pattern.label for pattern in spec.patterns.options)),
        Heading(spec.cycle.heading),
        Paragraph(spec.cycle.intro),
        Paragraph(words.cycle_note),
        Bullets(tuple(steps)),
        Paragraph(spec.cycle.back_to_start),
        Heading(spec.routine.heading),
        WriteIn(words.routine_label, lines=words.routine_lines),
        *_reminder_blocks(spec),
    ]


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """The group's weeks and patterns as averages and counts.

    ``hours``: per activity, the average hours a week over those who entered hours for it
    (activities nobody entered are left out); ``patterns``: per pattern, how many ticked it. A figure
    is left out when no one gave what it counts; ``[]`` when no one entered hours or ticked a
    pattern. Hours are checked as the page checks them, so hours that do not fit (out of range, over
    the week) and unknown ids are skipped.
    """
    spec = load_activity_content("crowding", CrowdingContent)
    weeks, ticks = [], []
    for saved in shared:
        if not isinstance(saved, Mapping):
            continue
        weeks.append(_usable_hours(spec.hours, saved.get("hours")))
        ticks.append({pattern.id for pattern in _ticked_patterns(spec, saved)})
    figures = []
    hours = []
    for activity in spec.hours.activities:
        given = [value for week in weeks if (value := week[activity.id]) is not None]
        if given:
            hours.append((activity.name, average(given)))
    if hours:
        figures.append(figure("hours", spec.group.hours, "average", hours))
    patterns = [
        (pattern.label, sum(1 for ticked in ticks if pattern.id in ticked))
        for pattern in spec.patterns.options
    ]
    if any(count for _, count in patterns):
        figures.append(figure("patterns", spec.group.patterns, "count", patterns))
    return figures
