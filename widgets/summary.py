"""One or two plain lines per section, from the answers kept in the answer book.

Each section's activity gives ``summary_lines(saved)`` (see :mod:`widgets.contract`); the page shell
hands over the sections. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from widgets.answers import AnswerBook
from widgets.contract import SectionRegistry
from widgets.workbook_content import Content, Section


@dataclass(frozen=True)
class SectionSummary:
    """A section and what its kept answers say, in plain lines (empty if nothing is kept)."""

    section: Section
    lines: tuple[str, ...]


def summarise(content: Content, book: AnswerBook, sections: SectionRegistry) -> list[SectionSummary]:
    """Summarise every section whose answers the book holds, in section order.

    A kept row that does not have its section's shape gives no lines (and one log line).
    """
    summaries = []
    for section in content.sections.sections:
        activity = sections[section.slug]
        saved = activity.read(book.load(section.slug))
        lines = tuple(activity.summary_lines(saved)) if saved is not None else ()
        summaries.append(SectionSummary(section, lines))
    return summaries
