"""Section 3, protective withdrawal: ways of pulling back, then and now (never scored or shared).

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import ActivityView, SectionActivity
from widgets.sections.withdrawal import model


def _view() -> ActivityView:
    # Imported when a page first needs it: no process that only reads answers loads widgets.
    from widgets.sections.withdrawal import view

    return view


ACTIVITY = SectionActivity(
    slug="protective-withdrawal",
    answers=model.WithdrawalAnswers,
    view=_view,
    summary_lines=model.summary_lines,
    report_blocks=model.report_blocks,
    worksheet_blocks=model.worksheet_blocks,
)
