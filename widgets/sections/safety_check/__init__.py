"""Section 6, safe relationships: the relational safety check of one relationship.

Its ``model.py``, ``view.py`` and ``ACTIVITY`` are laid out as :mod:`widgets.sections` describes.
"""

from __future__ import annotations

from widgets.contract import SectionActivity, view_of
from widgets.sections.safety_check import model

ACTIVITY = SectionActivity.of(
    model, "safe-relationships", model.SafetyCheckAnswers, view_of(__name__), model.group_figures
)
