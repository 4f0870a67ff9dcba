"""Section 8, long-term resilience: who shares each kind of support, and the gaps.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.sharing_load import model

ACTIVITY = SectionActivity.of(
    model,
    "long-term-resilience",
    model.SharingLoadAnswers,
    view_of(__name__),
    model.group_figures,
    reads={"connection_map": "what-community-means"},
)
