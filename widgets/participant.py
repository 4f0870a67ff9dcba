"""Anonymous participant codes, and finding the participant of a page's request.

A code is 16 characters from Crockford's base 32 alphabet (no I, L, O or U),
shown in four groups of four: 80 random bits, so it cannot be guessed, yet it
can be written down and typed back. Look-alike characters typed by hand are
read as the digits they resemble. Only a SHA-256 hash of a code is stored.

Outside Voilà (JupyterLab, nbval) there is no request: the page belongs to a
clearly labelled demo participant whose answers are kept apart.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16
GROUP = 4
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
DEMO_CODE = "DEMO"


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


def request_query_string() -> str | None:
    """The page request's query string, or ``None`` outside Voilà.

    Under Voilà's preheated kernels the request arrives after the kernel
    started: ``voila.utils.get_query_string`` waits for it there, and returns
    at once otherwise. Outside Voilà nothing waits.
    """
    if not in_voila():
        return None
    from voila.utils import get_query_string  # only a Voilà kernel needs Voilà's helper

    return get_query_string() or ""


@dataclass(frozen=True)
class PageParticipant:
    """The participant a page shows, and why (for a calm note when a link's code was not usable)."""

    participant: Participant
    link_code_refused: bool = False
    room_code: str = ""
    """A group room's join code the link carried (``?room=``), as given; '' for none."""


def participant_for_request(query_string: str | None) -> PageParticipant:
    """Decide whose page this is from its request's query string.

    No request: the demo participant. A well-formed ``code`` in the link: that
    participant (a code whose first answer is not saved yet is still theirs).
    No code, or one that is not well formed: a new participant.
    """
    if query_string is None:
        return PageParticipant(demo_participant())
    query = parse_qs(query_string)
    room_code = query.get("room", [""])[0][:40]
    values = query.get("code", [])
    if not values:
        return PageParticipant(new_participant(), room_code=room_code)
    code = parse_code(values[0])
    if code is None:
        return PageParticipant(new_participant(), link_code_refused=True, room_code=room_code)
    return PageParticipant(Participant(code), room_code=room_code)
