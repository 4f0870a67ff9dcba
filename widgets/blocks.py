"""The building blocks of a take-home document: a participant's workbook, or a blank worksheet.

Each section's model module offers two functions that return these blocks:

``report_blocks(saved) -> list[Block]``
    What the participant answered and got back on that page (results,
    feedback, chart data with its text alternative, the small-steps card),
    from what its view saved. Empty when nothing usable is saved.
``worksheet_blocks() -> list[Block]``
    The section's activity as a paper form (boxes to tick, lines to write on).

Blocks hold plain text only, never markup: what a participant typed stays
text, and each renderer (HTML, PDF) escapes or draws it as text. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Bar",
    "Bars",
    "Block",
    "Bullets",
    "Card",
    "Checklist",
    "Grid",
    "Heading",
    "Paragraph",
    "Rings",
    "Scale",
    "Table",
    "WriteIn",
]


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (the section's own title is added by the document)."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``strong`` for a result's headline, ``quiet`` for a side note."""

    text: str
    style: str = "plain"


@dataclass(frozen=True)
class Bullets:
    """A list of short lines."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a caption: often the text alternative of a chart."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Bar:
    """One bar of a :class:`Bars` chart; ``highlight`` bars are marked in words too (``note``)."""

    label: str
    value: float
    highlight: bool = False
    note: str = ""


@dataclass(frozen=True)
class Bars:
    """A horizontal bar chart. Always followed, in the same section, by a :class:`Table` saying the same."""

    title: str
    unit: str
    bars: tuple[Bar, ...]
    max_value: float | None = None


@dataclass(frozen=True)
class Rings:
    """Concentric circles (the connection map), innermost first: each ring's name and the labels on it."""

    title: str
    rings: tuple[tuple[str, tuple[str, ...]], ...]
    centre: str = "Me"


@dataclass(frozen=True)
class Card:
    """A boxed card, e.g. "My small steps": a title and its lines."""

    title: str
    lines: tuple[str, ...]


# --- blank forms, for worksheets ------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A question answered by ticking one box among ``options``."""

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """A question answered by ticking any number of ``options``."""

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class WriteIn:
    """A label and ``lines`` ruled lines to write an answer on."""

    label: str
    lines: int = 2


@dataclass(frozen=True)
class Grid:
    """A blank table to fill by hand: column headers and ``rows`` empty rows."""

    caption: str
    headers: tuple[str, ...]
    rows: int
    notes: tuple[str, ...] = field(default=())
    """Lines under the table, e.g. what each column's choices are."""


Block = Heading | Paragraph | Bullets | Table | Bars | Rings | Card | Scale | Checklist | WriteIn | Grid
