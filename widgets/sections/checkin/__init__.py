"""Section 1, the hidden weight: the connection check-in (six questions, a reflection band).

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import ActivityView, SectionActivity
from widgets.sections.checkin import model


def _view() -> ActivityView:
    # Imported when a page first needs it: no process that only reads answers loads widgets.
    from widgets.sections.checkin import view

    return view


ACTIVITY = SectionActivity(
    slug="hidden-weight",
    answers=model.CheckinAnswers,
    view=_view,
    summary_lines=model.summary_lines,
    report_blocks=model.report_blocks,
    worksheet_blocks=model.worksheet_blocks,
    group_figures=model.group_figures,
    # Its widgets do not depend on whose page it is: made in the pool, then given the answers by `restore`.
    made_before_request=True,
)
