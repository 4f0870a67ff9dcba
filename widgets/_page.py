"""The page's participant, answer book and code bar, opened once per page (kernel)."""

from __future__ import annotations

import logging

from . import answers
from ._content import Content
from .answers import SAVED, AnswerBook
from .participant import PageParticipant, Participant, participant_for_request, request_query_string
from .participant_bar import ParticipantBar
from .store import StoreError, default_store

log = logging.getLogger(__name__)


class PageSession:
    """Whose page this is, their answer book, and the bar that shows their code and saves."""

    def __init__(self, content: Content, opened: PageParticipant) -> None:
        self._content = content
        text = content.workbook.participant
        self.bar = ParticipantBar(
            code_label=text.code_label,
            hint=text.code_hint,
            demo_label=text.demo_label,
            notice=text.link_code_refused if opened.link_code_refused else "",
        )
        self.switch_to(opened.participant)

    @property
    def participant(self) -> Participant:
        """The page's participant."""
        return self.book.participant

    @property
    def link_code(self) -> str:
        """The code that links from this page carry ('' for the demo participant)."""
        return "" if self.participant.demo else self.participant.code

    def switch_to(self, participant: Participant) -> AnswerBook:
        """Make the page show ``participant``'s answers (after a resume, a fresh start or a delete)."""
        try:
            book = AnswerBook(default_store(), participant)
        except StoreError as error:
            # Answers can still be given; they stay on the page until the store is back.
            log.warning("the answer store could not be opened: %s", error)
            book = AnswerBook(None, participant)
            book.status = "unavailable"
        book.on_status(self._show_status)
        self.book = answers.use(book)
        self.bar.demo = participant.demo
        self.bar.code = participant.shown_code
        self.bar.address_code = self.link_code
        self.bar.saves = 0
        self._show_status(book.status if book.status != SAVED else "")
        return book

    def _show_status(self, status: str) -> None:
        text = self._content.workbook.participant
        if status == SAVED:
            self.bar.saves += 1
        self.bar.problem = status not in ("", SAVED)
        self.bar.status = {"": "", SAVED: text.saved}.get(status, text.unsaved)


_SESSION: PageSession | None = None


def page_session(content: Content) -> PageSession:
    """The page's session, opened from its request the first time it is asked for."""
    global _SESSION
    if _SESSION is None:
        _SESSION = PageSession(content, participant_for_request(request_query_string()))
    return _SESSION
