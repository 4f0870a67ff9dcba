"""Section 9, looking ahead: the check-in again beside section 1's, and patterns noticed.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.where_now import model

ACTIVITY = SectionActivity.of(
    model,
    "looking-ahead",
    model.WhereNowAnswers,
    view_of(__name__),
    model.group_figures,
    reads={"baseline": "hidden-weight"},
)
