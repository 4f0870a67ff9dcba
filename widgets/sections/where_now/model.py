"""Section 9's comparison of the check-in with section 1's. Pure Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, OnErrorOmit

from widgets.blocks import Bar, Bars, Block, Bullets, Checklist, Figure, Heading, Paragraph, Table, WriteIn
from widgets.content_files import (
    ContentModel,
    Identifier,
    Placeholders,
    PlainText,
    Text,
    Unit,
    load_activity_content,
)
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, figure
from widgets.sections.checkin.model import (
    CheckinContent,
    SavedChoices,
    answers_table,
    band_counts,
    load_checkin_content,
    question_scales,
    score_checkin,
    shared_answers,
    usable_answers,
)
from widgets.sections.checkin.model import feedback_blocks as checkin_feedback_blocks


class ChangeWords(ContentModel):
    """What to say when the weight is lighter, about the same, or heavier."""

    lighter: Text
    same: Text
    heavier: Text


class PatternOption(ContentModel):
    """A pattern the participant may have noticed."""

    id: Identifier
    label: Text


class PatternsContent(ContentModel):
    """The "patterns I noticed" question."""

    question: Text
    options: list[PatternOption] = Field(min_length=1)
    own_words_label: Text
    own_words_max: int = Field(ge=1, le=2000)


class WhereNowGroupWords(ContentModel):
    """The words of the group figures (see :func:`group_figures`)."""

    bands: GroupWords
    patterns: GroupWords


class WhereNowReportWords(ContentModel):
    """The take-home workbook's words (see :func:`report_blocks`)."""

    patterns_heading: Text
    when_header: Text
    average_header: Text


class WhereNowWorksheetWords(ContentModel):
    """The paper worksheet's words (see :func:`worksheet_blocks`).

    ``compare_steps`` may use ``{scores}`` (each check-in answer with its
    number); ``same_if`` may use ``{within}`` (``same_within``).
    """

    instructions: PlainText
    compare_steps: Annotated[Text, Placeholders("scores")]
    lighter_if: PlainText
    same_if: Annotated[Text, Placeholders("within")]
    heavier_if: PlainText


class WhereNowContent(ContentModel):
    """The schema of ``content/LANG/where_now.yaml``."""

    heading: Text
    intro: Text
    retake_heading: Text
    retake_intro: Text
    compare_heading: Text
    no_baseline: Text
    not_enough_now: Annotated[Text, Placeholders("needed")]
    compare_line: Annotated[Text, Placeholders("before", "now")]
    same_within: float = Field(ge=0, le=2)
    change_words: ChangeWords
    chart_title: Text
    chart_caption: Text
    table_caption: Text
    before_label: Text
    now_label: Text
    skipped_label: Text
    patterns: PatternsContent
    summary_heading: Text
    summary_nothing: Text
    look_ahead_heading: Text
    look_ahead: Text
    group: WhereNowGroupWords
    report: WhereNowReportWords
    worksheet: WhereNowWorksheetWords


class WhereNowAnswers(SavedAnswers):
    """What section 9's view saves: the check-in retaken, the ticked pattern ids, and the own words."""

    answers: SavedChoices = Field(default_factory=dict)
    patterns: list[OnErrorOmit[str]] = Field(default_factory=list)
    own_words: str = ""


@dataclass(frozen=True)
class ItemChange:
    """One check-in question's answer label before and now (``None`` where skipped)."""

    question: str
    before: str | None
    now: str | None


@dataclass(frozen=True)
class Comparison:
    """Section 1's check-in against today's, by average answer over the questions answered."""

    before_average: float
    now_average: float
    change: str  # "lighter", "same" or "heavier"
    items: tuple[ItemChange, ...]


def compare_checkins(
    checkin: CheckinContent,
    before: Mapping[str, str | None],
    now: Mapping[str, str | None],
    same_within: float,
) -> Comparison | None:
    """Compare two sets of check-in answers.

    Averages are over the questions answered each time, so a skipped question
    changes nothing. Returns ``None`` while either set has fewer answers than
    the check-in needs for a reflection.

    Raises
    ------
    ValueError
        If an item or option id is not in the check-in content.
    """
    before_result, now_result = score_checkin(checkin, before), score_checkin(checkin, now)
    if before_result.band is None or now_result.band is None:
        return None
    before_average = before_result.score / before_result.answered
    now_average = now_result.score / now_result.answered
    difference = now_average - before_average
    if abs(difference) <= same_within:
        change = "same"
    elif difference > 0:
        change = "heavier"
    else:
        change = "lighter"
    labels = {option.id: option.label for option in checkin.options}
    items = tuple(
        ItemChange(
            question=item.text,
            before=labels.get(before.get(item.id) or ""),
            now=labels.get(now.get(item.id) or ""),
        )
        for item in checkin.items
    )
    return Comparison(round(before_average, 2), round(now_average, 2), change, items)


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the summary: today's check-in reflection and the patterns noticed.

    Answers and patterns that no longer fit the content, and own words that
    are not text, are left out.
    """
    spec = load_activity_content("where_now", WhereNowContent)
    lines = []
    checkin = load_checkin_content()
    result = score_checkin(checkin, usable_answers(checkin, saved.get("answers")))
    if result.band is not None:
        lines.append(f"{spec.now_label}: {result.band.title}")
    ticked = saved.get("patterns")
    if isinstance(ticked, list):
        lines += [option.label for option in spec.patterns.options if option.id in ticked]
    own_words = saved.get("own_words")
    if isinstance(own_words, str) and own_words:
        lines.append(own_words)
    return lines


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """Where the group's check-ins are now, and the patterns noticed; own words never reach a figure.

    ``bands``: how many of today's check-ins landed in each of the check-in's reflection bands (of
    those with enough answers for one); ``patterns``: per pattern, how many ticked it. A figure is
    left out when no one gave what it counts; ``[]`` when neither has anything. Check-in answers and
    patterns the content does not have are skipped.
    """
    checkin = load_checkin_content()
    spec = load_activity_content("where_now", WhereNowContent)
    figures = []
    bands = band_counts(checkin, shared_answers(checkin, shared))
    if any(count for _, count in bands):
        figures.append(figure("bands", spec.group.bands, "count", bands))
    ticks = [saved.get("patterns") for saved in shared if isinstance(saved, Mapping)]
    patterns = [
        (option.label, sum(1 for ticked in ticks if isinstance(ticked, list) and option.id in ticked))
        for option in spec.patterns.options
    ]
    if any(count for _, count in patterns):
        figures.append(figure("patterns", spec.group.patterns, "count", patterns))
    return figures


# --- the take-home workbook and the paper worksheet ---------------------------------


def _number(value: float) -> str:
    return f"{value:g}"


def _own_words(spec: WhereNowContent, saved: Mapping[str, Any]) -> str:
    """The own words as typed; "" when they are not text or are over today's limit, as on the page."""
    own_words = saved.get("own_words")
    if (
        not isinstance(own_words, str)
        or not own_words.strip()
        or len(own_words) > spec.patterns.own_words_max
    ):
        return ""
    return own_words


def _question_table(checkin: CheckinContent, spec: WhereNowContent, comparison: Comparison) -> Table:
    """Each check-in question's answer before and now."""
    return Table(
        spec.table_caption,
        (checkin.report.question_header, spec.before_label, spec.now_label),
        tuple(
            (item.question, item.before or spec.skipped_label, item.now or spec.skipped_label)
            for item in comparison.items
        ),
    )


def _comparison_figure(checkin: CheckinContent, spec: WhereNowContent, comparison: Comparison) -> Figure:
    """The two averages as bars, with a table of what they stand for.

    On the page, the averages in words and every question's answers before and now are the chart's
    text alternative; documents print a table of the same numbers after the chart.
    """
    words = spec.report
    return Figure(
        chart=Bars(
            spec.chart_title,
            unit=Unit(""),  # averages on the check-in's scale, no words after them
            bars=(
                Bar(spec.before_label, comparison.before_average),
                Bar(spec.now_label, comparison.now_average, highlight=True),
            ),
            max_value=max(option.score for option in checkin.options),
        ),
        caption=spec.chart_caption,
        table=_question_table(checkin, spec, comparison),
        document_table=Table(
            spec.chart_title,
            (words.when_header, words.average_header),
            (
                (spec.before_label, _number(comparison.before_average)),
                (spec.now_label, _number(comparison.now_average)),
            ),
        ),
        table_lead=_compare_line(spec, comparison),
    )


def _compare_line(spec: WhereNowContent, comparison: Comparison) -> str:
    return spec.compare_line.format(
        before=_number(comparison.before_average), now=_number(comparison.now_average)
    )


def _compared(
    checkin: CheckinContent, spec: WhereNowContent, now: Mapping[str, str | None], baseline: object
) -> Comparison | None:
    """Today's check-in against section 1's, if both have enough answers.

    Section 1's answers are read as its own page gives them back: any that no longer fit are left out.
    """
    if not isinstance(baseline, Mapping):
        return None
    before = usable_answers(checkin, baseline.get("answers"))
    return compare_checkins(checkin, before, now, spec.same_within)


def feedback_blocks(
    checkin: CheckinContent, spec: WhereNowContent, now: Mapping[str, str | None], baseline: object
) -> list[Block]:
    """Before and after: on the page, in the take-home web page and in the PDF.

    ``now`` is today's check-in answers, ``baseline`` what section 1 saved (``None``: nothing).
    Under its heading, the averages in words and what the change means, then the averages as bars
    with every question's answers before and now; or the one line that says why there is nothing
    to compare (today's check-in needs more answers, or there is no earlier one to compare with).
    """
    blocks: list[Block] = [Heading(spec.compare_heading, style="band-title")]
    today = score_checkin(checkin, now)
    if isinstance(baseline, Mapping) and today.band is None:
        return [*blocks, Paragraph(spec.not_enough_now.format(needed=today.needed))]
    comparison = _compared(checkin, spec, now, baseline)
    if comparison is None:
        return [*blocks, Paragraph(spec.no_baseline)]
    return [
        *blocks,
        Paragraph(_compare_line(spec, comparison)),
        Paragraph(getattr(spec.change_words, comparison.change)),
        _comparison_figure(checkin, spec, comparison),
    ]


def report_blocks(saved: Mapping[str, Any], *, baseline: Mapping[str, Any] | None = None) -> list[Block]:
    """What the participant answered and got back in section 9, for the take-home workbook.

    ``baseline`` is what section 1's view saved (the check-in this one is compared with; ``None`` when
    section 1 kept nothing): section 9's page reads it from the answer book under section 1's slug.
    When today's check-in has answers: its reflection as the page shows it, then "before and after"
    as the page shows it (:func:`feedback_blocks`) followed by the chart's caption and each question's
    answer then and now; or today's answers as a table and the page's reason why there is nothing to
    compare. Then the patterns ticked and the own words as typed, and the look ahead to Part 2. ``[]``
    when neither answers, patterns nor own words that still fit the content are saved; anything that
    no longer fits is left out, as on the page.
    """
    if not isinstance(saved, Mapping):
        return []
    checkin = load_checkin_content()
    spec = load_activity_content("where_now", WhereNowContent)
    now = usable_answers(checkin, saved.get("answers"))
    ticked = saved.get("patterns")
    patterns = [o.label for o in spec.patterns.options if isinstance(ticked, list) and o.id in ticked]
    own_words = _own_words(spec, saved)
    if not (now or patterns or own_words):
        return []
    blocks: list[Block] = []
    if now:
        reflection = checkin_feedback_blocks(checkin, score_checkin(checkin, now))
        blocks += [Heading(spec.retake_heading), *reflection]
        comparison = _compared(checkin, spec, now, baseline)
        compared = feedback_blocks(checkin, spec, now, baseline)
        if comparison is None:
            # Without a comparison's table of answers, the document gives today's answers itself.
            blocks += [answers_table(checkin, now), *compared]
        else:
            # After the chart and its numbers, documents give its caption and every answer then and now.
            table = _question_table(checkin, spec, comparison)
            blocks += [*compared, Paragraph(spec.chart_caption, style="quiet"), table]
    if patterns or own_words:
        blocks.append(Heading(spec.report.patterns_heading))
        if patterns:
            blocks.append(Bullets(tuple(patterns)))
        if own_words:
            blocks += [Paragraph(spec.patterns.own_words_label, style="strong"), Paragraph(own_words)]
    blocks += [Heading(spec.look_ahead_heading), Paragraph(spec.look_ahead)]
    return blocks


def worksheet_blocks() -> list[Block]:
    """Section 9's activity as a blank paper form.

    The check-in's questions again, with a box per answer; how to compare
    with section 1 by the average answer (the content's own scoring), with
    lines for both averages and the content's words for lighter, about the
    same and heavier; the patterns to tick; lines for the reader's own
    words; and the look ahead to Part 2.
    """
    checkin = load_checkin_content()
    spec = load_activity_content("where_now", WhereNowContent)
    words = spec.worksheet
    scores = ", ".join(f"{option.label} = {option.score}" for option in checkin.options)
    change = spec.change_words
    return [
        Paragraph(words.instructions),
        Heading(spec.retake_heading),
        Paragraph(spec.retake_intro),
        *question_scales(checkin),
        Heading(spec.compare_heading),
        Paragraph(words.compare_steps.format(scores=scores)),
        WriteIn(f"{spec.before_label}:", lines=1),
        WriteIn(f"{spec.now_label}:", lines=1),
        Bullets(
            (
                f"{words.same_if.format(within=_number(spec.same_within))} {change.same}",
                f"{words.lighter_if} {change.lighter}",
                f"{words.heavier_if} {change.heavier}",
            )
        ),
        Checklist(spec.patterns.question, tuple(option.label for option in spec.patterns.options)),
        WriteIn(spec.patterns.own_words_label, lines=3),
        Heading(spec.look_ahead_heading),
        Paragraph(spec.look_ahead),
    ]
