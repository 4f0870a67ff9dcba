"""Section 1, the hidden weight: the connection check-in (six questions, a reflection band).

Its ``model.py``, ``view.py`` and ``ACTIVITY`` are laid out as :mod:`widgets.sections` describes.
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
