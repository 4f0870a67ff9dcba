"""A single-choice question drawn as a native radio group.

The view is a ``fieldset`` whose ``legend`` is the question, with one native
radio input per option, so a screen reader announces the question with each
choice and arrow keys move between them. ipywidgets' RadioButtons have no such
grouping (ipywidgets issue #2650).
"""

from __future__ import annotations

from typing import Any

from traitlets import List, TraitError, Tuple, Unicode, default, validate

from widgets.controls._guarded import STATIC, GuardedControl
from widgets.controls._words import control_words


class ChoiceGroup(GuardedControl):
    """One question, several labelled choices, and a way to clear the answer."""

    _esm = STATIC / "choice_group.js"

    question = Unicode(help="The question, shown as the group's legend.").tag(sync=True)
    options = List(
        Tuple(Unicode(), Unicode()),
        help="The choices as (id, label) pairs, in the order shown.",
    ).tag(sync=True)
    value = Unicode(None, allow_none=True, help="The chosen option's id, or None while skipped.").tag(
        sync=True
    )
    clear_label = Unicode(help="Label of the button that clears the choice.").tag(sync=True)

    @default("clear_label")
    def _page_clear_label(self) -> str:
        return control_words().clear_answer

    @validate("value")
    def _known_option(self, proposal: dict[str, Any]) -> str | None:
        value: str | None = proposal["value"]
        if value is not None and value not in {option_id for option_id, _ in self.options}:
            raise TraitError(control_words().not_a_choice)
        return value
