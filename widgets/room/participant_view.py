"""A participant's side of a group room: joining and leaving, sharing one activity, offering a line.

The rules live in :mod:`widgets.room.model`; these widgets only ask it, and show its
answer (or its refusal, in the content's words). Someone who joined beyond the number the
room expected waits for the facilitator: the page says so, and offers nothing to share
until they are let in (the heartbeat brings that news within about 2 seconds).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from ipywidgets import HTML, HBox, Layout, VBox, Widget

from widgets.controls import CheckList, TextBox, page_button
from widgets.participant import PageParticipant, Participant
from widgets.rendering import Markup, render
from widgets.rendering.fragments import paragraph
from widgets.room.content import load_room_content, refusal_html
from widgets.room.model import LINE_MAX_LENGTH, Membership, RoomError, Rooms, parse_join_code, shown_join_code
from widgets.store import StoreError
from widgets.workbook_content import Section

# A join answers no sooner than this, found or not, so its timing says nothing
# about which room codes exist.
JOIN_SECONDS = 0.4
SHARE_OPTION = "share"


class RoomSession(Protocol):
    """What the room's panels ask of a page (the page shell's ``PageSession`` gives it)."""

    opened: PageParticipant | None
    """What the page's address asked for (a room's code among it), before anyone chose."""
    membership: Membership | None

    @property
    def participant(self) -> Participant:
        """Whose page it is."""
        ...

    @property
    def rooms(self) -> Rooms:
        """The rooms, with every section's activity (which may be shared)."""
        ...

    def on_room_change(self, listener: Callable[[Membership | None], None]) -> None:
        """Call ``listener`` whenever the participant's room, pace or sharing changes."""
        ...

    def refresh_room(self) -> None:
        """Read the participant's room again."""
        ...

    def set_membership(self, membership: Membership | None, closed: bool = False) -> None:
        """Show ``membership`` (after a join, a leave, a share or a tick)."""
        ...


def _message(text: str) -> Markup:
    return paragraph(text) if text else Markup()


def _live() -> HTML:
    box = HTML()
    box.add_class("rw-live")
    return box


class JoinPanel(VBox):
    """On the welcome page: join a room by its code (or the link's), see it, leave it."""

    def __init__(self, session: RoomSession, **kwargs: object) -> None:
        self._session = session
        words = load_room_content().join
        self.code_box = TextBox(label=words.label, hint=words.hint, max_length=40, multiline=False)
        self.join_button = page_button(words.join_label)
        self.leave_button = page_button(words.leave_label)
        self.status = HTML()
        self.message = _live()
        self.join_button.on_click(lambda _b: self.join(self.code_box.value))
        self.leave_button.on_click(lambda _b: self.leave())
        self.join_row = VBox([self.code_box, self.join_button])
        super().__init__(
            children=[
                HTML(render("room/heading_and_text.html", heading=words.heading, text=words.intro)),
                self.status,
                self.join_row,
                HBox([self.leave_button]),
                self.message,
            ],
            **kwargs,
        )
        self.invite: RoomInvite | None = None
        self._following = False
        if session.opened is not None:
            self.follow_participant()

    def follow_participant(self) -> None:
        """Show the room of the participant the page was opened for, and follow it; once the page knows.

        A preheated welcome page makes the panel before its request, then calls this after it.
        """
        session = self._session
        opened = session.opened
        if opened is None:
            raise RuntimeError("the join panel follows a page opened for a participant (page_session)")
        if self._following:
            return
        self._following = True
        session.on_room_change(self._show)
        self._show(session.membership)
        # A link that names a room (the QR code's) only asks; the welcome page shows the question first.
        # Made only for such a link: each widget is work for a room's burst on the welcome page.
        self.invite = RoomInvite(session, self) if opened.room_code else None

    def join(self, typed: str) -> bool:
        """Join the room of a typed (or linked) code; the same calm message, and timing, for any miss."""
        started = time.monotonic()
        words = load_room_content().join
        session = self._session
        try:
            membership = session.rooms.join(session.participant.code_hash, session.participant.kind, typed)
        except (RoomError, StoreError) as error:
            membership, refused = None, refusal_html(error)
        else:
            refused = paragraph(words.not_found, "rw-message-text")
        time.sleep(max(0.0, JOIN_SECONDS - (time.monotonic() - started)))
        if membership is None:
            self.message.value = refused
            return False
        session.set_membership(membership)
        self.code_box.value = ""
        self.message.value = _message(
            words.joined.format(code=shown_join_code(membership.join_code))
            if membership.admitted
            else words.waiting_note
        )
        return True

    def leave(self) -> None:
        """Leave the room; what was shared with it stops counting."""
        session = self._session
        if session.membership is None:
            return
        try:
            session.rooms.leave(session.participant.code_hash)
        except StoreError as error:
            self.message.value = refusal_html(error)
            return
        session.set_membership(None)
        self.message.value = _message(load_room_content().join.left)

    def _show(self, membership: Membership | None) -> None:
        words = load_room_content().join
        inside = membership is not None
        if membership is None:
            self.status.value = ""
        else:
            said = words.in_room if membership.admitted else words.waiting
            self.status.value = _message(said.format(code=shown_join_code(membership.join_code)))
        self.join_row.layout.display = "none" if inside else "flex"
        self.leave_button.layout.display = "flex" if inside else "none"


class SharePanel(VBox):
    """On a section page in a room: share this activity (off until turned on), and offer a line."""

    def __init__(self, session: RoomSession, section: Section, **kwargs: object) -> None:
        self._session, self._section = session, section
        words = load_room_content()
        self._showing = False
        self.share = CheckList(question=words.share.question, options=[(SHARE_OPTION, words.share.option)])
        self.share_message = _live()
        self.share.observe(self._share_changed, "value")
        children: list[Widget] = [self.share, self.share_message]
        prompt = words.line.prompts.get(section.slug)
        self.line_box: TextBox | None = None
        if prompt:
            self.line_box = TextBox(
                label=f"{words.line.label_lead}: {prompt}",
                hint=words.line.hint,
                max_length=LINE_MAX_LENGTH,
                multiline=False,
            )
            self.offer_button = page_button(words.line.offer_label)
            self.offer_button.on_click(lambda _b: self.offer(self.line_box.value))
            self.line_message = _live()
            children += [self.line_box, self.offer_button, self.line_message]
        # While waiting to be let in, these are hidden and the share message says why. No widget of
        # its own: every page has this panel, and each model is work for a room's burst.
        self.offers: list[Widget] = [
            control for control in children if control is self.share or control is self.line_box
        ]
        if self.line_box is not None:
            self.offers.append(self.offer_button)
        self._said_waiting = False
        super().__init__(children=children, **kwargs)
        self.add_class("rw-share")
        session.on_room_change(self._show)
        self._show(session.membership)

    def _show(self, membership: Membership | None) -> None:
        inside = membership is not None and self._session.rooms.sections[self._section.slug].shareable
        # ``inside`` implies a membership; "membership is not None" is said again for the type checker.
        admitted = inside and membership is not None and membership.admitted
        self.layout.display = "flex" if inside else "none"
        for control in self.offers:
            control.layout.display = None if admitted else "none"
        if inside and not admitted:
            if not self._said_waiting:  # said once; a refusal after it stays until they are let in
                self.share_message.value = _message(load_room_content().share.waiting)
            self._said_waiting = True
        elif self._said_waiting:
            self.share_message.value = ""
            self._said_waiting = False
        if inside and membership is not None:
            self.share.hint = load_room_content().share.hint.format(threshold=membership.threshold)
        # The box always says what the store says, whatever the browser sent.
        shared = (
            [SHARE_OPTION]
            if admitted and membership is not None and self._section.slug in membership.shared
            else []
        )
        if self.share.value != shared:
            self._showing = True
            try:
                self.share.value = shared
            finally:
                self._showing = False

    def _share_changed(self, change: dict[str, Any]) -> None:
        if self._showing:
            return
        session, words = self._session, load_room_content().share
        wanted = SHARE_OPTION in change["new"]
        try:
            membership = session.rooms.set_sharing(session.participant.code_hash, self._section.slug, wanted)
        except (RoomError, StoreError) as error:
            self.share_message.value = refusal_html(error)
            session.refresh_room()
            self._show(session.membership)
            return
        session.set_membership(membership)
        self.share_message.value = _message(words.done_on if wanted else words.done_off)

    def offer(self, text: str) -> bool:
        """Offer a short line to the group; it waits for the facilitator's approval."""
        session = self._session
        try:
            session.rooms.offer_line(session.participant.code_hash, self._section.slug, text)
        except (RoomError, StoreError) as error:
            # The line stays in the box, to offer again in a moment.
            self.line_message.value = refusal_html(error)
            return False
        if self.line_box is not None:
            self.line_box.value = ""
        self.line_message.value = _message(load_room_content().line.sent)
        return True


class RoomInvite(VBox):
    """The question a link with ``?room=`` asks: join this room? Nothing is joined until the person says so.

    Another site's link, a prankster's QR code or a link sent by someone who means harm can name any
    room; what the person shares would then go to whoever opened it. So the link only fills in the
    question, and only the person's own click (on this page, over its own connection) joins.
    """

    def __init__(self, session: RoomSession, panel: JoinPanel, **kwargs: object) -> None:
        self._session, self._panel = session, panel
        words = load_room_content().invite
        self.code = parse_join_code(session.opened.room_code if session.opened else "") or ""
        self.question = HTML()
        self.join_button = page_button(words.join_label)
        self.not_now_button = page_button(words.not_now_label)
        self.join_button.on_click(lambda _b: self.accept())
        self.not_now_button.on_click(lambda _b: self.decline())
        self.message = _live()
        super().__init__(
            children=[
                self.question,
                HBox([self.join_button, self.not_now_button], layout=Layout(flex_flow="row wrap")),
                self.message,
            ],
            **kwargs,
        )
        self.add_class("rw-invite")
        self.asking = False
        self._ask(session.membership)
        session.on_room_change(self._joined_elsewhere)

    def _joined_elsewhere(self, membership: Membership | None) -> None:
        # Joined the same room by typing its code: the question has its answer.
        if self.asking and membership is not None and membership.join_code == self.code:
            self.asking = False
            self.layout.display = "none"

    def _ask(self, membership: Membership | None) -> None:
        """Ask, unless there is no usable room code or the person is in that room already."""
        words = load_room_content().invite
        self.asking = bool(self.code) and not self._session.participant.demo
        if membership is not None and membership.join_code == self.code:
            self.asking = False
        if self.asking:
            shown = shown_join_code(self.code)
            ask = (
                words.ask.format(code=shown)
                if membership is None
                else words.ask_other.format(code=shown, current=shown_join_code(membership.join_code))
            )
            self.question.value = render("room/heading_and_text.html", heading=ask, text=words.why)
        self.layout.display = "flex" if self.asking else "none"

    def accept(self) -> bool:
        """Join the link's room, as the person chose."""
        if not self.asking:
            return False  # nothing was asked (a crafted click): nothing is joined
        if not self._panel.join(self.code):
            self.message.value = self._panel.message.value
            return False
        self.asking = False
        self.layout.display = "none"
        return True

    def decline(self) -> None:
        """Do not join; say where a room code can still be typed."""
        if not self.asking:
            return
        self.asking = False
        self.question.value = ""
        self.join_button.layout.display = self.not_now_button.layout.display = "none"
        self.message.value = _message(load_room_content().invite.dismissed)
