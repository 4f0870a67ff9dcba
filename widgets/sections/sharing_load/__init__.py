"""Section 8, long-term resilience: who shares each kind of support, and the gaps.

``model.py``: its content schema, rules and scoring (no widgets); ``view.py``: its widgets and ``build``.
``ACTIVITY`` is what it gives the rest of the workbook (see :mod:`widgets.contract`).
"""

from __future__ import annotations

from widgets.contract import ActivityView, SectionActivity
from widgets.sections.sharing_load import model


def _view() -> ActivityView:
    # Imported when a page first needs it: no process that only reads answers loads widgets.
    from widgets.sections.sharing_load import view

    return view


ACTIVITY = SectionActivity(
    slug="long-term-resilience",
    answers=model.SharingLoadAnswers,
    view=_view,
    summary_lines=model.summary_lines,
    report_blocks=model.report_blocks,
    worksheet_blocks=model.worksheet_blocks,
    group_figures=model.group_figures,
    reads={"connection_map": "what-community-means"},
)
