"""Section 2's beliefs about needing others: which are held most strongly. Pure Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, OnErrorOmit, model_validator

from widgets.blocks import Block, Heading, Pairs, Paragraph, Quote, Scale, Table, WriteIn
from widgets.content_files import (
    ContentModel,
    Identifier,
    OwnIds,
    Placeholders,
    Text,
    Unit,
    counted,
    load_activity_content,
)
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, TopScaleWords, average, figure


class BeliefOption(ContentModel):
    """One point of the agreement scale."""

    id: Identifier
    label: Text
    score: int = Field(ge=1, le=10)


class Statement(ContentModel):
    """A belief to rate, with another way to look at it."""

    id: Identifier
    text: Text
    reframe: Text


class BeliefsGroupWords(ContentModel):
    """The words of the group figures (see :func:`group_figures`)."""

    agreement: TopScaleWords
    """``{highest}`` in its unit is the highest option score."""
    agree: GroupWords


class BeliefsReportWords(ContentModel):
    """The take-home workbook's words around the participant's answers (see :func:`report_blocks`)."""

    answers_caption: Text
    belief_header: Text
    answer_header: Text


class BeliefsWorksheetWords(ContentModel):
    """The paper worksheet's words (see :func:`worksheet_blocks`)."""

    instructions: Text
    reading_heading: Text
    reading: Text
    own_words_label: Text


class BeliefsContent(ContentModel):
    """The schema of ``content/LANG/beliefs.yaml``."""

    heading: Text
    intro: Text
    options: Annotated[list[BeliefOption], OwnIds("option")] = Field(min_length=2)
    strong_from_score: int = Field(ge=1)
    max_shown: int = Field(ge=1, le=10)
    statements: Annotated[list[Statement], OwnIds("statement")] = Field(min_length=1, max_length=12)
    answered_line: Annotated[Text, Placeholders("answered", "total")]
    strongest_heading: Text
    strongest_intro: Text
    more_line: Annotated[Unit, Placeholders("count")]
    none_strong: Text
    nothing_yet: Text
    article_source: Text
    article_words: Text
    group: BeliefsGroupWords
    report: BeliefsReportWords
    worksheet: BeliefsWorksheetWords

    @model_validator(mode="after")
    def _consistent(self) -> BeliefsContent:
        if self.strong_from_score > max(option.score for option in self.options):
            raise ValueError("strong_from_score is higher than any option's score")
        return self


class BeliefsAnswers(SavedAnswers):
    """What section 2's view saves: each belief's chosen option id, ``None`` where skipped."""

    answers: dict[str, OnErrorOmit[str | None]] = Field(default_factory=dict)
    """An answer that is not text is passed over, as :func:`usable_answers` passes it over."""


@dataclass(frozen=True)
class BeliefsResult:
    """The beliefs held most strongly, strongest first, and how many were answered."""

    answered: int
    total: int
    strongest: tuple[Statement, ...]
    more: int


def strongest_beliefs(spec: BeliefsContent, answers: Mapping[str, str | None]) -> BeliefsResult:
    """Pick the beliefs agreed with at least ``strong_from_score``, strongest first.

    Ties keep the order the statements are asked in. At most ``max_shown`` are
    returned; ``more`` counts the rest.

    Raises
    ------
    ValueError
        If a statement or option id is not in the content.
    """
    scores = {option.id: option.score for option in spec.options}
    order = {statement.id: index for index, statement in enumerate(spec.statements)}
    for statement_id, option_id in answers.items():
        if statement_id not in order:
            raise ValueError(f"there is no belief called {statement_id!r}")
        if option_id is not None and option_id not in scores:
            raise ValueError(f"{option_id!r} is not one of the answers here")
    given = {sid: scores[oid] for sid, oid in answers.items() if oid is not None}
    strong = sorted(
        (sid for sid, score in given.items() if score >= spec.strong_from_score),
        key=lambda sid: (-given[sid], order[sid]),
    )
    by_id = {statement.id: statement for statement in spec.statements}
    shown = tuple(by_id[sid] for sid in strong[: spec.max_shown])
    return BeliefsResult(
        answered=len(given),
        total=len(spec.statements),
        strongest=shown,
        more=len(strong) - len(shown),
    )


def usable_answers(spec: BeliefsContent, saved: object) -> dict[str, str]:
    """Saved answers (``{"answers": {belief id: option id}}``) that still fit the content.

    Beliefs the content no longer has, skips, and answers not among its
    options (or not text) are left out. Anything but a mapping reads as no answers.
    """
    given = saved.get("answers") if isinstance(saved, Mapping) else None
    if not isinstance(given, Mapping):
        return {}
    options = {option.id for option in spec.options}
    return {
        statement.id: option_id
        for statement in spec.statements
        if isinstance(option_id := given.get(statement.id), str) and option_id in options
    }


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the summary: the beliefs held most strongly.

    Beliefs the content no longer has, and answers not among its options, are left out.
    """
    spec = load_activity_content("beliefs", BeliefsContent)
    result = strongest_beliefs(spec, usable_answers(spec, saved))
    if not result.answered:
        return []
    if not result.strongest:
        return [spec.none_strong]
    return [f"{spec.strongest_heading}:", *(f"“{s.text}”" for s in result.strongest)]


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """The group's beliefs as averages and counts, for the facilitator's screen.

    ``agreement``: per belief, the average option score over those who rated it (beliefs nobody
    rated are left out), on a scale up to the highest score; ``agree``: per belief, how many agreed
    with it at least ``strong_from_score`` (as the page counts a belief held strongly). ``[]`` when
    no one rated anything. Beliefs or answers the content does not have are skipped.
    """
    spec = load_activity_content("beliefs", BeliefsContent)
    answer_sets = [answers for saved in shared if (answers := usable_answers(spec, saved))]
    if not answer_sets:
        return []
    scores = {option.id: option.score for option in spec.options}
    highest = max(scores.values())
    averages, agreeing = [], []
    for statement in spec.statements:
        given = [scores[answers[statement.id]] for answers in answer_sets if statement.id in answers]
        if given:
            averages.append((statement.text, average(given)))
        agreeing.append((statement.text, sum(1 for score in given if score >= spec.strong_from_score)))
    words = spec.group
    agreement_words = GroupWords(
        title=words.agreement.title, unit=words.agreement.unit.format(highest=highest)
    )
    return [
        figure("agreement", agreement_words, "average", averages, scale=highest),
        figure("agree", words.agree, "count", agreeing),
    ]


# --- the take-home workbook and the paper worksheet ---------------------------------


def _quote(words: str, source: str) -> Paragraph:
    return Paragraph(f"“{words}” ({source})", style="quiet")


def feedback_blocks(spec: BeliefsContent, result: BeliefsResult) -> list[Block]:
    """The reflection under the beliefs: on the page, in the take-home web page and in the PDF.

    How many were answered; then, once anything is, the beliefs held most strongly, each with its
    reframe, and how many more (or that none was held strongly), and the article's words.
    """
    blocks: list[Block] = [Paragraph(spec.answered_line.format(answered=result.answered, total=result.total))]
    if result.answered == 0:
        blocks.append(Paragraph(spec.nothing_yet))
        return blocks
    if not result.strongest:
        blocks.append(Paragraph(spec.none_strong))
    else:
        blocks += [
            Heading(spec.strongest_heading, style="band-title"),
            Paragraph(spec.strongest_intro),
            Pairs(tuple((f"“{s.text}”", s.reframe) for s in result.strongest), style="reframes"),
        ]
        if result.more:
            blocks.append(Paragraph(counted(spec.more_line, result.more, count=result.more)))
    blocks.append(Quote(spec.article_words, spec.article_source))
    return blocks


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """The reflection the page shows (:func:`feedback_blocks`), then each rated belief's answer.

    ``[]`` when no answer that still fits the content is saved; answers that no longer fit are left
    out (see :func:`usable_answers`).
    """
    spec = load_activity_content("beliefs", BeliefsContent)
    answers = usable_answers(spec, saved)
    if not answers:
        return []
    blocks = feedback_blocks(spec, strongest_beliefs(spec, answers))
    labels = {option.id: option.label for option in spec.options}
    rows = tuple(
        (statement.text, labels[answers[statement.id]])
        for statement in spec.statements
        if statement.id in answers
    )
    words = spec.report
    blocks.append(Table(words.answers_caption, (words.belief_header, words.answer_header), rows))
    return blocks


def worksheet_blocks() -> list[Block]:
    """Section 2's beliefs as a blank paper form.

    Each belief, numbered as on the page, with a box per answer; then every
    belief's reframe, for the reader to look at beside the beliefs they agree
    with most, and lines to write their own words on. Nothing is scored.
    """
    spec = load_activity_content("beliefs", BeliefsContent)
    words = spec.worksheet
    labels = tuple(option.label for option in spec.options)
    blocks: list[Block] = [Paragraph(words.instructions)]
    blocks += [
        Scale(f"{number}. {statement.text}", labels)
        for number, statement in enumerate(spec.statements, start=1)
    ]
    blocks += [Heading(words.reading_heading), Paragraph(words.reading)]
    for number, statement in enumerate(spec.statements, start=1):
        blocks += [Paragraph(f"{number}. “{statement.text}”", style="strong"), Paragraph(statement.reframe)]
    blocks += [_quote(spec.article_words, spec.article_source), WriteIn(words.own_words_label, lines=3)]
    return blocks
