"""Section 2's beliefs about needing others: which are held most strongly. Pure Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import Field, field_validator, model_validator

from ._content import ContentModel, Identifier, Text, check_placeholders, load_activity_content


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


class BeliefsContent(ContentModel):
    """The schema of ``content/beliefs.yaml``."""

    heading: Text
    intro: Text
    options: list[BeliefOption] = Field(min_length=2)
    strong_from_score: int = Field(ge=1)
    max_shown: int = Field(ge=1, le=10)
    statements: list[Statement] = Field(min_length=1, max_length=12)
    answered_line: Text
    strongest_heading: Text
    strongest_intro: Text
    more_line: Text
    none_strong: Text
    nothing_yet: Text
    article_source: Text
    article_words: Text

    @field_validator("answered_line")
    @classmethod
    def _answered_placeholders(cls, text: str) -> str:
        return check_placeholders(text, {"answered", "total"})

    @field_validator("more_line")
    @classmethod
    def _more_placeholders(cls, text: str) -> str:
        return check_placeholders(text, {"count"})

    @model_validator(mode="after")
    def _consistent(self) -> BeliefsContent:
        for kind, ids in (
            ("option", [option.id for option in self.options]),
            ("statement", [statement.id for statement in self.statements]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"every {kind} needs its own id, got {ids}")
        if self.strong_from_score > max(option.score for option in self.options):
            raise ValueError("strong_from_score is higher than any option's score")
        return self


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


def summary_lines(saved: dict) -> list[str]:
    """Plain lines for the summary: the beliefs held most strongly.

    Beliefs the content no longer has, and answers not among its options, are left out.
    """
    spec = load_activity_content("beliefs", BeliefsContent)
    given = saved.get("answers")
    options = {option.id for option in spec.options}
    usable = {
        statement.id: option_id
        for statement in spec.statements
        if isinstance(given, Mapping)
        and isinstance(option_id := given.get(statement.id), str)
        and option_id in options
    }
    result = strongest_beliefs(spec, usable)
    if not result.answered:
        return []
    if not result.strongest:
        return [spec.none_strong]
    return [f"{spec.strongest_heading}:", *(f"“{s.text}”" for s in result.strongest)]
