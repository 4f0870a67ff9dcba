"""Charts drawn as inline SVG, each with a text alternative beside it.

Pure Python, no widgets and no outside requests: this module works out where everything goes (the
geometry), and the templates in ``templates/charts/`` draw it, escaping every label. Nothing is told
by colour alone: highlighted bars also carry a pattern and a word in their label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from widgets.blocks import Bar
from widgets.content_files import Unit, amount
from widgets.rendering._environment import Markup, render

__all__ = ["Bar", "bar_chart", "circles_chart", "cycle_chart", "figure", "table"]

_ids = count(1)

INK = "#1a1a1a"
MUTED = "#6b6b6b"
BAR = "#8a8f98"
HIGHLIGHT = "#1a4a8a"
WARM = "#b35900"
COLOURS = {"ink": INK, "muted": MUTED, "bar": BAR, "highlight": HIGHLIGHT, "warm": WARM}


def _id(prefix: str) -> str:
    return f"rw-{prefix}-{next(_ids)}"


def figure(svg: Markup, caption: str, text_alternative: Markup, table_label: str | None = None) -> Markup:
    """Wrap a chart with its caption and its text alternative (markup).

    Without ``table_label`` the text alternative is shown under the chart (a diagram's words). With it,
    the text alternative sits in a closed ``<details>`` whose summary is ``table_label`` ("Show as a
    table"): a bar chart already says its numbers, and names every bar in its own ``<desc>``.
    """
    return render(
        "charts/figure.html",
        svg=svg,
        caption=caption,
        text_alternative=text_alternative,
        table_label=table_label,
    )


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Markup:
    """A plain table, the usual text alternative for a chart."""
    return render("charts/table.html", caption=caption, headers=headers, rows=rows)


@dataclass(frozen=True)
class _BarRow:
    words: str  # the whole label, as its lines say it
    lines: list[tuple[str, str]]  # (y, words) of each line of the label
    bar_y: str
    length: str
    highlight: bool
    value_x: str
    value_y: str
    value: str  # the number and its unit, in words that agree ("1 person", "2 people")


def bar_chart(
    title: str,
    bars: Sequence[Bar],
    unit: Unit,
    max_value: float | None = None,
    label_chars: int = 30,
    locale: str | None = None,
) -> Markup:
    """Horizontal bars, one per row, with the value written at each bar's end.

    Each value is followed by the unit's form that agrees with it in ``locale``, the language of the
    unit's words (the page's by default): ``1 person``, ``2 people`` (:func:`~widgets.content_files.amount`).
    A label longer than ``label_chars`` characters wraps onto more lines, whole words kept, and its
    row grows to hold them: no label is ever cut, at any size the chart is drawn. The chart's
    ``<desc>`` names every bar with its value ("Alone: 3 people; ..."), for a screen reader.
    """
    line_height, top, padding = 19, 8, 8
    # Room for label_chars of the widest ordinary letters at 15 px (about 0.55 em each), so a
    # label never runs into its bar.
    label_width = max(230, round(label_chars * 8.4) + 2 * padding)
    width = label_width + 410
    plot = width - label_width - 90
    biggest = max_value or max((bar.value for bar in bars), default=0) or 1
    labels = [_wrap_all(f"{bar.label} ({bar.note})" if bar.note else bar.label, label_chars) for bar in bars]
    heights = [max(34, line_height * len(lines) + 15) for lines in labels]
    rows, y = [], top
    for bar, lines, row_height in zip(bars, labels, heights, strict=True):
        middle = y + row_height / 2
        length = 0 if bar.value <= 0 else max(2.0, plot * min(bar.value, biggest) / biggest)
        first = middle - line_height * (len(lines) - 1) / 2 + 5
        rows.append(
            _BarRow(
                words=" ".join(lines),
                lines=[(f"{first + line_height * number:.1f}", line) for number, line in enumerate(lines)],
                bar_y=f"{middle - 11:.1f}",
                length=f"{length:.1f}",
                highlight=bar.highlight,
                value_x=f"{label_width + length + 6:.1f}",
                value_y=f"{middle + 5:.1f}",
                value=amount(bar.value, unit, locale),
            )
        )
        y += row_height
    return render(
        "charts/bars.svg",
        title=title,
        rows=rows,
        width=width,
        height=top * 2 + sum(heights),
        label_width=label_width,
        padding=padding,
        title_id=_id("title"),
        desc_id=_id("desc"),
        pattern_id=_id("stripes"),
        colour=COLOURS,
    )


def circles_chart(title: str, rings: Sequence[tuple[str, Sequence[str]]], centre: str = "Me") -> Markup:
    """Concentric circles, innermost first: each ring a name and the labels placed on it."""
    size = 520
    middle = size / 2
    step = (middle - 20) / max(1, len(rings))
    shades = ["#dce6f2", "#e9eef5", "#f4f6f9"]
    circles = [
        (f"{step * (index + 1):.1f}", shades[min(index, len(shades) - 1)], "none" if index == 0 else "6 4")
        for index in reversed(range(len(rings)))
    ]
    placed = []  # each ring: where its name goes, its name, and its dots (x, y, label's y, label)
    for index, (name, labels) in enumerate(rings):
        inner = 24 if index == 0 else step * index
        radius = (inner + step * (index + 1)) / 2
        dots = []
        for position, label in enumerate(labels):
            angle = 2 * math.pi * position / max(1, len(labels)) + math.pi / 2 + index * 0.4
            x = middle + radius * math.cos(angle)
            y = middle + radius * math.sin(angle)
            dots.append((f"{x:.1f}", f"{y:.1f}", f"{y - 9:.1f}", _shorten(label, 14)))
        placed.append((f"{middle - step * (index + 1) + 16:.1f}", name, dots))
    return render(
        "charts/circles.svg",
        title=title,
        title_id=_id("title"),
        size=size,
        middle=middle,
        circles=circles,
        centre=_shorten(centre, 6),
        rings=placed,
        colour=COLOURS,
    )


@dataclass(frozen=True)
class _CycleBox:
    x: str
    top: str
    height: int
    marked: bool
    lines: list[tuple[str, str]]  # (y, words)


def cycle_chart(title: str, steps: Sequence[tuple[str, bool]]) -> Markup:
    """Steps around a circle with arrows between them; marked steps are bold with a star."""
    size = 560
    middle = size / 2
    radius = 190
    total = max(1, len(steps))
    angles = [-math.pi / 2 + 2 * math.pi * index / total for index in range(total)]
    arrows = []
    for index, a1 in enumerate(angles):
        a2 = angles[(index + 1) % total]
        # Arrows along the circle, stopping short of the boxes.
        start, end = a1 + 0.32, a2 - 0.32 if a2 > a1 else a2 + 2 * math.pi - 0.32
        sx, sy = middle + radius * math.cos(start), middle + radius * math.sin(start)
        ex, ey = middle + radius * math.cos(end), middle + radius * math.sin(end)
        arrows.append(f"M {sx:.1f} {sy:.1f} A {radius} {radius} 0 0 1 {ex:.1f} {ey:.1f}")
    boxes = []
    for angle, (text, marked) in zip(angles, steps, strict=False):
        x, y = middle + radius * math.cos(angle), middle + radius * math.sin(angle)
        lines = _wrap(("★ " if marked else "") + text, 18)
        box_height = 20 * len(lines) + 12
        first_line = y - box_height / 2 + 22
        boxes.append(
            _CycleBox(
                x=f"{x:.1f}",
                top=f"{y - box_height / 2:.1f}",
                height=box_height,
                marked=marked,
                lines=[(f"{first_line + 20 * number:.1f}", line) for number, line in enumerate(lines)],
            )
        )
    return render(
        "charts/cycle.svg",
        title=title,
        title_id=_id("title"),
        arrow_id=_id("arrow"),
        size=size,
        arrows=arrows,
        boxes=boxes,
        colour=COLOURS,
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrap_all(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, breaking between words (a longer word alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _wrap(text: str, width: int) -> list[str]:
    """At most four lines of :func:`_wrap_all` (a step's box in the cycle chart)."""
    return _wrap_all(text, width)[:4]
