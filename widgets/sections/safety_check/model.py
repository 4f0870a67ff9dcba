"""Relational safety check (section 6): content schema and the relationship's profile.

Pure Python: no widgets here. The participant names one relationship (or
not) and says how often five qualities show up in it. The profile names its
strengths and the qualities still growing; it never judges the relationship
or the person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, OnErrorOmit, model_validator

from widgets.blocks import (
    Bar,
    Bars,
    Block,
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
from widgets.content_files import (
    ContentModel,
    Identifier,
    OwnIds,
    Placeholders,
    Text,
    Unit,
    amount,
    load_activity_content,
)
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, figure

NAME = "safety_check"

# Where an answer sits: "low" (e.g. never, rarely), "middle", or "strength" (e.g. often, always).
Standing = Literal["low", "middle", "strength"]
_STANDING_ORDER = {"low": 0, "middle": 1, "strength": 2}


class FrequencyOption(ContentModel):
    """One step of the frequency scale."""

    id: Identifier
    label: Text
    standing: Standing


class Quality(ContentModel):
    """One quality of a safe relationship, with the words used to reflect on it."""

    id: Identifier
    short: Text
    question: Text
    strength_words: Text
    growing_words: Text


class SafetyCheckGroupWords(ContentModel):
    """The words of the group figure (see :func:`group_figures`)."""

    strengths: GroupWords


class SafetyCheckWorksheet(ContentModel):
    """The words of the blank paper form (see :func:`worksheet_blocks`)."""

    intro: Text
    reading_heading: Text
    reading: Annotated[Text, Placeholders("strengths")]
    reflect_label: Text
    reflect_lines: int = Field(ge=1, le=10)


class SafetyCheckContent(ContentModel):
    """Everything section 6's activity says, from ``content/LANG/safety_check.yaml``."""

    heading: Text
    intro: Text
    name_label: Text
    name_hint: Text
    name_max_length: int = Field(ge=1, le=200)
    unnamed: Text
    scale_lead: Text
    options: Annotated[list[FrequencyOption], OwnIds("option")] = Field(min_length=3, max_length=7)
    qualities: Annotated[list[Quality], OwnIds("quality")] = Field(min_length=1, max_length=10)
    profile_heading: Annotated[Text, Placeholders("relationship")]
    nothing_rated: Text
    strengths_heading: Text
    strengths_lead: Annotated[Text, Placeholders("relationship")]
    no_strengths_yet: Text
    growing_heading: Text
    growing_lead: Text
    disagreement_point: Text
    disagreement_article_words: Text
    article_label: Text
    care_note_when_low_at_least: int = Field(ge=1)
    care_note: Text
    chart_title: Annotated[Text, Placeholders("relationship")]
    chart_caption: Text
    chart_unit: Annotated[Unit, Placeholders("top")]
    table_caption: Text
    table_headers: list[Text] = Field(min_length=3, max_length=3)
    not_answered: Text
    strength_yes: Text
    strength_not_yet: Text
    group: SafetyCheckGroupWords
    worksheet: SafetyCheckWorksheet

    @model_validator(mode="after")
    def _consistent(self) -> SafetyCheckContent:
        standings = [_STANDING_ORDER[option.standing] for option in self.options]
        if standings != sorted(standings):
            raise ValueError("the scale must run from its low answers, through the middle, to its strengths")
        if {"low", "strength"} - {option.standing for option in self.options}:
            raise ValueError("the scale needs at least one low answer and at least one strength")
        if self.care_note_when_low_at_least > len(self.qualities):
            raise ValueError(
                f"care_note_when_low_at_least ({self.care_note_when_low_at_least}) is more than "
                f"the number of qualities ({len(self.qualities)})"
            )
        return self


class SafetyCheckAnswers(SavedAnswers):
    """What section 6's view saves: the relationship's name as typed, and each quality's option id."""

    relationship: str = ""
    ratings: dict[str, OnErrorOmit[str | None]] = Field(default_factory=dict)
    """``None`` where skipped; an answer that is not text is passed over, as :func:`usable_ratings` does."""


def load_safety_check_content(directory: str | Path | None = None) -> SafetyCheckContent:
    """Load and check ``content/LANG/safety_check.yaml`` (raises ``ContentError`` if it is wrong)."""
    return load_activity_content(NAME, SafetyCheckContent, directory)


@dataclass(frozen=True)
class Rating:
    """One quality, the answer given (``None`` while skipped) and its place on the scale."""

    quality: Quality
    option: FrequencyOption | None
    step: int = 0
    """1 for the scale's lowest answer, up to the number of answers; 0 while skipped."""


@dataclass(frozen=True)
class SafetyProfile:
    """What the answers about one relationship show."""

    relationship: str | None
    """The participant's name for it, trimmed, or ``None`` if they gave none."""
    ratings: list[Rating]
    strengths: list[Quality]
    growing: list[Quality]
    low: list[Quality]
    care_note: bool
    """Whether most qualities are rarely or never there: time for a calm word of care."""

    @property
    def answered(self) -> int:
        """How many qualities have an answer."""
        return sum(1 for rating in self.ratings if rating.option is not None)


def clean_label(spec: SafetyCheckContent, text: str) -> str | None:
    """Trim the relationship's name; ``None`` if empty.

    Raises
    ------
    ValueError
        If it is longer than the content's limit or runs over more than one line.
    """
    if len(text) > spec.name_max_length:
        raise ValueError(f"the name can be up to {spec.name_max_length} characters")
    if "\n" in text or "\r" in text:
        raise ValueError("the name fits on one line")
    return text.strip() or None


def profile(spec: SafetyCheckContent, label: str, ratings: Mapping[str, str | None]) -> SafetyProfile:
    """The profile of one relationship, from its name (may be empty) and quality id to option id.

    A missing quality or ``None`` means skipped. Raises ``ValueError`` if a quality or option id is
    not in the content, or the label is too long.
    """
    qualities = {quality.id for quality in spec.qualities}
    options = {option.id: index for index, option in enumerate(spec.options)}
    for quality_id, option_id in ratings.items():
        if quality_id not in qualities:
            raise ValueError(f"there is no quality called {quality_id!r}")
        if option_id is not None and option_id not in options:
            raise ValueError(f"{option_id!r} is not one of the answers to this question")
    rated = []
    for quality in spec.qualities:
        option_id = ratings.get(quality.id)
        if option_id is None:
            rated.append(Rating(quality=quality, option=None))
        else:
            index = options[option_id]
            rated.append(Rating(quality=quality, option=spec.options[index], step=index + 1))

    def standing(kind: str) -> list[Quality]:
        return [r.quality for r in rated if r.option is not None and r.option.standing == kind]

    low = standing("low")
    return SafetyProfile(
        relationship=clean_label(spec, label),
        ratings=rated,
        strengths=standing("strength"),
        growing=[r.quality for r in rated if r.option is not None and r.option.standing != "strength"],
        low=low,
        care_note=len(low) >= spec.care_note_when_low_at_least,
    )


def usable_ratings(spec: SafetyCheckContent, saved: object) -> dict[str, str]:
    """Saved ratings (``{"ratings": {quality id: option id}}``) that still fit the content.

    Qualities the content no longer has, skips, and answers not among its
    options (or not text) are left out. Anything but a mapping reads as no ratings.
    """
    raw_ratings = saved.get("ratings") if isinstance(saved, Mapping) else None
    if not isinstance(raw_ratings, Mapping):
        return {}
    options = [option.id for option in spec.options]
    return {
        quality.id: option_id
        for quality in spec.qualities
        if isinstance(option_id := raw_ratings.get(quality.id), str) and option_id in options
    }


def _saved_profile(spec: SafetyCheckContent, saved: object) -> SafetyProfile:
    """The profile of what was saved, as the page shows it; a name that no longer fits reads as unnamed."""
    ratings = usable_ratings(spec, saved)
    label = saved.get("relationship") if isinstance(saved, Mapping) else None
    try:
        return profile(spec, label if isinstance(label, str) else "", ratings)
    except ValueError:  # a name over today's length limit, or on more than one line
        return profile(spec, "", ratings)


def _disagreement_blocks(spec: SafetyCheckContent) -> list[Block]:
    """That safety is not the absence of disagreement, with the article's words quoted."""
    return [
        Paragraph(spec.disagreement_point, style="disagreement"),
        Quote(spec.disagreement_article_words, spec.article_label),
    ]


def _strength_blocks(spec: SafetyCheckContent, result: SafetyProfile, relationship: str) -> list[Block]:
    """The relationship's strengths (or the gentle words for none yet), then the qualities still growing."""
    strengths: list[Block] = [Heading(spec.strengths_heading, level=4)]
    if result.strengths:
        strengths += [
            Paragraph(spec.strengths_lead.format(relationship=relationship)),
            Bullets(tuple(quality.strength_words for quality in result.strengths)),
        ]
    else:
        strengths.append(Paragraph(spec.no_strengths_yet))
    blocks: list[Block] = [Part(tuple(strengths), style="strengths", tag="div")]
    if result.growing:
        growing = (
            Heading(spec.growing_heading, level=4),
            Paragraph(spec.growing_lead),
            Bullets(tuple(quality.growing_words for quality in result.growing)),
        )
        blocks.append(Part(growing, style="growing", tag="div"))
    return blocks


def _rating_bars(result: SafetyProfile) -> tuple[Bar, ...]:
    """One bar per answered quality, its step on the scale; strengths highlighted."""
    return tuple(
        Bar(
            label=rating.quality.short,
            value=rating.step,
            highlight=rating.option.standing == "strength",
            note=rating.option.label,
        )
        for rating in result.ratings
        if rating.option is not None  # skipped qualities get no bar, as on the page
    )


def _rating_row(spec: SafetyCheckContent, rating: Rating, unit: Unit) -> tuple[str, str, str]:
    """One quality's row of the table: how often it shows up, and whether it is a strength."""
    if rating.option is None:
        return (rating.quality.short, spec.not_answered, "")
    strength = rating.option.standing == "strength"
    return (
        rating.quality.short,
        # The bar's number as well as its word, so the table says all the chart does.
        f"{rating.option.label} ({amount(rating.step, unit)})",
        spec.strength_yes if strength else spec.strength_not_yet,
    )


def _page_row(spec: SafetyCheckContent, rating: Rating) -> tuple[str, str, str]:
    """One quality's row of the page's table: the answer's word, and whether it is a strength."""
    if rating.option is None:
        return (rating.quality.short, spec.not_answered, "")
    strength = rating.option.standing == "strength"
    return (
        rating.quality.short,
        rating.option.label,
        spec.strength_yes if strength else spec.strength_not_yet,
    )


def _figure(spec: SafetyCheckContent, result: SafetyProfile, relationship: str) -> Figure:
    """The answered qualities as bars (strengths highlighted), with every quality in a table."""
    top = len(spec.options)
    unit = spec.chart_unit.format(top=top)
    headers = tuple(spec.table_headers)
    return Figure(
        chart=Bars(
            title=spec.chart_title.format(relationship=relationship),
            unit=unit,
            bars=_rating_bars(result),
            max_value=top,
        ),
        caption=spec.chart_caption,
        table=Table(spec.table_caption, headers, tuple(_page_row(spec, rating) for rating in result.ratings)),
        document_table=Table(
            spec.table_caption, headers, tuple(_rating_row(spec, rating, unit) for rating in result.ratings)
        ),
    )


def feedback_blocks(spec: SafetyCheckContent, result: SafetyProfile) -> list[Block]:
    """The relationship's profile: on the page, in the take-home web page and in the PDF.

    Its heading naming the relationship (as the participant typed it, or the content's words for
    an unnamed one); until something is rated, how to see a picture; then its strengths, or the
    gentle words for none yet, the qualities still growing, and the answered qualities as bars
    (strengths highlighted) with every quality in a table (in documents, the bar's number too).
    Always that safety is not the absence of disagreement, in the article's words; and the calm
    care note, with the crisis lines, when most qualities rarely or never show up.
    """
    relationship = result.relationship or spec.unnamed
    blocks: list[Block] = [
        Heading(spec.profile_heading.format(relationship=relationship), style="profile-heading")
    ]
    if not result.answered:
        blocks.append(Paragraph(spec.nothing_rated))
    else:
        blocks += [*_strength_blocks(spec, result, relationship), _figure(spec, result, relationship)]
    blocks += _disagreement_blocks(spec)
    if result.care_note:
        blocks.append(Invitation(spec.care_note, spec.care_note))
    return blocks


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """The profile the page shows (:func:`feedback_blocks`); ``[]`` when no quality was rated.

    Ids the content no longer has are left out.
    """
    spec = load_safety_check_content()
    result = _saved_profile(spec, saved)
    if not result.answered:
        return []
    return feedback_blocks(spec, result)


def worksheet_blocks() -> list[Block]:
    """The relational safety check as a blank paper form, from the content file.

    A short introduction, a line for the relationship's name, each quality as a question with one
    box to tick per answer, how to read the ticks (in the content's words for strengths), that
    safety is not the absence of disagreement, and a few lines to reflect on.
    """
    spec = load_safety_check_content()
    words = spec.worksheet
    options = tuple(option.label for option in spec.options)
    strengths = ", ".join(option.label for option in spec.options if option.standing == "strength")
    return [
        Paragraph(words.intro),
        WriteIn(f"{spec.name_label} {spec.name_hint}", lines=1),
        Paragraph(spec.scale_lead, style="strong"),
        *(
            Scale(f"{number}. {quality.question}", options)
            for number, quality in enumerate(spec.qualities, start=1)
        ),
        Heading(words.reading_heading),
        Paragraph(words.reading.format(strengths=strengths)),
        Paragraph(spec.disagreement_point),
        Paragraph(f"“{spec.disagreement_article_words}”"),
        Paragraph(spec.article_label, style="quiet"),
        WriteIn(words.reflect_label, lines=words.reflect_lines),
    ]


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """The relationship's strengths and what is still growing, in plain lines.

    The strengths after the content's lead naming the relationship (as the participant typed it,
    or the content's words for an unnamed one), or the gentle words for no strengths yet; then the
    qualities still growing. Empty when no quality was rated; ids the content no longer has are
    left out.
    """
    spec = load_safety_check_content()
    result = _saved_profile(spec, saved)
    if not result.answered:
        return []
    relationship = result.relationship or spec.unnamed
    if result.strengths:
        lead = spec.strengths_lead.format(relationship=relationship)
        lines = [f"{lead} {' '.join(quality.strength_words for quality in result.strengths)}"]
    else:
        lines = [spec.no_strengths_yet]
    if result.growing:
        lines.append(
            f"{spec.growing_heading}: {'; '.join(quality.growing_words for quality in result.growing)}"
        )
    return lines


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """``strengths``: per quality, how many in the group gave it an answer whose standing is "strength".

    Only the ratings are read: the relationship's name (as someone typed it) never reaches a figure.
    ``[]`` when no one rated any quality; qualities or answers the content does not have are skipped.
    """
    spec = load_safety_check_content()
    rating_sets = [ratings for saved in shared if (ratings := usable_ratings(spec, saved))]
    if not rating_sets:
        return []
    strong = {option.id for option in spec.options if option.standing == "strength"}
    strengths = [
        (quality.short, sum(1 for ratings in rating_sets if ratings.get(quality.id) in strong))
        for quality in spec.qualities
    ]
    return [figure("strengths", spec.group.strengths, "count", strengths)]
