"""Section 2, handling it alone: beliefs about needing others, and a reframe for each.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.beliefs import model

ACTIVITY = SectionActivity.of(
    model, "handling-it-alone", model.BeliefsAnswers, view_of(__name__), model.group_figures
)
