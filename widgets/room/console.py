"""The facilitator's console: the live room on one laptop screen, the slides on the projector.

What a facilitator needs while the group talks fits one screen: how many joined, the section the group
is on (with previous and next), how many shared each activity, the figures of the group's section, the
first waiting lines with Show and Delete, and Present. Everything else is one tab away
(`widgets.room.facilitator_view`). Keys pace and moderate (:class:`ConsoleKeys`); "Present on another
screen" sends the slides to a window of their own (:class:`SecondScreen`).

This module makes the console's parts; the markup comes from ``templates/room/console_*.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
from ipywidgets import Widget
from traitlets import Bool, Int, List, TraitError, Tuple, Unicode, validate

from widgets.content_files import counted
from widgets.controls import GuardedState
from widgets.rendering import Markup, render
from widgets.room.content import load_room_content
from widgets.room.model import ActivityResult, Dashboard, Line
from widgets.room.slides import figure_html
from widgets.workbook_content import Content

__all__ = [
    "KEY_ACTIONS",
    "LINES_ON_CONSOLE",
    "ConsoleKeys",
    "ConsoleTabs",
    "SecondScreen",
    "SectionChoice",
    "activity_words",
    "lines_more_text",
    "now_html",
    "sharing_html",
]

_STATIC = Path(__file__).parent / "static"
# What the console's keys do (their letters are in static/console_keys.js and the console's words).
KEY_ACTIONS = ("next", "previous", "show", "delete")
# Waiting lines on the console at once: the first ones, in the order they came, so S and D act on the top.
LINES_ON_CONSOLE = 4
_LITERAL = "rw-literal tex2jax_ignore mathjax_ignore"


class ConsoleKeys(GuardedState, anywidget.AnyWidget):
    """Invisible: while ``active``, the page's N, P, S and D keys send ``{"key": action}``.

    It also brings the console's styles (``static/console.css``): only the facilitator's page has a
    console, so no participant's page carries them.
    """

    _esm = _STATIC / "console_keys.js"
    _css = _STATIC / "console.css"
    _client_writable = ()

    active = Bool(False, help="Whether the page's keys pace the group and moderate lines.").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._listeners: list[Callable[[str], None]] = []
        self.on_msg(self._received)

    def on_key(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(action)`` for each accepted key (an action of :data:`KEY_ACTIONS`)."""
        self._listeners.append(listener)

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        # Anything else a crafted client sends is not a key press of this page's script.
        if not self.active or not isinstance(content, dict) or set(content) != {"key"}:
            return
        action = content["key"]
        if isinstance(action, str) and action in KEY_ACTIONS:
            for listener in self._listeners:
                listener(action)


class SecondScreen(GuardedState, anywidget.AnyWidget):
    """The "Present on another screen" button; its script feeds the slides window what ``markup`` holds.

    The window (``/workbook/slides``, `widgets.server.slides_window`) carries no secret, no queue and
    no control: it shows the slides this page sends it and sends back its arrow keys. What the page's
    script says about the window (open, closed, a step) is only ever about showing slides.
    """

    _esm = _STATIC / "second_screen.js"
    _client_writable = ()

    language = Unicode("en", help="The slides window's language (its title and crisis lines).").tag(sync=True)
    ended = Bool(False, help="Whether the room closed: the slides window then shows nothing of it.").tag(
        sync=True
    )
    markup = Unicode("", help="The slide the window shows: HTML made by widgets.room.slides.").tag(sync=True)
    label = Unicode("", help="The button's words while no slides window is open.").tag(sync=True)
    stop_label = Unicode("", help="The button's words while the slides window is open.").tag(sync=True)
    on_note = Unicode("", help="What the page says while the slides window is open.").tag(sync=True)
    blocked_note = Unicode("", help="What the page says when the browser blocked the window.").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.window_open = False
        self._window_listeners: list[Callable[[bool], None]] = []
        self._step_listeners: list[Callable[[int], None]] = []
        self.on_msg(self._received)

    def on_window(self, listener: Callable[[bool], None]) -> None:
        """Call ``listener(open)`` when the page says the slides window opened or closed."""
        self._window_listeners.append(listener)

    def on_step(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(step)`` (1 or -1) for each arrow key pressed in the slides window."""
        self._step_listeners.append(listener)

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        if not isinstance(content, dict) or len(content) != 1:
            return
        if content.get("window") in ("open", "closed"):
            self.window_open = content["window"] == "open"
            for window_listener in self._window_listeners:
                window_listener(self.window_open)
        elif type(content.get("step")) is int and content["step"] in (1, -1):
            for step_listener in self._step_listeners:
                step_listener(content["step"])


class SectionChoice(GuardedState, anywidget.AnyWidget):
    """The section the group is on, as a native list to choose from (``""``: no section yet)."""

    _esm = _STATIC / "section_choice.js"

    label = Unicode("", help="What the list asks, as its label.").tag(sync=True)
    options = List(Tuple(Unicode(), Unicode()), help="The choices as (value, words) pairs, in order.").tag(
        sync=True
    )
    value = Unicode("", help="The chosen section's number as text, or '' for no section.").tag(sync=True)

    @validate("value")
    def _one_of_the_options(self, proposal: dict[str, Any]) -> str:
        value: str = proposal["value"]
        if value not in {choice for choice, _ in self.options}:
            raise TraitError("That isn't one of the sections.")
        return value


class ConsoleTabs(GuardedState, anywidget.AnyWidget):
    """The console's tab list; the kernel shows the chosen tab's panel and hides the others."""

    _esm = _STATIC / "console_tabs.js"
    _client_writable = ("selected",)

    label = Unicode("", help="What the tab list is, for screen readers.").tag(sync=True)
    titles = List(Unicode(), help="Each tab's words, in order.").tag(sync=True)
    selected = Int(0, help="The chosen tab's place in the list, from 0.").tag(sync=True)

    def __init__(self, panels: Sequence[Widget], **kwargs: object) -> None:
        self.panels = list(panels)
        super().__init__(**kwargs)
        self.observe(lambda _change: self._show_chosen(), "selected")
        self._show_chosen()

    @validate("selected")
    def _a_tab(self, proposal: dict[str, Any]) -> int:
        selected: int = proposal["value"]
        if not 0 <= selected < len(self.titles):
            raise TraitError("That isn't one of the tabs.")
        return selected

    def _show_chosen(self) -> None:
        for place, panel in enumerate(self.panels):
            panel.layout.display = None if place == self.selected else "none"


@dataclass(frozen=True)
class _SharingRow:
    """One activity's line in the console's sharing table."""

    number: int
    title: str
    shared: str
    results: str
    current: bool


def sharing_html(content: Content, board: Dashboard) -> Markup:
    """Each shared activity: how many shared, and whether its results show or how many more are needed."""
    words = load_room_content().facilitator
    locale = content.locale
    rows = []
    for activity in board.activities:
        section = content.sections.by_slug(activity.slug)
        if activity.released:
            results = words.sharing_showing
        else:
            results = counted(words.sharing_needed, activity.needed, locale, needed=activity.needed)
        rows.append(
            _SharingRow(
                number=section.number,
                title=section.activity,
                shared=f"{activity.shared} / {board.joined}",
                results=results,
                current=section.number == board.pace_section,
            )
        )
    return render("room/console_sharing.html", words=words, rows=rows, page=content.workbook.page)


def now_html(content: Content, board: Dashboard) -> Markup:
    """The group's section on the console: its activity's counts, figures and lines; or what to do first."""
    words = load_room_content().facilitator
    number = board.pace_section
    if number is None:
        return render("room/console_now.html", heading="", note=words.now_none)
    section = content.sections.by_number(number)
    heading = content.workbook.page.section_label.format(number=section.number, title=section.activity)
    activity = next((a for a in board.activities if a.slug == section.slug), None)
    if activity is None:
        return render("room/console_now.html", heading=heading, note=words.now_private)
    return render(
        "room/console_now.html",
        heading=heading,
        note="",
        **activity_words(content, board, activity),
        figures=[
            figure_html(group_figure, content.locale, content.workbook.page.show_table)
            for group_figure in activity.figures
        ],
        lines=list(activity.lines),
        approved_heading=words.approved_heading,
        literal=_LITERAL,
    )


def activity_words(content: Content, board: Dashboard, activity: ActivityResult) -> dict[str, Any]:
    """How many shared ``activity``, and how many more before its results show or change."""
    words = load_room_content().facilitator
    locale = content.locale
    if not activity.released:
        needed = counted(
            words.needed, activity.needed, locale, threshold=board.threshold, needed=activity.needed
        )
    elif activity.needed:
        needed = counted(words.update_needed, activity.needed, locale, needed=activity.needed)
    else:
        needed = ""
    shared = counted(words.shared, activity.shared, locale, shared=activity.shared, joined=board.joined)
    return {"shared": shared, "needed": needed}


def lines_more_text(waiting: list[Line], locale: str) -> str:
    """How many waiting lines the console does not show ("" when it shows them all)."""
    more = len(waiting) - LINES_ON_CONSOLE
    if more <= 0:
        return ""
    return counted(load_room_content().facilitator.lines_more, more, locale, count=more)
