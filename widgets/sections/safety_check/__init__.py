"""Section 6, safe relationships: the relational safety check of one relationship.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.safety_check import model

ACTIVITY = SectionActivity.of(
    model, "safe-relationships", model.SafetyCheckAnswers, view_of(__name__), model.group_figures
)
