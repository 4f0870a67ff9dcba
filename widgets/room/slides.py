"""Presenting mode's slides, as HTML: what a projector shows the room, read from the back.

Slide 0 asks the room to join (a large QR code, the address and the code); slides 1 to 9 are the
sections, each with its activity's group results: the "N more to share" state in large words, the
figures as bars whose labels wrap (each with its table for screen readers), and approved lines as
cards. Only what the room may see: no queue, no secret, no control. Pure Python: no widgets here.
"""

from __future__ import annotations

from html import escape

from widgets import html_parts
from widgets.charts import INK
from widgets.room.content import load_room_content
from widgets.room.figures import GroupFigure
from widgets.room.join import JoinAddress, qr_code_html
from widgets.room.model import ActivityResult, Dashboard, shown_join_code
from widgets.workbook_content import SECTION_COUNT, Content

__all__ = ["LINES_SHOWN", "SLIDE_COUNT", "figure_html", "slide_for_section", "slide_html"]

# The join slide, then one per section.
SLIDE_COUNT = SECTION_COUNT + 1
# Approved lines on one slide (the newest), so they stay large enough to read from the back.
LINES_SHOWN = 4
# Lines participants wrote are escaped, and kept out of any math typesetter's reach.
_LITERAL = "rw-literal tex2jax_ignore mathjax_ignore"


def slide_for_section(section: int | None) -> int:
    """The slide of the section the room is paced to; the join slide while it is on none."""
    return section if section is not None and 1 <= section <= SECTION_COUNT else 0


def slide_html(
    content: Content, board: Dashboard, slide: int, join: JoinAddress, show_join: bool = True
) -> str:
    """One slide: the join slide (``slide == 0``) or section ``slide``'s group results."""
    words = load_room_content().presenting
    code = shown_join_code(board.join_code)
    position = escape(words.position.format(position=slide + 1, total=SLIDE_COUNT))
    if slide == 0:
        heading = escape(words.join_heading)
        body = _join_body(join, code)
        corner = ""
    else:
        section = content.sections.by_number(slide)
        heading = f"Section {section.number}: {escape(section.activity)}"
        activity = next((a for a in board.activities if a.slug == section.slug), None)
        body = _results_body(activity, board)
        corner = _corner(join, code) if show_join else ""
    crisis = html_parts.crisis_compact(content.crisis, landmark=False)
    return (
        f'<section class="rw-slide" aria-labelledby="rw-slide-heading" data-slide="{slide}">'
        f'<header class="rw-slide-header"><div class="rw-slide-title">'
        f'<p class="rw-slide-position">{position}</p>'
        f'<h2 id="rw-slide-heading">{heading}</h2></div>{corner}</header>'
        f'<div class="rw-slide-body">{body}</div>'
        f'<footer class="rw-slide-footer">{crisis}'
        f'<p class="rw-framing">{escape(content.workbook.framing)}</p></footer></section>'
    )


def _join_body(join: JoinAddress, code: str) -> str:
    words = load_room_content()
    qr = qr_code_html(join.full, words.facilitator.qr_label, "rw-qr rw-qr-large")
    # The content's words escaped, then the address and code put in as markup of their own.
    or_type = escape(words.presenting.or_type).format(
        address=f'<strong class="rw-slide-address">{escape(join.short)}</strong>',
        code=f'<strong class="rw-slide-code">{escape(code)}</strong>',
    )
    return (
        f'<div class="rw-slide-join">{qr}<div class="rw-slide-join-words">'
        f'<p class="rw-slide-big">{escape(words.presenting.scan)}</p>'
        f'<p class="rw-slide-big">{or_type}</p>'
        f"<p>{escape(words.presenting.join_note)}</p></div></div>"
    )


def _corner(join: JoinAddress, code: str) -> str:
    words = load_room_content()
    qr = qr_code_html(join.full, words.facilitator.qr_label, "rw-qr rw-qr-corner")
    return (
        f'<div class="rw-slide-corner">{qr}<p><span>{escape(words.presenting.corner_label)}</span> '
        f'<strong class="rw-slide-code">{escape(code)}</strong><br>'
        f'<span class="rw-slide-address">{escape(join.short)}</span></p></div>'
    )


def _results_body(activity: ActivityResult | None, board: Dashboard) -> str:
    words = load_room_content()
    if activity is None:
        return f'<p class="rw-slide-big">{escape(words.presenting.private)}</p>'
    shared = escape(words.facilitator.shared.format(shared=activity.shared, joined=board.joined))
    presenting = words.presenting
    if activity.released and activity.needed:
        # On the same line as the count: the figures keep the room the slide has.
        update = presenting.update_one if activity.needed == 1 else presenting.update_many
        shared += f" · {escape(update.format(needed=activity.needed))}"
    parts = [f'<p class="rw-slide-shared">{shared}</p>']
    if activity.needed and not activity.released:
        needed = (
            presenting.needed_one
            if activity.needed == 1
            else presenting.needed_many.format(needed=activity.needed)
        )
        parts.append(f'<p class="rw-slide-needed">{escape(needed)}</p>')
    # Released figures stay on screen, unchanged, until the next step of newcomers.
    items = [figure_html(group_figure) for group_figure in activity.figures]
    # Approved lines were read by the facilitator first, so they show while the figures wait.
    if activity.lines:
        items.append(_lines_html(activity))
    if items:
        parts.append(f'<div class="rw-slide-grid" data-items="{len(items)}">{"".join(items)}</div>')
    return "".join(parts)


def figure_html(group_figure: GroupFigure) -> str:
    """A figure as bars drawn in HTML, so its labels wrap at any size; its table is for screen readers.

    The bars repeat the table for the eye, so they are hidden from screen readers, which read the
    table (kept in the page, out of sight).
    """
    biggest = group_figure.scale or max((row.value for row in group_figure.rows), default=0) or 1
    rows = []
    for row in group_figure.rows:
        share = 0.0 if row.value <= 0 else max(0.01, min(row.value, biggest) / biggest)
        rows.append(
            f'<div class="rw-slide-bar-label">{escape(row.label)}</div>'
            f'<div class="rw-slide-bar-track"><span class="rw-slide-bar" style="width: {share * 100:.1f}%; '
            f'background: {INK}"></span></div>'
            f'<div class="rw-slide-bar-value">{row.value:g} {escape(group_figure.unit)}</div>'
        )
    table_rows = "".join(
        f'<tr><th scope="row">{escape(row.label)}</th><td>{row.value:g} {escape(group_figure.unit)}</td></tr>'
        for row in group_figure.rows
    )
    return (
        f'<figure class="rw-slide-figure"><figcaption>{escape(group_figure.title)}</figcaption>'
        f'<div class="rw-slide-bars" aria-hidden="true">{"".join(rows)}</div>'
        # The hiding is on a box around the table: a table itself cannot be made narrower than its text.
        f'<div class="rw-visually-hidden"><table><caption>{escape(group_figure.title)}</caption>'
        f"<tbody>{table_rows}</tbody></table></div></figure>"
    )


def _lines_html(activity: ActivityResult) -> str:
    words = load_room_content().presenting
    newest = list(activity.lines)[-LINES_SHOWN:][::-1]
    cards = "".join(f'<li class="rw-slide-card {_LITERAL}">{escape(line.text)}</li>' for line in newest)
    return (
        f'<div class="rw-slide-lines"><p class="rw-slide-lines-heading">{escape(words.lines_heading)}</p>'
        f"<ul>{cards}</ul></div>"
    )
