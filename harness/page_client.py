"""The protocol-level page client: one page over HTTP and its kernel websocket, as a browser's page does.

No browser: the page's HTML, then every widget's state over the kernel websocket as Voilà's widget
manager asks for it, answers given as a person's choice on the page sends them, and the page left as
a browser leaves it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from tornado.httpclient import AsyncHTTPClient, HTTPRequest, HTTPResponse
from tornado.websocket import websocket_connect

from harness.server import Server

_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)
MESSAGE_TIMEOUT = 120.0
# The browser's widget manager (Voilà's widgets-manager8) asks the control comm for every widget's state,
# and asks each widget on its own when the kernel closes that comm or gives no answer within 4 s.
CONTROL_TARGET = "jupyter.widget.control"
CONTROL_VERSION = "1.0.0"
CONTROL_TIMEOUT = 4.0
# The workbook's busy page asks the browser to come back after a few seconds (<meta refresh>).
_BUSY_REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+)">')
BUSY_RETRIES = 10


def kernel_message(session: str, msg_type: str, content: dict, username: str = "bench") -> dict:
    """A Jupyter shell message, as a page's widget manager sends it on the kernel websocket."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": username,
            "session": session,
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


class PageClient:
    """One open page: its HTML, its kernel websocket, and its widgets' states."""

    def __init__(self, server: Server, cookies: dict[str, str] | None = None) -> None:
        self.server = server
        # The participant's cookies, kept from page to page as a browser keeps them (behind the
        # proxy, its cookie sends every request of a page to the worker that has the page's kernel).
        self.cookies = {} if cookies is None else cookies
        self.served_by = ""
        self.waited_busy = 0
        self.session = uuid.uuid4().hex
        self.kernel_id = ""
        self.notebook = ""
        self.states: dict[str, dict] = {}
        self.ws = None
        self.frames_sent = 0
        self.fell_back = False
        self._reading: asyncio.Future | None = None
        self._linking: asyncio.Future | None = None

    async def open(
        self, notebook: str, query: str = "", page_files: Callable[[], Awaitable[None]] | None = None
    ) -> None:
        """Load the page and its widgets as a browser's page does: HTML, websocket, every widget's state.

        As Voilà's widget manager does: one ``request_states`` on the control comm; only when the kernel
        has no control target, or gives no answer within 4 s, each widget's state in a message of its own.
        ``page_files``: the page's scripts and styles, fetched as a browser does: from the moment the
        page's head has come (the page streams), and all in before the websocket opens.
        """
        self.notebook = notebook
        response, body, loading = await self._fetch_page(notebook, query, page_files)
        response.rethrow()
        self._keep_cookies(response)
        self.served_by = response.headers.get("X-Workbook-Worker", "")
        match = _CONFIG.search(body)
        if not match:
            raise RuntimeError(f"{notebook}: no jupyter-config-data")
        self.kernel_id = json.loads(match.group(1))["kernelId"]
        if page_files is not None:
            await (loading if loading is not None else page_files())
        await self._connect()
        if not await self._states_from_control_comm():
            self.fell_back = True
            await self._states_one_by_one()
        # The page's script asks for the cookie while the page is already in use, as a browser's does:
        # it is not part of the page's time. `linked()` waits for it before the next page.
        self._linking = asyncio.ensure_future(self._keep_participant())

    async def _fetch_page(
        self, notebook: str, query: str, page_files: Callable[[], Awaitable[None]] | None
    ) -> tuple[HTTPResponse, str, asyncio.Future | None]:
        """The page's response and text, waiting out the busy page; its files' fetch, if started."""
        loading: asyncio.Future | None = None
        for _attempt in range(BUSY_RETRIES):
            chunks: list[bytes] = []

            def streamed(chunk: bytes, chunks: list[bytes] = chunks) -> None:
                nonlocal loading
                chunks.append(chunk)
                if page_files is not None and loading is None:
                    so_far = b"".join(chunks)
                    if b"jupyter-config-data" in so_far and b"</head>" in so_far:
                        loading = asyncio.ensure_future(page_files())

            response = await AsyncHTTPClient().fetch(
                self.server.page(notebook, query),
                request_timeout=MESSAGE_TIMEOUT,
                headers=self._cookie_header(),
                raise_error=False,
                streaming_callback=streamed,
            )
            body = b"".join(chunks).decode(errors="replace")
            busy = _BUSY_REFRESH.search(body) if response.code == 503 else None
            if busy is None:
                break
            # The workbook's busy page (every kernel in use) reloads itself after a few seconds, and
            # so does the participant's browser: the wait counts in the time until the page is ready.
            self.waited_busy += 1
            await asyncio.sleep(int(busy.group(1)))
        return response, body, loading

    async def _connect(self) -> None:
        """Open the kernel's websocket, as the page's widget manager does."""
        ws_url = (
            self.server.url.replace("http", "ws")
            + f"/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        )
        # compression_options: permessage-deflate offered, as every browser offers it.
        self.ws = await websocket_connect(
            HTTPRequest(ws_url, connect_timeout=MESSAGE_TIMEOUT, headers=self._cookie_header()),
            compression_options={},
        )
        self.ws.stream.set_nodelay(True)  # as Chromium's sockets are: no small message held back

    def _keep_cookies(self, response: HTTPResponse) -> None:
        """Keep the cookies a response sets, as a browser keeps them."""
        for cookie in response.headers.get_list("Set-Cookie"):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()

    async def linked(self) -> None:
        """Wait until the server has set the participant cookie this page asked for (if any)."""
        if self._linking is not None:
            await self._linking

    async def _keep_participant(self) -> None:
        """As the page's bar script does: ask the server to keep the page's participant in a cookie."""
        bar = self.find(session_code=True)
        if bar is None or not self.states[bar]["session_code"]:
            return  # stock Voilà, or a page without a participant
        state = self.states[bar]
        body = {
            "code": state["session_code"],
            "remember": bool(state.get("remember")),
            "fresh": bool(state.get("fresh")),
        }
        response = await AsyncHTTPClient().fetch(
            f"{self.server.url}/workbook/participant",
            method="POST",
            body=json.dumps(body),
            headers={**self._cookie_header(), "Content-Type": "application/json", "X-Workbook-Page": "1"},
            request_timeout=MESSAGE_TIMEOUT,
            raise_error=False,  # stock Voilà has no such route: the page's script shrugs, so does the client
        )
        self._keep_cookies(response)

    def _cookie_header(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        cookies = {**self.cookies, **(extra or {})}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())} if cookies else {}

    async def _send(self, message: dict) -> None:
        self.frames_sent += 1
        await self.ws.write_message(json.dumps(message))

    async def _states_from_control_comm(self) -> bool:
        comm_id = uuid.uuid4().hex
        opening = kernel_message(
            self.session, "comm_open", {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}}
        )
        opening["metadata"] = {"version": CONTROL_VERSION}
        await self._send(opening)
        await self._send(
            kernel_message(
                self.session, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}
            )
        )
        deadline = time.monotonic() + CONTROL_TIMEOUT
        while (left := deadline - time.monotonic()) > 0:
            message = await self._next(left)
            if message is None:
                break
            content = message.get("content", {})
            if content.get("comm_id") != comm_id:
                continue
            if message["header"]["msg_type"] == "comm_close":
                return False
            data = content.get("data", {})
            if message["header"]["msg_type"] == "comm_msg" and data.get("method") == "update_states":
                self.states = {model_id: entry["state"] for model_id, entry in data["states"].items()}
                await self._send(kernel_message(self.session, "comm_close", {"comm_id": comm_id, "data": {}}))
                return True
        return False

    async def _states_one_by_one(self) -> None:
        info = kernel_message(self.session, "comm_info_request", {"target_name": "jupyter.widget"})
        await self._send(info)
        comms = (await self._reply(info["header"]["msg_id"], "comm_info_reply"))["content"]["comms"]
        requests = {}
        for comm_id in comms:
            request = kernel_message(
                self.session, "comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}}
            )
            requests[request["header"]["msg_id"]] = comm_id
            await self._send(request)
        while len(self.states) < len(requests):
            message = await self._next()
            parent = message.get("parent_header", {}).get("msg_id")
            if parent in requests and message["header"]["msg_type"] == "comm_msg":
                data = message["content"]["data"]
                if data.get("method") == "update":
                    self.states[requests[parent]] = data["state"]

    async def _next(self, timeout: float = MESSAGE_TIMEOUT) -> dict | None:
        """The next message from the kernel; ``None`` if none came within ``timeout`` (never lost)."""
        if self._reading is None:
            self._reading = asyncio.ensure_future(self.ws.read_message())
        done, _pending = await asyncio.wait({self._reading}, timeout=timeout)
        if not done:
            if timeout >= MESSAGE_TIMEOUT:
                raise TimeoutError(f"no message from the kernel in {timeout:.0f} s")
            return None
        frame, self._reading = self._reading.result(), None
        if frame is None:
            raise RuntimeError("the kernel websocket closed")
        return json.loads(frame)

    async def _reply(self, msg_id: str, msg_type: str) -> dict:
        while True:
            message = await self._next()
            if (
                message.get("parent_header", {}).get("msg_id") == msg_id
                and message["header"]["msg_type"] == msg_type
            ):
                return message

    def find(self, **wanted: object) -> str | None:
        """The comm id of the first widget whose state has every ``wanted`` key (``True``: any value)."""
        for comm_id, state in self.states.items():
            if all(key in state and (value is True or state[key] == value) for key, value in wanted.items()):
                return comm_id
        return None

    async def answer_first_question(self) -> float | None:
        """Choose an answer to the page's first question; seconds until the page's bar counts a save."""
        bar = self.find(saves=True, session_code=True)
        # The activity's first question: a numbered one, else the first with choices that is not
        # the room's sharing box (outside a room, that box refuses any change).
        questions = [
            c
            for c, s in self.states.items()
            if s.get("options") and s.get("question") and c != self._share_box()
        ]
        numbered = [c for c in questions if str(self.states[c]["question"])[:1].isdigit()]
        question = (numbered or questions or [None])[0]
        if bar is None or question is None:
            return None
        state = self.states[question]
        option = state["options"][0][0]
        value = [option] if isinstance(state.get("value"), list) else option
        return await self.answer(question, value)

    async def answer(self, question: str, value: object, timeout: float = MESSAGE_TIMEOUT) -> float | None:
        """Give the widget ``question`` the value ``value``, as a person's choice on the page does.

        Returns the seconds until the page's bar counted one more save (what the page shows as
        "Saved"), or ``None`` when the bar said the answer is not saved yet.
        """
        bar = self.find(saves=True, session_code=True)
        counted = self.states[bar].get("saves", 0)
        started = time.monotonic()
        update = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        await self._send(kernel_message(self.session, "comm_msg", {"comm_id": question, "data": update}))
        self.states[question]["value"] = value
        while (left := started + timeout - time.monotonic()) > 0:
            message = await self._next(min(left, MESSAGE_TIMEOUT))
            if message is None:
                break
            if message["header"]["msg_type"] != "comm_msg" or message["content"].get("comm_id") != bar:
                continue
            changed = message["content"]["data"].get("state", {})
            self.states[bar].update(changed)
            if changed.get("saves", 0) > counted:
                return time.monotonic() - started
            if changed.get("problem"):
                return None
        raise TimeoutError(f"the page did not say whether the answer was saved within {timeout:.0f} s")

    async def idle(self, seconds: float) -> None:
        """Stay on the page for ``seconds``, reading what the kernel sends; raise if its websocket closes."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            await self._next(min(left, MESSAGE_TIMEOUT / 2))

    def _share_box(self) -> str | None:
        from widgets.room.content import load_room_content

        return self.find(question=load_room_content().share.question)

    def code(self) -> str:
        """The participant's code, as the page's bar holds it for the browser's cookie."""
        bar = self.find(session_code=True)
        return self.states[bar]["session_code"] if bar else ""

    async def close(self) -> None:
        """Leave the page as a browser does: close the websocket and ask Voilà to stop the kernel."""
        with contextlib.suppress(Exception):
            await self.linked()  # a failed cookie is the next page's problem, as in a browser
        if self.ws is not None:
            self.ws.close()
        if self.kernel_id:
            token = uuid.uuid4().hex
            await AsyncHTTPClient().fetch(
                f"{self.server.url}/voila/api/shutdown/{self.kernel_id}",
                method="POST",
                body=b"",
                headers={**self._cookie_header({"_xsrf": token}), "X-XSRFToken": token},
                raise_error=False,
            )
