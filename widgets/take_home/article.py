"""The article's text by section, as the notebooks present it (read from ``article/``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from widgets.workbook_content import Content

ARTICLE = Path(__file__).resolve().parents[2] / "article" / "community-as-medicine-part-1.txt"


@lru_cache(maxsize=1)
def _lines() -> tuple[str, ...]:
    return tuple(line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip())


def article_title() -> tuple[str, str]:
    """The article's title and subtitle."""
    lines = _lines()
    return lines[0], lines[1]


def section_paragraphs(content: Content) -> dict[str, tuple[str, ...]]:
    """Each section's paragraphs, by slug, in the article's words."""
    by_title = {section.title: section.slug for section in content.sections.sections}
    paragraphs: dict[str, list[str]] = {}
    current = None
    for line in _lines()[2:]:
        if line in by_title:
            current = by_title[line]
            paragraphs[current] = []
        elif current is not None:
            paragraphs[current].append(line)
    return {slug: tuple(lines) for slug, lines in paragraphs.items()}
