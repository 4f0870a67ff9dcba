"""Section 3, protective withdrawal: ways of pulling back, then and now (never scored or shared).

Its ``model.py``, ``view.py`` and ``ACTIVITY`` are laid out as :mod:`widgets.sections` describes.
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.withdrawal import model

ACTIVITY = SectionActivity.of(model, "protective-withdrawal", model.WithdrawalAnswers, view_of(__name__))
