"""One or two plain lines per section, from the answers kept in the answer book.

Each section's model module may offer ``summary_lines(saved) -> list[str]``
(``saved`` is what its view saved in the answer book). Pure Python.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from widgets.answers import AnswerBook
from widgets.sections import MODEL_MODULES
from widgets.workbook_content import Content, Section


@dataclass(frozen=True)
class SectionSummary:
    """A section and what its kept answers say, in plain lines (empty if nothing is kept)."""

    section: Section
    lines: tuple[str, ...]


def summarise(content: Content, book: AnswerBook) -> list[SectionSummary]:
    """Summarise every section whose answers the book holds, in section order."""
    summaries = []
    for section in content.sections.sections:
        saved = book.load(section.slug)
        lines: list[str] = []
        if saved is not None:
            module = importlib.import_module(MODEL_MODULES[section.slug])
            summary_lines = getattr(module, "summary_lines", None)
            if summary_lines is not None:
                lines = list(summary_lines(saved))
        summaries.append(SectionSummary(section, tuple(lines)))
    return summaries
