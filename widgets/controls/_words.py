"""The controls' own words (a clear button, a character count, a number's range), in the page's language.

The controls know no content file: the page shell gives them its language's words once, as the page
starts (:func:`use_control_words`, from ``workbook.yaml``'s ``controls``), and every control made after
takes them as its defaults. English until told, so a control made alone (a test) still reads well.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ControlWords", "control_words", "use_control_words"]


@dataclass(frozen=True)
class ControlWords:
    """The words a control shows of its own."""

    clear_answer: str = "Clear my answer"
    characters: str = "{count} of {limit} characters"
    """Under a text box: ``{count}`` and ``{limit}`` are filled in as the person types."""
    number_range: str = "({minimum} to {maximum})"
    """After a number box's unit."""


_WORDS = ControlWords()


def control_words() -> ControlWords:
    """The words controls made now take."""
    return _WORDS


def use_control_words(words: ControlWords) -> None:
    """Give every control made from now on these words (the page's language's)."""
    global _WORDS
    _WORDS = words
