"""Anonymous participant codes, and finding the participant of a page's request.

A code is 16 characters from Crockford's base 32 alphabet (no I, L, O or U),
shown in four groups of four: 80 random bits, so it cannot be guessed, yet it
can be written down and typed back. Look-alike characters typed by hand are
read as the digits they resemble. Only a SHA-256 hash of a code is stored.

A page learns its participant from the ``workbook_participant`` cookie of its request, never from its
address: the server sets that cookie (HttpOnly, SameSite=Strict; for the browser session only, unless
the participant asks to be remembered on this device), and Voilà hands the page's kernel the request's
``Cookie`` header (``http_header_envs`` in ``voila.json``) once the request arrives, preheated or not.
A link with ``?code=`` never opens a workbook by itself: the server asks first whether it is the
person's own (`widgets.server.participant_link`), and only their choice changes the cookie. When it
does, the ``workbook_previous`` cookie keeps the workbook the browser had before, so the page can say
whose workbook is open and offer the way back.

Outside Voilà (JupyterLab, nbval) there is no request: the page belongs to a
clearly labelled demo participant whose answers are kept apart.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
GROUP = 4
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
DEMO_CODE = "DEMO"
PARTICIPANT_COOKIE = "workbook_participant"
"""The cookie that carries a browser's participant from page to page."""
PREVIOUS_COOKIE = "workbook_previous"
"""After a link's workbook was opened: the workbook the browser had before, and the one the link opened."""
LANGUAGE_COOKIE = "workbook_language"
"""The language of the last page the browser was given (no secret: it opens nothing)."""
_NO_WORKBOOK = "none"
_REMEMBERED = "remember"
_SESSION_ONLY = "session"


@dataclass(frozen=True)
class Participant:
    """Whose answers a page shows: a real participant's code, or the demo participant."""

    code: str
    demo: bool = False

    @property
    def code_hash(self) -> str:
        """What the store keeps instead of the code."""
        return hashlib.sha256(f"reconnection-workbook:{self.code}".encode()).hexdigest()

    @property
    def kind(self) -> str:
        """``"demo"`` or ``"participant"``, as the store records it."""
        return "demo" if self.demo else "participant"

    @property
    def shown_code(self) -> str:
        """The code as people read it: four groups of four."""
        if self.demo:
            return self.code
        return "-".join(self.code[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def code_ending(code: str) -> str:
    """The last group of a code, as a page names a workbook without showing all of it (``2HWN``)."""
    return code[-GROUP:]


def new_participant() -> Participant:
    """A participant with a fresh random code (80 bits)."""
    return Participant("".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH)))


def demo_participant() -> Participant:
    """The demo participant of JupyterLab and tests, kept apart from real ones."""
    return Participant(DEMO_CODE, demo=True)


def parse_code(typed: str) -> str | None:
    """Read a code as typed by hand; ``None`` unless it is a well-formed code.

    Case, spaces and dashes do not matter, and O, I and L are read as 0, 1 and 1.
    """
    if not isinstance(typed, str) or len(typed) > 64:
        return None
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_LOOK_ALIKES)
    if len(cleaned) != CODE_LENGTH or any(character not in ALPHABET for character in cleaned):
        return None
    return cleaned


def in_voila() -> bool:
    """Whether this kernel serves a Voilà page.

    Voilà names itself in a page kernel's environment; a preheated kernel learns that only once its
    request arrives, but Voilà marks every kernel it starts with ``VOILA_PREHEAT`` from the start.
    """
    return "VOILA_PREHEAT" in os.environ or os.environ.get("SERVER_SOFTWARE", "").lower().startswith("voila")


def cookie_value(code: str, remember: bool) -> str:
    """The participant cookie's value: the code, and whether this device keeps it past the session."""
    return f"{code}.{_REMEMBERED if remember else _SESSION_ONLY}"


@dataclass(frozen=True)
class CookieParticipant:
    """What a request's participant cookie says: whose workbook, and whether the device remembers it."""

    code: str
    remembered: bool


def read_participant_cookie(header: str | None) -> CookieParticipant | None:
    """The participant named by a ``Cookie`` header, or ``None`` (no cookie, or not one the server set)."""
    value = _cookie_morsel(header, PARTICIPANT_COOKIE)
    return None if value is None else _parse_kept(value)


def _cookie_morsel(header: str | None, name: str) -> str | None:
    if not header or len(header) > 8192:
        return None
    try:
        cookies = SimpleCookie(header)
    except CookieError:
        return None
    morsel = cookies.get(name)
    return None if morsel is None else morsel.value


def _parse_kept(value: str) -> CookieParticipant | None:
    typed, _, kind = value.partition(".")
    code = parse_code(typed)
    if code is None or code != typed or kind not in (_REMEMBERED, _SESSION_ONLY):
        return None
    return CookieParticipant(code, remembered=kind == _REMEMBERED)


def previous_value(before: CookieParticipant | None, opened: str) -> str:
    """The ``workbook_previous`` cookie's value: the browser's workbook ``before``, then the one opened."""
    kept = _NO_WORKBOOK if before is None else cookie_value(before.code, before.remembered)
    return f"{kept}~{opened}"


@dataclass(frozen=True)
class LinkOpened:
    """A workbook opened from a link: which one, and the workbook the browser had before (if any)."""

    opened: str
    before: CookieParticipant | None


def read_previous_cookie(header: str | None) -> LinkOpened | None:
    """What the ``workbook_previous`` cookie says, or ``None`` (none, or not one the server set)."""
    value = _cookie_morsel(header, PREVIOUS_COOKIE)
    if value is None:
        return None
    kept, _, opened = value.partition("~")
    code = parse_code(opened)
    if code is None or code != opened:
        return None
    if kept == _NO_WORKBOOK:
        return LinkOpened(code, None)
    before = _parse_kept(kept)
    return None if before is None or before.code == code else LinkOpened(code, before)


@dataclass(frozen=True)
class PageRequest:
    """What a page's kernel knows of the request that opened it."""

    query_string: str
    cookie: str


def page_request() -> PageRequest | None:
    """The page request's query string and cookies, or ``None`` outside Voilà.

    Under Voilà's preheated kernels the request arrives after the kernel
    started: ``voila.utils.wait_for_request`` waits for it there (and puts its
    query string and allowed headers in the environment), and returns at once
    otherwise. Outside Voilà nothing waits.
    """
    if not in_voila():
        return None
    from voila.utils import get_query_string  # only a Voilà kernel needs Voilà's helper

    query = get_query_string() or ""
    return PageRequest(query_string=query, cookie=os.environ.get("HTTP_COOKIE", ""))


def language_was_chosen(request: PageRequest | None) -> bool:
    """Whether the browser already reads the workbook in a language of its choosing.

    It does once it was given a page (the language cookie) or when the address says so (``?lang=``, the
    language switch); a browser's first page follows its own languages, and then a workbook's own.
    """
    if request is None:
        return True
    chose_here = "lang" in parse_qs(request.query_string)
    return chose_here or _cookie_morsel(request.cookie, LANGUAGE_COOKIE) is not None


def page_notebook() -> str | None:
    """The file name of the notebook this kernel's page was asked for (``01-hidden-weight.ipynb``).

    Voilà puts the request's path in the kernel's environment (``SCRIPT_NAME``); ``None`` outside Voilà.
    """
    name = os.environ.get("SCRIPT_NAME", "").rsplit("/", 1)[-1]
    return name if in_voila() and name.endswith(".ipynb") else None


def request_query_string() -> str | None:
    """The page request's query string, or ``None`` outside Voilà (see :func:`page_request`)."""
    request = page_request()
    return None if request is None else request.query_string


@dataclass(frozen=True)
class PageParticipant:
    """The participant a page shows, and how the browser came to it."""

    participant: Participant
    room_code: str = ""
    """A group room's join code the link carried (``?room=``), as given; '' for none."""
    fresh: bool = False
    """Whether the page made a new participant because the request named none."""
    remembered: bool = False
    """Whether this device keeps the participant past the browser session (their cookie says so)."""
    from_link: LinkOpened | None = None
    """Set when this workbook was opened from a link's code: the way back to the browser's own."""


def participant_for_request(request: PageRequest | None) -> PageParticipant:
    """Decide whose page this is from its request.

    No request: the demo participant. Else the participant cookie's, else a new participant (a code
    whose first answer is not saved yet is still theirs). A code in the address is never followed here:
    the server asks the person first, and sets the cookie only if they say it is theirs.
    """
    if request is None:
        return PageParticipant(demo_participant())
    query = parse_qs(request.query_string)
    room_code = query.get("room", [""])[0][:40]
    kept = read_participant_cookie(request.cookie)
    if kept is None:
        return PageParticipant(new_participant(), room_code=room_code, fresh=True)
    linked = read_previous_cookie(request.cookie)
    return PageParticipant(
        Participant(kept.code),
        room_code=room_code,
        remembered=kept.remembered,
        from_link=linked if linked is not None and linked.opened == kept.code else None,
    )
