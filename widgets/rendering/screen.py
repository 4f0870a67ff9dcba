"""Blocks on a page: a section model's feedback, drawn by ``templates/screen/``.

A model says once what its feedback is (``widgets/blocks.py``); this draws it on the page, and the
take-home draws the same blocks in its web page and PDF.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from widgets.blocks import Bars, Block, Cycle, Diagram, Figure, Invitation, Rings
from widgets.rendering import charts
from widgets.rendering._environment import Markup, render
from widgets.workbook_content import CrisisContent, load_content

__all__ = ["feedback_html"]


def feedback_html(
    blocks: Sequence[Block],
    crisis: CrisisContent | None = None,
    data: Mapping[str, str] | None = None,
    style: str = "",
) -> Markup:
    """The feedback box holding ``blocks``; ``data`` become its ``data-`` attributes.

    ``crisis`` is needed only by an :class:`~widgets.blocks.Invitation` (the crisis lines under it).
    ``style`` marks a box that looks unlike the others (``steps-card``: a card of its own).
    """
    if crisis is None and any(isinstance(block, Invitation) for block in blocks):
        raise ValueError("an invitation needs the crisis lines")
    return render(
        "screen/feedback.html",
        blocks=blocks,
        crisis=crisis,
        data=data or {},
        style=style,
        figure=_figure,
        diagram=_diagram,
    )


def _figure(block: Figure) -> Markup:
    """A chart with its caption, and its table behind "Show as a table" (in the page's language).

    Each drawing takes fresh ids, so it is drawn when shown.
    """
    chart = block.chart
    svg = charts.bar_chart(chart.title, chart.bars, unit=chart.unit, max_value=chart.max_value)
    table = block.table
    alternative = render(
        "screen/text_alternative.html",
        lead=block.table_lead,
        table=charts.table(table.caption, table.headers, table.rows),
    )
    return charts.figure(svg, block.caption, alternative, table_label=_show_table())


def _diagram(block: Diagram, alternative: Markup) -> Markup:
    """A drawing with its caption and its words (``alternative``: its blocks, drawn by the template).

    Circles and a cycle keep their words shown; bars, which say their numbers and name every bar in
    their description, keep theirs behind "Show as a table", as a :class:`Figure` does.
    """
    label = _show_table() if isinstance(block.chart, Bars) else None
    return charts.figure(_drawing(block.chart), block.caption, alternative, table_label=label)


def _show_table() -> str:
    """The words that open a bar chart's table, in the page's language."""
    return load_content().workbook.page.show_table


def _drawing(chart: Bars | Rings | Cycle) -> Markup:
    """The chart as SVG (each drawing takes fresh ids, so it is drawn when shown)."""
    if isinstance(chart, Rings):
        return charts.circles_chart(chart.title, chart.rings, centre=chart.centre)
    if isinstance(chart, Cycle):
        return charts.cycle_chart(chart.title, chart.steps)
    return charts.bar_chart(chart.title, chart.bars, unit=chart.unit, max_value=chart.max_value)
