"""Several choices that may each be ticked, drawn as a native checkbox group."""

from __future__ import annotations

from typing import Any

from traitlets import Int, List, TraitError, Tuple, Unicode, validate

from widgets.controls._guarded import STATIC, GuardedControl
from widgets.controls._words import control_words


class CheckList(GuardedControl):
    """A question with checkboxes; ``value`` lists the ticked option ids in option order."""

    _esm = STATIC / "check_list.js"

    question = Unicode(help="The question, shown as the group's legend.").tag(sync=True)
    hint = Unicode("", help="A short line under the question.").tag(sync=True)
    options = List(
        Tuple(Unicode(), Unicode()),
        help="The choices as (id, label) pairs, in the order shown.",
    ).tag(sync=True)
    max_chosen = Int(0, help="Most choices that may be ticked; 0 for no limit.").tag(sync=True)
    value = List(Unicode(), help="The ticked options' ids.").tag(sync=True)

    @validate("value")
    def _known_options(self, proposal: dict[str, Any]) -> list[str]:
        chosen = list(proposal["value"])
        known = [option_id for option_id, _ in self.options]
        if any(option_id not in known for option_id in chosen) or len(set(chosen)) != len(chosen):
            raise TraitError(control_words().not_a_choice_here)
        if self.max_chosen and len(chosen) > self.max_chosen:
            raise TraitError(control_words().too_many.format(count=self.max_chosen))
        return [option_id for option_id in known if option_id in chosen]
