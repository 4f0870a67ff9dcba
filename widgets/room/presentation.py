"""Presenting mode: the room's results as slides on a projector, one section at a time.

The slides follow the section the room is paced to; the facilitator steps to the previous or next one
with the buttons, the arrow keys, or a presenter remote. The slide fills the screen, above the
dashboard, which is not drawn at all while presenting: the moderation queue, the private link and the
controls are not in the page to be projected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anywidget
from ipywidgets import HTML, Button, HBox, Layout, VBox
from traitlets import Bool

from widgets.content_files import content_dir, locales
from widgets.controls import GuardedState, page_button
from widgets.rendering.fragments import paragraph
from widgets.room.content import load_room_content
from widgets.room.join import JoinAddress
from widgets.room.model import Dashboard
from widgets.room.slides import SLIDE_COUNT, slide_for_section, slide_html
from widgets.workbook_content import Content, load_content

_STATIC = Path(__file__).parent / "static"
_UNSET = object()


class SlideScreen(GuardedState, anywidget.AnyWidget):
    """Invisible: while ``active``, the page's arrow keys send ``{"step": 1}`` or ``{"step": -1}``.

    Its script also sizes each slide's type to the largest that fits the screen.
    """

    _esm = _STATIC / "slide_screen.js"
    _client_writable = ()

    active = Bool(False, help="Whether the page's arrow keys move between slides.").tag(sync=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._listeners: list[Callable[[int], None]] = []
        self.on_msg(self._received)

    def on_step(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(step)`` for each accepted key press (``step`` is 1 or -1)."""
        self._listeners.append(listener)

    def _received(self, _widget: object, content: object, _buffers: object) -> None:
        # Anything else a crafted client sends is not a key press of this page's script.
        if not self.active or not isinstance(content, dict) or set(content) != {"step"}:
            return
        step = content["step"]
        if type(step) is int and step in (1, -1):
            for listener in self._listeners:
                listener(step)


class Presentation(VBox):
    """The slide on screen and the facilitator's buttons below it."""

    def __init__(
        self,
        content: Content,
        join: JoinAddress,
        on_leave: Callable[[], None],
        on_language: Callable[[str], None] | None = None,
        **kwargs: object,
    ) -> None:
        self._content, self._join = content, join
        words = load_room_content()
        self.slide = 0
        self.show_join = True
        self._board: Dashboard | None = None
        self._followed_pace: object = _UNSET
        self.view = HTML()
        self.view.add_class("rw-slide-view")
        self.screen = SlideScreen()
        self.screen.on_step(self.step)
        self.previous_button = page_button(words.presenting.previous_label)
        self.next_button = page_button(words.presenting.next_label)
        self.join_button = page_button(words.presenting.hide_join_label)
        self.leave_button = page_button(words.facilitator.stop_present_label, "rw-present")
        self.previous_button.on_click(lambda _b: self.step(-1))
        self.next_button.on_click(lambda _b: self.step(1))
        self.join_button.on_click(lambda _b: self.toggle_join())
        self.leave_button.on_click(lambda _b: on_leave())
        hint = HTML(paragraph(words.presenting.keys_hint, "rw-slide-hint"))
        languages = self._language_buttons(on_language) if on_language is not None else []
        buttons = HBox(
            [self.previous_button, self.next_button, self.join_button, self.leave_button, *languages, hint],
            layout=Layout(flex_flow="row wrap", align_items="center"),
        )
        buttons.add_class("rw-slide-buttons")
        super().__init__(children=[self.screen, self.view, buttons], **kwargs)
        self.add_class("rw-slide-deck")

    def _language_buttons(self, on_language: Callable[[str], None]) -> list[Button]:
        """A button for each other language the workbook has, named in that language, for the slides."""
        buttons = []
        for locale in locales():
            if locale == self._content.locale:
                continue
            name = load_content(content_dir(locale)).workbook.page.language_name
            button = page_button(name, "rw-slide-language")
            button.on_click(lambda _b, locale=locale: on_language(locale))
            buttons.append(button)
        return buttons

    def take_place_of(self, before: Presentation) -> None:
        """Show the slide ``before`` showed, as it showed it (after a change of language)."""
        self.slide, self.show_join = before.slide, before.show_join
        self._followed_pace = before._followed_pace
        words = load_room_content().presenting
        self.join_button.description = words.hide_join_label if self.show_join else words.show_join_label

    def show(self, board: Dashboard) -> None:
        """Draw ``board``; when the room's pace has changed since the last one, go to its section."""
        if board.pace_section != self._followed_pace:
            self._followed_pace = board.pace_section
            self.slide = slide_for_section(board.pace_section)
        self._board = board
        self._draw()

    def step(self, by: int) -> None:
        """Go ``by`` slides forward (or back, when negative), staying within the slides."""
        self.slide = max(0, min(SLIDE_COUNT - 1, self.slide + by))
        self._draw()

    def toggle_join(self) -> None:
        """Hide the join code's corner from the section slides, or show it again."""
        words = load_room_content().presenting
        self.show_join = not self.show_join
        self.join_button.description = words.hide_join_label if self.show_join else words.show_join_label
        self._draw()

    def _draw(self) -> None:
        self.previous_button.disabled = self.slide == 0
        self.next_button.disabled = self.slide == SLIDE_COUNT - 1
        if self._board is not None:
            self.view.value = slide_html(self._content, self._board, self.slide, self._join, self.show_join)
