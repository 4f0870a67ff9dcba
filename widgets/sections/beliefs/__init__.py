"""Section 2, handling it alone: beliefs about needing others, and a reframe for each.

Its ``model.py``, ``view.py`` and ``ACTIVITY`` are laid out as :mod:`widgets.sections` describes.
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.beliefs import model

ACTIVITY = SectionActivity.of(
    model, "handling-it-alone", model.BeliefsAnswers, view_of(__name__), model.group_figures
)
