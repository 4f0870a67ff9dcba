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
from typing import ClassVar, Literal

from widgets.content_files import Unit

__all__ = [
    "Bar",
    "Bars",
    "Block",
    "Bullets",
    "Card",
    "Checklist",
    "Cycle",
    "Diagram",
    "Figure",
    "Grid",
    "Heading",
    "Invitation",
    "Pairs",
    "Paragraph",
    "Part",
    "Quote",
    "Rings",
    "Scale",
    "Step",
    "Steps",
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
    level: int = 3
    """Its level on the page (4: a heading inside a :class:`Part`); documents draw every heading alike."""


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
    leads: tuple[str, ...] = ()
    """Words set before each item, in bold on the page (a circle's name); documents write them before it."""
    style: str = ""
    """How the page marks the list (``step-summary``); documents draw every list alike."""


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
    unit: Unit
    """The words after each bar's number, in the form that agrees with it ("1 hour", "2 hours")."""
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
    lines_in_document: bool = True
    """Whether documents print the crisis lines after ``document_text`` (not where it points to the
    document's own lines instead)."""


@dataclass(frozen=True)
class Pairs:
    """A list of pairs of lines: each first line in bold, with the second under it (a belief, its reframe).

    ``style`` is how the page marks the list (``reframes``); documents print each pair as a bold
    paragraph and a plain one.
    """

    kind: ClassVar[str] = "pairs"

    items: tuple[tuple[str, str], ...]
    style: str = ""


@dataclass(frozen=True)
class Part:
    """Blocks that belong together on the page (one group of a reflection), kept apart by their box.

    ``style`` is how the page marks the part, ``data`` its ``data-`` attributes; documents print the
    blocks it holds, in order, as if it were not there.
    """

    kind: ClassVar[str] = "part"

    blocks: tuple[Block, ...]
    style: str
    data: tuple[tuple[str, str], ...] = ()
    tag: Literal["section", "div"] = "section"
    """A section of the reflection of its own, or only a box around related blocks."""


@dataclass(frozen=True)
class Figure:
    """A chart on the page with its caption and its table, the table the chart's text alternative.

    Documents print the chart and then ``document_table``, which may say more than the page's
    (the bar's number beside its word, so the printed table says all the chart does).
    """

    kind: ClassVar[str] = "figure"

    chart: Bars
    caption: str
    table: Table
    document_table: Table
    table_lead: str = ""
    """A line the page's text alternative says before its table (the chart's numbers in words);
    documents, which print the chart's numbers in ``document_table``, leave it out."""


@dataclass(frozen=True)
class Cycle:
    """Steps drawn around a circle, each leading to the next (the cycle of isolation); ``True``: starred.

    Only the page draws one, in a :class:`Diagram`: documents print the diagram's words instead.
    """

    title: str
    steps: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Step:
    """One step of :class:`Steps`: its few words, the step in full, and ``note`` where it is ``marked``."""

    label: str
    detail: str
    marked: bool = False
    note: str = ""


@dataclass(frozen=True)
class Steps:
    """Numbered steps, the marked ones starred and followed by their note; documents print one line each."""

    kind: ClassVar[str] = "steps"

    items: tuple[Step, ...]


@dataclass(frozen=True)
class Diagram:
    """A drawing on the page (circles, a cycle, bars) with its caption and its words as blocks.

    Unlike :class:`Figure`, whose words are one table, the page's ``alternative`` is any blocks; and
    documents print ``document`` in its place (the drawing as they draw it, or its words alone).
    """

    kind: ClassVar[str] = "diagram"

    chart: Bars | Rings | Cycle
    caption: str
    alternative: tuple[Block, ...]
    document: tuple[Block, ...]


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
    | Pairs
    | Part
    | Figure
    | Steps
    | Diagram
)
