"""The connection check-in's scoring (section 1). Pure Python: no widgets here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, OnErrorOmit, model_validator

from widgets.blocks import Block, Bullets, Heading, Invitation, Paragraph, Quote, Scale, Table, WriteIn
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
from widgets.room.figures import GroupFigure, GroupWords, TopScaleWords, average, figure

# --- content schema (widgets/content/LANG/checkin.yaml) --------------------------


class AnswerOption(ContentModel):
    """One answer to every check-in question, with its score."""

    id: Identifier
    label: Text
    score: int = Field(ge=0, le=10)


class Item(ContentModel):
    """One check-in question."""

    id: Identifier
    text: Text


class Band(ContentModel):
    """One reflection band: up to which average it reaches, and its words from the article."""

    id: Identifier
    up_to_average: float = Field(gt=0)
    title: Text
    meaning: Text
    article_words: Text
    suggestion: Text
    invite_support: bool


class OftenWords(GroupWords):
    """The words of the "often" figure: ``{option}`` in its title is the answer that scores highest."""

    title: Annotated[Text, Placeholders("option")]


class CheckinGroupWords(ContentModel):
    """The words of the check-in's group figures (see :func:`group_figures`)."""

    bands: GroupWords
    often: OftenWords
    """``{option}`` in its title is the label of the answer that scores highest ("Often")."""
    average: TopScaleWords
    """``{highest}`` in its unit is the highest answer score."""


class CheckinReportWords(ContentModel):
    """The take-home workbook's words for the check-in (see :func:`report_blocks`)."""

    answers_caption: Text
    question_header: Text
    answer_header: Text
    support_invitation: Text
    """In documents, instead of ``support_invitation``: there the crisis lines are not right below."""


class CheckinWorksheetWords(ContentModel):
    """The paper worksheet's words (see :func:`worksheet_blocks`).

    ``reading`` may use ``{scores}`` (each answer with its number) and
    ``{needed}`` (answers a reflection needs); ``first_band_line`` ``{high}``
    and ``{title}``; ``band_line`` ``{low}``, ``{high}`` and ``{title}``.
    """

    instructions: PlainText
    reading_heading: Text
    reading: Annotated[Text, Placeholders("scores", "needed")]
    first_band_line: Annotated[Text, Placeholders("high", "title")]
    band_line: Annotated[Text, Placeholders("low", "high", "title")]
    notice_label: Text


class CheckinContent(ContentModel):
    """``checkin.yaml``: the check-in's questions, answers, bands and words."""

    heading: Text
    intro: Text
    source_note: Text
    options: Annotated[list[AnswerOption], OwnIds("option")] = Field(min_length=2)
    items: Annotated[list[Item], OwnIds("item")] = Field(min_length=1, max_length=20)
    min_answered_for_reflection: int = Field(ge=1)
    not_enough_answers: Annotated[Unit, Placeholders("needed")]
    answered_line: Annotated[Text, Placeholders("answered", "total")]
    score_line: Annotated[Text, Placeholders("score", "lowest", "highest")]
    bands: Annotated[list[Band], OwnIds("band")] = Field(min_length=1)
    support_invitation: Text
    restart_label: Text
    suggestion_lead: Text
    article_source: Text
    group: CheckinGroupWords
    report: CheckinReportWords
    worksheet: CheckinWorksheetWords

    @model_validator(mode="after")
    def _consistent(self) -> CheckinContent:
        if self.min_answered_for_reflection > len(self.items):
            raise ValueError(
                f"min_answered_for_reflection ({self.min_answered_for_reflection}) is more than "
                f"the number of items ({len(self.items)})"
            )
        limits = [band.up_to_average for band in self.bands]
        if limits != sorted(set(limits)):
            raise ValueError(f"bands must be in rising order of up_to_average, got {limits}")
        top = max(option.score for option in self.options)
        if limits[-1] != top:
            raise ValueError(f"the last band must reach the highest answer score ({top}), got {limits[-1]}")
        return self


# --- what the view saves ------------------------------------------------------

SavedChoices = dict[str, OnErrorOmit[str | None]]
"""Question id to the chosen option id (``None`` where skipped), as a check-in is saved.

An answer that is not text is passed over, as :func:`usable_answers` passes it over, so one odd
answer never costs the row its other answers.
"""


class CheckinAnswers(SavedAnswers):
    """What section 1's view saves: each question's chosen option id, ``None`` where skipped."""

    answers: SavedChoices = Field(default_factory=dict)


def load_checkin_content(directory: str | Path | None = None) -> CheckinContent:
    """The check-in's content file, ``content/LANG/checkin.yaml``, checked."""
    return load_activity_content("checkin", CheckinContent, directory)


@dataclass(frozen=True)
class CheckinResult:
    """What a set of check-in answers adds up to.

    ``score``, ``lowest`` and ``highest`` cover only the answered items, so a
    skipped item neither raises nor lowers anything. ``band`` is ``None`` while
    fewer items are answered than the content's ``min_answered_for_reflection``.
    """

    answered: int
    total: int
    score: int
    lowest: int
    highest: int
    band: Band | None
    needed: int
    """How many more answers a reflection needs (0 once it is shown)."""


def validate_answer(spec: CheckinContent, item_id: str, option_id: str | None) -> None:
    """Raise ``ValueError`` unless ``option_id`` is a choice for ``item_id`` (or a skip)."""
    if item_id not in {item.id for item in spec.items}:
        raise ValueError(f"there is no check-in question called {item_id!r}")
    if option_id is not None and option_id not in {option.id for option in spec.options}:
        raise ValueError(f"{option_id!r} is not one of the answers to this question")


def score_checkin(spec: CheckinContent, answers: Mapping[str, str | None]) -> CheckinResult:
    """Score check-in answers: item id to option id, a missing item or ``None`` meaning skipped.

    Raises ``ValueError`` if an item or option id is not in the content.
    """
    scores = {option.id: option.score for option in spec.options}
    for item_id, option_id in answers.items():
        validate_answer(spec, item_id, option_id)
    given = [scores[option_id] for option_id in answers.values() if option_id is not None]
    answered = len(given)
    band = None
    if answered and answered >= spec.min_answered_for_reflection:
        average = sum(given) / answered
        band = next(band for band in spec.bands if average <= band.up_to_average)
    return CheckinResult(
        answered=answered,
        total=len(spec.items),
        score=sum(given),
        lowest=answered * min(scores.values()),
        highest=answered * max(scores.values()),
        band=band,
        needed=max(0, spec.min_answered_for_reflection - answered),
    )


def usable_answers(spec: CheckinContent, given: object) -> dict[str, str | None]:
    """Saved check-in answers that still fit the content: item id to option id.

    Items the check-in no longer has, and answers that are not among its
    options (or not text), are left out, so saved data read back never stops
    a page. Anything but a mapping reads as no answers.
    """
    if not isinstance(given, Mapping):
        return {}
    options = {option.id for option in spec.options}
    return {
        item.id: option_id
        for item in spec.items
        if isinstance(option_id := given.get(item.id), str) and option_id in options
    }


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the summary from saved check-in answers (``{"answers": {...}}``).

    Answers that no longer fit the content are left out (see :func:`usable_answers`).
    """
    spec = load_checkin_content()
    result = score_checkin(spec, usable_answers(spec, saved.get("answers")))
    lines = [spec.answered_line.format(answered=result.answered, total=result.total)]
    if result.band is not None:
        lines.append(result.band.title)
    return lines


def shared_answers(spec: CheckinContent, shared: Sequence[object]) -> list[dict[str, str | None]]:
    """Each shared check-in's usable answers (see :func:`usable_answers`); a row not a mapping is left out."""
    return [usable_answers(spec, saved.get("answers")) for saved in shared if isinstance(saved, Mapping)]


def band_counts(
    spec: CheckinContent, answer_sets: Sequence[Mapping[str, str | None]]
) -> list[tuple[str, int]]:
    """How many answer sets land in each reflection band: band titles in content order, with counts.

    A set with too few answers for a reflection is in no band. ``answer_sets``
    must fit the content, as from :func:`shared_answers`.
    """
    landed = [score_checkin(spec, answers).band for answers in answer_sets]
    return [
        (band.title, sum(1 for got in landed if got is not None and got.id == band.id)) for band in spec.bands
    ]


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """The group's check-ins as counts and averages, for the facilitator's screen.

    ``bands``: how many landed in each reflection band (those who answered enough questions for
    one); ``often``: per question, how many gave the answer that scores highest ("Often");
    ``average``: per question, the average answer score over those who answered it (questions
    nobody answered are left out), on a scale up to the highest score. A figure is left out when no
    one gave what it counts; ``[]`` when no one answered anything. Items or answers the content does
    not have are skipped.
    """
    spec = load_checkin_content()
    words = spec.group
    answer_sets = [answers for answers in shared_answers(spec, shared) if answers]
    if not answer_sets:
        return []
    scores = {option.id: option.score for option in spec.options}
    top = max(spec.options, key=lambda option: option.score)
    figures = []
    bands = band_counts(spec, answer_sets)
    if any(count for _, count in bands):
        figures.append(figure("bands", words.bands, "count", bands))
    often_words = GroupWords(title=words.often.title.format(option=top.label), unit=words.often.unit)
    often = [
        (item.text, sum(1 for answers in answer_sets if answers.get(item.id) == top.id))
        for item in spec.items
    ]
    figures.append(figure("often", often_words, "count", often))
    average_words = GroupWords(title=words.average.title, unit=words.average.unit.format(highest=top.score))
    averages = []
    for item in spec.items:
        given = [scores[choice] for answers in answer_sets if (choice := answers.get(item.id)) is not None]
        if given:
            averages.append((item.text, average(given)))
    figures.append(figure("average", average_words, "average", averages, scale=top.score))
    return figures


# --- the take-home workbook and the paper worksheet ---------------------------------


def feedback_blocks(spec: CheckinContent, result: CheckinResult) -> list[Block]:
    """The reflection under the questions: on the page, in the take-home web page and in the PDF.

    How many were answered, then the band's title, total, meaning, the article's words and the
    suggestion (or how many more answers a reflection needs). A band that invites support ends with
    the invitation to reach someone, and the crisis lines after it.
    """
    blocks: list[Block] = [Paragraph(spec.answered_line.format(answered=result.answered, total=result.total))]
    band = result.band
    if band is None:
        blocks.append(Paragraph(counted(spec.not_enough_answers, result.needed, needed=result.needed)))
        return blocks
    blocks += [
        Heading(band.title, style="band-title"),
        Paragraph(spec.score_line.format(score=result.score, lowest=result.lowest, highest=result.highest)),
        Paragraph(band.meaning),
        Quote(band.article_words, spec.article_source),
        Paragraph(band.suggestion, lead=spec.suggestion_lead),
    ]
    if band.invite_support:
        blocks.append(Invitation(spec.support_invitation, spec.report.support_invitation))
    return blocks


def answers_table(spec: CheckinContent, answers: Mapping[str, str | None]) -> Table:
    """Each answered question with the chosen answer's label, in the check-in's order.

    ``answers`` must fit the content, as from :func:`usable_answers`.
    """
    labels = {option.id: option.label for option in spec.options}
    rows = tuple(
        (item.text, labels[option_id])
        for item in spec.items
        if (option_id := answers.get(item.id)) is not None
    )
    words = spec.report
    return Table(words.answers_caption, (words.question_header, words.answer_header), rows)


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """The reflection as the page shows it (:func:`feedback_blocks`), then each answered question's answer.

    ``[]`` when no answer that still fits the content is saved; answers that no longer fit are left
    out (see :func:`usable_answers`).
    """
    spec = load_checkin_content()
    answers = usable_answers(spec, saved.get("answers") if isinstance(saved, Mapping) else None)
    if not answers:
        return []
    return [*feedback_blocks(spec, score_checkin(spec, answers)), answers_table(spec, answers)]


def _number(value: float) -> str:
    return f"{value:g}"


def question_scales(spec: CheckinContent) -> list[Scale]:
    """Each check-in question, numbered as on the page, with a box per answer."""
    labels = tuple(option.label for option in spec.options)
    return [Scale(f"{number}. {item.text}", labels) for number, item in enumerate(spec.items, start=1)]


def worksheet_blocks() -> list[Block]:
    """Section 1's check-in as a blank paper form.

    The questions with a box per answer, then how to read the answers: each
    answer's number as the content scores it, and the content's reflection
    bands by average answer, each with its suggestion. A line to write on
    invites reflection.
    """
    spec = load_checkin_content()
    words = spec.worksheet
    scores = ", ".join(f"{option.label} = {option.score}" for option in spec.options)
    band_lines = []
    low = None
    for band in spec.bands:
        high = _number(band.up_to_average)
        if low is None:
            line = words.first_band_line.format(high=high, title=band.title)
        else:
            line = words.band_line.format(low=low, high=high, title=band.title)
        band_lines.append(f"{line} {spec.suggestion_lead} {band.suggestion}")
        low = high
    return [
        Paragraph(words.instructions),
        *question_scales(spec),
        Heading(words.reading_heading),
        Paragraph(words.reading.format(scores=scores, needed=spec.min_answered_for_reflection)),
        Paragraph(spec.source_note, style="quiet"),
        Bullets(tuple(band_lines)),
        # On paper too, the band that invites support says so; its words point to the crisis lines.
        *(
            [Paragraph(spec.report.support_invitation)]
            if any(band.invite_support for band in spec.bands)
            else []
        ),
        WriteIn(words.notice_label, lines=3),
    ]
