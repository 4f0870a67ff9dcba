"""A room's dashboard made by hand, for the tests of what the slides draw (``tests/room/test_slides.py``,
``tests/server/test_slides_window.py``): every shared activity with the same figure and lines."""

from __future__ import annotations

from collections.abc import Sequence

from widgets import load_content
from widgets.room.figures import GroupFigure
from widgets.room.model import ActivityResult, Dashboard, Line

SECTIONS = load_content().sections


def dashboard_of(
    figure: GroupFigure,
    pace: int | None = None,
    needed: int = 0,
    lines: Sequence[str] = (),
    released: bool | None = None,
) -> Dashboard:
    """A room of 5 (threshold 5, 30 expected) where each activity but section 3's shows ``figure``.

    ``needed`` more must share each activity; its figures show when ``released`` (by default, when
    none are needed), and each activity has the approved ``lines``.
    """
    released = needed == 0 if released is None else released
    activities = tuple(
        ActivityResult(
            slug=section.slug,
            shared=5 - needed,
            needed=needed,
            figures=(figure,) if released else (),
            lines=tuple(Line(id=n, slug=section.slug, text=text) for n, text in enumerate(lines)),
            released=released,
            covered=5 if released else 0,
        )
        for section in SECTIONS.sections
        if section.number != 3
    )
    return Dashboard(
        join_code="K7MP3X",
        joined=5,
        expected=30,
        waiting_to_join=0,
        threshold=5,
        pace_section=pace,
        activities=activities,
        waiting=(),
    )
