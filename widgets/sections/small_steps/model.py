"""The small-steps planner (section 7): its content schema and rules. Pure Python: no widgets here.

A participant plans one to ``max_steps`` small steps. Each step has a "what"
(one of the article's examples or the participant's own), who or where, when,
a confidence from 0 to 10, a likely obstacle and a plan for it. Every part may
be left empty. A confidence below the content's ``smaller_below`` invites
making the step smaller; that is a suggestion, never a block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Annotated, Any

from pydantic import Field, OnErrorOmit, model_validator

from widgets.blocks import Block, Bullets, Card, Checklist, Heading, Paragraph, Quote, Scale, WriteIn
from widgets.content_files import ContentModel, Identifier, Placeholders, Text, load_activity_content
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, average, figure

CONFIDENCE_LOWEST = 0
CONFIDENCE_HIGHEST = 10


# --- content schema (widgets/content/LANG/small_steps.yaml) -------------------------


class TextField(ContentModel):
    """A one-line text answer: its label, an optional example and its length limit."""

    label: Text
    hint: Text | None = None
    max_length: int = Field(ge=1, le=200)


class StepOption(ContentModel):
    """One kind of step the participant may choose."""

    id: Identifier
    label: Text


class WhatQuestion(ContentModel):
    """What the step is: the article's examples, plus a step of one's own."""

    question: Text
    options: list[StepOption] = Field(min_length=1, max_length=10)
    own_option: StepOption
    own_text: TextField


class ConfidenceQuestion(ContentModel):
    """How sure the participant is, and the gentle prompt when they are less sure."""

    question: Text
    smaller_below: int = Field(ge=CONFIDENCE_LOWEST + 1, le=CONFIDENCE_HIGHEST)
    smaller_prompt: Text
    smaller_ideas: list[Text] = Field(min_length=2, max_length=3)


class CardText(ContentModel):
    """The wording of the "My small steps" card."""

    heading: Text
    empty: Text
    what_label: Text
    who_label: Text
    when_label: Text
    confidence_label: Text
    confidence_value: Annotated[Text, Placeholders("value")]
    obstacle_label: Text
    plan_label: Text
    article_words: Text
    article_source: Text
    article_meaning: Text


class SmallStepsGroupWords(ContentModel):
    """The words of the group figures (see :func:`group_figures`)."""

    steps: GroupWords
    confidence: GroupWords
    own_step: Text
    """The row standing for every step written in someone's own words (their words are never shown)."""


class SmallStepsWorksheetWords(ContentModel):
    """The words only the paper worksheet needs (see :func:`worksheet_blocks`)."""

    intro: Text
    ideas_question: Text
    smaller_intro: Annotated[Text, Placeholders("below")]


class SmallStepsContent(ContentModel):
    """Everything the small-steps planner says, and its limits."""

    heading: Text
    intro: Text
    max_steps: int = Field(ge=1, le=3)
    step_heading: Annotated[Text, Placeholders("number")]
    control_label: Annotated[Text, Placeholders("number", "label")]
    what: WhatQuestion
    who: TextField
    when: TextField
    confidence: ConfidenceQuestion
    obstacle: TextField
    plan: TextField
    add_label: Text
    remove_label: Annotated[Text, Placeholders("number")]
    clear_label: Annotated[Text, Placeholders("number")]
    limit_line: Annotated[Text, Placeholders("count", "most")]
    at_limit_line: Annotated[Text, Placeholders("most")]
    refused_add: Annotated[Text, Placeholders("most")]
    card: CardText
    group: SmallStepsGroupWords
    worksheet: SmallStepsWorksheetWords

    @model_validator(mode="after")
    def _distinct_options(self) -> SmallStepsContent:
        ids = [option.id for option in self.what.options] + [self.what.own_option.id]
        if len(set(ids)) != len(ids):
            raise ValueError(f"every step option needs its own id (own_option included), got {ids}")
        return self


# --- steps -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One planned step, as kept. Empty text or ``None`` means not answered."""

    what: str | None = None
    own_text: str = ""
    who: str = ""
    when: str = ""
    confidence: int | None = None
    obstacle: str = ""
    plan: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The step as plain JSON-compatible data, for the answer book."""
        return asdict(self)


STEP_FIELDS = tuple(field.name for field in fields(Step))


class SmallStepsAnswers(SavedAnswers):
    """What section 7's view saves: the planned steps (each as from :meth:`Step.as_dict`), in order."""

    steps: list[OnErrorOmit[Step]] = Field(default_factory=list)
    """A step that does not fit is passed over, as :func:`usable_steps` reads it as an empty step;
    a part left out reads as not answered."""


def _checked_text(name: str, text: object, limit: int) -> str:
    if not isinstance(text, str):
        raise ValueError(f"{name} must be text, got {type(text).__name__}")
    if len(text) > limit:
        raise ValueError(f"{name} can be up to {limit} characters, got {len(text)}")
    if "\n" in text or "\r" in text:
        raise ValueError(f"{name} fits on one line")
    return text


def parse_confidence(value: object) -> int | None:
    """Turn a confidence answer (``"0"`` to ``"10"``, an int, or ``None``) into an int or ``None``.

    Raises
    ------
    ValueError
        For anything but a whole number from 0 to 10 (``True``, ``"11"``, ``7.5``, ``"-1"``).
    """
    if value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    # bool is an int subclass; a crafted True must not count as 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"confidence must be a whole number from 0 to 10, got {value!r}")
    if not CONFIDENCE_LOWEST <= value <= CONFIDENCE_HIGHEST:
        raise ValueError(f"confidence must be from {CONFIDENCE_LOWEST} to {CONFIDENCE_HIGHEST}, got {value}")
    return value


def make_step(
    spec: SmallStepsContent,
    *,
    what: str | None = None,
    own_text: str = "",
    who: str = "",
    when: str = "",
    confidence: object = None,
    obstacle: str = "",
    plan: str = "",
) -> Step:
    """Check one step's answers against the content and return it as kept.

    The own-step text is kept only while "my own step" is chosen: if the
    participant typed one and then picked an example instead, the example is
    their step and the typed text is not kept.

    Raises
    ------
    ValueError
        If ``what`` is not an option id, a text is over its limit or not one
        line, or ``confidence`` is not a whole number from 0 to 10.
    """
    known = {option.id for option in spec.what.options} | {spec.what.own_option.id}
    if what is not None and what not in known:
        raise ValueError(f"{what!r} is not one of the step choices")
    own_text = _checked_text("own step", own_text, spec.what.own_text.max_length)
    return Step(
        what=what,
        own_text=own_text if what == spec.what.own_option.id else "",
        who=_checked_text("who or where", who, spec.who.max_length),
        when=_checked_text("when", when, spec.when.max_length),
        confidence=parse_confidence(confidence),
        obstacle=_checked_text("obstacle", obstacle, spec.obstacle.max_length),
        plan=_checked_text("plan", plan, spec.plan.max_length),
    )


def step_from_dict(spec: SmallStepsContent, data: Mapping[str, Any]) -> Step:
    """Check a saved step (as from :meth:`Step.as_dict`) and return it.

    Raises
    ------
    ValueError
        For an unknown key, or as :func:`make_step`.
    """
    unknown = set(data) - set(STEP_FIELDS)
    if unknown:
        raise ValueError(f"a step has no {sorted(unknown)}")
    return make_step(spec, **data)


def check_step_count(spec: SmallStepsContent, count: int) -> None:
    """Raise ``ValueError`` if ``count`` steps is more than the planner holds."""
    if count > spec.max_steps:
        raise ValueError(f"the planner holds up to {spec.max_steps} steps, not {count}")


def can_add_step(spec: SmallStepsContent, count: int) -> bool:
    """Whether one more step fits beside ``count`` existing ones."""
    return count < spec.max_steps


def steps_from_dicts(spec: SmallStepsContent, saved: Sequence[Mapping[str, Any]]) -> list[Step]:
    """Check a saved list of steps: its length, then each step."""
    check_step_count(spec, len(saved))
    return [step_from_dict(spec, data) for data in saved]


def is_filled(step: Step) -> bool:
    """Whether anything at all was given for this step (spaces alone do not count)."""
    texts = (step.own_text, step.who, step.when, step.obstacle, step.plan)
    return step.what is not None or step.confidence is not None or any(text.strip() for text in texts)


def needs_smaller(spec: SmallStepsContent, step: Step) -> bool:
    """Whether to suggest making the step smaller: an answered confidence below the threshold."""
    return step.confidence is not None and step.confidence < spec.confidence.smaller_below


def what_text(spec: SmallStepsContent, step: Step) -> str:
    """The step in words: the chosen example's label, or the participant's own text.

    An own step chosen but not yet written reads as the own option's label.
    Empty when nothing is chosen.
    """
    if step.what is None:
        return ""
    if step.what == spec.what.own_option.id:
        return step.own_text.strip() or spec.what.own_option.label
    return next(option.label for option in spec.what.options if option.id == step.what)


@dataclass(frozen=True)
class CardEntry:
    """One filled step on the "My small steps" card: its number and its lines, as plain text."""

    number: int
    lines: tuple[tuple[str, str], ...]
    """(label, text) pairs, in the card's order, only for the parts that were given."""


def card_entries(spec: SmallStepsContent, steps: Sequence[Step]) -> list[CardEntry]:
    """What the "My small steps" card lists: each filled step, numbered as planned.

    Empty steps are left out; a step keeps the number of its place in the
    planner so the card matches the steps above it.
    """
    card = spec.card
    entries = []
    for number, step in enumerate(steps, start=1):
        if not is_filled(step):
            continue
        confidence = "" if step.confidence is None else card.confidence_value.format(value=step.confidence)
        candidates = (
            (card.what_label, what_text(spec, step)),
            (card.who_label, step.who.strip()),
            (card.when_label, step.when.strip()),
            (card.confidence_label, confidence),
            (card.obstacle_label, step.obstacle.strip()),
            (card.plan_label, step.plan.strip()),
        )
        entries.append(CardEntry(number, tuple((label, text) for label, text in candidates if text)))
    return entries


def usable_steps(spec: SmallStepsContent, saved: object) -> list[Step]:
    """The saved steps (``{"steps": [...]}``, up to ``max_steps``), each checked as the planner checks it.

    A saved step that no longer fits the content (say, after wording changed)
    reads as an empty step, keeping the others' places. Anything but a
    mapping reads as no steps.
    """
    raw = saved.get("steps") if isinstance(saved, Mapping) else None
    steps = []
    for data in (raw if isinstance(raw, list) else [])[: spec.max_steps]:
        try:
            steps.append(step_from_dict(spec, data))
        except (TypeError, ValueError):
            steps.append(Step())
    return steps


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the workbook's summary: one per filled step, as on the card.

    ``saved`` is what the planner keeps in the answer book, ``{"steps": [...]}``.
    A saved step that no longer fits the content (say, after wording changed)
    is left out rather than stopping the summary.
    """
    spec = load_activity_content("small_steps", SmallStepsContent)
    steps = usable_steps(spec, saved)
    return [
        f"{spec.step_heading.format(number=entry.number)}: "
        + "; ".join(f"{label}: {text}" for label, text in entry.lines)
        for entry in card_entries(spec, steps)
    ]


def feedback_blocks(spec: SmallStepsContent, steps: Sequence[Step]) -> list[Block]:
    """The "My small steps" card: on the page, and (as one card) in the take-home.

    Its heading; the words for no step yet, or each filled step under its heading ("Step 2",
    numbered as planned) with the parts given (what, who or where, when, how sure, obstacle,
    plan), the participant's words as text; then the article's words on small steps and what
    they mean.
    """
    card = spec.card
    blocks: list[Block] = [Heading(card.heading, style="steps-card-title")]
    entries = card_entries(spec, steps)
    if not entries:
        blocks.append(Paragraph(card.empty))
    for entry in entries:
        blocks += [
            Heading(spec.step_heading.format(number=entry.number), level=4),
            Bullets(
                tuple(text for _, text in entry.lines),
                leads=tuple(f"{label}:" for label, _ in entry.lines),
                style="step-summary",
            ),
        ]
    blocks += [Quote(card.article_words, card.article_source), Paragraph(card.article_meaning)]
    return blocks


def _take_home_card(blocks: Sequence[Block]) -> Card:
    """The page's card (:func:`feedback_blocks`) as the take-home's one boxed card, line by line.

    Its heading becomes the card's title; each step's heading a line of its own (the card sets a
    line without a colon in bold), each part given a "label: text" line, and the article's words
    one line with their source.
    """
    title = ""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading) and block.style == "steps-card-title":
            title = block.text
        elif isinstance(block, Heading | Paragraph):
            lines.append(block.text)
        elif isinstance(block, Bullets):
            lines.extend(f"{lead} {item}" for lead, item in zip(block.leads, block.items, strict=True))
        elif isinstance(block, Quote):
            lines.append(f"“{block.words}” ({block.source})")
    return Card(title, tuple(lines))


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """The page's "My small steps" card (:func:`feedback_blocks`) as one :class:`~widgets.blocks.Card`.

    After it, for each step with a confidence below the content's ``smaller_below``, the page's gentle
    "make it smaller" prompt and its ideas. Empty when no step is filled. A saved step that no longer
    fits the content is left out, as on the page; what the participant typed is kept as written
    (renderers escape it).
    """
    spec = load_activity_content("small_steps", SmallStepsContent)
    steps = usable_steps(spec, saved)
    if not card_entries(spec, steps):
        return []
    blocks: list[Block] = [_take_home_card(feedback_blocks(spec, steps))]
    for number, step in enumerate(steps, start=1):
        if needs_smaller(spec, step):
            heading = spec.step_heading.format(number=number)
            blocks.append(Paragraph(f"{heading}: {spec.confidence.smaller_prompt}"))
            blocks.append(Bullets(tuple(spec.confidence.smaller_ideas)))
    return blocks


def _with_hint(field: TextField) -> str:
    return f"{field.label} ({field.hint})" if field.hint else field.label


def worksheet_blocks() -> list[Block]:
    """The planner as a paper form: ideas to tick, then up to ``max_steps`` step boxes to fill by hand.

    The worksheet's intro; the article's steps (and "my own step") as a checklist; for each step a
    heading, lines for what, who or where and when, a 0-10 confidence scale, lines for the obstacle and
    the plan; the "make it smaller" prompt with its ideas, for a confidence below the content's
    ``smaller_below``; and the article's words from the card.
    """
    spec = load_activity_content("small_steps", SmallStepsContent)
    words = spec.worksheet
    confidence = spec.confidence
    options = tuple(option.label for option in [*spec.what.options, spec.what.own_option])
    blocks: list[Block] = [
        Paragraph(words.intro),
        Checklist(words.ideas_question, options),
    ]
    scale = tuple(str(value) for value in range(CONFIDENCE_LOWEST, CONFIDENCE_HIGHEST + 1))
    for number in range(1, spec.max_steps + 1):
        blocks.extend(
            [
                Heading(spec.step_heading.format(number=number)),
                WriteIn(spec.what.question, lines=2),
                WriteIn(_with_hint(spec.who), lines=1),
                WriteIn(_with_hint(spec.when), lines=1),
                Scale(confidence.question, scale),
                WriteIn(_with_hint(spec.obstacle), lines=2),
                WriteIn(_with_hint(spec.plan), lines=2),
            ]
        )
    blocks.extend(
        [
            Paragraph(words.smaller_intro.format(below=confidence.smaller_below), style="strong"),
            Paragraph(confidence.smaller_prompt),
            Bullets(tuple(confidence.smaller_ideas)),
            Paragraph(f"“{spec.card.article_words}” ({spec.card.article_source})", style="quiet"),
            Paragraph(spec.card.article_meaning),
        ]
    )
    return blocks


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """The group's small steps as counts and averages; what anyone typed never reaches a figure.

    Rows are the article's steps in the content's order, then one row, with the content's label, for
    steps written in someone's own words. ``steps``: per kind of step, how many chose it (a person who
    planned two of the same kind counts once); ``confidence``: per kind of step, the average of how
    sure people feel about it, from 0 to 10, over those who gave a confidence for a step of that kind
    (each person's own average first, so everyone counts once; kinds with none are left out). A figure
    is left out when no one gave what it counts; ``[]`` when no step was chosen and no confidence
    given. Steps that do not fit the content are skipped, as the planner skips them.
    """
    spec = load_activity_content("small_steps", SmallStepsContent)
    words = spec.group
    kinds = [(option.id, option.label) for option in spec.what.options]
    kinds.append((spec.what.own_option.id, words.own_step))
    chosen: dict[str, int] = dict.fromkeys((kind for kind, _ in kinds), 0)
    sure: dict[str, list[float]] = {kind: [] for kind, _ in kinds}
    for saved in shared:
        steps = [step for step in usable_steps(spec, saved) if step.what is not None]
        for kind in chosen:
            of_kind = [step for step in steps if step.what == kind]
            if of_kind:
                chosen[kind] += 1
            confidences = [step.confidence for step in of_kind if step.confidence is not None]
            if confidences:
                sure[kind].append(sum(confidences) / len(confidences))
    figures = []
    if any(chosen.values()):
        figures.append(
            figure("steps", words.steps, "count", [(label, chosen[kind]) for kind, label in kinds])
        )
    confidence = [(label, average(sure[kind])) for kind, label in kinds if sure[kind]]
    if confidence:
        figures.append(
            figure("confidence", words.confidence, "average", confidence, scale=CONFIDENCE_HIGHEST)
        )
    return figures
