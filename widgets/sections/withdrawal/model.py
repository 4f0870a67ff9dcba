"""When pulling back protected me (section 3): content schema and reflection.

Pure Python: no widgets here. The participant ticks ways they have pulled back
from people and, for each, says whether it helped then and whether it still
helps now. The reflection sorts the ticked ways into gentle groups; it never
counts, scores or screens anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, OnErrorOmit, field_validator, model_validator

from widgets.blocks import (
    Block,
    Bullets,
    Checklist,
    Grid,
    Heading,
    Invitation,
    Paragraph,
    Part,
    Quote,
    WriteIn,
)
from widgets.content_files import ContentModel, Identifier, OwnIds, Placeholders, Text, load_activity_content
from widgets.contract import SavedAnswers

NAME = "withdrawal"

# What an answer to "did it help?" means, whatever its wording in the content file.
Meaning = Literal["yes", "somewhat", "no", "not-sure"]
# How much each meaning helped, to compare "then" with "now"; "not sure" has no level.
_HELP_LEVEL: dict[str, int | None] = {"yes": 2, "somewhat": 1, "no": 0, "not-sure": None}


class Strategy(ContentModel):
    """One way of pulling back: its full wording and a short name for follow-up questions."""

    id: Identifier
    label: Text
    short: Text


class HelpOption(ContentModel):
    """One answer to "did it help?": its id, its wording, and what it means."""

    id: Identifier
    label: Text
    means: Meaning


class Group(ContentModel):
    """The words for one group of the reflection."""

    heading: Text
    meaning: Text
    article_words: Text | None = None
    suggestion: Text | None = None


class Groups(ContentModel):
    """The four groups a ticked strategy can fall into."""

    shifted: Group
    still_helps: Group
    did_not_help: Group
    wondering: Group


class WithdrawalReportWords(ContentModel):
    """Words for the take-home workbook and the worksheet (see :func:`report_blocks`)."""

    support_line: Text
    """In documents, instead of ``support_line``: there the crisis lines are not right below."""


class WithdrawalWorksheetWords(ContentModel):
    """The paper worksheet's words (see :func:`worksheet_blocks`); gentle, as the page is.

    ``options_note`` may use ``{options}``: the answers to "did it help?", in the content's words.
    """

    instructions: Text
    something_else_label: Text
    follow_up_caption: Text
    way_header: Text
    then_header: Text
    now_header: Text
    follow_up_rows: int = Field(ge=1, le=12)
    options_note: Annotated[Text, Placeholders("options")]
    reading_heading: Text
    reading: Text
    own_words_label: Text


class WithdrawalContent(ContentModel):
    """Everything section 3's activity says, from ``content/LANG/withdrawal.yaml``."""

    heading: Text
    intro: Text
    private_line: Text
    checklist_question: Text
    checklist_hint: Text
    strategies: Annotated[list[Strategy], OwnIds("strategy")] = Field(min_length=2, max_length=12)
    follow_up_heading: Text
    then_question: Annotated[Text, Placeholders("strategy")]
    now_question: Annotated[Text, Placeholders("strategy")]
    options: Annotated[list[HelpOption], OwnIds("option")] = Field(min_length=2, max_length=6)
    nothing_chosen: Text
    opening: Text
    opening_article_words: Text
    article_label: Text
    groups: Groups
    closing: Text
    support_line: Text
    report: WithdrawalReportWords
    worksheet: WithdrawalWorksheetWords

    @field_validator("then_question", "now_question")
    @classmethod
    def _names_the_strategy(cls, text: str) -> str:
        if "{strategy}" not in text:
            raise ValueError(
                "must name the strategy with {strategy}, so each question says what it asks about"
            )
        return text

    @model_validator(mode="after")
    def _consistent(self) -> WithdrawalContent:
        meanings = [option.means for option in self.options]
        if len(set(meanings)) != len(meanings):
            raise ValueError(f"each answer option needs its own meaning, got {meanings}")
        if not {"yes", "no"} <= set(meanings):
            raise ValueError("the answer options must include one that means yes and one that means no")
        return self


class SavedFollowUp(SavedAnswers):
    """One ticked way's two saved answers: option ids, ``None`` (or left out) where skipped."""

    then: str | None = None
    now: str | None = None


class WithdrawalAnswers(SavedAnswers):
    """What section 3's view saves: the ticked ways, and each one's "then" and "now" answers."""

    chosen: list[OnErrorOmit[str]] = Field(default_factory=list)
    follow_ups: dict[str, OnErrorOmit[SavedFollowUp]] = Field(default_factory=dict)
    """A tick or a pair of answers that does not fit is passed over, as the reflection passes it over."""


def load_withdrawal_content(directory: str | Path | None = None) -> WithdrawalContent:
    """Load and check ``content/LANG/withdrawal.yaml`` (raises ``ContentError`` if it is wrong)."""
    return load_activity_content(NAME, WithdrawalContent, directory)


class Kind(StrEnum):
    """Where a ticked strategy sits in the reflection."""

    SHIFTED = "shifted"
    """It helped then and helps less now: it once protected, and may now limit connection."""
    STILL_HELPS = "still_helps"
    DID_NOT_HELP = "did_not_help"
    WONDERING = "wondering"
    """Not sure, or not answered yet."""


@dataclass(frozen=True)
class FollowUp:
    """The two answers about one ticked strategy (option ids, ``None`` where skipped)."""

    then: str | None = None
    now: str | None = None


@dataclass(frozen=True)
class Reflection:
    """The ticked strategies sorted into the reflection's groups, in checklist order."""

    groups: dict[Kind, list[Strategy]]

    @property
    def anything_chosen(self) -> bool:
        """Whether at least one strategy was ticked."""
        return any(self.groups.values())


def validate_answers(
    spec: WithdrawalContent, chosen: Sequence[str], follow_ups: Mapping[str, FollowUp]
) -> None:
    """Raise ``ValueError`` unless every id is a strategy or answer in the content.

    Follow-up answers may only be given for ticked strategies: unticking a
    strategy takes its answers away.
    """
    strategies = {strategy.id for strategy in spec.strategies}
    options = {option.id for option in spec.options}
    for strategy_id in chosen:
        if strategy_id not in strategies:
            raise ValueError(f"there is no strategy called {strategy_id!r}")
    for strategy_id, follow_up in follow_ups.items():
        if strategy_id not in chosen:
            raise ValueError(f"{strategy_id!r} is not ticked, so it has no follow-up answers")
        for answer in (follow_up.then, follow_up.now):
            if answer is not None and answer not in options:
                raise ValueError(f"{answer!r} is not one of the answers to this question")


def classify(spec: WithdrawalContent, follow_up: FollowUp) -> Kind:
    """Place one ticked strategy, from its "then" and "now" answers.

    It once protected and may now limit connection when it helped then (yes or
    somewhat) and helps less now. It still helps when it helps now at least as
    much as it did. It did not help when the answer is no, then and now. Any
    "not sure" or skipped answer that leaves the picture open is "wondering".
    """
    means = {option.id: option.means for option in spec.options}
    then = _HELP_LEVEL[means[follow_up.then]] if follow_up.then else None
    now = _HELP_LEVEL[means[follow_up.now]] if follow_up.now else None
    if then is not None and now is not None and then >= 1 and now < then:
        return Kind.SHIFTED
    if now is not None and now >= 1:
        return Kind.STILL_HELPS
    if then == 0 and now == 0:
        return Kind.DID_NOT_HELP
    return Kind.WONDERING


def reflect(spec: WithdrawalContent, chosen: Sequence[str], follow_ups: Mapping[str, FollowUp]) -> Reflection:
    """Sort the ticked strategies into the reflection's groups, each in the checklist's order.

    A ticked strategy missing from ``follow_ups`` has neither answer yet. Raises ``ValueError`` if
    an id is not in the content, or answers are given for an unticked strategy.
    """
    validate_answers(spec, chosen, follow_ups)
    groups: dict[Kind, list[Strategy]] = {kind: [] for kind in Kind}
    for strategy in spec.strategies:
        if strategy.id in chosen:
            groups[classify(spec, follow_ups.get(strategy.id, FollowUp()))].append(strategy)
    return Reflection(groups=groups)


# The order of the groups, on the page and in the summary: what may be worth changing first.
GROUP_ORDER = (Kind.SHIFTED, Kind.STILL_HELPS, Kind.WONDERING, Kind.DID_NOT_HELP)


def _is_one_of(value: object, ids: set[str]) -> bool:
    # Saved data read back may hold anything; only a known id (a string) counts.
    return isinstance(value, str) and value in ids


def _usable_answers(
    spec: WithdrawalContent, saved: Mapping[str, Any]
) -> tuple[list[str], dict[str, FollowUp]]:
    """The ticked strategies and their answers from saved data, leaving out ids the content lacks.

    An answer that is not one of the content's options reads as not given, so
    its strategy is still named, among the ways the participant is still finding out about.
    """
    known = {strategy.id for strategy in spec.strategies}
    options = {option.id for option in spec.options}
    raw_chosen = saved.get("chosen")
    chosen = [item for item in raw_chosen if _is_one_of(item, known)] if isinstance(raw_chosen, list) else []
    raw_follow_ups = saved.get("follow_ups")
    follow_ups = {}
    if isinstance(raw_follow_ups, Mapping):
        for strategy_id in chosen:
            answer = raw_follow_ups.get(strategy_id)
            if not isinstance(answer, Mapping):
                continue
            then, now = answer.get("then"), answer.get("now")
            follow_ups[strategy_id] = FollowUp(
                then=then if _is_one_of(then, options) else None,
                now=now if _is_one_of(now, options) else None,
            )
    return list(dict.fromkeys(chosen)), follow_ups


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """One line per group that holds a ticked way, in the page's order: ``"<heading>: <short names>"``.

    Nothing is counted or scored. Empty when nothing was ticked; ids the content no longer has are
    left out rather than stopping the summary.
    """
    spec = load_withdrawal_content()
    chosen, follow_ups = _usable_answers(spec, saved)
    reflection = reflect(spec, chosen, follow_ups)
    lines = []
    for kind in GROUP_ORDER:
        strategies = reflection.groups[kind]
        if strategies:
            group = getattr(spec.groups, kind.value)
            lines.append(f"{group.heading}: {'; '.join(strategy.short for strategy in strategies)}")
    return lines


# --- the take-home workbook and the paper worksheet ---------------------------------


def _quote(words: str, source: str) -> Paragraph:
    return Paragraph(f"“{words}” ({source})", style="quiet")


def feedback_blocks(spec: WithdrawalContent, reflection: Reflection) -> list[Block]:
    """The reflection under the questions: on the page, in the take-home web page and in the PDF.

    In validating words, never a count or a score: the opening ("a survival response, not a
    weakness") with the article's words; then each group that holds a ticked way, in the page's
    order, with its heading, the ways (as the checklist words them), its meaning, and its article
    words and suggestion where it has them; the closing (or, with nothing ticked, that a reflection
    will appear). The invitation to pause and reach someone, with the crisis lines, is always
    there, because the topic is heavy; documents print its own wording (``report.support_line``),
    which points to the crisis lines the document holds.
    """
    invitation = Invitation(spec.support_line, spec.report.support_line, lines_in_document=False)
    if not reflection.anything_chosen:
        return [Paragraph(spec.nothing_chosen), invitation]
    blocks: list[Block] = [Paragraph(spec.opening), Quote(spec.opening_article_words, spec.article_label)]
    for kind in GROUP_ORDER:
        if strategies := reflection.groups[kind]:
            blocks.append(_group_part(spec, kind, strategies))
    return [*blocks, Paragraph(spec.closing), invitation]


def _group_part(spec: WithdrawalContent, kind: Kind, strategies: Sequence[Strategy]) -> Part:
    """One group of the reflection, holding the ticked ways it names."""
    group: Group = getattr(spec.groups, kind.value)
    blocks: list[Block] = [
        Heading(group.heading),
        Bullets(tuple(strategy.label for strategy in strategies)),
        Paragraph(group.meaning),
    ]
    if group.article_words:
        blocks.append(Quote(group.article_words, spec.article_label))
    if group.suggestion:
        blocks.append(Paragraph(group.suggestion))
    return Part(tuple(blocks), style="withdrawal-group", data=(("kind", kind.value),))


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """The reflection the page shows (:func:`feedback_blocks`); ``[]`` when no known way is ticked.

    Ids the content no longer has are left out, as in :func:`summary_lines`.
    """
    if not isinstance(saved, Mapping):
        return []
    spec = load_withdrawal_content()
    chosen, follow_ups = _usable_answers(spec, saved)
    if not chosen:
        return []
    return feedback_blocks(spec, reflect(spec, chosen, follow_ups))


def worksheet_blocks() -> list[Block]:
    """Section 3's activity as a blank paper form, kept gentle.

    Words that say the page is the reader's own and every part may be left
    blank; the checklist of ways to pull back and a line for "something
    else"; a grid to write, for each ticked way, whether it helped then and
    helps now (with the content's answers under it); then the page's
    opening words, a short guide to reading the grid, the closing and
    lines to write on. Nothing is counted or scored. The content note and
    the crisis lines are added by the document.
    """
    spec = load_withdrawal_content()
    words = spec.worksheet
    options = " / ".join(option.label for option in spec.options)
    return [
        Paragraph(words.instructions),
        Checklist(spec.checklist_question, tuple(strategy.label for strategy in spec.strategies)),
        WriteIn(words.something_else_label, lines=1),
        Grid(
            words.follow_up_caption,
            (words.way_header, words.then_header, words.now_header),
            rows=words.follow_up_rows,
            notes=(words.options_note.format(options=options),),
        ),
        Heading(words.reading_heading),
        Paragraph(spec.opening),
        _quote(spec.opening_article_words, spec.article_label),
        Paragraph(words.reading),
        Paragraph(spec.closing),
        WriteIn(words.own_words_label, lines=3),
        Paragraph(spec.report.support_line),
    ]
