"""Free text with a visible label and a length limit: a note or a short answer."""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Int, TraitError, Unicode, default, validate

from widgets.controls._guarded import STATIC, GuardedControl
from widgets.controls._words import control_words


class TextBox(GuardedControl):
    """A labelled text input whose length limit is shown and enforced on the server.

    ``multiline`` draws a text area (a note); otherwise a one-line input (a
    label, a time, a place). The text is always shown as text, never as markup.
    """

    _esm = STATIC / "text_box.js"

    label = Unicode(help="The visible label tied to the input.").tag(sync=True)
    hint = Unicode("", help="A short line under the label, e.g. an example answer.").tag(sync=True)
    max_length = Int(2000, help="Most characters kept; stated beside the control.").tag(sync=True)
    multiline = Bool(True, help="A text area if True, a one-line input if False.").tag(sync=True)
    value = Unicode("", help="The text as typed.").tag(sync=True)
    count_words = Unicode(
        help="The count under the box, in the page's language: '{count} of {limit} characters'."
    ).tag(sync=True)

    @default("count_words")
    def _page_count_words(self) -> str:
        return control_words().characters

    @validate("value")
    def _within_limit(self, proposal: dict[str, Any]) -> str:
        value: str = proposal["value"]
        if len(value) > self.max_length:
            words = control_words()
            raise TraitError(words.too_long.format(limit=words.number(self.max_length)))
        if not self.multiline and ("\n" in value or "\r" in value):
            raise TraitError(control_words().one_line)
        return value
