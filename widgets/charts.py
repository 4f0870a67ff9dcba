"""Charts drawn as inline SVG, each with a text alternative beside it.

Pure Python, no widgets and no outside requests: a chart is a string of SVG
built from numbers, with every label escaped. Nothing is told by colour
alone: highlighted bars also carry a pattern and a word in their label.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from itertools import count

_ids = count(1)

INK = "#1a1a1a"
MUTED = "#6b6b6b"
BAR = "#8a8f98"
HIGHLIGHT = "#1a4a8a"
WARM = "#b35900"


def _id(prefix: str) -> str:
    return f"rw-{prefix}-{next(_ids)}"


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value, and whether it stands out (and why, in words)."""

    label: str
    value: float
    highlight: bool = False
    note: str = ""


def figure(svg: str, caption: str, text_alternative: str) -> str:
    """Wrap a chart with its caption and its text alternative (HTML), shown together."""
    return (
        '<figure class="rw-figure">'
        f"{svg}<figcaption>{escape(caption)}</figcaption>"
        f'<div class="rw-text-alternative">{text_alternative}</div></figure>'
    )


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain table, the usual text alternative for a chart."""
    head = "".join(f'<th scope="col">{escape(str(h))}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def bar_chart(
    title: str, bars: Sequence[Bar], unit: str, max_value: float | None = None, label_chars: int = 30
) -> str:
    """Horizontal bars, one per row, with the value written at each bar's end.

    A label longer than ``label_chars`` characters wraps onto more lines, whole words kept, and its
    row grows to hold them: no label is ever cut, at any size the chart is drawn.
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
    height = top * 2 + sum(heights)
    title_id, pattern_id = _id("title"), _id("stripes")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<defs><pattern id="{pattern_id}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{HIGHLIGHT}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>',
    ]
    y = top
    for bar, lines, row_height in zip(bars, labels, heights, strict=True):
        middle = y + row_height / 2
        length = 0 if bar.value <= 0 else max(2.0, plot * min(bar.value, biggest) / biggest)
        fill = f"url(#{pattern_id})" if bar.highlight else BAR
        first = middle - line_height * (len(lines) - 1) / 2 + 5
        spans = "".join(
            f'<tspan x="{padding}" y="{first + line_height * number:.1f}">{escape(line)}</tspan>'
            for number, line in enumerate(lines)
        )
        parts += [
            f'<text class="rw-bar-label" font-size="15" fill="{INK}">{spans}</text>',
            f'<rect x="{label_width}" y="{middle - 11:.1f}" width="{length:.1f}" height="22" '
            f'fill="{fill}" stroke="{INK}" stroke-width="{1 if bar.highlight else 0}"/>',
            f'<text x="{label_width + length + 6:.1f}" y="{middle + 5:.1f}" font-size="15" '
            f'fill="{INK}">{escape(_number(bar.value))} {escape(unit)}</text>',
        ]
        y += row_height
    parts.append("</svg>")
    return "".join(parts)


def circles_chart(title: str, rings: Sequence[tuple[str, Sequence[str]]], centre: str = "Me") -> str:
    """Concentric circles, innermost first: each ring a name and the labels placed on it."""
    size = 520
    middle = size / 2
    step = (middle - 20) / max(1, len(rings))
    title_id = _id("title")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
        f'height="{size}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
    ]
    shades = ["#dce6f2", "#e9eef5", "#f4f6f9"]
    for index in reversed(range(len(rings))):
        radius = step * (index + 1)
        shade = shades[min(index, len(shades) - 1)]
        parts.append(
            f'<circle cx="{middle}" cy="{middle}" r="{radius:.1f}" fill="{shade}" '
            f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="{"none" if index == 0 else "6 4"}"/>'
        )
    parts.append(
        f'<circle cx="{middle}" cy="{middle}" r="22" fill="#ffffff" stroke="{INK}" stroke-width="2"/>'
        f'<text x="{middle}" y="{middle + 5}" text-anchor="middle" font-size="15" font-weight="700" '
        f'fill="{INK}">{escape(_shorten(centre, 6))}</text>'
    )
    for index, (name, labels) in enumerate(rings):
        inner = 24 if index == 0 else step * index
        radius = (inner + step * (index + 1)) / 2
        parts.append(
            f'<text x="{middle}" y="{middle - step * (index + 1) + 16:.1f}" text-anchor="middle" '
            f'font-size="13" fill="{MUTED}">{escape(name)}</text>'
        )
        for position, label in enumerate(labels):
            angle = 2 * math.pi * position / max(1, len(labels)) + math.pi / 2 + index * 0.4
            x = middle + radius * math.cos(angle)
            y = middle + radius * math.sin(angle)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{HIGHLIGHT}"/>'
                f'<text x="{x:.1f}" y="{y - 9:.1f}" text-anchor="middle" font-size="13" '
                f'fill="{INK}">{escape(_shorten(label, 14))}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def cycle_chart(title: str, steps: Sequence[tuple[str, bool]]) -> str:
    """Steps around a circle with arrows between them; marked steps are bold with a star."""
    size = 560
    middle = size / 2
    radius = 190
    title_id, arrow_id = _id("title"), _id("arrow")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" '
        f'height="{size}" role="img" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<defs><marker id="{arrow_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{MUTED}"/>'
        "</marker></defs>",
    ]
    total = max(1, len(steps))
    points = []
    for index in range(total):
        angle = -math.pi / 2 + 2 * math.pi * index / total
        points.append((middle + radius * math.cos(angle), middle + radius * math.sin(angle), angle))
    for index in range(total):
        a1 = points[index][2]
        a2 = points[(index + 1) % total][2]
        # Arrows along the circle, stopping short of the boxes.
        start, end = a1 + 0.32, a2 - 0.32 if a2 > a1 else a2 + 2 * math.pi - 0.32
        sx, sy = middle + radius * math.cos(start), middle + radius * math.sin(start)
        ex, ey = middle + radius * math.cos(end), middle + radius * math.sin(end)
        parts.append(
            f'<path d="M {sx:.1f} {sy:.1f} A {radius} {radius} 0 0 1 {ex:.1f} {ey:.1f}" fill="none" '
            f'stroke="{MUTED}" stroke-width="2" marker-end="url(#{arrow_id})"/>'
        )
    for (x, y, _), (text, marked) in zip(points, steps, strict=False):
        lines = _wrap(("★ " if marked else "") + text, 18)
        box_height = 20 * len(lines) + 12
        parts.append(
            f'<rect x="{x - 85:.1f}" y="{y - box_height / 2:.1f}" width="170" height="{box_height}" rx="8" '
            f'fill="{"#fdf1e3" if marked else "#ffffff"}" stroke="{WARM if marked else MUTED}" '
            f'stroke-width="{3 if marked else 1.5}"/>'
        )
        for line_number, line in enumerate(lines):
            ty = y - box_height / 2 + 22 + 20 * line_number
            parts.append(
                f'<text x="{x:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="14" '
                f'font-weight="{700 if marked else 400}" fill="{INK}">{escape(line)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:g}"


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
