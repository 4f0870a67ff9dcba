"""What every response and every log line of the server keeps private.

Every response says ``Referrer-Policy: no-referrer``, so a page's address (a facilitator's secret, a
leftover participant code) never leaves in a ``Referer`` header; Voilà's own setting for headers reaches
its page handlers only, not its static files, its websockets or its 404s, so it is a Tornado output
transform here, which sees every response. Request lines are logged without their query strings, and a
filter on every log handler takes out anything that looks like a secret or a code, at every level.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from tornado.httputil import HTTPHeaders
from tornado.log import access_log
from tornado.web import OutputTransform, RequestHandler

from widgets.room.access import MIN_TOKEN_LENGTH, facilitator_token

__all__ = ["PrivateHeaders", "Redactor", "install_redactor", "log_request"]

PRIVATE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    # A page of the workbook is never shown inside another site's frame.
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
}


class PrivateHeaders(OutputTransform):
    """Adds :data:`PRIVATE_HEADERS` to every response, whatever handler made it."""

    def transform_first_chunk(
        self, status_code: int, headers: HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, HTTPHeaders, bytes]:
        """The response's first chunk, with the private headers set."""
        for name, value in PRIVATE_HEADERS.items():
            headers[name] = value
        return super().transform_first_chunk(status_code, headers, chunk, finishing)


def log_request(handler: RequestHandler) -> None:
    """Log a finished request as Tornado does, but with its path only: a query string can hold secrets."""
    status = handler.get_status()
    method = access_log.info if status < 400 else access_log.warning if status < 500 else access_log.error
    request = handler.request
    method("%d %s %s %.2fms", status, request.method, request.path, 1000.0 * request.request_time())


# What must never be written down: the values of the workbook's query parameters and cookie (a room's
# facilitator key, the facilitator token that opens rooms, a participant's code), and anything shaped
# like a participant code.
_SECRET_VALUES = re.compile(
    r"(?i)\b(key|code|secret|token|workbook_participant|[a-z_]*_token)=([^&\s;'\",)]+)"
)
# The same, as a dict or JSON shows them (a widget's state holds the facilitator's key, for one), also
# as the list a parsed query string holds: {'token': ['...']}.
_SECRET_ITEMS = re.compile(
    r"""(?i)(['"](?:key|code|secret|session_code|token)['"]\s*:\s*\[?\s*)(['"])[^'"]*\2"""
)
_GROUP = "[0-9A-HJKMNP-TV-Z]{4}"  # four characters of a participant code's alphabet
_CODE_SHAPED = re.compile(rf"\b{_GROUP}-?{_GROUP}-?{_GROUP}-?{_GROUP}\b")


# nbclient's debug line for the content of every message a kernel sends while a page is made.
_MESSAGE_CONTENT = "content: %s"


def redact(text: str) -> str:
    """``text`` with every secret value and code-shaped word replaced by ``[hidden]``.

    The facilitator token is hidden wherever it appears, named or not (a page's query string in a
    traceback, an environment listed at DEBUG).
    """
    token = facilitator_token()
    if len(token) >= MIN_TOKEN_LENGTH and token in text:
        text = text.replace(token, "[hidden]")
    text = _SECRET_ITEMS.sub(r"\1\2[hidden]\2", _SECRET_VALUES.sub(r"\1=[hidden]", text))
    return _CODE_SHAPED.sub("[hidden]", text)


class Redactor(logging.Filter):
    """Rewrites each record's message (and any exception text) with :func:`redact` before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact ``record`` in place; drop only nbclient's copy of every kernel message's content."""
        if record.msg == _MESSAGE_CONTENT:
            return False  # at DEBUG, nbclient writes what each widget holds: participants' answers
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_redactor(*loggers: logging.Logger) -> None:
    """Put one :class:`Redactor` on every handler of ``loggers`` and of the root logger.

    Python's last-resort handler, which writes warnings when a logger has no handler, gets it too.
    """
    redactor = Redactor()
    handlers: list[Any] = [logging.lastResort] if logging.lastResort is not None else []
    for logger in (logging.getLogger(), *loggers):
        handlers.extend(logger.handlers)
    for handler in handlers:
        if not any(isinstance(existing, Redactor) for existing in handler.filters):
            handler.addFilter(redactor)
