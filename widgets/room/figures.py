"""What a group's shared answers add up to: counts and averages, never a person.

Each shareable section's model module offers
``group_figures(shared: Sequence[Mapping]) -> list[GroupFigure]``, where
``shared`` holds what that section's view saved, one mapping per participant
who chose to share it. A figure holds only counts or averages over those
mappings, with labels from the content (question wording, option labels),
never anything a participant typed. Pure Python: no widgets here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from widgets.content_files import ContentModel, Placeholders, Text, Unit

__all__ = ["GroupFigure", "GroupRow", "GroupWords", "TopScaleWords", "average", "figure"]


@dataclass(frozen=True)
class GroupRow:
    """One bar of a group figure: a label from the content and a number."""

    label: str
    value: float


@dataclass(frozen=True)
class GroupFigure:
    """A count or an average per label, over the participants who shared.

    Attributes
    ----------
    id
        Names the figure within its activity (stable across wording changes;
        the CSV export uses it).
    title
        What the figure shows, in the content's words.
    unit
        The words after each number, in the form that agrees with it ("1 person", "2 people",
        "2.5 out of 5"): see :class:`~widgets.content_files.Unit`.
    measure
        ``"count"``: how many participants, per label; ``"average"``: the mean
        over the participants who answered that label.
    rows
        The labels in the content's order, each with its number.
    scale
        The largest possible value (e.g. 5 for a five-point scale), or ``None``
        to scale the chart to the biggest row.
    """

    id: str
    title: str
    unit: Unit
    measure: Literal["count", "average"]
    rows: tuple[GroupRow, ...]
    scale: float | None = None


class GroupWords(ContentModel):
    """A figure's words, as an activity's content file gives them under ``group``."""

    title: Text
    unit: Unit


class TopScaleWords(GroupWords):
    """A figure's words whose unit may name the top of its scale as ``{highest}`` ("out of {highest}")."""

    unit: Annotated[Unit, Placeholders("highest")]


def figure(
    figure_id: str,
    words: GroupWords,
    measure: Literal["count", "average"],
    rows: Sequence[tuple[str, float]],
    scale: float | None = None,
) -> GroupFigure:
    """Build a :class:`GroupFigure` from ``(label, value)`` pairs and its content words."""
    return GroupFigure(
        id=figure_id,
        title=words.title,
        unit=words.unit,
        measure=measure,
        rows=tuple(GroupRow(label, float(value)) for label, value in rows),
        scale=scale,
    )


def average(values: Sequence[float]) -> float:
    """The mean of ``values`` rounded to one decimal place, or 0 when there are none."""
    return round(sum(values) / len(values), 1) if values else 0.0
