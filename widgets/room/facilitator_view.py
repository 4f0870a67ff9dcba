"""The facilitator's page: open a room, then lead the session from its live dashboard.

The page shows a room only with that room's facilitator secret (``?room=...&key=...``),
and offers to open a new room only with the server's facilitator token (``?token=...``,
printed by ``./workbook serve``; `widgets.room.access`); the server refuses the page with
neither before any kernel starts (`widgets.server.page_requests`). The dashboard reads
the room on every heartbeat (every 2 seconds) and redraws only what changed.
Presenting mode hides the moderation queue and the controls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import parse_qs

from ipywidgets import HTML, Box, HBox, Layout, VBox, Widget

from widgets.content_files import counted, notebook_in, use_locale
from widgets.contract import SectionRegistry
from widgets.controls import ChoiceGroup, Download, DownloadButton, NumberBox, page_button
from widgets.rendering import Markup, render
from widgets.rendering.fragments import paragraph
from widgets.room.access import token_matches
from widgets.room.console import (
    LINES_ON_CONSOLE,
    ConsoleKeys,
    ConsoleTabs,
    SecondScreen,
    SectionChoice,
    activity_words,
    lines_more_text,
    now_html,
    sharing_html,
)
from widgets.room.content import FacilitatorText, load_room_content, refusal_html
from widgets.room.heartbeat import Heartbeat
from widgets.room.join import JoinAddress, is_loopback, join_address, qr_code_html
from widgets.room.model import (
    DEFAULT_EXPECTED,
    DEFAULT_THRESHOLD,
    MAX_EXPECTED,
    MIN_EXPECTED,
    MIN_THRESHOLD,
    ActivityResult,
    Dashboard,
    FacilitatorRoom,
    Line,
    RoomError,
    Rooms,
    shown_join_code,
)
from widgets.room.presentation import Presentation
from widgets.room.slides import figure_html
from widgets.store import StoreError, default_store
from widgets.workbook_content import Content, load_content

THRESHOLD_CHOICES = range(MIN_THRESHOLD, 11)
FACILITATOR_ONLY = "rw-facilitator-only"
# Lines participants wrote are escaped, and marked so that no math typesetter
# (MathJax 2 or 3) reads "$...$" in them as formulas: they stay plain text.
_LITERAL = "rw-literal tex2jax_ignore mathjax_ignore"


def room_from_query(rooms: Rooms, query_string: str | None) -> tuple[FacilitatorRoom | None, bool, str]:
    """The room a facilitator link opens, whether the link tried to open one at all, and its secret."""
    query = parse_qs(query_string or "")
    code, key = query.get("room", [""])[0], query.get("key", [""])[0]
    if not code and not key:
        return None, False, ""
    return rooms.facilitator_room(code, key), True, key


class FacilitatorPage(VBox):
    """Everything below the facilitator page's title.

    It offers to open a new room only to the facilitator link ``./workbook serve`` printed (its
    ``?token=`` matches the server's), or outside Voilà (``query_string`` is ``None``: JupyterLab and
    nbval, where no server takes requests). A room's own private link shows its dashboard whatever the
    token; any other address gets a calm sentence and nothing to click.
    """

    # ipywidgets' Box trait, declared for the type checker (ipywidgets ships no types).
    children: Sequence[Widget]

    def __init__(
        self, content: Content, query_string: str | None, sections: SectionRegistry, **kwargs: object
    ) -> None:
        self._content = content
        self._rooms = Rooms(default_store(), sections)
        words = load_room_content().facilitator
        self.may_open = query_string is None or token_matches(parse_qs(query_string).get("token"))
        self.heartbeat = Heartbeat(interval_ms=2000)
        self.message = HTML()
        self.message.add_class("rw-live")
        self.expected = NumberBox(
            label=words.expected_label,
            minimum=MIN_EXPECTED,
            maximum=MAX_EXPECTED,
            step=1,
            value=DEFAULT_EXPECTED,
        )
        self.open_button = page_button(words.open_label)
        self.open_button.on_click(lambda _b: self._open_clicked())
        self.opening = VBox(
            [
                HTML(render("room/facilitator_opening.html", words=words)),
                self.expected,
                self.open_button,
            ]
        )
        self.dashboard: RoomDashboard | None = None
        super().__init__(
            children=[
                self.heartbeat,
                HTML(render("room/facilitator_header.html", content=content, guide_label=words.guide_link)),
                self.message,
                *([self.opening] if self.may_open else []),
            ],
            **kwargs,
        )
        self.add_class("rw-activity")
        room, asked, key = room_from_query(self._rooms, query_string)
        if room is not None:
            # The token, if the link had one too, leaves the address: the room's link is enough.
            self.heartbeat.address = {"room": room.join_code, "key": key, "token": ""}
            self._show(room)
        elif asked:
            self.message.value = paragraph(words.wrong_link, "rw-message-text")
        elif not self.may_open:
            self.message.value = paragraph(content.workbook.facilitator_only.message, "rw-message-text")

    def _open_clicked(self) -> None:
        if not self.may_open:
            return  # a click sent to the hidden button by a crafted page: nothing to open
        try:
            self.open_room()
        except (RoomError, StoreError) as error:
            self.message.value = refusal_html(error)

    def open_room(self) -> FacilitatorRoom:
        """Open a new room for about as many people as the page says, and show its dashboard.

        The page's address becomes the private link, without the token.
        """
        if not self.may_open:
            raise PermissionError("only the facilitator link opens a room")
        rooms = self._rooms
        expected = DEFAULT_EXPECTED if self.expected.value is None else round(self.expected.value)
        keys = rooms.open_room(expected=expected)
        room = rooms.facilitator_room(keys.join_code, keys.secret)
        if room is None:  # pragma: no cover - just opened with its own secret
            raise RuntimeError("a room just opened could not be read back")
        # The address becomes the room's private link; the token leaves it (it opens more rooms, and a
        # bookmark or a projected address bar should not keep it).
        self.heartbeat.address = {"room": keys.join_code, "key": keys.secret, "token": ""}
        self.message.value = ""
        self._show(room)
        return room

    def _show(self, room: FacilitatorRoom) -> None:
        self.dashboard = RoomDashboard(self._content, room, self.heartbeat)
        # The console's bar links the session guide: the page's top keeps the crisis lines and framing.
        header = HTML(render("room/facilitator_header.html", content=self._content, guide_label=""))
        self.children = [self.heartbeat, header, self.message, self.dashboard]
        self.heartbeat.active = True


class RoomDashboard(VBox):
    """One room's console: the live room on one screen, and the rest (join, results, settings) a tab away.

    The live tab holds what a facilitator needs while the group talks (`widgets.room.console`); keys
    pace and moderate; the slides go to this screen (Present) or a window of their own.
    """

    # ipywidgets' Box trait, declared for the type checker (ipywidgets ships no types).
    children: Sequence[Widget]

    def __init__(
        self, content: Content, room: FacilitatorRoom, heartbeat: Heartbeat, **kwargs: object
    ) -> None:
        self._content, self.room, self._heartbeat = content, room, heartbeat
        self._secret = heartbeat.address.get("key", "")
        self._board: Dashboard | None = None
        self._waiting_ids: tuple[int, ...] | None = None
        self.presenting: bool = False
        self.presentation: Presentation | None = None
        # Made once: the page's keys and the slides window outlive a change of language.
        self.console_keys = ConsoleKeys(active=True)
        self.console_keys.on_key(self.key_pressed)
        self.second_screen = SecondScreen()
        self.second_screen.on_window(self._second_screen_changed)
        self.second_screen.on_step(self._second_screen_step)
        self._build()
        super().__init__(children=self._dashboard_children, **kwargs)
        self.add_class("rw-dashboard")
        self.add_class("rw-console")
        heartbeat.on_tick(self.refresh)
        self.refresh()

    def _build(self) -> None:
        """Make the console's widgets, in the page's language."""
        content, room = self._content, self.room
        words = load_room_content().facilitator
        # The join link opens the welcome page in the facilitator's language for newcomers (a browser
        # that has read the workbook keeps its own language).
        welcome = notebook_in(content.locale, content.sections.welcome_notebook)
        self.join = join_address(room.join_code, welcome)
        self.header = HTML(_join_header_html(words, room.join_code, self.join))
        self.counts = HTML()
        self.counts.add_class("rw-room-counts")
        self.present_button = page_button(words.present_label, "rw-present")
        self.present_button.on_click(lambda _b: self.set_presenting(not self.presenting))
        self._word_second_screen(words)
        guide_page = content.sections.guide_notebook
        guide = HTML(render("room/console_guide.html", notebook=guide_page, label=words.guide_link))
        bar = HBox([self.counts, guide, self.present_button, self.second_screen])
        bar.add_class("rw-console-bar")
        self.join_waiting = self._join_waiting_panel(words)
        self.control_message = HTML()
        self.control_message.add_class("rw-live")
        live = self._live_panel(words)
        self.results = HTML()
        self.results.add_class("rw-group-results")
        controls = self._room_controls(words)
        panels = [live, self.header, self.results, controls]
        self.tabs = ConsoleTabs(
            panels,
            label=words.tabs_label,
            titles=[words.tab_live, words.tab_join, words.tab_results, words.tab_settings],
        )
        keys = HTML(render("room/console_keys.html", heading=words.keys_heading, text=words.keys))
        keys.add_class("rw-console-keys")
        tab_row = HBox([self.tabs, keys])  # the keys beside the tabs: listed, and out of the way
        tab_row.add_class("rw-console-tab-row")
        self._dashboard_children = (
            self.console_keys,
            bar,
            self.join_waiting,
            self.control_message,
            tab_row,
            *panels,
        )

    def _word_second_screen(self, words: FacilitatorText) -> None:
        screen = self.second_screen
        screen.label, screen.stop_label = words.second_screen_label, words.second_screen_stop
        screen.on_note, screen.blocked_note = words.second_screen_on, words.second_screen_blocked
        screen.language = self._content.locale

    def set_language(self, locale: str) -> None:
        """Show the slides, and the console after them, in ``locale`` (a co-facilitator's language).

        The figures were released in every language (`widgets.room.model`): the same numbers, in the
        other language's words. The slide on screen stays where it was.
        """
        use_locale(locale)
        self._content = load_content()
        before = self.presentation
        self._build()
        self._board, self._waiting_ids, self.presentation = None, None, None
        if self.presenting or self.second_screen.window_open:
            self.presentation = self._new_presentation()
            if before is not None:
                self.presentation.take_place_of(before)
        if self.presenting and self.presentation is not None:
            self.children = [self.presentation]
            self.presentation.screen.active = True
        else:
            self.children = self._dashboard_children
        if before is not None:
            before.screen.active = False
        self.refresh()

    def _new_presentation(self) -> Presentation:
        presentation = Presentation(
            self._content, self.join, lambda: self.set_presenting(False), on_language=self.set_language
        )
        # Whatever the slide shows, the slides window shows too (when there is one).
        presentation.view.observe(self._mirror_slide, "value")
        return presentation

    def _mirror_slide(self, change: dict[str, Any]) -> None:
        self.second_screen.markup = change["new"]

    # --- the console's parts --------------------------------------------------------

    def _live_panel(self, words: FacilitatorText) -> Box:
        """The live tab: the group's section with its figures; beside it sharing, lines and keys."""
        self.pace = SectionChoice(
            label=words.pace_question,
            options=[
                ("", words.pace_none),
                *(
                    (str(s.number), _section_label(self._content, s.number, s.title))
                    for s in self._content.sections.sections
                ),
            ],
        )
        self.pace.add_class("rw-console-pace-choice")
        self.pace.observe(self._pace_changed, "value")
        self.previous_button = page_button(words.pace_previous)
        self.next_button = page_button(words.pace_next)
        self.previous_button.on_click(lambda _b: self.step_pace(-1))
        self.next_button.on_click(lambda _b: self.step_pace(1))
        pace = HBox([self.previous_button, self.pace, self.next_button])
        pace.add_class("rw-console-pace")
        self.now = HTML()
        self.now.add_class("rw-console-now-panel")
        self.sharing = HTML()
        self.sharing.add_class("rw-console-sharing-panel")
        self.moderation = self._moderation_panel(words)
        main = VBox([pace, self.now])
        main.add_class("rw-console-main")
        side = VBox([self.moderation, self.sharing])
        side.add_class("rw-console-side")
        live = Box([main, side])
        live.add_class("rw-console-live")
        return live

    def _join_waiting_panel(self, words: FacilitatorText) -> VBox:
        """More people asking to join than expected: the facilitator decides. Shown only then."""
        self.join_waiting_text = HTML()
        self.join_waiting_text.add_class("rw-live")
        self.admit_button = page_button(words.admit_label)
        self.turn_away_button = page_button(words.turn_away_label)
        self.admit_button.on_click(lambda _b: self.admit_waiting())
        self.turn_away_button.on_click(lambda _b: self.turn_away_waiting())
        panel = VBox(
            [
                self.join_waiting_text,
                HTML(paragraph(words.join_waiting_hint)),
                HBox([self.admit_button, self.turn_away_button], layout=Layout(flex_flow="row wrap")),
            ]
        )
        panel.add_class("rw-join-waiting")
        panel.add_class(FACILITATOR_ONLY)
        panel.layout.display = "none"
        return panel

    def _room_controls(self, words: FacilitatorText) -> VBox:
        """The settings tab: the threshold (with what it protects and what it cannot), export, close."""
        self.threshold = ChoiceGroup(
            question=words.threshold_question,
            options=[
                (str(n), words.threshold_recommended.format(number=n) if n == DEFAULT_THRESHOLD else str(n))
                for n in THRESHOLD_CHOICES
            ],
            clear_label=words.threshold_back.format(number=DEFAULT_THRESHOLD),
        )
        self.threshold.observe(self._threshold_changed, "value")
        self.export_button = DownloadButton(self._export, label=words.export_label)
        self.close_button = page_button(words.close_label)
        self.close_button.on_click(lambda _b: self._ask_to_close())
        self.close_confirm = self._close_confirmation(words)
        controls = VBox(
            [
                self.threshold,
                # What the threshold protects against, and what it cannot: said plainly, beside it.
                HTML(paragraph(words.threshold_limits, "rw-threshold-limits")),
                # What showing or deleting a waiting line does (the console has room for the lines only).
                HTML(paragraph(words.lines_hint, "rw-moderation-hint")),
                HBox([self.export_button, self.close_button], layout=Layout(flex_flow="row wrap")),
                self.close_confirm,
                HTML(paragraph(words.private_link, "rw-private-link")),
            ]
        )
        controls.add_class(FACILITATOR_ONLY)
        controls.add_class("rw-room-controls")
        return controls

    def _close_confirmation(self, words: FacilitatorText) -> VBox:
        """The question "close and erase now?", hidden until the close button asks it."""
        self.close_yes = page_button(words.close_confirm_label)
        self.close_no = page_button(words.close_cancel_label)
        self.close_yes.on_click(lambda _b: self.close_room())
        self.close_no.on_click(lambda _b: self._cancel_close())
        confirmation = VBox(
            [HTML(paragraph(words.close_confirm, "rw-confirm")), HBox([self.close_yes, self.close_no])]
        )
        confirmation.layout.display = "none"
        # Whether the confirmation is asked, kept here: the browser can change any layout, not this.
        self._confirming = False
        return confirmation

    def _moderation_panel(self, words: FacilitatorText) -> VBox:
        """The first lines waiting for the facilitator, each to show or delete, and how many more wait."""
        self.queue = VBox()
        self.lines_more = HTML()
        # Many lines at once (a flood): one click deletes every waiting line. Shown only then.
        self.decline_all_button = page_button(words.decline_all_label.format(count=0))
        self.decline_all_button.on_click(lambda _b: self.decline_all())
        self.decline_all_button.layout.display = "none"
        heading = HTML(render("room/heading_and_text.html", heading=words.lines_heading, text="", level=3))
        top = HBox([heading, self.decline_all_button])  # the button as wide as its words, by the heading
        top.add_class("rw-moderation-top")
        panel = VBox([top, self.queue, self.lines_more])
        panel.add_class("rw-moderation")
        panel.add_class(FACILITATOR_ONLY)
        return panel

    # --- reading the room -----------------------------------------------------------

    def refresh(self) -> None:
        """Read the room and redraw what changed (called on every heartbeat)."""
        try:
            board = self.room.dashboard()
        except StoreError:
            return  # the next heartbeat tries again
        if board is None:
            self._show_closed()
            return
        if board == self._board:
            return
        self._board = board
        if self.presentation is not None and (self.presenting or self.second_screen.window_open):
            self.presentation.show(board)
        self._sync_controls(board)
        self.counts.value = counts_html(self._content, board)
        self._show_join_waiting(board)
        self.now.value = now_html(self._content, board)
        self.sharing.value = sharing_html(self._content, board)
        self.results.value = results_html(self._content, board)
        self._show_queue(board)

    def _show_queue(self, board: Dashboard) -> None:
        """The first waiting lines, each to show or delete, and how many more wait."""
        words = load_room_content().facilitator
        waiting_ids = tuple(line.id for line in board.waiting)
        if waiting_ids == self._waiting_ids:
            return
        self._waiting_ids = waiting_ids
        shown = board.waiting[:LINES_ON_CONSOLE]
        self.queue.children = [self._queue_row(line) for line in shown] or [
            HTML(paragraph(words.lines_empty))
        ]
        self.lines_more.value = paragraph(lines_more_text(list(board.waiting), self._content.locale))
        self.decline_all_button.description = words.decline_all_label.format(count=len(waiting_ids))
        self.decline_all_button.layout.display = None if waiting_ids else "none"

    def _show_join_waiting(self, board: Dashboard) -> None:
        words = load_room_content().facilitator
        waiting = board.waiting_to_join
        asking = counted(
            words.join_waiting, waiting, self._content.locale, waiting=waiting, expected=board.expected
        )
        self.join_waiting_text.value = render("room/asking_to_join.html", asking=asking) if waiting else ""
        self.join_waiting.layout.display = "flex" if waiting else "none"

    def _sync_controls(self, board: Dashboard) -> None:
        pace = str(board.pace_section) if board.pace_section is not None else ""
        if self.pace.value != pace:
            self._quietly(self.pace, pace)
        self.previous_button.disabled = board.pace_section is None
        self.next_button.disabled = board.pace_section == len(self._content.sections.sections)
        if self.threshold.value != str(board.threshold):
            self._quietly(self.threshold, str(board.threshold))

    def _quietly(self, control: ChoiceGroup | SectionChoice, value: str | None) -> None:
        self._syncing = True
        try:
            control.value = value
        finally:
            self._syncing = False

    _syncing = False

    def _queue_row(self, line: Line) -> HBox:
        words = load_room_content().facilitator
        approve = page_button(words.approve_label)
        decline = page_button(words.decline_label)
        approve.on_click(lambda _b, line_id=line.id: self.moderate(line_id, approve=True))
        decline.on_click(lambda _b, line_id=line.id: self.moderate(line_id, approve=False))
        text = HTML(paragraph(line.text, f"rw-line-text {_LITERAL}", lang=line.lang))
        row = HBox([text, approve, decline], layout=Layout(flex_flow="row wrap", align_items="center"))
        row.add_class("rw-queue-row")
        return row

    # --- what the facilitator does --------------------------------------------------

    def moderate(self, line_id: int, approve: bool) -> None:
        """Show a waiting line to the group, or delete it."""
        try:
            self.room.approve(line_id) if approve else self.room.decline(line_id)
        except (RoomError, StoreError) as error:
            self.control_message.value = refusal_html(error)
        self.refresh()

    def decline_all(self) -> int:
        """Delete every waiting line the dashboard shows (not one that came after); return how many."""
        if not self._waiting_ids:
            return 0
        up_to = max(self._waiting_ids)
        return self._count_of(lambda: self.room.decline_all_waiting(up_to=up_to))

    def admit_waiting(self) -> int:
        """Let in the people the dashboard shows waiting to join (not anyone who asked after)."""
        if self._board is None or not self._board.waiting_to_join:
            return 0
        asking = self._board.waiting_to_join
        return self._count_of(lambda: self.room.admit_waiting(at_most=asking))

    def turn_away_waiting(self) -> int:
        """Take the people waiting to join out of the room; they may join again, and wait again."""
        return self._count_of(self.room.turn_away_waiting)

    def _count_of(self, action: Callable[[], int]) -> int:
        done = 0
        try:
            done = action()
        except StoreError as error:
            self.control_message.value = refusal_html(error)
        self.refresh()
        return done

    def _pace_changed(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        self._apply(lambda: self.room.set_pace(int(change["new"]) if change["new"] else None))

    def step_pace(self, by: int) -> None:
        """Move the group ``by`` sections on (or back, when negative); back from section 1 is no section."""
        if self._board is None:
            return
        last = len(self._content.sections.sections)
        wanted = max(0, min(last, (self._board.pace_section or 0) + by))
        if wanted != (self._board.pace_section or 0):
            self._apply(lambda: self.room.set_pace(wanted or None))

    def key_pressed(self, action: str) -> None:
        """A console key: pace the group, or show or delete the first waiting line."""
        if self.presenting or self._board is None:
            return  # while presenting here, the keys belong to the slides
        if action in ("next", "previous"):
            self.step_pace(1 if action == "next" else -1)
        elif self._board.waiting:
            self.moderate(self._board.waiting[0].id, approve=action == "show")

    def _second_screen_changed(self, is_open: bool) -> None:
        if is_open and self.presentation is None:
            self.presentation = self._new_presentation()
        if is_open and self.presentation is not None and self._board is not None:
            self.presentation.show(self._board)
            self.second_screen.markup = self.presentation.view.value

    def _second_screen_step(self, step: int) -> None:
        if self.presentation is not None and self.second_screen.window_open:
            self.presentation.step(step)

    def _threshold_changed(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        if change["new"] is None:
            self._quietly(self.threshold, str(DEFAULT_THRESHOLD))
        chosen = self.threshold.value
        if chosen is None:  # a cleared choice was put back to the default just above
            raise RuntimeError("the threshold choice has no value")
        self._apply(lambda: self.room.set_threshold(int(chosen)))

    def _apply(self, action: Callable[[], object]) -> None:
        try:
            action()
        except (RoomError, StoreError) as error:
            self.control_message.value = refusal_html(error)
        else:
            self.control_message.value = ""
        self.refresh()

    def set_presenting(self, on: bool) -> None:
        """Presenting mode: the room's slides fill the screen; the dashboard is not drawn meanwhile.

        The queue, the private link and the controls leave the page, not just the view, so nothing
        private can reach the projector.
        """
        self.presenting = on
        self.console_keys.active = not on  # while presenting here, the keys belong to the slides
        if on:
            if self.presentation is None:
                self.presentation = self._new_presentation()
            self.children = [self.presentation]
            self.add_class("rw-presenting")
            self.remove_class("rw-console")  # the console's sizes are not the slides'

            if self._board is not None:
                self.presentation.show(self._board)
        else:
            self.children = self._dashboard_children
            self.remove_class("rw-presenting")
            self.add_class("rw-console")
        if self.presentation is not None:
            self.presentation.screen.active = on
        # A projected address bar must not show the secret: it leaves the address while
        # presenting, and comes back after (the facilitator bookmarked the private link).
        self._heartbeat.address = {"room": self.room.join_code, "key": "" if on else self._secret}

    def _export(self) -> Download:
        titles = {
            s.slug: _section_label(self._content, s.number, s.activity)
            for s in self._content.sections.sections
        }
        csv_text = self.room.export_csv(titles)
        name = f"group-results-{self.room.join_code}-{date.today().isoformat()}.csv"
        return name, "text/csv", csv_text.encode("utf-8")

    def _ask_to_close(self) -> None:
        self._confirming = True
        self.close_confirm.layout.display = "flex"

    def _cancel_close(self) -> None:
        self._confirming = False
        self.close_confirm.layout.display = "none"

    def close_room(self) -> bool:
        """Close the room and erase what it collected (only after the confirmation step)."""
        # Not the confirmation's layout: a crafted page can show it by sending a layout change.
        if not self._confirming:
            return False  # a click that skipped the confirmation (a crafted page) does nothing
        try:
            self.room.close()
        except StoreError as error:
            self.control_message.value = refusal_html(error)
            return False
        self._show_closed()
        return True

    def _show_closed(self) -> None:
        self.console_keys.active = False
        self.second_screen.ended = True  # the slides window leaves the closed room's figures
        self._heartbeat.active = False
        self._heartbeat.address = {"room": "", "key": ""}
        self.remove_class("rw-presenting")
        self.children = [HTML(paragraph(load_room_content().facilitator.closed))]


def _join_header_html(words: FacilitatorText, join_code: str, join: JoinAddress) -> Markup:
    """How participants join: the QR code, the room code, the address to type and the link itself."""
    return render(
        "room/join_header.html",
        words=words,
        qr_code=qr_code_html(join.full, words.qr_label),
        code=shown_join_code(join_code),
        join=join,
        local_only=is_loopback(join),
    )


def counts_html(content: Content, board: Dashboard) -> Markup:
    """How many joined of how many expected, and whether that is more than expected; and the room's code."""
    words = load_room_content().facilitator
    said = counted(words.joined, board.joined, content.locale, joined=board.joined, expected=board.expected)
    return render(
        "room/console_counts.html",
        joined=said,
        over=words.over_expected if board.joined > board.expected else "",
        code_label=words.code_label,
        code=shown_join_code(board.join_code),
    )


def results_html(content: Content, board: Dashboard) -> Markup:
    """Every activity's results: counts, then the figures (each can show as a table), and approved lines."""
    words = load_room_content().facilitator
    return render(
        "room/results.html",
        release_note=words.release_note.format(threshold=board.threshold),
        activities=[_activity_results(content, board, activity) for activity in board.activities],
        approved_heading=words.approved_heading,
        literal=_LITERAL,
        page=content.workbook.page,
    )


@dataclass(frozen=True)
class _ActivityShown:
    """What ``templates/room/results.html`` shows of one activity."""

    slug: str
    number: int
    title: str
    shared: str
    needed: str
    figures: list[Markup]
    lines: list[Line]


def _activity_results(content: Content, board: Dashboard, activity: ActivityResult) -> _ActivityShown:
    section = content.sections.by_slug(activity.slug)
    show_table = content.workbook.page.show_table
    return _ActivityShown(
        slug=activity.slug,
        number=section.number,
        title=section.activity,
        **activity_words(content, board, activity),
        figures=[figure_html(group_figure, content.locale, show_table) for group_figure in activity.figures],
        lines=list(activity.lines),
    )


def _section_label(content: Content, number: int, title: str) -> str:
    """A section's label in the page's language ("Section 4: Understanding ...")."""
    return content.workbook.page.section_label.format(number=number, title=title)
