"""Section 5, how isolation replaces connection: hours in a week, patterns and the cycle.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import ActivityView, SectionActivity
from widgets.sections.crowding import model


def _view() -> ActivityView:
    # Imported when a page first needs it: no process that only reads answers loads widgets.
    from widgets.sections.crowding import view

    return view


ACTIVITY = SectionActivity(
    slug="isolation-replaces-connection",
    answers=model.CrowdingAnswers,
    view=_view,
    summary_lines=model.summary_lines,
    report_blocks=model.report_blocks,
    worksheet_blocks=model.worksheet_blocks,
    group_figures=model.group_figures,
)
