"""Section 6, safe relationships: the relational safety check of one relationship.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import ActivityView, SectionActivity
from widgets.sections.safety_check import model


def _view() -> ActivityView:
    # Imported when a page first needs it: no process that only reads answers loads widgets.
    from widgets.sections.safety_check import view

    return view


ACTIVITY = SectionActivity(
    slug="safe-relationships",
    answers=model.SafetyCheckAnswers,
    view=_view,
    summary_lines=model.summary_lines,
    report_blocks=model.report_blocks,
    worksheet_blocks=model.worksheet_blocks,
    group_figures=model.group_figures,
)
