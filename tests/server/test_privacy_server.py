"""The server's side of privacy: headers on every response, the participant link, and logs without secrets.

Against the real server (``python -m widgets.server``, as ``./workbook serve`` runs it), over
plain HTTP and a real websocket, as a browser or a crafted client would speak to it.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import facilitator_address, open_page, running_voila, shut_down
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from widgets import load_content
from widgets.participant import PARTICIPANT_COOKIE, cookie_value, new_participant
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.access import facilitator_token
from widgets.room.model import Rooms
from widgets.store import Store

SECTIONS = load_content().sections
SECTION_1 = SECTIONS.by_number(1).notebook
LINK = "/workbook/participant"


def _fetch(url: str, body: bytes | None = None, headers: dict[str, str] | None = None):
    """Status, headers and body of one request; an error status is an answer too."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body else "GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - the test's own server
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _websocket_headers(url: str, kernel_id: str) -> dict[str, str]:
    async def upgrade() -> dict[str, str]:
        socket = await websocket_connect(
            HTTPRequest(url.replace("http", "ws") + f"/api/kernels/{kernel_id}/channels?session_id=privacy")
        )
        try:
            return dict(socket.headers.get_all())
        finally:
            socket.close()

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, upgrade()).result()


@pytest.fixture(scope="module")
def debug_server(tmp_path_factory):
    """A server logging at DEBUG, with a store of its own and a room open in it."""
    folder = tmp_path_factory.mktemp("privacy")
    store = Store(folder / "data" / "workbook.sqlite")
    keys = Rooms(store, REGISTRY).open_room()
    log = folder / "voila.log"
    with running_voila(log, "--Voila.log_level=DEBUG", data_dir=folder / "data") as (server, _process):
        yield server, keys, log
    store.close()


def test_every_kind_of_response_says_no_referrer(debug_server):
    server, _keys, _log = debug_server
    kernel = open_page(server.page(SECTION_1))
    try:
        urls = [
            server.url + "/",  # the folder page, which sends to the welcome page
            server.url + "/voila/static/voila.js",  # Voilà's own static files
            server.url + "/voila/templates/reconnection/static/index.css",  # the template's
            server.url + "/api/kernels",  # not served: a 404 from Tornado itself
            server.url + "/no/such/page",
            server.url + "/voila/render/no-such-notebook.ipynb",
            server.url + "/workbook/away",
        ]
        for url in urls:
            status, headers, _body = _fetch(url)
            assert headers["Referrer-Policy"] == "no-referrer", (url, status)
        status, headers, _body = _fetch(server.page(SECTION_1))
        assert (status, headers["Referrer-Policy"]) == (200, "no-referrer")
        status, headers, _body = _fetch(server.url + LINK, b"{}")  # refused: not the workbook's page
        assert (status, headers["Referrer-Policy"]) == (403, "no-referrer")
        upgraded = _websocket_headers(server.url, kernel)
        assert upgraded["Referrer-Policy"] == "no-referrer"
    finally:
        shut_down(server, kernel)


def _link(server, body: object, cookie: str = "", **headers: str):
    sent = {"X-Workbook-Page": "1", "Content-Type": "application/json", **headers}
    if cookie:
        sent["Cookie"] = cookie
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return _fetch(server.url + LINK, raw, sent)


def test_the_participant_link_is_set_only_as_the_workbooks_own_page_asks(debug_server):
    server, _keys, _log = debug_server
    code = new_participant().code
    good = {"code": code, "remember": False, "fresh": False}

    status, headers, body = _link(server, good)
    assert (status, json.loads(body)) == (200, {"reload": False})
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{PARTICIPANT_COOKIE}={cookie_value(code, False)};")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Max-Age" not in cookie
    assert "expires" not in cookie.lower()  # for the browser session only
    assert headers["Cache-Control"] == "no-store"

    status, headers, _body = _link(server, {**good, "remember": True})
    assert status == 200
    assert "Max-Age=7776000" in headers["Set-Cookie"]  # 90 days, the retention period

    # Another site's page, or a crafted request, changes nothing.
    for refused in (
        {"X-Workbook-Page": "0"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "http://elsewhere.example"},
    ):
        status, headers, _body = _link(server, good, **refused)
        assert status == 403
        assert "Set-Cookie" not in headers
    for bad in (
        b"not json",
        b"\xff\xfe",
        b"[]",
        b"x" * 5000,
        {"code": code},
        {**good, "extra": 1},
        {**good, "code": code.lower()},
        {**good, "code": "<script>alert(1)</script>"},
        {**good, "code": ["A"] * 16},
        {**good, "remember": "yes"},
        {**good, "fresh": 1},
    ):
        status, headers, body = _link(server, bad)
        assert status == 400, bad
        assert "Set-Cookie" not in headers
        assert json.loads(body) == {"error": "That was not a request the workbook understands."}

    # A page opened for nobody (its link came from another site) does not replace this browser's
    # participant: it is told to reload.
    kept = f"{PARTICIPANT_COOKIE}={cookie_value(code, True)}"
    status, headers, body = _link(server, {**good, "code": new_participant().code, "fresh": True}, kept)
    assert (status, json.loads(body)) == (200, {"reload": True})
    assert "Set-Cookie" not in headers

    # The neutral page ends the link, when a page of the workbook led there (test_participant_link.py
    # shows another site's link does not).
    status, headers, body = _fetch(server.url + "/workbook/away", headers={"Sec-Fetch-Site": "same-origin"})
    assert status == 200
    assert f'{PARTICIPANT_COOKIE}=""' in headers["Set-Cookie"]
    assert b"<title>New page</title>" in body
    assert b"workbook" not in body.lower().replace(b"workbook/", b"")


def test_the_facilitators_secret_never_reaches_the_log_at_any_level(debug_server):
    server, keys, log = debug_server
    facilitator = f"{SECTIONS.facilitator_notebook}?room={keys.join_code}&key={keys.secret}"
    kernel = open_page(server.page(facilitator))
    shut_down(server, kernel)
    # The facilitator link's token, which opens rooms: a page opened with it, and one refused.
    kernel = open_page(facilitator_address(server.url))
    shut_down(server, kernel)
    assert _fetch(server.page(f"{SECTIONS.facilitator_notebook}?token={facilitator_token()[:-1]}"))[0] == 403
    _fetch(server.url + f"/voila/render/missing.ipynb?room={keys.join_code}&key={keys.secret}")
    _fetch(server.url + f"/api/kernels?key={keys.secret}")
    code = new_participant().code
    _link(server, {"code": code, "remember": False, "fresh": False})
    _fetch(server.page(SECTION_1), headers={"Cookie": f"{PARTICIPANT_COOKIE}={cookie_value(code, False)}"})
    written = Path(log).read_text(encoding="utf-8")
    # The log is at DEBUG and holds the requests (so the secret had every chance to appear)...
    assert "DEBUG" in written or "[D " in written
    assert f"GET /voila/render/{SECTIONS.facilitator_notebook}" in written
    assert "GET /voila/render/missing.ipynb" in written
    # ...but never the secret, nor a participant's code.
    assert keys.secret not in written
    assert code not in written
    assert facilitator_token() not in written
    assert facilitator_token()[:-1] not in written
