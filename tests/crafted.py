"""A crafted websocket client: the Jupyter kernel protocol spoken as a tampered page would.

Shared by ``test_crafted_client.py`` (section 1, message by message) and ``test_hostile_clients.py``
(every page, every widget). A page is loaded over plain HTTP so Voilà starts its kernel
(:func:`conftest.open_page`); then :func:`connect` opens the kernel's websocket and :class:`Socket`
sends comm messages on it and collects what the kernel answers.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from tornado.websocket import WebSocketClientConnection, websocket_connect

from harness.page_client import CONTROL_TARGET, CONTROL_VERSION, kernel_message

WIDGET_TARGET = "jupyter.widget"  # where a client would ask the kernel to build a widget from its state
REPLY_TIMEOUT = 30.0  # seconds to wait for any one message

T = TypeVar("T")


@dataclass(frozen=True)
class Frame:
    """A message already serialised: a frame a JSON encoder would not write (deep, huge or ``NaN``)."""

    text: str
    header: dict


@dataclass
class Socket:
    """A kernel websocket and the session id its messages carry."""

    ws: WebSocketClientConnection
    session: str


def message(sock: Socket, msg_type: str, content: dict) -> dict:
    """A shell message from this client."""
    return kernel_message(sock.session, msg_type, content, username="crafted-client")


async def read(sock: Socket) -> dict:
    """The next message from the kernel (fails if the server closed the websocket)."""
    frame = await asyncio.wait_for(sock.ws.read_message(), REPLY_TIMEOUT)
    assert frame is not None, f"the server closed the kernel websocket ({sock.ws.close_code})"
    if isinstance(frame, bytes):
        return _binary_frame(frame)
    return json.loads(frame)


def _binary_frame(frame: bytes) -> dict:
    """A message with buffers (such as a download), in Jupyter's legacy binary framing."""
    count = int.from_bytes(frame[:4], "big")
    bounds = [int.from_bytes(frame[4 * (i + 1) : 4 * (i + 2)], "big") for i in range(count)] + [len(frame)]
    parts = [frame[bounds[i] : bounds[i + 1]] for i in range(count)]
    parsed = json.loads(parts[0])
    parsed["buffers"] = parts[1:]
    parsed["frame_bytes"] = len(frame)
    return parsed


async def exchange(sock: Socket, outgoing: list[dict | Frame]) -> dict[str, list[dict]]:
    """Send messages and collect, per message, everything the kernel sent in reply.

    A message is answered once the kernel has gone idle after it (and, for a
    request, once its shell reply has come). Messages answering nothing that
    was sent here (such as the nudges of the connection) are dropped.
    """
    headers = [m.header if isinstance(m, Frame) else m["header"] for m in outgoing]
    replies: dict[str, list[dict]] = {h["msg_id"]: [] for h in headers}
    pending = set(replies)
    needs_reply = {h["msg_id"] for h in headers if h["msg_type"].endswith("_request")}
    idle: set[str] = set()
    for item in outgoing:
        await sock.ws.write_message(item.text if isinstance(item, Frame) else json.dumps(item))
    while pending:
        incoming = await read(sock)
        parent = incoming.get("parent_header", {}).get("msg_id")
        if parent not in replies:
            continue
        replies[parent].append(incoming)
        msg_type = incoming["header"]["msg_type"]
        if msg_type == "status" and incoming["content"].get("execution_state") == "idle":
            idle.add(parent)
        if msg_type.endswith("_reply"):
            needs_reply.discard(parent)
        if parent in idle and parent not in needs_reply:
            pending.discard(parent)
    return replies


def comm_data(replies: list[dict]) -> list[dict]:
    """The widget messages among replies, in order, each with its comm id."""
    return [
        {**m["content"]["data"], "comm_id": m["content"]["comm_id"]}
        for m in replies
        if m["header"]["msg_type"] == "comm_msg"
    ]


async def states(sock: Socket, comm_ids: Iterable[str]) -> dict[str, dict]:
    """Ask each widget for its full state, as a page does when it opens."""
    outgoing = {
        comm_id: message(sock, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}})
        for comm_id in comm_ids
    }
    replies = await exchange(sock, list(outgoing.values()))
    found = {}
    for comm_id, sent in outgoing.items():
        updates = [d for d in comm_data(replies[sent["header"]["msg_id"]]) if d["method"] == "update"]
        assert len(updates) == 1, f"expected one state for {comm_id}, got {updates}"
        found[comm_id] = updates[0]["state"]
    return found


async def state(sock: Socket, comm_id: str) -> dict:
    """One widget's full state."""
    return (await states(sock, [comm_id]))[comm_id]


def raw_update(sock: Socket, comm_id: str, state_json: str) -> Frame:
    """An update whose state is given as JSON text, written as is."""
    header = message(sock, "comm_msg", {})["header"]
    data = f'{{"method": "update", "state": {state_json}, "buffer_paths": []}}'
    text = (
        f'{{"header": {json.dumps(header)}, "parent_header": {{}}, "metadata": {{}}, "channel": "shell", '
        f'"content": {{"comm_id": {json.dumps(comm_id)}, "data": {data}}}}}'
    )
    return Frame(text=text, header=header)


def update(sock: Socket, comm_id: str, new_state: dict, buffer_paths: object = ()) -> dict:
    """A state change as a browser sends it."""
    paths = list(buffer_paths) if isinstance(buffer_paths, tuple) else buffer_paths
    data = {"method": "update", "state": new_state, "buffer_paths": paths}
    return message(sock, "comm_msg", {"comm_id": comm_id, "data": data})


async def send_update(sock: Socket, comm_id: str, new_state: dict) -> list[dict]:
    """Send a state change as a browser does; return the widget messages it caused."""
    sent = update(sock, comm_id, new_state)
    replies = await exchange(sock, [sent])
    return comm_data(replies[sent["header"]["msg_id"]])


async def control_states(sock: Socket) -> dict[str, dict]:
    """Every widget's state in one message, as Voilà's widget manager asks for it on the control comm."""
    comm_id = uuid.uuid4().hex
    opening = message(sock, "comm_open", {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}})
    opening["metadata"] = {"version": CONTROL_VERSION}
    request = message(sock, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
    replies = await exchange(sock, [opening, request])
    assert not [m for m in replies[opening["header"]["msg_id"]] if m["header"]["msg_type"] == "comm_close"]
    (answer,) = [d for d in comm_data(replies[request["header"]["msg_id"]]) if d["comm_id"] == comm_id]
    assert answer["method"] == "update_states"
    await exchange(sock, [message(sock, "comm_close", {"comm_id": comm_id, "data": {}})])
    return {model_id: entry["state"] for model_id, entry in answer["states"].items()}


async def widget_comms(sock: Socket) -> set[str]:
    """The comm ids of every widget the kernel holds (``comm_info_request``)."""
    request = message(sock, "comm_info_request", {"target_name": WIDGET_TARGET})
    replies = await exchange(sock, [request])
    answers = replies[request["header"]["msg_id"]]
    (info,) = [m for m in answers if m["header"]["msg_type"] == "comm_info_reply"]
    return set(info["content"]["comms"])


async def kernel_info(sock: Socket) -> dict:
    """The kernel's ``kernel_info_reply`` content: proof that it still answers."""
    request = message(sock, "kernel_info_request", {})
    replies = await exchange(sock, [request])
    answers = replies[request["header"]["msg_id"]]
    (reply,) = [m for m in answers if m["header"]["msg_type"] == "kernel_info_reply"]
    return reply["content"]


def channel_url(port: int, kernel_id: str, session: str) -> str:
    """The kernel websocket's address, as a page opens it."""
    return f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id={session}"


async def connect(port: int, kernel_id: str) -> Socket:
    """Open a page kernel's websocket as its page would."""
    session = uuid.uuid4().hex
    ws = await asyncio.wait_for(websocket_connect(channel_url(port, kernel_id, session)), REPLY_TIMEOUT)
    return Socket(ws=ws, session=session)


async def close(sock: Socket) -> None:
    """Close the websocket and let the closing handshake finish, so nothing is left pending."""
    sock.ws.close()
    while await asyncio.wait_for(sock.ws.read_message(), REPLY_TIMEOUT) is not None:
        pass


async def with_socket(port: int, kernel_id: str, talk: Callable[[Socket], Awaitable[T]]) -> T:
    """Connect, play ``talk`` and close."""
    sock = await connect(port, kernel_id)
    try:
        return await talk(sock)
    finally:
        await close(sock)


def run_async(main: Callable[[], Awaitable[Any]], timeout: float) -> Any:
    """Run a coroutine to its end in a thread of its own, within ``timeout`` seconds.

    A thread of its own: Playwright's sync API may already run an event loop in this one.
    """
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(asyncio.wait_for(main(), timeout))).result()
