"""A private free-text note with a visible label and a length limit."""

from __future__ import annotations

from pathlib import Path

import anywidget
from traitlets import Int, TraitError, Unicode, validate

from ._guarded import GuardedState

_STATIC = Path(__file__).parent / "static"


class NoteBox(GuardedState, anywidget.AnyWidget):
    """A labelled text area whose length limit is shown and enforced on the server."""

    _esm = _STATIC / "note_box.js"
    _css = _STATIC / "controls.css"

    label = Unicode(help="The visible label tied to the text area.").tag(sync=True)
    max_length = Int(2000, help="Most characters kept; stated beside the control.").tag(sync=True)
    value = Unicode("", help="The note as typed. Always shown as text, never as markup.").tag(sync=True)

    @validate("value")
    def _within_limit(self, proposal: dict) -> str:
        value = proposal["value"]
        if len(value) > self.max_length:
            raise TraitError(
                f"Notes can be up to {self.max_length:,} characters. "
                "Your last change was too long, so your note is kept as it was before it."
            )
        return value
