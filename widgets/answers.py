"""The answers a participant has given, by section, kept as they are given.

Activities save their answers here as they change and read earlier sections'
answers from here (section 8 reads the connection map, section 9 the first
check-in). A page's book is backed by the answer store
(:mod:`widgets.store`) for the page's participant; a book without a store
keeps answers in memory only (unit tests).
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from typing import Any, Protocol

from widgets.participant import Participant
from widgets.store import Store, StoredParticipant, StoreError

log = logging.getLogger(__name__)

SAVED, UNSAVED = "saved", "unsaved"


class KeepsAnswers(Protocol):
    """Where a book's answers are kept.

    The answer store (:class:`widgets.store.Store`), or, in the server-free edition, the reader's own
    browser (:class:`widgets.static_site.device.DeviceStore`).
    """

    def save(self, code_hash: str, key: str, data: dict[str, Any], kind: str = "participant") -> None:
        """Keep ``data`` under ``key``; raise :class:`StoreError` if it cannot be kept."""
        ...

    def load_all(self, code_hash: str) -> dict[str, dict[str, Any]]:
        """Every kept answer, by key."""
        ...

    def participant(self, code_hash: str) -> StoredParticipant | None:
        """What is kept about the participant besides answers."""
        ...

    def delete_participant(self, code_hash: str) -> int:
        """Delete everything kept; return how many answers went."""
        ...


def note_key(slug: str) -> str:
    """The key of a section's private note."""
    return f"note:{slug}"


class AnswerBook:
    """Answers by key (a section's slug, or :func:`note_key`), as plain JSON-compatible data.

    Parameters
    ----------
    store, participant
        Where answers are kept, and whose they are. Without them, answers live
        in memory only.
    reopen
        When the store could not be opened (its server down, its file locked): how to open it
        again. Answers given meanwhile stay here, and the first save after the store is back
        writes them all, beside what the store already kept.
    """

    def __init__(
        self,
        store: KeepsAnswers | None = None,
        participant: Participant | None = None,
        reopen: Callable[[], Store] | None = None,
    ) -> None:
        self.store = store
        self.participant = participant
        self._reopen = reopen
        self._answers: dict[str, dict[str, Any]] = {}
        self._unsaved: dict[str, dict[str, Any]] = {}
        self._listeners: list[Callable[[str], None]] = []
        self.status = SAVED
        if store is not None and participant is not None:
            self._answers = store.load_all(participant.code_hash)

    def save(self, slug: str, data: dict[str, Any]) -> None:
        """Keep ``data`` as the answers under ``slug``, replacing earlier ones, and write it out.

        If the store cannot be written, the answers stay in this book and are
        written with the next save; :attr:`status` says so meanwhile.

        Raises
        ------
        TypeError
            If ``data`` is not JSON-compatible (answers must be plain data).
        """
        json.dumps(data)  # refuse anything that could not be stored as JSON
        self._answers[slug] = copy.deepcopy(data)
        if self.participant is None or (self.store is None and self._reopen is None):
            return
        self._unsaved[slug] = self._answers[slug]
        if self.store is None and not self._open_again():
            self._set_status(UNSAVED)
            return
        self._flush()

    def _open_again(self) -> bool:
        """Open the store that was unavailable; take what it kept for keys not answered here since."""
        if self._reopen is None or self.participant is None:
            # save() calls this only for a participant's book that has a way to reopen its store.
            raise RuntimeError("this answer book has no store to open again")
        try:
            store = self._reopen()
            kept = store.load_all(self.participant.code_hash)
        except StoreError as error:
            log.warning("answers kept on the page, the store still unavailable: %s", error)
            return False
        for key, data in kept.items():
            self._answers.setdefault(key, data)
        self.store = store
        return True

    def _flush(self) -> None:
        store, participant = self.store, self.participant
        if store is None or participant is None:
            # save() flushes only a participant's book whose store is open.
            raise RuntimeError("this answer book has no store to write to")
        try:
            for key in list(self._unsaved):
                store.save(participant.code_hash, key, self._unsaved[key], participant.kind)
                del self._unsaved[key]
        except StoreError as error:
            log.warning("answers kept on the page, not yet in the store: %s", error)
            self._set_status(UNSAVED)
        else:
            self._set_status(SAVED)

    def _set_status(self, status: str) -> None:
        self.status = status
        for listener in self._listeners:
            listener(status)

    def on_status(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(status)`` after every write attempt (``"saved"`` or ``"unsaved"``)."""
        self._listeners.append(listener)

    def load(self, slug: str) -> dict[str, Any] | None:
        """Return a copy of the answers under ``slug``, or ``None`` if there are none."""
        data = self._answers.get(slug)
        return copy.deepcopy(data) if data is not None else None

    def kept_keys(self) -> list[str]:
        """The keys that hold answers."""
        return sorted(self._answers)

    def kept_about(self) -> StoredParticipant | None:
        """What the store keeps about this participant besides answers (``None`` if nothing yet)."""
        if self.store is None or self.participant is None:
            return None
        return self.store.participant(self.participant.code_hash)

    def delete_everything(self) -> None:
        """Delete every answer of this participant, in the store too (rows removed)."""
        if self.store is not None and self.participant is not None:
            self.store.delete_participant(self.participant.code_hash)
        self._answers.clear()
        self._unsaved.clear()

    def clear(self) -> None:
        """Forget every answer held in memory (the store is left as it is)."""
        self._answers.clear()
        self._unsaved.clear()


_BOOK = AnswerBook()


def current() -> AnswerBook:
    """The answer book of this page (this kernel)."""
    return _BOOK


def use(book: AnswerBook) -> AnswerBook:
    """Make ``book`` this page's answer book, and return it."""
    global _BOOK
    _BOOK = book
    return book
