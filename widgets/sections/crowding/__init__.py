"""Section 5, how isolation replaces connection: hours in a week, patterns and the cycle.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.crowding import model

ACTIVITY = SectionActivity.of(
    model, "isolation-replaces-connection", model.CrowdingAnswers, view_of(__name__), model.group_figures
)
