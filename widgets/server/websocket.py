"""The kernel websocket, with each message sent as soon as it is written (``TCP_NODELAY``).

Chosen in ``voila.json`` (``Voila.kernel_websocket_connection_class``). Jupyter's connection leaves
Nagle's algorithm on, so when a kernel answers one change with several small messages (the echo, the
feedback, the "Saved" count) the later ones wait for the browser's delayed acknowledgement of the first:
about 40 ms on Linux, on every answer a participant gives.
"""

from __future__ import annotations

import asyncio

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection


class PromptWebsocketConnection(ZMQChannelsWebsocketConnection):
    """Jupyter's ZMQ websocket connection, with small messages not held back."""

    def connect(self) -> asyncio.Future[None] | None:
        """Connect as Jupyter does, after turning Nagle's algorithm off for this websocket."""
        self.websocket_handler.set_nodelay(True)
        return super().connect()
