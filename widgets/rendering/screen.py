"""Blocks on a page: a section model's feedback, drawn by ``templates/screen/``.

A model says once what its feedback is (``widgets/blocks.py``); this draws it on the page, and the
take-home draws the same blocks in its web page and PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from widgets.blocks import Block, Figure, Invitation
from widgets.rendering import charts
from widgets.rendering._environment import Markup, render
from widgets.workbook_content import CrisisContent

__all__ = ["feedback_html"]


def feedback_html(
    blocks: Sequence[Block], crisis: CrisisContent | None = None, data: Mapping[str, str] | None = None
) -> Markup:
    """The feedback box holding ``blocks``; ``data`` become its ``data-`` attributes.

    ``crisis`` is needed only by an :class:`~widgets.blocks.Invitation` (the crisis lines under it).
    """
    if crisis is None and any(isinstance(block, Invitation) for block in blocks):
        raise ValueError("an invitation needs the crisis lines")
    return render("screen/feedback.html", blocks=blocks, crisis=crisis, data=data or {}, figure=_figure)


def _figure(block: Figure) -> Markup:
    """A chart with its caption and its table (each drawing takes fresh ids, so it is drawn when shown)."""
    chart = block.chart
    svg = charts.bar_chart(chart.title, chart.bars, unit=chart.unit, max_value=chart.max_value)
    table = block.table
    return charts.figure(svg, block.caption, charts.table(table.caption, table.headers, table.rows))
