"""Section 7, small steps: the planner of one to three small steps and the card.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.small_steps import model

ACTIVITY = SectionActivity.of(
    model, "small-steps", model.SmallStepsAnswers, view_of(__name__), model.group_figures
)
