"""Section 4, what community means: the connection map of people and groups in circles.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.connection_map import model

ACTIVITY = SectionActivity.of(
    model, "what-community-means", model.ConnectionMapAnswers, view_of(__name__), model.group_figures
)
