"""The answers a participant has given, by section.

Activities save their answers here as they are given and read earlier
sections' answers from here (section 8 reads the connection map, section 9
the first check-in). In this version the book lives in the page's own kernel
memory, so it holds only what was given on the current page.
"""

from __future__ import annotations

import copy
import json
from typing import Any


class AnswerBook:
    """Answers by section slug, as plain JSON-compatible data."""

    def __init__(self) -> None:
        self._answers: dict[str, dict[str, Any]] = {}

    def save(self, slug: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as the answers to section ``slug``, replacing earlier ones.

        Raises
        ------
        TypeError
            If ``data`` is not JSON-compatible (answers must be plain data).
        """
        json.dumps(data)  # refuse anything that could not be stored as JSON
        self._answers[slug] = copy.deepcopy(data)

    def load(self, slug: str) -> dict[str, Any] | None:
        """Return a copy of section ``slug``'s answers, or ``None`` if there are none."""
        data = self._answers.get(slug)
        return copy.deepcopy(data) if data is not None else None

    def clear(self) -> None:
        """Forget every answer."""
        self._answers.clear()


_BOOK = AnswerBook()


def current() -> AnswerBook:
    """The answer book of this page (this kernel)."""
    return _BOOK
