"""The page's participant, answer book and code bar, opened once per page (kernel)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from widgets import answers
from widgets.answers import SAVED, AnswerBook
from widgets.content_files import locales, page_locale
from widgets.controls import ParticipantBar
from widgets.participant import (
    PageParticipant,
    Participant,
    code_ending,
    language_was_chosen,
    page_notebook,
    page_request,
    participant_for_request,
)
from widgets.registry import SECTIONS
from widgets.rendering.parts import language_href
from widgets.room.content import load_room_content
from widgets.room.heartbeat import Heartbeat
from widgets.room.model import Membership, Rooms, shown_join_code
from widgets.store import StoreError, default_store
from widgets.workbook_content import Content, Section

log = logging.getLogger(__name__)

LANGUAGE_KEY = "language"
"""Where a participant's answers keep the language they last read the workbook in."""


class PageSession:
    """Whose page this is, their answer book, their group room, and the bar that shows them.

    The bar also shows the participant's room, whether this page's answers are
    shared, and the group's pace; a :class:`Heartbeat` keeps those current.
    """

    serves_rooms = True
    """Whether the page has a server behind it: a code bar, group rooms, sharing. The server-free
    edition's session (:mod:`widgets.static_site.device`) has none of these."""

    def __init__(self, content: Content, opened: PageParticipant | None = None) -> None:
        self._content = content
        self.opened: PageParticipant | None = None
        self.section: Section | None = None
        self.membership: Membership | None = None
        self._room_listeners: list[Callable[[Membership | None], None]] = []
        # Whether a workbook opened on this page takes the page to its own language: a code typed on
        # the page does; a page the browser asked for in a language of its choosing does not.
        self._follow_kept_language = True
        self.heartbeat = Heartbeat(interval_ms=2000)
        self.heartbeat.on_tick(self.refresh_room)
        text = content.workbook.participant
        self.bar = ParticipantBar(
            code_label=text.code_label,
            hint=text.code_hint,
            demo_label=text.demo_label,
            remember_label=text.remember_label,
            remember_note=text.remember_note,
            forget_label=text.forget_label,
            forgotten=text.forgotten,
        )
        if opened is not None:
            self.open_for(opened)

    def open_for(self, opened: PageParticipant, language_chosen: bool = True) -> None:
        """Show the page to the participant its address names (the bar and the heartbeat exist already).

        A preheated page makes its bar before anyone asks for it; this is the part that needs the request.
        ``language_chosen``: the browser asked for the page's language (see
        :func:`widgets.participant.language_was_chosen`); if not, a workbook kept in another language
        takes the page there.
        """
        self.opened = opened
        self._follow_kept_language = not language_chosen
        text = self._content.workbook.participant
        # One update: the page's script sees the code, whether it is new and whether it is
        # remembered together, and sets the browser's cookie once.
        with self.bar.hold_sync():
            self.switch_to(opened.participant)
            self.bar.fresh = opened.fresh
            self.bar.remember = opened.remembered and not opened.participant.demo
            linked = opened.from_link
            if linked is not None:
                # Whose workbook this is, plainly, and the way back to the browser's own.
                self.bar.link_line = text.from_link.format(ending=code_ending(linked.opened))
                if linked.before is not None:
                    self.bar.back_label = text.back_label.format(ending=code_ending(linked.before.code))
        self._follow_kept_language = True

    @property
    def participant(self) -> Participant:
        """The page's participant."""
        participant = self.book.participant
        if participant is None:
            # switch_to always opens the page's book for a participant: a book without one is a bug.
            raise RuntimeError("the page's answer book has no participant")
        return participant

    @property
    def is_open(self) -> bool:
        """Whether the page knows whose it is yet (see :meth:`open_for`)."""
        return self.opened is not None

    def switch_to(self, participant: Participant, remember: bool | None = None) -> AnswerBook:
        """Make the page show ``participant``'s answers (after a resume, a fresh start or a delete).

        The browser's link follows (the bar's script sets its cookie); ``remember`` changes whether
        this device keeps it, ``None`` leaves that as it is.
        """
        try:
            book = AnswerBook(default_store(), participant)
        except StoreError as error:
            # Answers can still be given; they stay on the page until the store is back.
            log.warning("the answer store could not be opened: %s", error)
            book = AnswerBook(None, participant, reopen=default_store)
            book.status = "unavailable"
        book.on_status(self._show_status)
        self.book = answers.use(book)
        with self.bar.hold_sync():
            # A workbook opened on this page itself is the person's own choice: no "from a link" line.
            self.bar.link_line = self.bar.back_label = ""
            self.bar.demo = participant.demo
            self.bar.code = participant.shown_code
            self.bar.fresh = False
            if participant.demo or remember is False:
                self.bar.remember = False
            self.bar.session_code = "" if participant.demo else participant.code
            if remember:
                self.bar.remember = True
        self.bar.saves = 0
        self._show_status(book.status if book.status != SAVED else "")
        self.membership = None
        self.refresh_room()
        self._keep_language(book, participant)
        return book

    def _keep_language(self, book: AnswerBook, participant: Participant) -> None:
        """Keep the page's language with the answers, or take the page to the language they are kept in.

        Kept only beside answers: a page opened and left keeps nothing, so the language is written
        once the participant has something kept (now, or at their first answer). It goes to the store
        directly, not through the book: it is not an answer, and the bar's "Saved" speaks of answers.
        """
        kept = (book.load(LANGUAGE_KEY) or {}).get("locale")
        here = page_locale()
        notebook = page_notebook()
        if self._follow_kept_language and kept in locales() and kept != here and notebook:
            self.bar.language_href = language_href(here, kept, notebook)
            return
        if kept == here or participant.demo:
            return
        written = False

        def write(status: str = SAVED) -> None:
            nonlocal written
            if written or status != SAVED or book.store is None or book is not self.book:
                return
            written = True
            try:
                book.store.save(participant.code_hash, LANGUAGE_KEY, {"locale": here}, kind=participant.kind)
            except StoreError as error:
                log.warning("the page's language could not be kept: %s", error)

        if book.kept_keys():
            write()
        else:
            book.on_status(write)

    # --- the group room -------------------------------------------------------------

    @property
    def rooms(self) -> Rooms:
        """The rooms kept in the workbook's store."""
        return Rooms(default_store(), SECTIONS)

    def on_room_change(self, listener: Callable[[Membership | None], None]) -> None:
        """Call ``listener(membership)`` whenever the participant's room, pace or sharing changes."""
        self._room_listeners.append(listener)

    def show_section(self, section: Section) -> None:
        """Tell the session which section this page is (for the sharing line and the pace banner)."""
        self.section = section
        self._show_room(self.membership, closed=False)

    def refresh_room(self) -> None:
        """Read the participant's room from the store, and show any change."""
        if not self.is_open or self.participant.demo:
            return
        try:
            membership = self.rooms.membership(self.participant.code_hash)
        except StoreError:
            return  # the next tick tries again
        self.set_membership(membership, closed=self.membership is not None and membership is None)

    def set_membership(self, membership: Membership | None, closed: bool = False) -> None:
        """Show ``membership`` (after a join, a leave, a share or a tick)."""
        changed = membership != self.membership or closed
        self.membership = membership
        self.heartbeat.active = membership is not None
        if changed:
            self._show_room(membership, closed)
            for listener in self._room_listeners:
                listener(membership)

    def _show_room(self, membership: Membership | None, closed: bool) -> None:
        words = load_room_content().participant
        self.bar.pace_text = self.bar.pace_href = self.bar.pace_link = ""
        # Whether the room last shown was one the participant waited to be let into: if it goes, they
        # were turned away (or it closed), not a room they were part of.
        was_waiting = getattr(self, "_shown_waiting", False)
        self._shown_waiting = membership is not None and not membership.admitted
        if membership is None:
            self.bar.room_line = (words.turned_away if was_waiting else words.closed) if closed else ""
            return
        if not membership.admitted:
            # Nothing is shared, nor any pace followed, until the facilitator lets them in.
            self.bar.room_line = words.waiting.format(code=shown_join_code(membership.join_code))
            return
        line = words.room_line.format(code=shown_join_code(membership.join_code))
        if self.section is not None:
            if not SECTIONS[self.section.slug].shareable:
                line += " " + words.never_shared
            elif self.section.slug in membership.shared:
                line += " " + words.sharing_on
            else:
                line += " " + words.sharing_off
        self.bar.room_line = line
        pace = membership.pace_section
        if pace is None:
            return
        if self.section is not None and self.section.number == pace:
            self.bar.pace_text = words.pace_here
            return
        target = self._content.sections.by_number(pace)
        self.bar.pace_text = words.pace.format(number=pace, title=target.title)
        if target.notebook:
            self.bar.pace_href = target.notebook
            self.bar.pace_link = words.pace_link.format(number=pace)

    def _show_status(self, status: str) -> None:
        text = self._content.workbook.participant
        if status == SAVED:
            self.bar.saves += 1
        self.bar.problem = status not in ("", SAVED)
        self.bar.status = {"": "", SAVED: text.saved}.get(status, text.unsaved)


_SESSION: PageSession | None = None


def page_shell(content: Content) -> PageSession:
    """The page's session before anyone asks for the page: its bar and heartbeat, no participant yet.

    Everything made from here on is done by a preheated kernel before its request comes.
    """
    global _SESSION
    if _SESSION is None:
        _SESSION = PageSession(content)
        # The store opened now, not after the request (its engine, connection and schema check cost a
        # page kernel 20-30 ms); if it cannot be opened now, the page tries again and says so then.
        with contextlib.suppress(StoreError):
            default_store()
    return _SESSION


def use_page_session(session: PageSession) -> None:
    """Make ``session`` the page's session.

    The server-free edition's, open from the start and kept from page to page, since all its pages are
    one browser page.
    """
    global _SESSION
    _SESSION = session


def page_session(content: Content) -> PageSession:
    """The page's session, opened for the participant its request names (waiting for the request)."""
    session = page_shell(content)
    if not session.is_open:
        request = page_request()
        session.open_for(participant_for_request(request), language_was_chosen(request))
    return session
