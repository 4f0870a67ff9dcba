"""The kernel websocket: each message sent as soon as it is written, and unreadable ones dropped.

Chosen in ``voila.json`` (``Voila.kernel_websocket_connection_class``). Jupyter's connection leaves
Nagle's algorithm on, so when a kernel answers one change with several small messages (the echo, the
feedback, the "Saved" count) the later ones wait for the browser's delayed acknowledgement of the first:
about 40 ms on Linux, on every answer a participant gives.

A message the server cannot read (not JSON, or JSON nested deeper than Python's parser goes: a few
kilobytes of ``[`` do it) made Jupyter's handler raise, which logged a traceback and aborted the
connection; it is dropped with one line in the log instead, and the connection stays open. Messages
larger than ``websocket_max_message_size`` (``Voila.tornado_settings`` in ``voila.json``) are refused
by Tornado before they are read: it closes the connection with code 1009.

A binary message (one with buffers, such as a download's file) to a client of Jupyter's older
protocol (a websocket that asked for no subprotocol) went through Voilà's handler, which reads every
binary message's header as the v1 framing: on the older framing it counted to about 10^18 with the
interpreter lock held, and the whole server stopped answering every page. Such messages go out by
Tornado's own write instead (they are never the ``execute_input`` Voilà's handler filters out).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado.websocket import WebSocketHandler

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"


def page_writer(handler: WebSocketHandler, subprotocol: str | None) -> Callable[..., Any]:
    """How to write to a page's websocket: the handler's own write, but Tornado's for older-framed bytes."""
    if subprotocol == V1_PROTOCOL:
        return handler.write_message

    def write(message: bytes | str | dict[str, Any], binary: bool = False) -> Any:
        if isinstance(message, bytes):
            return WebSocketHandler.write_message(handler, message, binary=True)
        return handler.write_message(message, binary=binary)

    return write


class PromptWebsocketConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's ZMQ websocket connection, with small messages not held back."""

    _writer: Callable[..., Any] | None = None

    @property
    def write_message(self) -> Callable[..., Any]:
        """Write to the page's websocket (see :func:`page_writer`), made once per connection."""
        if self._writer is None:
            self._writer = page_writer(self.websocket_handler, self.subprotocol)
        return self._writer

    # The parent's own signature. jupyter_server's types disagree with themselves here: its base class
    # declares connect as a coroutine, and the ZMQ connection we extend returns a Future instead.
    def connect(self) -> asyncio.Future[None] | None:  # type: ignore[override]
        """Connect as Jupyter does, after turning Nagle's algorithm off for this websocket."""
        self.websocket_handler.set_nodelay(True)
        return super().connect()

    def handle_incoming_message(self, incoming_msg: str) -> None:
        """Pass a message on to the kernel as Jupyter does; drop one that cannot be read."""
        try:
            super().handle_incoming_message(incoming_msg)
        except (ValueError, RecursionError, KeyError, TypeError, AttributeError) as error:
            # ValueError covers json.JSONDecodeError and UnicodeDecodeError.
            self.log.warning("Dropped an unreadable kernel message (%s)", type(error).__name__)
