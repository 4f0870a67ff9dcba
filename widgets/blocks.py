"""The building blocks of a take-home document: a participant's workbook, or a blank worksheet.

Each section's model module offers two functions that return these blocks:

``report_blocks(saved) -> list[Block]``
    What the participant answered and got back on that page (results,
    feedback, chart data with its text alternative, the small-steps card),
    from what its view saved. Empty when nothing usable is saved.
``worksheet_blocks() -> list[Block]``
    The section's activity as a paper form (boxes to tick, lines to write on).

Each block names its ``kind`` (the template macro that draws it on every surface).
Blocks hold plain text only, never markup: what a participant typed stays
text, and each renderer (HTML, PDF) escapes or draws it as text. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

__all__ = [
    "Bar",
    "Bars",
    "Block",
    "Bullets",
    "Card",
    "Checklist",
    "Grid",
    "Heading",
    "Invitation",
    "Paragraph",
    "Quote",
    "Rings",
    "Scale",
    "Table",
    "WriteIn",
]


@dataclass(frozen=True)
class Heading:
    """A heading inside a section (the section's own title is added by the document)."""

    kind: ClassVar[str] = "heading"

    text: str
    style: str = ""
    """How the page marks it (``band-title``: a result's name); documents draw every heading alike."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; ``strong`` for a result's headline, ``quiet`` for a side note."""

    kind: ClassVar[str] = "paragraph"

    text: str
    style: str = "plain"
    lead: str = ""
    """Words set before the text, in bold on the page ("One idea to try:")."""


@dataclass(frozen=True)
class Bullets:
    """A list of short lines."""

    kind: ClassVar[str] = "bullets"

    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table with a caption: often the text alternative of a chart."""

    kind: ClassVar[str] = "table"

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Bar:
    """One bar of a :class:`Bars` chart; ``highlight`` bars are marked in words too (``note``)."""

    kind: ClassVar[str] = "bar"

    label: str
    value: float
    highlight: bool = False
    note: str = ""


@dataclass(frozen=True)
class Bars:
    """A horizontal bar chart. Always followed, in the same section, by a :class:`Table` saying the same."""

    kind: ClassVar[str] = "bars"

    title: str
    unit: str
    bars: tuple[Bar, ...]
    max_value: float | None = None


@dataclass(frozen=True)
class Rings:
    """Concentric circles (the connection map), innermost first: each ring's name and the labels on it."""

    kind: ClassVar[str] = "rings"

    title: str
    rings: tuple[tuple[str, tuple[str, ...]], ...]
    centre: str = "Me"


@dataclass(frozen=True)
class Card:
    """A boxed card, e.g. "My small steps": a title and its lines."""

    kind: ClassVar[str] = "card"

    title: str
    lines: tuple[str, ...]


# --- blank forms, for worksheets ------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A question answered by ticking one box among ``options``."""

    kind: ClassVar[str] = "scale"

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """A question answered by ticking any number of ``options``."""

    kind: ClassVar[str] = "checklist"

    question: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class WriteIn:
    """A label and ``lines`` ruled lines to write an answer on."""

    kind: ClassVar[str] = "write_in"

    label: str
    lines: int = 2


@dataclass(frozen=True)
class Grid:
    """A blank table to fill by hand: column headers and ``rows`` empty rows."""

    kind: ClassVar[str] = "grid"

    caption: str
    headers: tuple[str, ...]
    rows: int
    notes: tuple[str, ...] = field(default=())
    """Lines under the table, e.g. what each column's choices are."""


@dataclass(frozen=True)
class Quote:
    """The article's own words, and where they come from."""

    kind: ClassVar[str] = "quote"

    words: str
    source: str


@dataclass(frozen=True)
class Invitation:
    """An invitation to reach someone now, always followed by the crisis lines.

    ``text`` is the page's wording (the crisis lines stand right under it); ``document_text`` the
    take-home's, which introduces the list of lines the document prints after it.
    """

    kind: ClassVar[str] = "invitation"

    text: str
    document_text: str


Block = (
    Heading
    | Paragraph
    | Bullets
    | Table
    | Bars
    | Rings
    | Card
    | Scale
    | Checklist
    | WriteIn
    | Grid
    | Quote
    | Invitation
)
