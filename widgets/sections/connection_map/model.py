"""The connection map (section 4): its content schema and its rules. Pure Python: no widgets here.

A map is a tuple of :class:`Entry`, in the order they were added. Every change
goes through :func:`add_entry` or :func:`remove_entry`, which return a new
tuple or raise :class:`MapError` with a message from the content file, so a
refused change leaves the map exactly as it was.

Labels must differ (compared without case or surrounding spaces): the label
is what names an entry's remove button and what section 8 offers as a choice,
so two entries with the same label could not be told apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, OnErrorOmit, StringConstraints, model_validator

from widgets.blocks import Block, Bullets, Diagram, Grid, Heading, Paragraph, Quote, Rings, Table
from widgets.content_files import ContentModel, Identifier, OwnIds, Placeholders, Text, load_activity_content
from widgets.contract import SavedAnswers
from widgets.room.figures import GroupFigure, GroupWords, average, figure

# The word in the middle of the drawn map; the chart has room for six characters.
CentreLabel = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=6)]


class MapError(ValueError):
    """An entry or a change to the map that was refused; the message says why, in plain words."""


# --- content schema (widgets/content/LANG/connection_map.yaml) --------------------


class Choice(ContentModel):
    """One answer choice: an id kept with the answers and the label a person sees."""

    id: Identifier
    label: Text


class Circle(ContentModel):
    """One ring of the map, from the closest outwards."""

    id: Identifier
    name: Text
    explanation: Text


class Rating(ContentModel):
    """One quality of a relationship that a person may rate."""

    id: Identifier
    question: Text
    short: Text


class SafeGroupWords(GroupWords):
    """The words of the "feels safe" group figure, with its two rows' labels."""

    some: Text
    """The row of those with at least one relationship that feels safe."""
    none_yet: Text
    """The row of those with none yet."""


class ConnectionMapGroupWords(ContentModel):
    """The words of the group figures (see :func:`group_figures`)."""

    circles: GroupWords
    kinds: GroupWords
    safe: SafeGroupWords


class MapColumns(ContentModel):
    """Column names for the entries' table: on the paper worksheet and in the participant's workbook."""

    label: Text
    kind: Text
    circle: Text


class ConnectionMapWorksheet(ContentModel):
    """The words of the blank paper form (see :func:`worksheet_blocks`)."""

    intro: Text
    rows: int = Field(ge=1, le=40)
    """How many empty rows the paper table has."""
    grid_caption: Text
    columns: MapColumns
    circles_lead: Text
    kinds_note: Annotated[Text, Placeholders("kinds")]
    circles_note: Annotated[Text, Placeholders("circles")]
    scale_note: Annotated[Text, Placeholders("choices")]
    rating_note: Annotated[Text, Placeholders("short", "question")]
    reading_heading: Text


class ConnectionMapContent(ContentModel):
    """Every word of the connection map, its limits and its meaning of "feels safe"."""

    heading: Text
    intro: Text
    form_heading: Text
    form_note: Annotated[Text, Placeholders("max_entries")]
    label_question: Text
    label_hint: Text
    label_max_length: int = Field(ge=1, le=60)
    max_entries: int = Field(ge=1, le=100)
    kind_question: Text
    kinds: Annotated[list[Choice], OwnIds("kind")] = Field(min_length=2, max_length=20)
    circle_question: Text
    circles: Annotated[list[Circle], OwnIds("circle")] = Field(min_length=1, max_length=3)
    ratings_note: Text
    ratings: Annotated[list[Rating], OwnIds("rating")] = Field(min_length=1, max_length=6)
    scale: Annotated[list[Choice], OwnIds("scale choice")] = Field(min_length=2, max_length=6)
    safe_when: Identifier
    add_label: Text
    remove_label: Annotated[Text, Placeholders("label")]
    label_missing: Text
    label_too_long: Annotated[Text, Placeholders("max_length")]
    label_taken: Annotated[Text, Placeholders("label")]
    circle_missing: Text
    not_a_choice: Text
    map_full: Annotated[Text, Placeholders("max_entries")]
    added: Annotated[Text, Placeholders("label")]
    removed: Annotated[Text, Placeholders("label")]
    list_heading: Text
    count_line: Annotated[Text, Placeholders("count", "max_entries")]
    list_empty: Text
    entry_line: Annotated[Text, Placeholders("label", "kind", "circle", "ratings")]
    not_given: Text
    map_title: Text
    map_caption: Text
    centre_label: CentreLabel
    text_alternative_heading: Text
    ring_empty: Text
    empty_feedback: Text
    safe_definition: Text
    safe_line: Annotated[Text, Placeholders("safe", "total")]
    safe_none: Text
    article_words: Text
    article_credit: Text
    group: ConnectionMapGroupWords
    worksheet: ConnectionMapWorksheet

    @model_validator(mode="after")
    def _consistent(self) -> ConnectionMapContent:
        if self.safe_when not in {choice.id for choice in self.scale}:
            raise ValueError(f"safe_when ({self.safe_when!r}) must be the id of one of the scale choices")
        if self.worksheet.rows > self.max_entries:
            raise ValueError(
                f"worksheet.rows ({self.worksheet.rows}) is more than max_entries ({self.max_entries})"
            )
        return self


class SavedEntry(SavedAnswers):
    """One saved person or group, as from :meth:`Entry.to_plain`."""

    label: str = ""
    circle: str = ""
    kind: str | None = None
    ratings: dict[str, str | None] = Field(default_factory=dict)


class ConnectionMapAnswers(SavedAnswers):
    """What section 4's view saves: the map's entries, in the order they were added."""

    entries: list[OnErrorOmit[SavedEntry]] = Field(default_factory=list)
    """An entry that does not fit is passed over, as :func:`read_saved_map` passes it over."""


# --- the map ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One person or group on the map.

    ``kind`` is ``None`` when skipped; ``ratings`` maps every rating id to a
    scale choice id, or to ``None`` where that rating was skipped.
    """

    label: str
    circle: str
    kind: str | None = None
    ratings: Mapping[str, str | None] = field(default_factory=dict)

    def to_plain(self) -> dict[str, Any]:
        """The entry as plain JSON-compatible data, for the answer book."""
        return {"label": self.label, "kind": self.kind, "circle": self.circle, "ratings": dict(self.ratings)}


def _label_key(label: str) -> str:
    # "Sam", " sam " and "SAM" are the same label to a person reading the map.
    return label.strip().casefold()


def make_entry(
    spec: ConnectionMapContent,
    label: str,
    circle: str | None,
    kind: str | None = None,
    ratings: Mapping[str, str | None] | None = None,
) -> Entry:
    """Check one entry as given in the form and return it.

    The label loses its surrounding spaces; ``circle`` is needed, because the map has to know where
    to draw them; a skipped kind is ``None`` and missing ratings count as skipped. Raises
    :class:`MapError` if the label is empty or too long, the circle is missing, or any id is not in
    the content.
    """
    label = label.strip() if isinstance(label, str) else ""
    if not label:
        raise MapError(spec.label_missing)
    if len(label) > spec.label_max_length:
        raise MapError(spec.label_too_long.format(max_length=spec.label_max_length))
    if circle is None:
        raise MapError(spec.circle_missing)
    if circle not in [option.id for option in spec.circles]:
        raise MapError(spec.not_a_choice)
    if kind is not None and kind not in [option.id for option in spec.kinds]:
        raise MapError(spec.not_a_choice)
    given = dict(ratings or {})
    rating_ids = [rating.id for rating in spec.ratings]
    scale_ids = [choice.id for choice in spec.scale]
    # Lists, not sets: saved data read back may hold unhashable values, which are simply refused.
    if any(key not in rating_ids for key in given) or any(
        value is not None and value not in scale_ids for value in given.values()
    ):
        raise MapError(spec.not_a_choice)
    return Entry(
        label=label, circle=circle, kind=kind, ratings={rating: given.get(rating) for rating in rating_ids}
    )


def add_entry(spec: ConnectionMapContent, entries: Sequence[Entry], entry: Entry) -> tuple[Entry, ...]:
    """Return the map with ``entry`` added at the end.

    Raises
    ------
    MapError
        If the map already holds ``spec.max_entries`` entries, or one with the same label.
    """
    if len(entries) >= spec.max_entries:
        raise MapError(spec.map_full.format(max_entries=spec.max_entries))
    if any(_label_key(other.label) == _label_key(entry.label) for other in entries):
        raise MapError(spec.label_taken.format(label=entry.label))
    return (*entries, entry)


def remove_entry(entries: Sequence[Entry], label: str) -> tuple[Entry, ...]:
    """Return the map without the entry called ``label``.

    Raises
    ------
    KeyError
        If no entry has that label (it may already have been removed).
    """
    kept = tuple(entry for entry in entries if _label_key(entry.label) != _label_key(label))
    if len(kept) == len(entries):
        raise KeyError(label)
    return kept


def is_safe(spec: ConnectionMapContent, entry: Entry) -> bool:
    """Whether every rating of ``entry`` is the content's ``safe_when`` choice (a skip never is)."""
    return all(entry.ratings.get(rating.id) == spec.safe_when for rating in spec.ratings)


def count_safe(spec: ConnectionMapContent, entries: Sequence[Entry]) -> int:
    """How many entries feel safe by :func:`is_safe`."""
    return sum(1 for entry in entries if is_safe(spec, entry))


def ring_placement(spec: ConnectionMapContent, entries: Sequence[Entry]) -> list[tuple[str, list[str]]]:
    """The rings to draw, innermost first: each circle's name and the labels on it, in order added."""
    return [
        (circle.name, [entry.label for entry in entries if entry.circle == circle.id])
        for circle in spec.circles
    ]


def to_saved(entries: Sequence[Entry]) -> dict[str, Any]:
    """The map as the plain data saved in the answer book."""
    return {"entries": [entry.to_plain() for entry in entries]}


def from_saved(spec: ConnectionMapContent, saved: Mapping[str, Any] | None) -> tuple[Entry, ...]:
    """Read a map back from the answer book.

    Entries that do not pass :func:`make_entry` and :func:`add_entry` (changed
    content, a repeated label, more than the limit) are left out rather than
    failing the page, so a later section can always read what is usable.
    """
    entries: tuple[Entry, ...] = ()
    raw = saved.get("entries") if isinstance(saved, Mapping) else None
    if not isinstance(raw, list):
        return entries
    for item in raw:
        if not isinstance(item, Mapping):
            continue
        ratings = item.get("ratings")
        label = item.get("label")
        try:
            entry = make_entry(
                spec,
                label=label if isinstance(label, str) else "",
                circle=item.get("circle"),
                kind=item.get("kind"),
                ratings=ratings if isinstance(ratings, Mapping) else None,
            )
            entries = add_entry(spec, entries, entry)
        except MapError:
            continue
    return entries


def _tolerant_item(spec: ConnectionMapContent, item: Mapping[str, Any]) -> dict[str, Any]:
    """A saved entry with a kind, rating or rating answer the content no longer has read as skipped.

    The label and circle are left as they are: an entry without a known circle
    has no place on the map, so :func:`from_saved` leaves it out.
    """
    kinds = [kind.id for kind in spec.kinds]
    scale = [choice.id for choice in spec.scale]
    kind = item.get("kind")
    given = item.get("ratings")
    ratings = {}
    for rating in spec.ratings:
        value = given.get(rating.id) if isinstance(given, Mapping) else None
        ratings[rating.id] = value if isinstance(value, str) and value in scale else None
    return {
        "label": item.get("label"),
        "circle": item.get("circle"),
        "kind": kind if isinstance(kind, str) and kind in kinds else None,
        "ratings": ratings,
    }


def read_saved_map(spec: ConnectionMapContent, saved: object) -> tuple[Entry, ...]:
    """Read a saved map back as the page shows it, keeping what still fits today's content.

    A kind, rating or rating answer the content no longer has (or that is not
    text) reads as skipped and the entry is kept; an entry without a usable
    label or a known circle, a repeated label, or one over the limit is left
    out, as :func:`from_saved` does. Never raises, whatever ``saved`` holds.
    """
    raw = saved.get("entries") if isinstance(saved, Mapping) else None
    if not isinstance(raw, list):
        return ()
    items = [_tolerant_item(spec, item) for item in raw if isinstance(item, Mapping)]
    return from_saved(spec, {"entries": items})


def summary_lines(saved: Mapping[str, Any]) -> list[str]:
    """Plain lines for the summary: who is in each circle, innermost first, and how many feel safe.

    Each circle's line is as in the map's text alternative (``"Close circle (2): Sam, Jo"``). Empty
    when the map has no one on it; an entry whose circle the content no longer has is left out, and
    a kind or rating it no longer has counts as skipped.
    """
    spec = load_activity_content("connection_map", ConnectionMapContent)
    entries = read_saved_map(spec, saved)
    if not entries:
        return []
    lines = [
        f"{name} ({len(labels)}): {', '.join(labels) if labels else spec.ring_empty}"
        for name, labels in ring_placement(spec, entries)
    ]
    lines.append(spec.safe_line.format(safe=count_safe(spec, entries), total=len(entries)))
    return lines


def _closing_words(spec: ConnectionMapContent) -> list[Block]:
    """The article's words the paper form ends with, quoted, and where they come from."""
    return [Paragraph(f"“{spec.article_words}”"), Paragraph(spec.article_credit, style="quiet")]


def entries_table(spec: ConnectionMapContent, entries: Sequence[Entry]) -> Table:
    """Every entry with its kind, circle and ratings (a skipped answer in the content's words)."""
    kinds = {kind.id: kind.label for kind in spec.kinds}
    circles = {circle.id: circle.name for circle in spec.circles}
    scale = {choice.id: choice.label for choice in spec.scale}
    columns = spec.worksheet.columns
    rows = tuple(
        (
            entry.label,
            kinds.get(entry.kind or "", spec.not_given),
            circles[entry.circle],
            *(scale.get(entry.ratings.get(rating.id) or "", spec.not_given) for rating in spec.ratings),
        )
        for entry in entries
    )
    return Table(
        caption=spec.list_heading,
        headers=(columns.label, columns.kind, columns.circle, *(rating.short for rating in spec.ratings)),
        rows=rows,
    )


def _map_diagram(spec: ConnectionMapContent, entries: Sequence[Entry]) -> Diagram:
    """The map drawn as circles, with who is in each circle in words; documents add the entries' table."""
    placed = ring_placement(spec, entries)
    rings = Rings(
        title=spec.map_title,
        rings=tuple((name, tuple(labels)) for name, labels in placed),
        centre=spec.centre_label,
    )
    in_words = Bullets(
        items=tuple(
            f"({len(labels)}): {', '.join(labels) if labels else spec.ring_empty}" for _, labels in placed
        ),
        leads=tuple(name for name, _ in placed),
    )
    return Diagram(
        chart=rings,
        caption=spec.map_caption,
        alternative=(Paragraph("", lead=spec.text_alternative_heading), in_words),
        document=(rings, entries_table(spec, entries)),
    )


def feedback_blocks(spec: ConnectionMapContent, entries: Sequence[Entry]) -> list[Block]:
    """Under the list: on the page, in the take-home web page and in the PDF.

    The map drawn as circles with who is in each in words (in documents, the drawing and a table of
    every entry with its kind, circle and ratings); the gentle words for an empty map, or how many
    relationships feel safe (in bold), what that means, and the gentle words when none does yet;
    and the article's closing words.
    """
    blocks: list[Block] = [_map_diagram(spec, entries)]
    if not entries:
        blocks.append(Paragraph(spec.empty_feedback))
    else:
        safe = count_safe(spec, entries)
        blocks += [
            Paragraph("", lead=spec.safe_line.format(safe=safe, total=len(entries)), style="safe-count"),
            Paragraph(spec.safe_definition),
        ]
        if safe == 0:
            blocks.append(Paragraph(spec.safe_none))
    blocks.append(Quote(spec.article_words, spec.article_credit))
    return blocks


def report_blocks(saved: Mapping[str, Any]) -> list[Block]:
    """What the page shows under the list (:func:`feedback_blocks`); ``[]`` when no usable entry is saved.

    Documents print the map as :class:`~widgets.blocks.Rings` (each circle with its labels, as the
    participant typed them) and a table of every entry. Entries are read as :func:`read_saved_map`
    reads them for the page.
    """
    spec = load_activity_content("connection_map", ConnectionMapContent)
    entries = read_saved_map(spec, saved)
    if not entries:
        return []
    return feedback_blocks(spec, entries)


def worksheet_blocks() -> list[Block]:
    """The connection map as a blank paper form, from the content file.

    Short instructions, the circles with what each means, a table to fill in (one row per person or
    group: label, kind, circle and the three ratings) with every column's choices under it, then what
    "feels safe" means and the article's closing words.
    """
    spec = load_activity_content("connection_map", ConnectionMapContent)
    words = spec.worksheet
    columns = words.columns
    notes = (
        words.kinds_note.format(kinds=", ".join(kind.label for kind in spec.kinds)),
        words.circles_note.format(circles=", ".join(circle.name for circle in spec.circles)),
        words.scale_note.format(choices=", ".join(choice.label for choice in spec.scale)),
        *(words.rating_note.format(short=rating.short, question=rating.question) for rating in spec.ratings),
    )
    return [
        Paragraph(words.intro),
        Paragraph(words.circles_lead),
        Bullets(tuple(f"{circle.name}: {circle.explanation}" for circle in spec.circles)),
        Grid(
            caption=words.grid_caption,
            headers=(columns.label, columns.kind, columns.circle, *(rating.short for rating in spec.ratings)),
            rows=words.rows,
            notes=notes,
        ),
        Heading(words.reading_heading),
        Paragraph(spec.safe_definition),
        *_closing_words(spec),
    ]


def group_figures(shared: Sequence[Mapping[str, Any]]) -> list[GroupFigure]:
    """The group's maps as counts and averages; an entry's label (a name someone typed) is never read.

    ``circles``: per circle, the average number of people or groups on it, over everyone whose map
    has anyone on it; ``kinds``: per kind, how many entries of that kind all the maps hold together
    (left out when no entry has a kind); ``safe``: how many have at least one relationship that
    feels safe (:func:`count_safe`) and how many none yet. ``[]`` when no map has anyone on it.
    Entries are read as :func:`read_saved_map` reads them, so ones the content does not fit are skipped.
    """
    spec = load_activity_content("connection_map", ConnectionMapContent)
    maps = [entries for saved in shared if (entries := read_saved_map(spec, saved))]
    if not maps:
        return []
    words = spec.group
    circles = [
        (circle.name, average([sum(1 for entry in entries if entry.circle == circle.id) for entries in maps]))
        for circle in spec.circles
    ]
    kinds = [
        (kind.label, sum(1 for entries in maps for entry in entries if entry.kind == kind.id))
        for kind in spec.kinds
    ]
    with_safe = sum(1 for entries in maps if count_safe(spec, entries) > 0)
    safe = [(words.safe.some, with_safe), (words.safe.none_yet, len(maps) - with_safe)]
    figures = [figure("circles", words.circles, "average", circles)]
    if any(count for _, count in kinds):
        figures.append(figure("kinds", words.kinds, "count", kinds))
    figures.append(figure("safe", words.safe, "count", safe))
    return figures
