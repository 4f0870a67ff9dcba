"""Light on the wire, against the real server and a real browser: compressed, cached to fit, still working.

A browser walks the workbook as its people do (welcome, sections, summary, the facilitator's page and
the slides) and every response it got is checked: text compressed with brotli, static files immutable
at versioned addresses (or revalidated), pages never cached. A next page with a warm cache is counted
in the browser (what did not come from its cache): at most 5 requests once its widgets show. A
browser that takes no compression still gets working pages, and no page asks anything of another host.
"""

from __future__ import annotations

import asyncio
import gzip
import re
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import brotli
import pytest
from conftest import _watch, facilitator_address
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from widgets import load_content
from widgets.registry import SECTIONS as REGISTRY
from widgets.room.content import load_room_content
from widgets.room.model import Rooms
from widgets.server.compression import MIN_SIZE, compressible, copies
from widgets.server.static_files import IMMUTABLE, REVALIDATE, served_static_files
from widgets.store import default_store

SECTIONS = load_content().sections
WORDS = load_room_content()
WELCOME = SECTIONS.welcome_notebook
CONTROLS = "input[type=radio], [role=radio]"
STATIC = ("/voila/static/", "/voila/labextensions/", "/voila/templates/", "/workbook/page/")
OLD_VERSIONS = [f"/voila/static/v/{'0' * 20}/voila.js", f"/workbook/page/{'0' * 20}/page.js"]


@pytest.fixture(scope="module")
def served(voila_server):
    """The tests' real server, once every compressed copy is made (as ./workbook test does first)."""
    copies().make_all(served_static_files())
    return voila_server


def _controls_visible(page) -> None:
    page.locator(CONTROLS).first.wait_for(state="visible", timeout=90_000)


def _record(page) -> list:
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    return responses


def _body_size(response) -> int:
    try:
        return len(response.body())
    except Exception:
        return 0


def _problems(responses: list, server_url: str) -> list[str]:
    """What is wrong with the encoding and caching headers of what the browser got."""
    problems = []
    for response in responses:
        url = urlsplit(response.url)
        if url.scheme not in {"http", "https"}:
            continue
        headers = response.headers
        path = url.path
        cache = headers.get("cache-control", "")
        static = path.startswith(STATIC)
        text = response.status == 200 and compressible(headers.get("content-type"))
        if text and headers.get("content-encoding") != "br" and _body_size(response) >= MIN_SIZE:
            problems.append(f"not compressed with brotli: {path} ({headers.get('content-encoding')})")
        if path.startswith("/voila/render/") and "no-store" not in cache:
            problems.append(f"a page that may be cached: {path} ({cache})")
        if path.startswith("/voila/static/") and not path.startswith("/voila/static/v/"):
            problems.append(f"Voilà's file asked for without its version: {path}")
        if static and response.status in (200, 304):
            versioned = (
                path.startswith(("/voila/static/v/", "/workbook/page/"))
                or "v=" in url.query
                or re.search(r"[.-][0-9a-f]{8,}\.(js|css)$", path)
            )
            if versioned and cache != IMMUTABLE:
                problems.append(f"a versioned file not immutable: {path} ({cache})")
            if not versioned and cache != REVALIDATE:
                problems.append(f"an unversioned file not revalidated: {path} ({cache})")
            if not versioned and not (headers.get("etag") or headers.get("last-modified")):
                problems.append(f"an unversioned file with no validator: {path}")
    return problems


def _open_room() -> tuple[str, str]:
    keys = Rooms(default_store(), REGISTRY).open_room(threshold=3)
    return keys.join_code, keys.secret


def test_every_response_of_a_walk_through_the_workbook_is_compressed_and_cached_to_fit(served, browser):
    join_code, secret = _open_room()
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    watch = _watch(page)
    responses = _record(page)
    for notebook in (WELCOME, SECTIONS.by_number(4).notebook):
        page.goto(served.page(notebook))
        page.locator(".rw-participant").first.wait_for(timeout=90_000)
    page.goto(served.page(SECTIONS.summary_notebook))
    page.locator(".rw-participant").first.wait_for(timeout=90_000)
    page.goto(facilitator_address(served.url, f"room={join_code}&key={secret}"))
    page.get_by_role("button", name=WORDS.facilitator.present_label).click(timeout=90_000)
    page.locator(".rw-slide").wait_for(timeout=60_000)
    time.sleep(1.0)
    paths = {urlsplit(response.url).path for response in responses}
    assert any(path.startswith("/workbook/page/") for path in paths)
    assert any(path.startswith("/voila/templates/") for path in paths)
    # The page's own scripts draw every page: nothing of Voilà's JupyterLab front end is loaded.
    assert [path for path in paths if path.startswith(("/voila/static/", "/voila/labextensions/"))] == []
    assert _problems(responses, served.url) == []
    assert watch.external == []
    assert watch.failed_responses == []
    context.close()


def test_a_next_page_with_a_warm_cache_asks_the_server_at_most_five_times(served, browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto(served.page(WELCOME))
    page.locator(".rw-participant").first.wait_for(timeout=90_000)
    time.sleep(2.0)  # the page's own late requests (its participant cookie) are not the next page's
    # What went to the server: Chromium's requests not answered from its cache, and websockets.
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    sent: dict[str, str] = {}
    cached: set[str] = set()
    network.on(
        "Network.requestWillBeSent", lambda event: sent.update({event["requestId"]: event["request"]["url"]})
    )
    network.on("Network.requestServedFromCache", lambda event: cached.add(event["requestId"]))
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.goto(served.page(SECTIONS.by_number(1).notebook))
    _controls_visible(page)
    time.sleep(1.0)  # and what it asks for just after: counted too
    asked = [url for request, url in sent.items() if request not in cached and url.startswith("http")]
    asked += sockets
    assert any("/voila/render/" in url for url in asked), asked
    assert len(asked) <= 5, asked
    context.close()


def test_every_page_works_for_a_browser_that_takes_no_compression(served, browser):
    context = browser.new_context(
        viewport={"width": 1000, "height": 900}, extra_http_headers={"Accept-Encoding": "identity"}
    )
    page = context.new_page()
    watch = _watch(page)
    responses = _record(page)
    page.goto(served.page(SECTIONS.by_number(1).notebook))
    _controls_visible(page)
    page.locator(CONTROLS).first.check()
    page.locator(".rw-participant[data-saves='1']").wait_for(timeout=60_000)
    encoded = [response.url for response in responses if response.headers.get("content-encoding")]
    assert encoded == []
    assert watch.failed_responses == []
    assert watch.external == []
    context.close()


def _get(url: str, encoding: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - the test's own server
        return dict(response.headers.items()), response.read()


def test_gzip_for_a_client_without_brotli_and_the_same_bytes_once_decoded(served):
    page_headers, page = _get(served.page(WELCOME), "gzip")
    assert page_headers["Content-Encoding"] == "gzip"
    assert b"jupyter-config-data" in gzip.decompress(page)
    script = re.search(r'src="(/workbook/page/[0-9a-f]{20}/page\.js)"', gzip.decompress(page).decode())
    assert script, "the page does not load its scripts from their versioned address"
    plain_headers, plain = _get(served.url + script.group(1), "identity")
    assert "Content-Encoding" not in plain_headers
    assert plain_headers["Cache-Control"] == IMMUTABLE
    zipped_headers, zipped = _get(served.url + script.group(1), "gzip")
    assert zipped_headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped) == plain
    brotli_headers, squeezed = _get(served.url + script.group(1), "gzip, deflate, br")
    assert brotli_headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed) == plain
    assert len(squeezed) < len(zipped) < len(plain)
    for headers in (plain_headers, zipped_headers, brotli_headers):
        assert headers["Vary"] == "Accept-Encoding"
    # Each encoding its own validator, so a cache never mixes them.
    assert len({plain_headers["Etag"], zipped_headers["Etag"], brotli_headers["Etag"]}) == 3


@pytest.mark.parametrize("address", OLD_VERSIONS)
def test_an_old_version_of_the_pages_files_is_not_found(served, address):
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(served.url + address, "br")
    assert refused.value.code == 404


def test_the_kernel_websocket_is_compressed_for_a_browser_that_offers_it(served):
    async def handshake() -> str:
        response = await AsyncHTTPClient().fetch(served.page(WELCOME))
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', response.body.decode())
        assert kernel, "no kernel id in the page"
        socket = await websocket_connect(
            HTTPRequest(served.url.replace("http", "ws") + f"/api/kernels/{kernel.group(1)}/channels"),
            compression_options={},  # as every browser offers: permessage-deflate
        )
        try:
            return socket.headers.get("Sec-WebSocket-Extensions", "")
        finally:
            socket.close()

    with ThreadPoolExecutor(max_workers=1) as worker:
        extensions = worker.submit(asyncio.run, handshake()).result()
    assert extensions.startswith("permessage-deflate")


def test_the_first_page_moves_under_a_megabyte_with_a_cold_cache(served, browser):
    """Issue 24's target: the welcome page, every file it loads, cache cold, at most 1 MB on the wire."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    network = context.new_cdp_session(page)
    network.send("Network.enable")
    received: dict[str, int] = {}
    network.on(
        "Network.loadingFinished",
        lambda event: received.update({event["requestId"]: int(event["encodedDataLength"])}),
    )
    page.goto(served.page(WELCOME))
    page.locator(".rw-participant").first.wait_for(timeout=90_000)
    time.sleep(1.0)
    assert 0 < sum(received.values()) <= 1_000_000, received
    assert len(received) <= 20, received
    context.close()
