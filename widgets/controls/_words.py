"""The controls' own words (a clear button, a character count, a number's range), in the page's language.

The controls know no content file: the page shell gives them its language's words once, as the page
starts (:func:`use_control_words`, from ``workbook.yaml``'s ``controls``), and every control made after
takes them as its defaults. English until told, so a control made alone (a test) still reads well.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

__all__ = ["ControlWords", "control_words", "use_control_words"]


@dataclass(frozen=True)
class ControlWords:
    """The words a control shows of its own."""

    clear_answer: str = "Clear my answer"
    characters: str = "{count} of {limit} characters"
    """Under a text box: ``{count}`` and ``{limit}`` are filled in as the person types."""
    number_range: str = "({minimum} to {maximum})"
    """After a number box's unit."""
    # Said when a value the browser sent is refused (and nothing changed):
    not_a_choice: str = "That answer isn't one of the choices, so it was not kept."
    not_a_choice_here: str = "One of those isn't a choice here, so the last change was not kept."
    too_many: str = "You can tick up to {count} here, so the last one was not kept."
    out_of_range: str = "Please use a number from {minimum} to {maximum}; the last one was not kept."
    too_long: str = (
        "This can be up to {limit} characters. Your last change was too long, so what you had before is kept."
    )
    one_line: str = "This answer fits on one line, so your last change was not kept."
    locale: str = "en"
    """The language the words are in: it writes the numbers in them (2,000 or 2000)."""

    def number(self, value: float) -> str:
        """``value`` written the language's way (a whole number without decimals)."""
        return format_decimal(value, locale=self.locale)


_WORDS = ControlWords()


def control_words() -> ControlWords:
    """The words controls made now take."""
    return _WORDS


def use_control_words(words: ControlWords) -> None:
    """Give every control made from now on these words (the page's language's)."""
    global _WORDS
    _WORDS = words
