"""Who may open a room: whoever holds the facilitator token ``./workbook serve`` prints. Pure Python.

The server makes a new random token at each start (or takes ``RECONNECTION_FACILITATOR_TOKEN``, for
workers on several machines that must agree on one) and prints the facilitator link that carries it,
the way Jupyter prints its own. The facilitator page opens a new room only for a request whose
``?token=`` matches; a room already open is reached with its own private link (``?room=...&key=...``),
whatever the token is now, so a restart does not lock a facilitator out of their room.

Every page kernel inherits the setting from the server's environment; no page shows it, and the
server's logs hide it (`widgets.server.privacy`).
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Mapping, MutableMapping
from urllib.parse import urlencode

__all__ = [
    "MIN_TOKEN_LENGTH",
    "TOKEN_SETTING",
    "TokenError",
    "ensure_facilitator_token",
    "facilitator_link",
    "facilitator_token",
    "token_matches",
]

TOKEN_SETTING = "RECONNECTION_FACILITATOR_TOKEN"  # noqa: S105 - the setting's name, not a token
TOKEN_BYTES = 24  # 192 random bits, as a room's own secret
MIN_TOKEN_LENGTH = 16  # a token chosen by hand must still be hard to guess
_MAX_GIVEN = 200


class TokenError(ValueError):
    """The configured token is too short to keep a stranger out; the message says what to do."""


def facilitator_token(environ: Mapping[str, str] | None = None) -> str:
    """The server's facilitator token, or ``''`` when none is set (then no request may open a room)."""
    environ = os.environ if environ is None else environ
    return environ.get(TOKEN_SETTING, "").strip()


def ensure_facilitator_token(environ: MutableMapping[str, str] | None = None) -> str:
    """The token the server will use: the configured one if it is long enough, else a new random one.

    Raises
    ------
    TokenError
        ``RECONNECTION_FACILITATOR_TOKEN`` is set but shorter than :data:`MIN_TOKEN_LENGTH`.
    """
    environ = os.environ if environ is None else environ
    token = facilitator_token(environ)
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise TokenError(
            f"{TOKEN_SETTING} is set but shorter than {MIN_TOKEN_LENGTH} characters, so anyone could guess"
            " it. Choose a longer one (or unset it, and the workbook makes a new one at each start)."
        )
    if not token:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        environ[TOKEN_SETTING] = token
    return token


def token_matches(given: object, environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``given`` is the server's facilitator token (compared in constant time).

    ``given`` may be the list ``parse_qs`` makes of a query argument: it matches only when it holds
    exactly one value (a link with two tokens is not one the server printed).
    """
    if isinstance(given, list | tuple):
        given = given[0] if len(given) == 1 else None
    token = facilitator_token(environ)
    if not token or not isinstance(given, str) or not given or len(given) > _MAX_GIVEN:
        return False
    return hmac.compare_digest(token.encode(), given.encode())


def facilitator_link(base: str, notebook: str, token: str) -> str:
    """The facilitator page's address with the token, under ``base`` (``http://127.0.0.1:8866/``)."""
    root = base if base.endswith("/") else base + "/"
    return f"{root}voila/render/{notebook}?{urlencode({'token': token})}"
