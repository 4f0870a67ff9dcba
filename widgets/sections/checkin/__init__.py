"""Section 1, the hidden weight: the connection check-in (six questions, a reflection band).

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.checkin import model

# Its widgets do not depend on whose page it is: made in the pool, then given the answers by `restore`.
ACTIVITY = SectionActivity.of(
    model,
    "hidden-weight",
    model.CheckinAnswers,
    view_of(__name__),
    model.group_figures,
    made_before_request=True,
)
