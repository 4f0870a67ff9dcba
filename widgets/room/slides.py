"""Presenting mode's slides, as HTML: what a projector shows the room, read from the back.

Slide 0 asks the room to join (a large QR code, the address and the code); slides 1 to 9 are the
sections, each with its activity's group results: the "N more to share" state in large words, the
figures as bars whose labels wrap (each with its table for screen readers), and approved lines as
cards. Only what the room may see: no queue, no secret, no control. Pure Python: no widgets here;
the markup is in ``widgets/rendering/templates/room/slide*.html``.
"""

from __future__ import annotations

from dataclasses import dataclass

from widgets.content_files import counted
from widgets.rendering import Markup, render
from widgets.rendering.charts import INK
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
) -> Markup:
    """One slide: the join slide (``slide == 0``) or section ``slide``'s group results."""
    words = load_room_content().presenting
    code = shown_join_code(board.join_code)
    if slide == 0:
        section = None
        body = _join_body(join, code)
        corner = Markup()
    else:
        section = content.sections.by_number(slide)
        activity = next((a for a in board.activities if a.slug == section.slug), None)
        body = _results_body(activity, board, content.locale)
        corner = _corner(join, code) if show_join else Markup()
    return render(
        "room/slide.html",
        content=content,
        slide=slide,
        position=words.position.format(position=slide + 1, total=SLIDE_COUNT),
        join_heading=words.join_heading,
        section=section,
        corner=corner,
        body=body,
    )


def _join_body(join: JoinAddress, code: str) -> Markup:
    words = load_room_content()
    qr_code = qr_code_html(join.full, words.facilitator.qr_label, "rw-qr rw-qr-large")
    return render("room/slide_join.html", words=words.presenting, join=join, code=code, qr_code=qr_code)


def _corner(join: JoinAddress, code: str) -> Markup:
    words = load_room_content()
    qr_code = qr_code_html(join.full, words.facilitator.qr_label, "rw-qr rw-qr-corner")
    return render(
        "room/slide_corner.html", label=words.presenting.corner_label, join=join, code=code, qr_code=qr_code
    )


def _results_body(activity: ActivityResult | None, board: Dashboard, locale: str) -> Markup:
    words = load_room_content()
    presenting = words.presenting
    if activity is None:
        return render("room/slide_results.html", private=presenting.private)
    update = ""
    if activity.released and activity.needed:
        # On the same line as the count: the figures keep the room the slide has.
        update = counted(presenting.update, activity.needed, locale, needed=activity.needed)
    needed = ""
    if activity.needed and not activity.released:
        needed = counted(presenting.needed, activity.needed, locale, needed=activity.needed)
    return render(
        "room/slide_results.html",
        private="",
        shared=counted(
            words.facilitator.shared, activity.shared, locale, shared=activity.shared, joined=board.joined
        ),
        update=update,
        needed=needed,
        # Released figures stay on screen, unchanged, until the next step of newcomers.
        figures=[figure_html(group_figure, locale) for group_figure in activity.figures],
        # Approved lines were read by the facilitator first, so they show while the figures wait.
        lines=list(activity.lines)[-LINES_SHOWN:][::-1],
        lines_heading=presenting.lines_heading,
        literal=_LITERAL,
    )


@dataclass(frozen=True)
class _SlideBar:
    label: str
    width: str  # the bar's length, in per cent of its track
    number: float


def figure_html(group_figure: GroupFigure, locale: str | None = None, table_label: str = "") -> Markup:
    """A figure as bars drawn in HTML, so its labels wrap at any size; its table is for screen readers.

    The bars repeat the table for the eye, so they are hidden from screen readers, which read the
    table (kept in the page, out of sight). Each number is followed by its unit in the form that
    agrees with it in ``locale``, the language of the figure's words (the page's by default). With a
    ``table_label`` (the console's "Show as a table"), the table can also be opened for the eye.
    """
    biggest = group_figure.scale or max((row.value for row in group_figure.rows), default=0) or 1
    bars = []
    for row in group_figure.rows:
        share = 0.0 if row.value <= 0 else max(0.01, min(row.value, biggest) / biggest)
        bars.append(_SlideBar(row.label, f"{share * 100:.1f}", row.value))
    return render(
        "room/slide_figure.html",
        title=group_figure.title,
        unit=group_figure.unit,
        locale=locale,
        bars=bars,
        ink=INK,
        table_label=table_label,
    )
