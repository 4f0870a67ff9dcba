"""The server-free edition's page session: answers kept in the reader's browser, pages in one page.

The page's script (``frontend/src/static_page.js``) registers ``workbook_device``: ``read()`` and
``write(text)`` of the browser's storage (the tab's ``sessionStorage``, or ``localStorage`` once the
reader chose "Remember me on this device"), and ``status(text)``. Python never decides where answers
live; it keeps them there as they are given, through the same :class:`~widgets.answers.AnswerBook` every
activity already saves to. A saved workbook file is checked here, against each section's own model,
before a single answer in it is kept.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import date
from typing import Any

from pydantic import ValidationError

from widgets import answers
from widgets.answers import SAVED, AnswerBook
from widgets.content_files import locales
from widgets.page_session import LANGUAGE_KEY, PageSession, use_page_session
from widgets.participant import Participant
from widgets.registry import SECTIONS
from widgets.store import StoredParticipant, StoreError
from widgets.workbook_content import Content, load_content

log = logging.getLogger(__name__)

SERVED_URL = "RECONNECTION_SERVED_URL"
FILE_KIND = "reconnection-workbook"
FILE_VERSION = 1
READER = Participant("THISBROWSERONLY0")
"""Whose answers the book holds: the one reader of this browser's storage (no code: nothing to resume)."""


class DeviceStore:
    """The answers of this browser's reader, in the storage the page's script chose, as one JSON text."""

    def __init__(self, keeper: Any) -> None:
        self._keeper = keeper

    def load_all(self, code_hash: str) -> dict[str, dict[str, Any]]:
        """Every kept answer; nothing if the storage holds nothing readable (then nothing is lost by it)."""
        try:
            kept = json.loads(self._keeper.read() or "{}")
        except (ValueError, TypeError):
            log.warning("the browser's storage held something other than answers; it is left unread")
            return {}
        found = kept.get("answers") if isinstance(kept, dict) else None
        return {k: v for k, v in found.items() if isinstance(v, dict)} if isinstance(found, dict) else {}

    def save(self, code_hash: str, key: str, data: dict[str, Any], kind: str = "participant") -> None:
        """Keep ``data`` under ``key`` with every other answer; :class:`StoreError` if the browser refuses."""
        kept = self.load_all(code_hash)
        kept[key] = data
        self._write(kept)

    def _write(self, kept: dict[str, dict[str, Any]]) -> None:
        try:
            self._keeper.write(json.dumps({"answers": kept}, ensure_ascii=False))
        except Exception as error:  # a JavaScript error: storage full, or turned off
            raise StoreError(f"this browser did not keep the answer: {error}") from error

    def participant(self, code_hash: str) -> StoredParticipant | None:
        """Nothing is kept about the reader but their answers."""
        return None

    def delete_participant(self, code_hash: str) -> int:
        """Delete every answer from the browser's storage."""
        count = len(self.load_all(code_hash))
        self._keeper.erase()
        return count


class DeviceSession(PageSession):
    """The page session of the server-free edition: open from the start, one reader, no rooms."""

    serves_rooms = False

    def __init__(self, content: Content, store: DeviceStore, say: Any) -> None:
        super().__init__(content)
        self._store, self._say = store, say
        self.open_book()

    @property
    def is_open(self) -> bool:
        """Always: the reader of this browser is known before any page."""
        return True

    def open_book(self) -> AnswerBook:
        """Read the answers again from the browser's storage (at the start, after a file or a delete)."""
        self.book = answers.use(AnswerBook(self._store, READER))
        self.book.on_status(self._show_saved)
        return self.book

    def _show_saved(self, status: str) -> None:
        self._say("" if status == SAVED else self._content.workbook.device.not_kept)

    def refresh_room(self) -> None:
        """No rooms without a server."""

    def saved_file(self, today: date | None = None) -> tuple[str, str]:
        """The reader's workbook as a file to save: its name and its text (every answer and note)."""
        made_on = today or date.today()
        text = json.dumps(
            {
                "kind": FILE_KIND,
                "version": FILE_VERSION,
                "saved_on": made_on.isoformat(),
                "answers": {key: self.book.load(key) for key in self.book.kept_keys()},
            },
            ensure_ascii=False,
            indent=1,
        )
        return f"my-reconnection-workbook-{made_on.isoformat()}.json", text

    def open_saved(self, text: str) -> str:
        """Keep the answers of a saved workbook file in place of the browser's, if every one of them checks.

        Returns the words to show: "opened", or why nothing changed. Nothing is kept from a file that is
        not wholly a saved workbook.
        """
        words = self._content.workbook.device
        try:
            kept = _checked_answers(text, self._content)
        except ValueError as problem:
            log.info("a saved workbook was refused: %s", problem)
            return words.open_failed
        self._store.delete_participant(READER.code_hash)
        for key, data in kept.items():
            self._store.save(READER.code_hash, key, data)
        self.open_book()
        return words.opened


def start(keeper: Any, served_url: str = "") -> DeviceSession:
    """Make the page session for every page of this browser page (the script calls it once).

    ``served_url``: a served workbook's address, where the practice gave one at build time (the welcome
    page links to it for group sessions).
    """
    os.environ[SERVED_URL] = served_url
    session = DeviceSession(load_content(), DeviceStore(keeper), keeper.status)
    use_page_session(session)
    return session


def _checked_answers(text: str, content: Content) -> dict[str, dict[str, Any]]:
    """The answers of a saved workbook, each checked as the page that made it would; ``ValueError`` if not."""
    try:
        saved = json.loads(text)
    except ValueError as error:
        raise ValueError("not JSON") from error
    if not isinstance(saved, dict) or saved.get("kind") != FILE_KIND or saved.get("version") != FILE_VERSION:
        raise ValueError("not a saved workbook of this version")
    found = saved.get("answers")
    if not isinstance(found, dict):
        raise ValueError("no answers")
    for key, data in found.items():
        _check_one(key, data, content)
    return found


def _check_one(key: object, data: object, content: Content) -> None:
    if not isinstance(key, str) or not isinstance(data, dict):
        raise ValueError(f"an answer of the wrong shape: {key!r}")
    slug = key.removeprefix("note:")
    if key.startswith("note:") and slug in SECTIONS:
        note = data.get("text")
        if set(data) != {"text"} or not isinstance(note, str) or len(note) > content.workbook.note_max_length:
            raise ValueError(f"a note that no page would keep: {key}")
    elif key == LANGUAGE_KEY:
        if data != {"locale": data.get("locale")} or data.get("locale") not in locales():
            raise ValueError("a language the workbook lacks")
    elif key in SECTIONS:
        try:
            SECTIONS[key].answers.model_validate(data)
        except ValidationError as error:
            raise ValueError(f"answers section {key} would not keep") from error
    else:
        raise ValueError(f"something the workbook never keeps: {key}")


class PageRun:
    """One page of the workbook shown in the browser page.

    Its notebook's code cells, run in order, and the widgets they made, closed when the reader moves on
    (the page session's own stay).
    """

    def __init__(self) -> None:
        from ipywidgets import Widget

        self._before = set(Widget.widgets)
        self._namespace: dict[str, Any] = {"__name__": "__main__"}

    def run(self, source: str) -> None:
        """Run one code cell of the page's notebook, exactly as its kernel would."""
        exec(compile(source, "notebook cell", "exec"), self._namespace)  # noqa: S102  # the site's own notebooks

    def close(self) -> None:
        """Close the widgets this page made: their views leave the page, their Python side is let go."""
        from ipywidgets import Widget

        for model_id, widget in list(Widget.widgets.items()):
            if model_id not in self._before:
                widget.close()
