"""The kernel websocket sends each message at once: the real server's socket has TCP_NODELAY set.

The test opens a page and its kernel websocket as a browser does, then reads the option from the
server's own end of that connection (a copy of the server's socket, taken with ``pidfd_getfd``).
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
from conftest import running_voila

from harness.page_client import PageClient
from harness.server import Server
from widgets import load_content

SECTION_1 = load_content().sections.by_number(1).notebook
_PIDFD_GETFD = 438  # the Linux system call number (x86-64 and arm64 alike)


def _server_socket_option(pid: int, client_port: int) -> int:
    """TCP_NODELAY on the server's end of the connection that comes from ``client_port``."""
    (connection,) = [
        c for c in psutil.Process(pid).net_connections(kind="tcp") if c.raddr and c.raddr.port == client_port
    ]
    pidfd = os.pidfd_open(pid)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        copied = libc.syscall(_PIDFD_GETFD, pidfd, connection.fd, 0)
        assert copied >= 0, os.strerror(ctypes.get_errno())
    finally:
        os.close(pidfd)
    with socket.socket(fileno=copied) as copy:
        return copy.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def _open_and_read_option(url: str, pid: int) -> tuple[int, int]:
    async def main() -> tuple[int, int]:
        client = PageClient(Server("workbook", url, None, Path()))  # type: ignore[arg-type]
        await client.open(SECTION_1)
        try:
            client_port = client.ws.stream.socket.getsockname()[1]
            return _server_socket_option(pid, client_port), len(client.states)
        finally:
            await client.close()

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, main()).result()


def test_the_kernel_websocket_does_not_hold_small_messages_back(tmp_path: Path) -> None:
    with running_voila(tmp_path / "voila.log", data_dir=tmp_path / "data") as (server, process):
        nodelay, widgets = _open_and_read_option(server.url, process.pid)
    assert widgets > 10
    assert nodelay != 0


def test_an_older_framed_binary_message_bypasses_voilas_v1_header_read(monkeypatch) -> None:
    """A download's file to a client of the older protocol: Voilà's header read would spin for ever."""
    from jupyter_server.services.kernels.connection.base import serialize_binary_message
    from tornado.websocket import WebSocketHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

    from widgets.server.websocket import V1_PROTOCOL, page_writer

    frame = serialize_binary_message({"header": {"msg_type": "comm_msg"}, "buffers": [b"%PDF-1.7"]})
    # What Voilà's write_message would count to before reading the header (it holds the GIL meanwhile).
    assert int.from_bytes(frame[:8], "little") > 10**15

    written: list[tuple[object, bool]] = []
    monkeypatch.setattr(
        WebSocketHandler, "write_message", lambda _h, m, binary=False: written.append((m, binary))
    )
    handler = object.__new__(VoilaKernelWebsocketHandler)
    page_writer(handler, None)(frame, binary=True)
    assert written == [(frame, True)]

    # Text on the older protocol, and everything on v1, still go through Voilà's handler.
    seen: list[object] = []
    monkeypatch.setattr(
        VoilaKernelWebsocketHandler, "write_message", lambda _h, m, binary=False: seen.append(m)
    )
    page_writer(handler, None)('{"header": {}}')
    page_writer(handler, V1_PROTOCOL)(b"v1 bytes", binary=True)
    assert seen == ['{"header": {}}', b"v1 bytes"]
    assert written == [(frame, True)]
