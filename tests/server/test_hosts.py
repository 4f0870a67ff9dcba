"""What the server answers before any route: foreign host names, and addresses under ``/voila/templates/``.

Against the real server (``python -m widgets.server``, as ``./workbook serve`` runs it), with
``RECONNECTION_PUBLIC_URL`` and ``RECONNECTION_ALLOWED_HOSTS`` set as behind a proxy, spoken to with
``http.client`` (any method, any ``Host``) and a real websocket client.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import socket
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from conftest import facilitator_address, open_page, running_voila, shut_down
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from widgets import load_content
from widgets.participant import PARTICIPANT_COOKIE, new_participant
from widgets.server.launch import lan_addresses
from widgets.server.voila_app import ADDRESSES_KEPT, ServedHosts

SECTIONS = load_content().sections
WELCOME = SECTIONS.welcome_notebook
REFUSED_TEXT = b"This server does not answer to that host name.\n"
_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)
PROXIED = {
    "RECONNECTION_PUBLIC_URL": "https://workbook.example.org/",
    "RECONNECTION_ALLOWED_HOSTS": " Proxy.Example , other.example ",
}
FOREIGN = [
    "evil.example",
    "evil.example:8866",
    "workbook.example.org.evil.example",
    "localhost.evil.example",
    "proxy.example.evil.example",
    "198.51.100.7",  # an address that is not this computer's
    "[2001:db8::1]:8866",
]


@pytest.fixture(scope="module")
def proxied_server(tmp_path_factory):
    """A server set up as behind a proxy, whose only kernels are its pages' own (no preheated pools)."""
    folder = tmp_path_factory.mktemp("hosts")
    log = folder / "voila.log"
    options = ("--VoilaConfiguration.preheat_kernel=False",)
    with running_voila(log, *options, data_dir=folder / "data", env=PROXIED) as (server, process):
        yield server, process, log


def _ask(server, path: str, host: str, method: str = "GET", body: bytes | None = None, **headers: str):
    """Status, headers and body of one request naming ``host`` in its ``Host`` header."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers={"Host": host, **headers})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _forked_kernels(server_pid: int) -> int:
    return sum(
        len(child.children())
        for child in psutil.Process(server_pid).children()
        if any("widgets.server.warm_parent" in part for part in child.cmdline())
    )


def _connect(server, kernel_id: str, host: str) -> int:
    """Open the kernel's websocket naming ``host``: 101 if it opened (closed at once), else the status."""

    async def upgrade() -> int:
        url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id=hosts"
        try:
            socket = await websocket_connect(HTTPRequest(url, headers={"Host": host}))
        except HTTPClientError as error:
            return error.code
        socket.close()
        return 101

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, upgrade()).result()


def _connections(server, kernel_id: str) -> int:
    status, _headers, body = _ask(server, f"/api/kernels/{kernel_id}", f"127.0.0.1:{server.port}")
    assert status == 200
    return json.loads(body)["connections"]


def test_a_foreign_host_gets_400_for_every_method_and_nothing_happens(proxied_server):
    server, process, log = proxied_server
    before = _forked_kernels(process.pid)
    facilitator = facilitator_address("")  # its path, with the token
    for host in FOREIGN:
        for method in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"):
            for path in ("/", f"/voila/render/{WELCOME}", facilitator, "/workbook/away"):
                status, headers, body = _ask(server, path, host, method, b"{}" if method == "POST" else None)
                assert status == 400, (host, method, path)
                assert body == (b"" if method == "HEAD" else REFUSED_TEXT)
                assert "Set-Cookie" not in headers
                assert headers["Referrer-Policy"] == "no-referrer"
    # No page was made for any of them: not one kernel started.
    assert _forked_kernels(process.pid) == before
    written = log.read_text(encoding="utf-8")
    assert written.count("400 GET /") == 4 * len(FOREIGN)
    assert "Traceback" not in written
    assert "evil.example" not in written  # the refused name is not kept either


def test_a_foreign_host_cannot_set_the_participant_cookie(proxied_server):
    server, _process, _log = proxied_server
    code = new_participant().code
    body = json.dumps({"code": code, "remember": False, "fresh": False}).encode()
    asked = {"Content-Type": "application/json", "X-Workbook-Page": "1"}
    status, headers, _body = _ask(server, "/workbook/participant", "evil.example", "POST", body, **asked)
    assert status == 400
    assert "Set-Cookie" not in headers
    # The same request naming the workbook's own address is answered (so the 400 is the host's doing).
    own = f"127.0.0.1:{server.port}"
    status, headers, _body = _ask(server, "/workbook/participant", own, "POST", body, **asked)
    assert status == 200
    assert headers["Set-Cookie"].startswith(f"{PARTICIPANT_COOKIE}=")


def test_a_foreign_hosts_websocket_to_a_real_kernel_is_refused(proxied_server):
    server, _process, _log = proxied_server
    kernel = open_page(server.page(WELCOME))
    try:
        for host in FOREIGN:
            assert _connect(server, kernel, host) == 400, host
        assert _connections(server, kernel) == 0
        # The page's own browser, on the workbook's address, still connects.
        assert _connect(server, kernel, f"localhost:{server.port}") == 101
    finally:
        shut_down(server, kernel)


def test_the_workbooks_own_names_are_answered(proxied_server):
    server, _process, _log = proxied_server
    port = server.port
    own = [
        f"127.0.0.1:{port}",
        "127.0.0.1",
        "127.0.0.2",  # loopback, all of it
        f"localhost:{port}",
        "LOCALHOST",
        "localhost.",
        "localhost",  # HAProxy's health check (widgets/server/workers.py)
        f"[::1]:{port}",
        "[::ffff:127.0.0.1]",
        *(f"{address}:{port}" for address in lan_addresses()),  # --lan: this computer's own address
        "workbook.example.org",  # RECONNECTION_PUBLIC_URL's
        "proxy.example:443",  # RECONNECTION_ALLOWED_HOSTS, in any case
        "Other.Example",
    ]
    assert lan_addresses(), "this machine has no network address: the --lan case would show nothing"
    for host in own:
        status, _headers, body = _ask(server, "/", host)
        assert status == 200, host
        assert WELCOME.encode() in body


def test_every_address_of_this_computer_is_its_own_and_read_again_after_a_while():
    now = [0.0]
    hosts = ServedHosts({}, clock=lambda: now[0])
    addresses = [
        address.address.split("%")[0]
        for addresses in psutil.net_if_addrs().values()
        for address in addresses
        if address.family in (socket.AF_INET, socket.AF_INET6)
    ]
    assert addresses
    for address in addresses:
        assert hosts.allows(f"[{address}]" if ":" in address else address), address
    assert not hosts.allows("evil.example")
    assert not hosts.allows("198.51.100.7")
    # Kept a few seconds (a request does not make the server read its interfaces), then read again.
    read = hosts.own_addresses()
    assert hosts.own_addresses() is read
    now[0] += ADDRESSES_KEPT
    assert hosts.own_addresses() is not read
    assert hosts.own_addresses() == read


# --- /voila/templates/: the template's files, and a plain 404 for anything else --------------------


@pytest.mark.parametrize(
    "path",
    [
        "reconnection/conf.json",
        "reconnection/index.html.j2",
        "reconnection",
        "reconnection/",
        "reconnection/foo/bar",
        "reconnection/static",
        "reconnection/static/",
        "reconnection/static/no-such-file.css",
        "reconnection/static/../../conf.json",
        "reconnection/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "..%2f..%2fetc/static/passwd",
        "no-such-template/static/index.css",
        "conf.json",
        "",
    ],
)
def test_anything_under_templates_that_is_not_a_templates_file_is_a_plain_404(proxied_server, path):
    server, _process, log = proxied_server
    own = f"127.0.0.1:{server.port}"
    for method in ("GET", "HEAD"):
        status, _headers, _body = _ask(server, f"/voila/templates/{path}", own, method)
        assert status == 404, (method, path)
    written = log.read_text(encoding="utf-8")
    assert "Traceback" not in written
    assert "500 GET" not in written


def test_the_templates_own_files_are_still_served(proxied_server):
    server, _process, _log = proxied_server
    own = f"127.0.0.1:{server.port}"
    status, headers, body = _ask(server, "/voila/templates/reconnection/static/index.css", own)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert len(body) > 1000
    # Every template file a page asks for is served: the welcome page's own requests, read from its HTML.
    status, _headers, page = _ask(server, f"/voila/render/{WELCOME}", own)
    assert status == 200
    kernel = json.loads(_CONFIG.search(page.decode()).group(1))["kernelId"]
    try:
        asked = {
            part.split('"')[0]
            for part in page.decode().split('"/voila/templates/')[1:]
            if part.split('"')[0].split("?")[0].endswith((".css", ".js"))
        }
        assert asked, "the page asks for no template file: the check would show nothing"
        for path in asked:
            assert _ask(server, f"/voila/templates/{path}", own)[0] == 200, path
    finally:
        shut_down(server, kernel)
