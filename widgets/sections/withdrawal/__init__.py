"""Section 3, protective withdrawal: ways of pulling back, then and now (never scored or shared).

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.withdrawal import model

ACTIVITY = SectionActivity.of(model, "protective-withdrawal", model.WithdrawalAnswers, view_of(__name__))
