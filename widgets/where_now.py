"""Section 9's comparison of the check-in with section 1's. Pure Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field, field_validator

from ._content import (
    CheckinContent,
    ContentModel,
    Identifier,
    Text,
    check_placeholders,
    load_activity_content,
    load_content,
)
from .checkin import band_counts, score_checkin, shared_answers, usable_answers
from .group import GroupFigure, GroupWords, figure


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


class WhereNowContent(ContentModel):
    """The schema of ``content/where_now.yaml``."""

    heading: Text
    intro: Text
    retake_heading: Text
    retake_intro: Text
    compare_heading: Text
    no_baseline: Text
    not_enough_now: Text
    compare_line: Text
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

    @field_validator("not_enough_now")
    @classmethod
    def _needed_placeholder(cls, text: str) -> str:
        return check_placeholders(text, {"needed"})

    @field_validator("compare_line")
    @classmethod
    def _compare_placeholders(cls, text: str) -> str:
        return check_placeholders(text, {"before", "now"})


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


def summary_lines(saved: dict) -> list[str]:
    """Plain lines for the summary: today's check-in reflection and the patterns noticed.

    Answers and patterns that no longer fit the content, and own words that
    are not text, are left out.
    """
    content = load_content()
    spec = load_activity_content("where_now", WhereNowContent)
    lines = []
    result = score_checkin(content.checkin, usable_answers(content.checkin, saved.get("answers")))
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
    """Where the group's check-ins are now, and the patterns noticed, for the facilitator's screen.

    Only the check-in answers and the ticked patterns are read: the own
    words someone wrote never reach a figure.

    Parameters
    ----------
    shared
        What section 9's view saved (``{"answers": {item id: option id},
        "patterns": [pattern ids], "own_words": ...}``), one mapping per
        participant who shared it.

    Returns
    -------
    list of GroupFigure
        ``bands``: how many of today's check-ins landed in each of the
        check-in's reflection bands (of those with enough answers for one);
        ``patterns``: per pattern, how many ticked it. A figure is left out
        when no one gave what it counts; ``[]`` when neither has anything.
        Check-in answers and patterns the content does not have are skipped.
    """
    checkin = load_content().checkin
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
