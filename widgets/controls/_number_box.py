"""A number answer (such as hours in a week) with its range shown and enforced."""

from __future__ import annotations

import math
from typing import Any

from traitlets import Float, TraitError, Unicode, default, validate

from widgets.controls._guarded import STATIC, GuardedControl
from widgets.controls._words import control_words


class NumberBox(GuardedControl):
    """A labelled number input; empty (``None``) means skipped."""

    _esm = STATIC / "number_box.js"

    label = Unicode(help="The visible label tied to the input.").tag(sync=True)
    unit = Unicode("", help="The unit shown after the input, e.g. 'hours'.").tag(sync=True)
    minimum = Float(0, help="Lowest value kept.").tag(sync=True)
    maximum = Float(100, help="Highest value kept.").tag(sync=True)
    step = Float(0.5, help="Smallest change, e.g. half an hour.").tag(sync=True)
    value = Float(None, allow_none=True, help="The number given, or None while skipped.").tag(sync=True)
    range_words = Unicode(
        help="The range after the unit, in the page's language: '({minimum} to {maximum})'."
    ).tag(sync=True)

    @default("range_words")
    def _page_range_words(self) -> str:
        return control_words().number_range

    @validate("value")
    def _in_range(self, proposal: dict[str, Any]) -> float | None:
        value: float | None = proposal["value"]
        if value is None:
            return None
        if not math.isfinite(value) or not self.minimum <= value <= self.maximum:
            words = control_words()
            raise TraitError(
                words.out_of_range.format(
                    minimum=words.number(self.minimum), maximum=words.number(self.maximum)
                )
            )
        return value
