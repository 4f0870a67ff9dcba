"""The rendering layer: every piece of HTML the workbook makes comes from a template here.

Templates live in ``templates/`` and escape whatever they are given (Jinja2 autoescape), so a
participant's words, a content file's words and a link's code all arrive on a page as text. Code
outside this package never writes markup in a string: it calls :func:`render` with data. The few
places that must pass markup made elsewhere (an SVG a library drew, a widget's own markup) say why
through :func:`trusted`, the one marked way.
"""

from __future__ import annotations

from widgets.rendering import charts
from widgets.rendering._environment import Markup, compile_templates, environment, render, trusted

__all__ = ["Markup", "charts", "compile_templates", "render", "trusted"]

# Charts are geometry worked out in Python and drawn by templates/charts/: any template may draw one
# (the take-home page draws its blocks' charts this way).
environment().globals.update(
    bar_chart=charts.bar_chart, circles_chart=charts.circles_chart, chart_table=charts.table
)
